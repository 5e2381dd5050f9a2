package dev.vigil.operators.learn;

import dev.vigil.models.continual.PrequentialMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The learner operator's metrics, registered on its metric group under the names below (constants so that dashboards
 * and tests use the same strings). Counters count within the current attempt, as Flink's own do; the gauges come
 * from the checkpointed state, so {@link #LAST_PUBLISHED_VERSION} survives a restore.
 *
 * <p>The prequential gauges are the window values (the last {@code vigil.learner.evaluation-window} examples), {@code
 * NaN} until there is something to measure (AUROC: until the window holds both classes). They are refreshed on the
 * task thread every {@code evaluation-window} examples, at every publication and on every publication timer, so a
 * reporter thread never touches the learner.
 */
public final class LearnerMetrics {

    /** Examples trained on (counter). */
    public static final String EXAMPLES_SEEN = "examplesSeen";
    /** Examples refused: wrong feature count, NaN or infinite feature, invalid label (counter). */
    public static final String EXAMPLES_REJECTED = "examplesRejected";
    /** Optimizer updates (counter). */
    public static final String UPDATES = "updates";
    /** Versions published to the registry and announced (counter). */
    public static final String VERSIONS_PUBLISHED = "versionsPublished";
    /** Publications that failed (registry unreachable, ...) and will be retried (counter). */
    public static final String PUBLISH_FAILURES = "publishFailures";
    /** The last version this learner published, 0 before the first (gauge, long). */
    public static final String LAST_PUBLISHED_VERSION = "lastPublishedVersion";
    /** Prequential log loss over the window (gauge, double). */
    public static final String PREQUENTIAL_LOG_LOSS = "prequentialLogLoss";
    /** Prequential accuracy over the window (gauge, double). */
    public static final String PREQUENTIAL_ACCURACY = "prequentialAccuracy";
    /** Prequential AUROC over the window (gauge, double; binary models). */
    public static final String PREQUENTIAL_AUROC = "prequentialAuroc";

    final Counter examplesSeen;
    final Counter examplesRejected;
    final Counter updates;
    final Counter versionsPublished;
    final Counter publishFailures;

    private volatile long lastPublishedVersion;
    private volatile double logLoss = Double.NaN;
    private volatile double accuracy = Double.NaN;
    private volatile double auroc = Double.NaN;

    LearnerMetrics(MetricGroup group) {
        examplesSeen = group.counter(EXAMPLES_SEEN);
        examplesRejected = group.counter(EXAMPLES_REJECTED);
        updates = group.counter(UPDATES);
        versionsPublished = group.counter(VERSIONS_PUBLISHED);
        publishFailures = group.counter(PUBLISH_FAILURES);
        group.gauge(LAST_PUBLISHED_VERSION, (Gauge<Long>) () -> lastPublishedVersion);
        group.gauge(PREQUENTIAL_LOG_LOSS, (Gauge<Double>) () -> logLoss);
        group.gauge(PREQUENTIAL_ACCURACY, (Gauge<Double>) () -> accuracy);
        group.gauge(PREQUENTIAL_AUROC, (Gauge<Double>) () -> auroc);
    }

    /** Copies the gauges' values from the learner (task thread). */
    void refresh(VersionedLearner learner) {
        lastPublishedVersion = learner.lastPublishedVersion();
        if (learner.examplesSeen() > 0) {
            PrequentialMetrics m = learner.metrics();
            logLoss = m.windowLogLoss();
            accuracy = m.windowAccuracy();
            auroc = m.windowAuroc();
        }
    }
}
