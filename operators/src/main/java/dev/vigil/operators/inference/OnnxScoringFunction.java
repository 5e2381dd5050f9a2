package dev.vigil.operators.inference;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.util.Preconditions;

/**
 * A {@link BatchFunction} that scores each batch with one {@link OnnxScorer} call: features are extracted into
 * reused rows, scored together, and every record is mapped to one result. Serves one fixed model version (hot swapping
 * on a control stream belongs to a two-input operator built around the same {@link OnnxScorer}). Registers the
 * {@link InferenceMetrics#INFERENCE_LATENCY_MS} histogram, timing each batch's model call, on the operator's group.
 *
 * <pre>{@code
 * OnnxScoringFunction<Vitals, Prediction> fn = new OnnxScoringFunction<>(
 *         ref,
 *         (vitals, row) -> features.fill(vitals, row),
 *         (vitals, scores, i, model) -> prediction(vitals, scores.probability(i), model.version()));
 * stream.transform("score", predictionType, MicroBatchOperator.factory(fn, options));
 * }</pre>
 *
 * @param <IN> input record type
 * @param <OUT> result type
 */
public final class OnnxScoringFunction<IN, OUT> implements BatchFunction<IN, OUT> {

    private static final long serialVersionUID = 1L;

    /** Writes a record's features, in the model's feature order, into a row of {@code featureCount} floats. */
    @FunctionalInterface
    public interface FeatureExtractor<IN> extends Serializable {
        /** Must write every one of the {@code row.length} values: rows are reused between records. */
        void extract(IN record, float[] row);
    }

    /** Builds the result of one record from its scores (row {@code row} of {@code scores}). */
    @FunctionalInterface
    public interface ResultMapper<IN, OUT> extends Serializable {
        OUT map(IN record, ScoreBatch scores, int row, ModelRef model);
    }

    private final ModelRef model;
    private final List<String> expectedFeatureNames;
    private final FeatureExtractor<IN> extractor;
    private final ResultMapper<IN, OUT> mapper;

    private transient volatile OnnxScorer scorer;
    private transient float[][] rows;
    private transient Histogram inferenceLatency;

    /** Scores with {@code model}, whatever feature names it declares (only the count is checked). */
    public OnnxScoringFunction(ModelRef model, FeatureExtractor<IN> extractor, ResultMapper<IN, OUT> mapper) {
        this(model, List.of(), extractor, mapper);
    }

    /**
     * Scores with {@code model}, refusing it in {@link #open} unless its {@code vigil.feature.names} equal {@code
     * expectedFeatureNames} (the order the extractor writes).
     */
    public OnnxScoringFunction(
            ModelRef model,
            List<String> expectedFeatureNames,
            FeatureExtractor<IN> extractor,
            ResultMapper<IN, OUT> mapper) {
        this.model = Preconditions.checkNotNull(model, "model");
        this.expectedFeatureNames = List.copyOf(expectedFeatureNames);
        this.extractor = Preconditions.checkNotNull(extractor, "extractor");
        this.mapper = Preconditions.checkNotNull(mapper, "mapper");
    }

    @Override
    public void open(Context context) throws Exception {
        OnnxScorer opened = OnnxScorer.load(model, context.getOptions(), context.getUserCodeClassLoader());
        try {
            if (!expectedFeatureNames.isEmpty()) {
                List<String> declared = opened.metadata().featureNames();
                Preconditions.checkArgument(
                        declared.equals(expectedFeatureNames),
                        "Model %s declares features %s but the scorer extracts %s",
                        model.label(),
                        declared,
                        expectedFeatureNames);
            }
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        rows = new float[context.getMaxBatchSize()][opened.featureCount()];
        inferenceLatency = InferenceMetrics.registerLatency(context.getMetricGroup());
        scorer = opened;
    }

    @Override
    public void processBatch(List<IN> batch, BatchCollector<OUT> out) throws Exception {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            extractor.extract(batch.get(i), rows[i]);
        }
        long start = System.nanoTime();
        ScoreBatch scores = scorer.score(rows, n);
        InferenceMetrics.recordSince(inferenceLatency, start);
        for (int i = 0; i < n; i++) {
            out.collect(i, mapper.map(batch.get(i), scores, i, model));
        }
    }

    @Override
    public void close() throws Exception {
        OnnxScorer current = scorer;
        scorer = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public String modelVersion() {
        OnnxScorer current = scorer;
        return current == null ? NONE : current.modelRef().version();
    }

    @Override
    public String activeProvider() {
        OnnxScorer current = scorer;
        return current == null ? NONE : current.activeProvider().name();
    }

    /** The scorer in use, or {@code null} before {@link #open} and after {@link #close}. */
    public OnnxScorer scorer() {
        return scorer;
    }
}
