package dev.vigil.operators.monitor;

import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The validated drift-monitor settings ({@link MonitorOptions#drift}).
 *
 * @param detectors the detector of each monitored signal kind; a kind without one is not monitored
 * @param features names of the features watched by the {@link SignalKind#FEATURE} detector
 * @param threshold decision threshold of the {@link SignalKind#ERROR} signal
 * @param warnings whether warnings are emitted besides drifts
 * @param allowedLateness how far behind the watermark a signal may arrive and still be fed in event-time order
 * @param batchInterval event-time granularity of the release timers
 * @param warmUp event time after a signal's first observation during which its observations are not fed to the
 *     detector (features over look-back windows are still filling at a stream's start)
 * @param sampleRate share of predictions monitored (their score and features, and their labelled examples' error,
 *     Brier score and log loss), in (0, 1]: a deterministic sample by a hash of the entity id and the prediction's
 *     event time, so a prediction and its example are in or out together and a replay samples the same ones
 */
public record DriftSettings(
        Map<SignalKind, DetectorConfig> detectors,
        List<String> features,
        double threshold,
        boolean warnings,
        Duration allowedLateness,
        Duration batchInterval,
        Duration warmUp,
        double sampleRate)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Settings without a warm-up. */
    public DriftSettings(Map<SignalKind, DetectorConfig> detectors, List<String> features, double threshold,
            boolean warnings, Duration allowedLateness, Duration batchInterval) {
        this(detectors, features, threshold, warnings, allowedLateness, batchInterval, Duration.ZERO);
    }

    /** Settings that monitor every prediction. */
    public DriftSettings(Map<SignalKind, DetectorConfig> detectors, List<String> features, double threshold,
            boolean warnings, Duration allowedLateness, Duration batchInterval, Duration warmUp) {
        this(detectors, features, threshold, warnings, allowedLateness, batchInterval, warmUp, 1.0);
    }

    public DriftSettings {
        EnumMap<SignalKind, DetectorConfig> copy = new EnumMap<>(SignalKind.class);
        copy.putAll(detectors);
        detectors = Collections.unmodifiableMap(copy);
        features = List.copyOf(features);
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        Objects.requireNonNull(batchInterval, "batchInterval");
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative: " + allowedLateness);
        }
        Objects.requireNonNull(warmUp, "warmUp");
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("warm-up must not be negative: " + warmUp);
        }
        if (!(sampleRate > 0 && sampleRate <= 1)) {
            throw new IllegalArgumentException("sample rate must be in (0, 1], got " + sampleRate);
        }
        if (batchInterval.toMillis() < 1) {
            throw new IllegalArgumentException("batch interval must be at least 1 ms: " + batchInterval);
        }
        if (!features.isEmpty() && !detectors.containsKey(SignalKind.FEATURE)) {
            throw new IllegalArgumentException("features " + features + " are watched but no feature detector is set");
        }
        if (features.size() != features.stream().distinct().count()) {
            throw new IllegalArgumentException("features listed twice: " + features);
        }
    }

    /** The detector of {@code kind}, or null when it is not monitored. */
    public DetectorConfig detector(SignalKind kind) {
        return detectors.get(kind);
    }

    /** Whether any label-free signal (score or a feature) is monitored. */
    public boolean monitorsPredictions() {
        return detectors.containsKey(SignalKind.SCORE) || !features.isEmpty();
    }
}
