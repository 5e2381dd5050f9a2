package dev.vigil.operators.retrain;

import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The validated settings of a {@link RetrainTrigger} ({@link RetrainOptions}). Plain Java, like the trigger.
 *
 * <pre>{@code
 * RetrainSettings settings = RetrainSettings.builder()
 *         .window(Duration.ofHours(6)).minLabelled(500).cooldown(Duration.ofDays(1))
 *         .metric(RetrainSettings.Metric.LOG_LOSS, 0.25)
 *         .build();
 * RetrainSettings fromYaml = RetrainOptions.settings(config);   // vigil.retrain.*
 * }</pre>
 *
 * @param windowMillis size of the tumbling event-time windows, positive
 * @param minLabelled fewest labelled examples of a window for a request, and scored ones for the metric; at least 1
 * @param cooldownMillis event time after a request without another, at least 0
 * @param onDrift whether drift events are a reason
 * @param scheduleEveryWindows a request every this many windows; 0: no schedule
 * @param metric the prequential metric watched
 * @param threshold decision threshold of {@link Metric#ERROR_RATE}, in [0, 1]
 * @param maxIncrease allowed relative increase of the metric over its baseline, positive
 */
public record RetrainSettings(
        long windowMillis,
        int minLabelled,
        long cooldownMillis,
        boolean onDrift,
        int scheduleEveryWindows,
        Metric metric,
        double threshold,
        double maxIncrease)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The prequential metrics a trigger can watch; lower is better for both. */
    public enum Metric {
        /** Mean binary cross-entropy of the scores, clipped to [1e-7, 1 - 1e-7]. */
        LOG_LOSS("log-loss"),
        /** Share of examples whose decision at the threshold disagrees with the label. */
        ERROR_RATE("error-rate"),
        /** No metric: only drift and the schedule trigger. */
        NONE("none");

        private final String key;

        Metric(String key) {
            this.key = key;
        }

        /** The value of {@link RetrainOptions#METRIC}. */
        public String key() {
            return key;
        }

        /** The metric named {@code key}. */
        public static Metric of(String key) {
            for (Metric m : values()) {
                if (m.key.equals(key.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
            throw new IllegalArgumentException(
                    RetrainOptions.METRIC.key() + " must be log-loss, error-rate or none, got '" + key + "'");
        }
    }

    public RetrainSettings {
        check(windowMillis > 0, "window must be positive, got %s ms", windowMillis);
        check(minLabelled >= 1, "min-labelled must be at least 1, got %s", minLabelled);
        check(cooldownMillis >= 0, "cooldown must not be negative, got %s ms", cooldownMillis);
        check(scheduleEveryWindows >= 0, "schedule.every-windows must not be negative, got %s",
                scheduleEveryWindows);
        Objects.requireNonNull(metric, "metric");
        check(threshold >= 0 && threshold <= 1, "threshold must be in [0, 1], got %s", threshold);
        check(maxIncrease > 0 && Double.isFinite(maxIncrease),
                "max-increase must be positive, got %s", maxIncrease);
    }

    private static void check(boolean condition, String template, Object arg) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, arg));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RetrainSettings}; starts from the defaults of {@link RetrainOptions}. */
    public static final class Builder {
        private Duration window = RetrainOptions.WINDOW.defaultValue();
        private int minLabelled = RetrainOptions.MIN_LABELLED.defaultValue();
        private Duration cooldown = RetrainOptions.COOLDOWN.defaultValue();
        private boolean onDrift = RetrainOptions.ON_DRIFT.defaultValue();
        private int scheduleEveryWindows = RetrainOptions.SCHEDULE_EVERY_WINDOWS.defaultValue();
        private Metric metric = Metric.of(RetrainOptions.METRIC.defaultValue());
        private double threshold = RetrainOptions.METRIC_THRESHOLD.defaultValue();
        private double maxIncrease = RetrainOptions.METRIC_MAX_INCREASE.defaultValue();

        private Builder() {}

        public Builder window(Duration window) {
            this.window = Objects.requireNonNull(window, "window");
            return this;
        }

        public Builder minLabelled(int minLabelled) {
            this.minLabelled = minLabelled;
            return this;
        }

        public Builder cooldown(Duration cooldown) {
            this.cooldown = Objects.requireNonNull(cooldown, "cooldown");
            return this;
        }

        public Builder onDrift(boolean onDrift) {
            this.onDrift = onDrift;
            return this;
        }

        public Builder scheduleEveryWindows(int windows) {
            this.scheduleEveryWindows = windows;
            return this;
        }

        public Builder metric(Metric metric, double maxIncrease) {
            this.metric = Objects.requireNonNull(metric, "metric");
            this.maxIncrease = maxIncrease;
            return this;
        }

        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public RetrainSettings build() {
            return new RetrainSettings(window.toMillis(), minLabelled, cooldown.toMillis(), onDrift,
                    scheduleEveryWindows, metric, threshold, maxIncrease);
        }
    }
}
