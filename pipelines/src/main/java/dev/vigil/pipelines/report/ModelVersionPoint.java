package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.vigil.operators.learn.VersionedLearner;
import dev.vigil.schema.common.ModelUpdate;
import java.time.Instant;
import java.util.Map;

/**
 * One published model version with the prequential (test-then-train) metrics it was published with.
 *
 * @param version version label
 * @param publishedAt when it was published (the registry's creation time)
 * @param parentVersion version it was trained from, or {@code null} for a root version
 * @param auroc prequential AUROC in [0, 1]; {@code NaN} when unknown
 * @param logLoss prequential log loss (>= 0); {@code NaN} when unknown
 */
public record ModelVersionPoint(
        String version, Instant publishedAt, String parentVersion, double auroc, double logLoss) {

    public ModelVersionPoint {
        checkArgument(version != null && !version.isBlank(), "version must not be blank");
        checkNotNull(publishedAt, "publishedAt");
        checkArgument(Double.isNaN(auroc) || (auroc >= 0 && auroc <= 1), "auroc must be in [0, 1] or NaN, got %s",
                auroc);
        checkArgument(Double.isNaN(logLoss) || (logLoss >= 0 && !Double.isInfinite(logLoss)),
                "logLoss must be finite and >= 0, or NaN, got %s", logLoss);
    }

    /**
     * The version a learner announced on the control topic, with the windowed prequential metrics it carries
     * ({@value VersionedLearner#METRIC_WINDOW_AUROC}, {@value VersionedLearner#METRIC_WINDOW_LOG_LOSS}).
     */
    public static ModelVersionPoint of(ModelUpdate update) {
        Map<String, Double> metrics = update.getMetrics();
        return new ModelVersionPoint(update.getVersion(), update.getCreatedAt(), update.getParentVersion(),
                metric(metrics, VersionedLearner.METRIC_WINDOW_AUROC),
                metric(metrics, VersionedLearner.METRIC_WINDOW_LOG_LOSS));
    }

    private static double metric(Map<String, Double> metrics, String key) {
        Double value = metrics == null ? null : metrics.get(key);
        return value == null ? Double.NaN : value;
    }
}
