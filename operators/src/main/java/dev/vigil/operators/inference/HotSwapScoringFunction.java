package dev.vigil.operators.inference;

import java.io.Serializable;
import java.util.List;

/**
 * The user part of {@link HotSwapScoringOperator}: turns records into feature rows and scored batches into results.
 * The operator owns the models (loading, verifying, swapping); the function gets the scores of each batch and the
 * version that computed them, which it should stamp on every result (and, through the {@link #processBatch(List,
 * ScoreBatch, OnnxScorer, BatchCollector) scorer overload}, the scorer itself for extra model calls).
 *
 * <pre>{@code
 * class IcuScorer implements HotSwapScoringFunction<PatientSnapshot, ScoredSnapshot> {
 *     public void extractFeatures(PatientSnapshot s, float[] row) {
 *         System.arraycopy(s.features, 0, row, 0, row.length);
 *     }
 *     public void processBatch(List<PatientSnapshot> batch, ScoreBatch scores, ModelRef model,
 *             BatchCollector<ScoredSnapshot> out) {
 *         for (int i = 0; i < batch.size(); i++) {
 *             out.collect(i, scores == null
 *                     ? ScoredSnapshot.of(batch.get(i), null, NAME, ScoredSnapshot.NO_MODEL, null)   // NEWS2 fallback
 *                     : ScoredSnapshot.of(batch.get(i), (double) scores.probability(i), model.name(),
 *                             model.version(), scores.contributions(i)));
 *         }
 *     }
 * }
 * }</pre>
 *
 * @param <IN> input record type
 * @param <OUT> result type
 */
public interface HotSwapScoringFunction<IN, OUT> extends Serializable {

    /** Called once per parallel instance before the first batch. */
    default void open(BatchFunction.Context context) throws Exception {}

    /**
     * Writes {@code record}'s features into {@code row}, in the order of the operator's feature names (every model
     * it accepts declares exactly those). Must write all {@code row.length} values: rows are reused. Only called when
     * a model is active.
     */
    void extractFeatures(IN record, float[] row);

    /**
     * Emits the results of one batch of 1 to {@code max-size} records, in arrival order.
     *
     * @param scores row {@code i} holds the scores of {@code batch.get(i)}; {@code null} when no model was usable for
     *     this batch (none active yet, or the model call failed): fall back, or emit nothing
     * @param model the version that computed {@code scores}; {@code null} exactly when {@code scores} is
     * @param out valid only during this call; each result carries the timestamp of the record it names
     */
    void processBatch(List<IN> batch, ScoreBatch scores, ModelRef model, BatchCollector<OUT> out) throws Exception;

    /**
     * What {@link HotSwapScoringOperator} calls: {@link #processBatch(List, ScoreBatch, ModelRef, BatchCollector)}
     * with the active scorer's version. Override it to make further calls on the model that scored the batch, such as
     * Shapley explanations of a few of its rows ({@code dev.vigil.operators.explain.ScoringExplainer}); the operator
     * still owns the scorer: never close it, and use it only during this call or, across calls, only while the
     * operator hands over the same instance (a swap hands over a new one and closes the old one).
     *
     * @param active the scorer that computed {@code scores}; {@code null} exactly when {@code scores} is
     */
    default void processBatch(List<IN> batch, ScoreBatch scores, OnnxScorer active, BatchCollector<OUT> out)
            throws Exception {
        processBatch(batch, scores, active == null ? null : active.modelRef(), out);
    }

    /** Called once when the operator closes (also after a failure). */
    default void close() throws Exception {}

    /** Builds one result per record, for functions that need nothing per batch. */
    @FunctionalInterface
    interface RecordMapper<IN, OUT> extends Serializable {
        /**
         * The result for {@code record}, row {@code row} of {@code scores}; {@code scores} and {@code model} are
         * {@code null} when no model was usable. Returning {@code null} emits nothing.
         */
        OUT map(IN record, ScoreBatch scores, int row, ModelRef model);
    }

    /** A function that extracts features with {@code extractor} and maps each record with {@code mapper}. */
    static <IN, OUT> HotSwapScoringFunction<IN, OUT> perRecord(
            OnnxScoringFunction.FeatureExtractor<IN> extractor, RecordMapper<IN, OUT> mapper) {
        return new PerRecordScoringFunction<>(extractor, mapper);
    }
}
