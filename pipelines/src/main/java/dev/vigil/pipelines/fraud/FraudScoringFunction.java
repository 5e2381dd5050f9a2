package dev.vigil.pipelines.fraud;

import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.FraudSnapshot;
import dev.vigil.operators.fraud.decision.DecidedTransaction;
import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.BatchFunction;
import dev.vigil.operators.inference.InferenceMetrics;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fraud scorer when nothing is learned online ({@code MicroBatchOperator}): one fixed classifier version, opened
 * in {@link #open} and closed in {@link #close}, plus everything {@link FraudHotSwapScoring} does (the autoencoder,
 * the decision policy, the reasons, the fallbacks), which it delegates to. A classifier that cannot be opened (bad
 * file, wrong sha-256, other features) or a failed call leaves the batch's scores null (version {@value
 * BatchFunction#NONE}), and the policy falls back, as in the hot-swapped scorer. Rows are the snapshots' own feature
 * arrays, not copies. Metrics: those of {@link FraudHotSwapScoring}, plus {@code failedBatches} and {@code
 * inferenceLatencyMs} of the classifier's calls.
 *
 * <p>Unlike {@code HotSwapScoringOperator} it keeps no union list state, so a bounded run (a replay) can finish
 * subtask by subtask and still commit its last decisions in the final checkpoint.
 */
public final class FraudScoringFunction implements BatchFunction<FraudSnapshot, DecidedTransaction> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FraudScoringFunction.class);

    private final ModelRef classifier;
    private final FraudHotSwapScoring decisions;

    private transient OnnxScorer scorer;
    private transient float[][] rows;
    private transient Counter failedBatches;
    private transient Histogram latency;

    /**
     * @param classifier the classifier to serve
     * @param anomalyModel the autoencoder, or {@code null} to run without one
     */
    public FraudScoringFunction(ModelRef classifier, ModelRef anomalyModel) {
        this.classifier = Preconditions.checkNotNull(classifier, "classifier");
        this.decisions = new FraudHotSwapScoring(classifier.name(), anomalyModel, FraudJob.ANOMALY_MODEL_NAME);
    }

    @Override
    public void open(Context context) {
        decisions.open(context); // invalid decision settings fail here
        failedBatches = context.getMetricGroup().counter("failedBatches");
        latency = InferenceMetrics.registerLatency(context.getMetricGroup());
        rows = new float[context.getMaxBatchSize()][];
        OnnxScorer opened = null;
        try {
            opened = OnnxScorer.load(classifier, context.getOptions(), context.getUserCodeClassLoader());
            List<String> declared = opened.metadata().featureNames();
            if (!declared.equals(FraudFeatures.NAMES)) {
                throw new IllegalArgumentException("it declares " + declared.size() + " features that differ from"
                        + " the pipeline's " + FraudFeatures.SIZE);
            }
            scorer = opened;
            LOG.info("Scoring with model {} on {}", classifier.label(), opened.activeProvider());
        } catch (Exception e) {
            if (opened != null) {
                try {
                    opened.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            scorer = null;
            LOG.error("Model {} unavailable, decisions fall back without its score: {}", classifier.label(),
                    e.toString());
        }
    }

    @Override
    public void processBatch(List<FraudSnapshot> batch, BatchCollector<DecidedTransaction> out) throws Exception {
        int n = batch.size();
        ScoreBatch scores = null;
        if (scorer != null) {
            for (int i = 0; i < n; i++) {
                rows[i] = batch.get(i).features();
            }
            try {
                long start = System.nanoTime();
                scores = scorer.score(rows, n);
                InferenceMetrics.recordSince(latency, start);
            } catch (Exception e) {
                failedBatches.inc();
                LOG.warn("Scoring a batch of {} failed, its decisions fall back: {}", n, e.toString());
            } finally {
                Arrays.fill(rows, 0, n, null);
            }
        }
        decisions.processBatch(batch, scores, scores == null ? null : scorer, out);
    }

    @Override
    public void close() throws Exception {
        try {
            decisions.close();
        } finally {
            if (scorer != null) {
                scorer.close();
                scorer = null;
            }
        }
    }

    @Override
    public String modelVersion() {
        return scorer == null ? NONE : classifier.version();
    }

    @Override
    public String activeProvider() {
        return scorer == null ? NONE : scorer.activeProvider().name();
    }
}
