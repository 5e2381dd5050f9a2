package dev.vigil.operators.retrain;

import java.time.Duration;
import java.util.Objects;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the retrain trigger ({@link RetrainTriggerFunction}). Read as nested YAML in {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   retrain:
 *     window: 6 h                 # tumbling event-time windows; a request's training window is one of them
 *     min-labelled: 500           # no request from a window with fewer labelled examples
 *     cooldown: 24 h              # no request within this much event time after the last one
 *     on-drift: true              # DriftEvents (kind DRIFT) of the model are a reason
 *     schedule:
 *       every-windows: 0          # a request every N windows without any other reason; 0: off
 *     metric:
 *       name: log-loss            # log-loss, error-rate or none
 *       threshold: 0.5            # decision threshold of error-rate
 *       max-increase: 0.25        # METRIC_DROP when the window's metric > baseline * (1 + max-increase)
 * }</pre>
 */
public final class RetrainOptions {

    private RetrainOptions() {}

    /** The settings of {@code config}'s {@code vigil.retrain.*} keys, defaults filled in and validated. */
    public static RetrainSettings settings(ReadableConfig config) {
        Objects.requireNonNull(config, "config");
        return RetrainSettings.builder()
                .window(config.get(WINDOW))
                .minLabelled(config.get(MIN_LABELLED))
                .cooldown(config.get(COOLDOWN))
                .onDrift(config.get(ON_DRIFT))
                .scheduleEveryWindows(config.get(SCHEDULE_EVERY_WINDOWS))
                .metric(RetrainSettings.Metric.of(config.get(METRIC)), config.get(METRIC_MAX_INCREASE))
                .threshold(config.get(METRIC_THRESHOLD))
                .build();
    }

    public static final ConfigOption<Duration> WINDOW =
            ConfigOptions.key("vigil.retrain.window")
                    .durationType()
                    .defaultValue(Duration.ofHours(6))
                    .withDescription("Size of the tumbling event-time windows (aligned to the epoch) over which labelled"
                            + " examples are counted and the metric is taken; a request is made at a window's end and"
                            + " names that window as the training window.");

    public static final ConfigOption<Integer> MIN_LABELLED =
            ConfigOptions.key("vigil.retrain.min-labelled")
                    .intType()
                    .defaultValue(500)
                    .withDescription("Fewest labelled examples a window needs for a request, and fewest examples"
                            + " scored by the watched version for its metric to count. A drift in a window with fewer"
                            + " stays pending until a window has enough.");

    public static final ConfigOption<Duration> COOLDOWN =
            ConfigOptions.key("vigil.retrain.cooldown")
                    .durationType()
                    .defaultValue(Duration.ofHours(24))
                    .withDescription("Event time after a request during which no other request is made; reasons that"
                            + " arise meanwhile are dropped (and counted), so triggers don't storm.");

    public static final ConfigOption<Boolean> ON_DRIFT =
            ConfigOptions.key("vigil.retrain.on-drift")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Whether drift events (kind DRIFT, warnings are ignored) of the model are a"
                            + " reason to retrain.");

    public static final ConfigOption<Integer> SCHEDULE_EVERY_WINDOWS =
            ConfigOptions.key("vigil.retrain.schedule.every-windows")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Request a retrain every this many windows even without another reason; 0 turns"
                            + " the schedule off.");

    public static final ConfigOption<String> METRIC =
            ConfigOptions.key("vigil.retrain.metric.name")
                    .stringType()
                    .defaultValue(RetrainSettings.Metric.LOG_LOSS.key())
                    .withDescription("Prequential metric watched for a drop against the baseline: log-loss, error-rate"
                            + " or none.");

    public static final ConfigOption<Double> METRIC_THRESHOLD =
            ConfigOptions.key("vigil.retrain.metric.threshold")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription("Decision threshold in [0, 1] of error-rate: a score at or above it is a positive"
                            + " decision.");

    public static final ConfigOption<Double> METRIC_MAX_INCREASE =
            ConfigOptions.key("vigil.retrain.metric.max-increase")
                    .doubleType()
                    .defaultValue(0.25)
                    .withDescription("Relative increase of the metric over its baseline beyond which it counts as a"
                            + " drop: METRIC_DROP when value > baseline * (1 + max-increase) (for a baseline of 0:"
                            + " value > max-increase * 0.001).");
}
