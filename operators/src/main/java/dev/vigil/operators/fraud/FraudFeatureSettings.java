package dev.vigil.operators.fraud;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * The validated settings of the fraud feature stage ({@link FraudFeatureOptions}): what {@link FraudFeatureFunction}
 * carries in the job graph and {@link FraudFeatureExtractor} computes with. Pure Java, so the core can be used and
 * tested without Flink; read from a Flink configuration with {@link FraudFeatureOptions#settings}.
 *
 * @param allowedLateness how far behind the watermark a transaction may still arrive and be applied (out of order, with
 *     exact features); older ones are rejected. Also extends the window history by this much.
 * @param maxHistory cap on the transactions one account keeps in its window history (so a window sees the transaction
 *     and at most this many before it); beyond it the oldest leave early and that account's 7-day (then 24-hour)
 *     aggregates become lower bounds
 * @param amountHistory how many of the account's previous amounts the robust z-score uses, at least {@link
 *     FraudFeatures#MIN_Z_HISTORY}
 * @param noveltyCapacity how many distinct merchants, devices and countries (each) an account remembers from
 *     transactions older than its window history
 * @param stateTtl processing-time TTL of an account's state: forgotten after this long without a transaction; at least
 *     the longest window
 * @param idleExpiry event-time expiry: an account with no transaction for this long in event time is forgotten (a
 *     timer clears it, so replays of simulated months stay bounded too); at least the longest window plus the allowed
 *     lateness
 * @param mccRisk the {@code mcc_risk} table
 */
public record FraudFeatureSettings(
        Duration allowedLateness,
        int maxHistory,
        int amountHistory,
        int noveltyCapacity,
        Duration stateTtl,
        Duration idleExpiry,
        MccRiskTable mccRisk)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_HISTORY = 2048;
    public static final int DEFAULT_AMOUNT_HISTORY = 32;
    public static final int DEFAULT_NOVELTY_CAPACITY = 32;
    public static final Duration DEFAULT_STATE_TTL = Duration.ofDays(30);
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofDays(90);

    /** Upper bound of {@link #maxHistory}, {@link #amountHistory} and {@link #noveltyCapacity}. */
    public static final int MAX_BOUND = 1 << 20;

    public FraudFeatureSettings {
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(stateTtl, "stateTtl");
        Objects.requireNonNull(idleExpiry, "idleExpiry");
        Objects.requireNonNull(mccRisk, "mccRisk");
        check(
                !allowedLateness.isNegative() && allowedLateness.toMillis() <= FraudFeatures.WINDOW_7D_MILLIS,
                "allowed lateness must be in [0, 7 d]: %s",
                allowedLateness);
        check(maxHistory >= 1 && maxHistory <= MAX_BOUND, "max history must be in [1, %s]: %s", MAX_BOUND, maxHistory);
        check(
                amountHistory >= FraudFeatures.MIN_Z_HISTORY && amountHistory <= MAX_BOUND,
                "amount history must be in [%s, %s]: %s",
                FraudFeatures.MIN_Z_HISTORY,
                MAX_BOUND,
                amountHistory);
        check(
                noveltyCapacity >= 0 && noveltyCapacity <= MAX_BOUND,
                "novelty capacity must be in [0, %s]: %s",
                MAX_BOUND,
                noveltyCapacity);
        check(
                stateTtl.toMillis() >= FraudFeatures.WINDOW_7D_MILLIS,
                "state TTL must be at least the longest window (7 d): %s",
                stateTtl);
        check(
                idleExpiry.toMillis() >= FraudFeatures.WINDOW_7D_MILLIS + allowedLateness.toMillis(),
                "idle expiry must be at least the longest window (7 d) plus the allowed lateness: %s",
                idleExpiry);
    }

    /** The defaults of every {@link FraudFeatureOptions} option. */
    public static FraudFeatureSettings defaults() {
        return new FraudFeatureSettings(
                DEFAULT_ALLOWED_LATENESS,
                DEFAULT_MAX_HISTORY,
                DEFAULT_AMOUNT_HISTORY,
                DEFAULT_NOVELTY_CAPACITY,
                DEFAULT_STATE_TTL,
                DEFAULT_IDLE_EXPIRY,
                MccRiskTable.visaIntegrityRisk());
    }

    public long allowedLatenessMillis() {
        return allowedLateness.toMillis();
    }

    /** How long transactions stay in the window history behind the account's newest: 7 d plus the allowed lateness. */
    public long historyHorizonMillis() {
        return FraudFeatures.WINDOW_7D_MILLIS + allowedLateness.toMillis();
    }

    public FraudFeatureSettings withAllowedLateness(Duration value) {
        return new FraudFeatureSettings(
                value, maxHistory, amountHistory, noveltyCapacity, stateTtl, idleExpiry, mccRisk);
    }

    public FraudFeatureSettings withMaxHistory(int value) {
        return new FraudFeatureSettings(
                allowedLateness, value, amountHistory, noveltyCapacity, stateTtl, idleExpiry, mccRisk);
    }

    public FraudFeatureSettings withAmountHistory(int value) {
        return new FraudFeatureSettings(
                allowedLateness, maxHistory, value, noveltyCapacity, stateTtl, idleExpiry, mccRisk);
    }

    public FraudFeatureSettings withNoveltyCapacity(int value) {
        return new FraudFeatureSettings(
                allowedLateness, maxHistory, amountHistory, value, stateTtl, idleExpiry, mccRisk);
    }

    public FraudFeatureSettings withStateTtl(Duration value) {
        return new FraudFeatureSettings(
                allowedLateness, maxHistory, amountHistory, noveltyCapacity, value, idleExpiry, mccRisk);
    }

    public FraudFeatureSettings withIdleExpiry(Duration value) {
        return new FraudFeatureSettings(
                allowedLateness, maxHistory, amountHistory, noveltyCapacity, stateTtl, value, mccRisk);
    }

    public FraudFeatureSettings withMccRisk(MccRiskTable value) {
        return new FraudFeatureSettings(
                allowedLateness, maxHistory, amountHistory, noveltyCapacity, stateTtl, idleExpiry, value);
    }

    private static void check(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }
}
