package dev.vigil.operators.alert;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the ICU alert stage ({@link DeteriorationAlertFunction}, {@link AlertPolicy}):
 *
 * <pre>{@code
 * vigil:
 *   icu:
 *     alert:
 *       risk:
 *         enter: 0.30
 *         exit: 0.20
 *         high: 0.60
 *       suppression: 4 h
 *       horizon: 12 h
 *       reasons: 3
 * }</pre>
 *
 * The risk defaults assume a calibrated probability of deterioration within the model's horizon and have not been
 * tuned on data: set them from the evaluation's alert-burden curve (alerts per 100 patient-days against sensitivity,
 * see {@code reference/clinical.md}).
 */
public final class AlertOptions {

    public static final ConfigOption<Double> RISK_ENTER =
            ConfigOptions.key("vigil.icu.alert.risk.enter")
                    .doubleType()
                    .defaultValue(0.30)
                    .withDescription("Model risk at or above which a MEDIUM alert is raised, in (0, 1].");

    public static final ConfigOption<Double> RISK_EXIT =
            ConfigOptions.key("vigil.icu.alert.risk.exit")
                    .doubleType()
                    .defaultValue(0.20)
                    .withDescription(
                            "Model risk below which the alert re-arms (hysteresis); must be below the enter"
                                    + " threshold.");

    public static final ConfigOption<Double> RISK_HIGH =
            ConfigOptions.key("vigil.icu.alert.risk.high")
                    .doubleType()
                    .defaultValue(0.60)
                    .withDescription("Model risk at or above which the alert is HIGH; at least the enter threshold.");

    public static final ConfigOption<Duration> SUPPRESSION =
            ConfigOptions.key("vigil.icu.alert.suppression")
                    .durationType()
                    .defaultValue(Duration.ofHours(4))
                    .withDescription(
                            "Event-time window after an alert in which no new alert is raised for the same patient"
                                    + " unless the level escalates.");

    public static final ConfigOption<Boolean> NEWS2_HIGH_ALWAYS =
            ConfigOptions.key("vigil.icu.alert.news2-high-always")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Whether a HIGH NEWS2 response (total >= 7) raises an alert even when the model scores the"
                                    + " patient below the enter threshold. When false NEWS2 alerts only while the model"
                                    + " is unavailable (its fallback role).");

    public static final ConfigOption<Duration> HORIZON =
            ConfigOptions.key("vigil.icu.alert.horizon")
                    .durationType()
                    .defaultValue(Duration.ofHours(12))
                    .withDescription(
                            "Prediction horizon of the deterioration model, written to each alert (whole hours).");

    public static final ConfigOption<Integer> REASONS =
            ConfigOptions.key("vigil.icu.alert.reasons")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Number of contributing features listed as an alert's reasons (0-20).");

    private AlertOptions() {}

    /** The validated policy. */
    public static AlertPolicy policy(ReadableConfig config) {
        return new AlertPolicy(
                config.get(RISK_ENTER),
                config.get(RISK_EXIT),
                config.get(RISK_HIGH),
                config.get(SUPPRESSION),
                config.get(NEWS2_HIGH_ALWAYS));
    }

    /** The validated horizon in whole hours (at least 1). */
    public static int horizonHours(ReadableConfig config) {
        Duration horizon = config.get(HORIZON);
        if (horizon.toHours() < 1 || horizon.toHours() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(HORIZON.key() + " must be at least 1 h: " + horizon);
        }
        return (int) horizon.toHours();
    }

    /** The validated number of reasons. */
    public static int reasons(ReadableConfig config) {
        int k = config.get(REASONS);
        if (k < 0 || k > 20) {
            throw new IllegalArgumentException(REASONS.key() + " must be in [0, 20]: " + k);
        }
        return k;
    }
}
