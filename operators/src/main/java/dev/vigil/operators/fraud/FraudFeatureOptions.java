package dev.vigil.operators.fraud;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the fraud feature stage ({@link FraudFeatureFunction}). Read as nested YAML in {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   fraud:
 *     features:
 *       allowed-lateness: 5 min
 *       max-history: 2048
 *       amount-history: 32
 *       novelty-capacity: 32
 *       state-ttl: 30 d
 *       idle-expiry: 90 d
 *       mcc-risk: "7995:1.0,5967:1.0,6051:0.67"
 *       mcc-risk-default: 0.0
 * }</pre>
 *
 * <p>The windows (1 h, 24 h, 7 d) are not settings: they are part of the feature schema ({@link FraudFeatures#NAMES})
 * that a model is trained on, so changing them is a new schema, not a configuration. {@link #settings} reads and
 * validates everything into a {@link FraudFeatureSettings}.
 */
public final class FraudFeatureOptions {

    public static final ConfigOption<Duration> ALLOWED_LATENESS =
            ConfigOptions.key("vigil.fraud.features.allowed-lateness")
                    .durationType()
                    .defaultValue(FraudFeatureSettings.DEFAULT_ALLOWED_LATENESS)
                    .withDescription(
                            "How far behind the watermark a transaction may arrive and still be applied, with exact"
                                    + " features but out of event-time order (transactions ahead of the watermark"
                                    + " are buffered and applied in order). Older ones go to the dead-letter side"
                                    + " output as LATE_BEYOND_LATENESS. Also extends each account's 7-day history by"
                                    + " this much. In [0, 7 d].");

    public static final ConfigOption<Integer> MAX_HISTORY =
            ConfigOptions.key("vigil.fraud.features.max-history")
                    .intType()
                    .defaultValue(FraudFeatureSettings.DEFAULT_MAX_HISTORY)
                    .withDescription(
                            "Most transactions one account keeps in its window history (56 bytes each). Beyond it the"
                                    + " oldest leave early and that account's 7-day (then 24-hour) counts and sums"
                                    + " become lower bounds; the metric fraudFeatureHistoryCapped counts them. Bounds"
                                    + " the state of a card-testing burst.");

    public static final ConfigOption<Integer> AMOUNT_HISTORY =
            ConfigOptions.key("vigil.fraud.features.amount-history")
                    .intType()
                    .defaultValue(FraudFeatureSettings.DEFAULT_AMOUNT_HISTORY)
                    .withDescription(
                            "How many of the account's previous amounts the robust z-score (median and MAD) uses."
                                    + " At least " + FraudFeatures.MIN_Z_HISTORY + ".");

    public static final ConfigOption<Integer> NOVELTY_CAPACITY =
            ConfigOptions.key("vigil.fraud.features.novelty-capacity")
                    .intType()
                    .defaultValue(FraudFeatureSettings.DEFAULT_NOVELTY_CAPACITY)
                    .withDescription(
                            "How many distinct merchants, devices and countries (each, least recently used first out)"
                                    + " an account remembers from transactions older than its 7-day history, for"
                                    + " the first-seen flags. 0 limits them to the last 7 days.");

    public static final ConfigOption<Duration> STATE_TTL =
            ConfigOptions.key("vigil.fraud.features.state-ttl")
                    .durationType()
                    .defaultValue(FraudFeatureSettings.DEFAULT_STATE_TTL)
                    .withDescription(
                            "Processing-time TTL of an account's state: an account with no transaction for this long"
                                    + " is forgotten. At least 7 d.");

    public static final ConfigOption<Duration> IDLE_EXPIRY =
            ConfigOptions.key("vigil.fraud.features.idle-expiry")
                    .durationType()
                    .defaultValue(FraudFeatureSettings.DEFAULT_IDLE_EXPIRY)
                    .withDescription(
                            "Event-time expiry: an account with no transaction for this long in event time is"
                                    + " forgotten by a timer (so replays of simulated months stay bounded too). At"
                                    + " least 7 d plus the allowed lateness.");

    public static final ConfigOption<Map<String, String>> MCC_RISK =
            ConfigOptions.key("vigil.fraud.features.mcc-risk")
                    .mapType()
                    .noDefaultValue()
                    .withDescription(
                            "Risk prior in [0, 1] per merchant category code, e.g. \"7995:1.0,6051:0.67\"; replaces"
                                    + " the default table (the Visa Integrity Risk Program tiers: 1, 2/3 and 1/3).");

    public static final ConfigOption<Double> MCC_RISK_DEFAULT =
            ConfigOptions.key("vigil.fraud.features.mcc-risk-default")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Risk prior in [0, 1] of a merchant category code that the table does not list. Applies"
                                    + " to the default table too.");

    private FraudFeatureOptions() {}

    /**
     * Reads and validates every option.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public static FraudFeatureSettings settings(ReadableConfig config) {
        Duration lateness = config.get(ALLOWED_LATENESS);
        check(
                !lateness.isNegative() && lateness.toMillis() <= FraudFeatures.WINDOW_7D_MILLIS,
                ALLOWED_LATENESS,
                "must be in [0, 7 d]",
                lateness);
        int maxHistory = config.get(MAX_HISTORY);
        check(maxHistory >= 1 && maxHistory <= FraudFeatureSettings.MAX_BOUND, MAX_HISTORY, "out of range", maxHistory);
        int amountHistory = config.get(AMOUNT_HISTORY);
        check(
                amountHistory >= FraudFeatures.MIN_Z_HISTORY && amountHistory <= FraudFeatureSettings.MAX_BOUND,
                AMOUNT_HISTORY,
                "must be at least " + FraudFeatures.MIN_Z_HISTORY,
                amountHistory);
        int novelty = config.get(NOVELTY_CAPACITY);
        check(
                novelty >= 0 && novelty <= FraudFeatureSettings.MAX_BOUND,
                NOVELTY_CAPACITY,
                "must be >= 0",
                novelty);
        Duration ttl = config.get(STATE_TTL);
        check(ttl.toMillis() >= FraudFeatures.WINDOW_7D_MILLIS, STATE_TTL, "must be at least 7 d", ttl);
        Duration expiry = config.get(IDLE_EXPIRY);
        check(
                expiry.toMillis() >= FraudFeatures.WINDOW_7D_MILLIS + lateness.toMillis(),
                IDLE_EXPIRY,
                "must be at least 7 d plus " + ALLOWED_LATENESS.key(),
                expiry);
        return new FraudFeatureSettings(
                lateness, maxHistory, amountHistory, novelty, ttl, expiry, mccRisk(config));
    }

    /** The MCC risk table from {@link #MCC_RISK} and {@link #MCC_RISK_DEFAULT}. */
    static MccRiskTable mccRisk(ReadableConfig config) {
        double fallback = config.get(MCC_RISK_DEFAULT);
        check(fallback >= 0 && fallback <= 1, MCC_RISK_DEFAULT, "must be in [0, 1]", fallback);
        Map<String, String> raw = config.getOptional(MCC_RISK).orElse(null);
        Map<Integer, Float> risks = new TreeMap<>();
        if (raw == null) {
            risks.putAll(MccRiskTable.visaIntegrityRisk().entries());
        } else {
            for (Map.Entry<String, String> e : new HashMap<>(raw).entrySet()) {
                int mcc;
                float risk;
                try {
                    mcc = Integer.parseInt(e.getKey().trim());
                    risk = Float.parseFloat(e.getValue().trim());
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(
                            MCC_RISK.key() + ": entries must be <mcc>:<risk>, got " + e.getKey() + ":" + e.getValue(),
                            ex);
                }
                check(mcc >= 0 && mcc <= 9999, MCC_RISK, "MCC must be in [0, 9999]", mcc);
                check(risk >= 0 && risk <= 1, MCC_RISK, "risk must be in [0, 1]", e.getKey() + ":" + risk);
                risks.put(mcc, risk);
            }
        }
        return new MccRiskTable(risks, (float) fallback);
    }

    private static void check(boolean condition, ConfigOption<?> option, String message, Object value) {
        if (!condition) {
            throw new IllegalArgumentException(option.key() + " " + message + ": " + value);
        }
    }
}
