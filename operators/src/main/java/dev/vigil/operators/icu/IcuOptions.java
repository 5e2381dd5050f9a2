package dev.vigil.operators.icu;

import dev.vigil.operators.validation.VitalValidator;
import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the ICU pipeline's validation and feature stages. Read as nested YAML in {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   icu:
 *     features:
 *       retention: 4 h
 *     state:
 *       ttl: 24 h
 *     validation:
 *       max-future: 1 h
 * }</pre>
 *
 * Alert settings are in {@code dev.vigil.operators.alert.AlertOptions}.
 */
public final class IcuOptions {

    public static final ConfigOption<Duration> FEATURES_RETENTION =
            ConfigOptions.key("vigil.icu.features.retention")
                    .durationType()
                    .defaultValue(Duration.ofHours(4))
                    .withDescription(
                            "How long observations are kept behind the patient's newest event time. An observation"
                                    + " older than that is dead-lettered as LATE_BEYOND_RETENTION. At least 4 h (the"
                                    + " longest feature window); longer tolerates later data at the cost of state.");

    public static final ConfigOption<Duration> STATE_TTL =
            ConfigOptions.key("vigil.icu.state.ttl")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription(
                            "Processing-time TTL of a patient's feature and context state: a patient with no vital"
                                    + " and no context update for this long is forgotten. At least the retention.");

    public static final ConfigOption<Duration> VALIDATION_MAX_FUTURE =
            ConfigOptions.key("vigil.icu.validation.max-future")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "How far an observation's effective time may be ahead of the processing clock before it is"
                                    + " dead-lettered as INVALID_TIME. Raise it to replay simulated data dated in the"
                                    + " future.");

    private IcuOptions() {}

    /** The validated retention horizon. */
    public static Duration retention(ReadableConfig config) {
        Duration retention = config.get(FEATURES_RETENTION);
        if (retention.toMillis() < IcuFeatures.LONG_WINDOW_MILLIS) {
            throw new IllegalArgumentException(
                    FEATURES_RETENTION.key() + " must be at least 4 h (the longest feature window): " + retention);
        }
        return retention;
    }

    /** The validated state TTL (at least the retention). */
    public static Duration stateTtl(ReadableConfig config) {
        Duration ttl = config.get(STATE_TTL);
        if (ttl.compareTo(retention(config)) < 0) {
            throw new IllegalArgumentException(
                    STATE_TTL.key() + " must be at least " + FEATURES_RETENTION.key() + ": " + ttl);
        }
        return ttl;
    }

    /** A validator configured from {@link #VALIDATION_MAX_FUTURE}. */
    public static VitalValidator validator(ReadableConfig config) {
        return new VitalValidator(config.get(VALIDATION_MAX_FUTURE));
    }
}
