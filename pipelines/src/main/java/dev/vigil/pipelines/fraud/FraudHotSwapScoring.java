package dev.vigil.pipelines.fraud;

import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.FraudSnapshot;
import dev.vigil.operators.fraud.TransactionEvent;
import dev.vigil.operators.fraud.decision.DecidedTransaction;
import dev.vigil.operators.fraud.decision.FraudDecisionOptions;
import dev.vigil.operators.fraud.decision.FraudDecisionPolicy;
import dev.vigil.operators.fraud.decision.FraudReasons;
import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.BatchFunction;
import dev.vigil.operators.inference.HotSwapScoringFunction;
import dev.vigil.operators.inference.InferenceMetrics;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import dev.vigil.schema.common.Reason;
import dev.vigil.schema.fraud.Decision;
import dev.vigil.schema.fraud.FraudDecision;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fraud scorer's record mapping, run by {@code HotSwapScoringOperator}: each micro-batch of {@link FraudSnapshot}s
 * is scored by the hot-swapped classifier (the operator's model call) and, in the same batch, by the static
 * autoencoder this function opens itself, then decided by the {@link FraudDecisionPolicy} and emitted as {@link
 * DecidedTransaction}s, one per snapshot, in order.
 *
 * <ul>
 *   <li><b>Autoencoder.</b> Opened in {@link #open} from its {@link ModelRef} (sha-256 checked, feature names checked
 *       against {@link FraudFeatures#NAMES}) and closed in {@link #close}. Its rows are the snapshots' own feature
 *       arrays, not copies. If it cannot be opened, or a call fails, the batch's decisions carry {@code anomalyScore}
 *       null and {@code anomalyModelVersion} {@value BatchFunction#NONE}; the classifier decides alone.
 *   <li><b>Classifier unavailable</b> (no version active, or its call failed: the operator hands over {@code null}
 *       scores): {@code score} null, {@code modelVersion} {@value BatchFunction#NONE}, and the policy falls back to the
 *       anomaly rule, or to {@code vigil.fraud.decision.no-score-decision} (REVIEW by default).
 *   <li><b>Anomaly threshold</b>: {@code vigil.fraud.decision.anomaly-threshold}, else the autoencoder's metadata
 *       quantile ({@code vigil.fraud.decision.anomaly-quantile}); fixed for the life of the operator.
 *   <li><b>Reasons</b> ({@link FraudReasons}): the largest contributions of the model that decided: the
 *       autoencoder's per-feature reconstruction errors when the anomaly rule reviewed the transaction, otherwise the
 *       classifier's closed-form logit contributions (the graph's {@code contributions} output), otherwise, without
 *       a classifier, the autoencoder's.
 * </ul>
 *
 * Nothing here throws on data: a non-finite score counts as unavailable. Metrics: {@code fraudDecisionsApprove},
 * {@code fraudDecisionsReview}, {@code fraudDecisionsDecline}, {@code fraudUnscored} (no classifier score), {@code
 * fraudAnomalyUnscored} (no anomaly score), {@code fraudAnomalyFailedBatches}, {@code anomalyInferenceLatencyMs}.
 */
public final class FraudHotSwapScoring implements HotSwapScoringFunction<FraudSnapshot, DecidedTransaction> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FraudHotSwapScoring.class);

    private final String modelName;
    private final ModelRef anomalyModel;
    private final String anomalyModelName;

    private transient OnnxScorer anomalyScorer;
    private transient float[][] anomalyRows;
    private transient FraudDecisionPolicy policy;
    private transient int maxReasons;
    private transient Counter approved;
    private transient Counter reviewed;
    private transient Counter declined;
    private transient Counter unscored;
    private transient Counter anomalyUnscored;
    private transient Counter anomalyFailedBatches;
    private transient Histogram anomalyLatency;

    /**
     * @param modelName the classifier's name, stamped on decisions it could not score
     * @param anomalyModel the autoencoder, or {@code null} to run without one
     * @param anomalyModelName the autoencoder's name on decisions (its ref's name when there is one)
     */
    public FraudHotSwapScoring(String modelName, ModelRef anomalyModel, String anomalyModelName) {
        this.modelName = modelName;
        this.anomalyModel = anomalyModel;
        this.anomalyModelName = anomalyModel == null ? anomalyModelName : anomalyModel.name();
    }

    @Override
    public void open(BatchFunction.Context context) {
        ReadableConfig options = context.getOptions();
        maxReasons = FraudDecisionOptions.maxReasons(options);
        MetricGroup metrics = context.getMetricGroup();
        approved = metrics.counter("fraudDecisionsApprove");
        reviewed = metrics.counter("fraudDecisionsReview");
        declined = metrics.counter("fraudDecisionsDecline");
        unscored = metrics.counter("fraudUnscored");
        anomalyUnscored = metrics.counter("fraudAnomalyUnscored");
        anomalyFailedBatches = metrics.counter("fraudAnomalyFailedBatches");
        anomalyLatency = metrics.histogram("anomalyInferenceLatencyMs",
                new org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram(1024));
        anomalyScorer = openAnomalyModel(context);
        anomalyRows = new float[context.getMaxBatchSize()][];
        // Invalid thresholds fail here, at start, not as a fallback.
        policy = FraudDecisionOptions.policy(options, anomalyScorer == null ? null : anomalyScorer.metadata());
        LOG.info("Fraud decisions with {} (anomaly model {})", policy,
                anomalyScorer == null ? BatchFunction.NONE : anomalyModel.label());
    }

    private OnnxScorer openAnomalyModel(BatchFunction.Context context) {
        if (anomalyModel == null) {
            return null;
        }
        OnnxScorer opened = null;
        try {
            opened = OnnxScorer.load(anomalyModel, context.getOptions(), context.getUserCodeClassLoader());
            List<String> declared = opened.metadata().featureNames();
            if (!declared.equals(FraudFeatures.NAMES)) {
                throw new IllegalArgumentException("it declares " + declared.size() + " features that differ from the"
                        + " pipeline's " + FraudFeatures.SIZE);
            }
            return opened;
        } catch (Exception e) {
            if (opened != null) {
                try {
                    opened.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            LOG.error("Anomaly model {} unavailable, the classifier decides alone: {}", anomalyModel.label(),
                    e.toString());
            return null;
        }
    }

    @Override
    public void extractFeatures(FraudSnapshot record, float[] row) {
        System.arraycopy(record.features(), 0, row, 0, FraudFeatures.SIZE);
    }

    @Override
    public void processBatch(
            List<FraudSnapshot> batch, ScoreBatch scores, ModelRef model, BatchCollector<DecidedTransaction> out) {
        int n = batch.size();
        ScoreBatch anomalies = scoreAnomalies(batch, n);
        String anomalyVersion = anomalies == null ? BatchFunction.NONE : anomalyModel.version();
        String classifierName = model == null ? modelName : model.name();
        String classifierVersion = scores == null || model == null ? BatchFunction.NONE : model.version();
        Instant scoredAt = Instant.ofEpochMilli(System.currentTimeMillis());
        for (int i = 0; i < n; i++) {
            FraudSnapshot s = batch.get(i);
            Double score = scores == null || model == null ? null : finiteOrNull(scores.score(i));
            Double anomaly = anomalies == null ? null : finiteOrNull(anomalies.score(i));
            if (score == null) {
                unscored.inc();
            }
            if (anomaly == null) {
                anomalyUnscored.inc();
            }
            FraudDecisionPolicy.Outcome outcome = policy.decide(score, anomaly);
            count(outcome.decision());
            TransactionEvent tx = s.transaction();
            FraudDecision decision = FraudDecision.newBuilder()
                    .setTransactionId(tx.transactionId())
                    .setAccountId(tx.accountId())
                    .setCardId(tx.cardId())
                    .setEventTime(Instant.ofEpochMilli(tx.eventTimeMillis()))
                    .setDecision(outcome.decision())
                    .setScore(score)
                    .setAnomalyScore(anomaly)
                    .setReviewThreshold(policy.reviewThreshold())
                    .setDeclineThreshold(policy.declineThreshold())
                    .setAnomalyThreshold(policy.anomalyThreshold())
                    .setModelName(classifierName)
                    .setModelVersion(score == null ? BatchFunction.NONE : classifierVersion)
                    .setAnomalyModelName(anomalyModelName)
                    .setAnomalyModelVersion(anomaly == null ? BatchFunction.NONE : anomalyVersion)
                    .setReasons(reasons(s, outcome, score == null ? null : scores, i, anomalies))
                    .setIngestTime(Instant.ofEpochMilli(Math.max(0L, tx.ingestTimeMillis())))
                    .setScoredAt(scoredAt)
                    .build();
            out.collect(i, new DecidedTransaction(decision, s.features(), s.late()));
        }
    }

    private ScoreBatch scoreAnomalies(List<FraudSnapshot> batch, int n) {
        if (anomalyScorer == null) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            anomalyRows[i] = batch.get(i).features();
        }
        try {
            long start = System.nanoTime();
            ScoreBatch scores = anomalyScorer.score(anomalyRows, n);
            InferenceMetrics.recordSince(anomalyLatency, start);
            return scores;
        } catch (Exception e) {
            anomalyFailedBatches.inc();
            LOG.warn("Anomaly scoring of a batch of {} failed, the classifier decides alone: {}", n, e.toString());
            return null;
        } finally {
            java.util.Arrays.fill(anomalyRows, 0, n, null); // hold no snapshot past the batch
        }
    }

    private List<Reason> reasons(
            FraudSnapshot s, FraudDecisionPolicy.Outcome outcome, ScoreBatch scores, int row, ScoreBatch anomalies) {
        boolean anomalyReasons = anomalies != null && anomalies.hasContributions()
                && (outcome.anomalyDecided() || scores == null);
        if (anomalyReasons) {
            return FraudReasons.top(FraudFeatures.NAMES, s.features(), anomalies.contributions(row), maxReasons);
        }
        if (scores != null && scores.hasContributions()) {
            return FraudReasons.top(FraudFeatures.NAMES, s.features(), scores.contributions(row), maxReasons);
        }
        return FraudReasons.top(FraudFeatures.NAMES, s.features(), null, maxReasons);
    }

    private void count(Decision decision) {
        switch (decision) {
            case APPROVE -> approved.inc();
            case DECLINE -> declined.inc();
            default -> reviewed.inc();
        }
    }

    private static Double finiteOrNull(float value) {
        return Float.isFinite(value) ? (double) value : null;
    }

    @Override
    public void close() throws Exception {
        if (anomalyScorer != null) {
            anomalyScorer.close();
            anomalyScorer = null;
        }
    }
}
