package dev.vigil.operators.inference;

import java.io.Serializable;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.MetricGroup;

/**
 * Processes a micro-batch of records at once, typically with one model call; run by {@link MicroBatchOperator}. The
 * function holds its servable (e.g. an {@link OnnxScorer}), builds it in {@link #open} and releases it in {@link
 * #close}; it is serialized with the job graph, so keep servables in {@code transient} fields.
 *
 * <pre>{@code
 * class Scorer implements BatchFunction<Vitals, Prediction> {
 *     private transient OnnxScorer scorer;
 *     public void open(Context ctx) throws Exception {
 *         scorer = OnnxScorer.load(ref, ctx.getOptions(), ctx.getUserCodeClassLoader());
 *     }
 *     public void processBatch(List<Vitals> batch, BatchCollector<Prediction> out) throws Exception {
 *         ... fill rows ...
 *         ScoreBatch scores = scorer.score(rows, batch.size());
 *         for (int i = 0; i < batch.size(); i++) out.collect(i, toPrediction(batch.get(i), scores, i));
 *     }
 *     public void close() throws Exception { if (scorer != null) scorer.close(); }
 * }
 * }</pre>
 *
 * @param <IN> input record type
 * @param <OUT> output record type
 */
public interface BatchFunction<IN, OUT> extends Serializable {

    /** Value of the {@code modelVersion} and {@code activeProvider} gauges when nothing is served. */
    String NONE = "none";

    /** Called once per parallel instance before the first batch. */
    default void open(Context context) throws Exception {}

    /**
     * Processes one batch of 1 to {@code max-size} records in arrival order. Emit results through {@code out}: each
     * result is tied to the input record it belongs to and carries that record's timestamp; results are forwarded in
     * the order they are collected. The list and the collector are valid only during this call.
     */
    void processBatch(List<IN> batch, BatchCollector<OUT> out) throws Exception;

    /** Called once when the operator closes (also after a failure); release servables here. */
    default void close() throws Exception {}

    /**
     * Version of the model currently served, reported by the operator's {@code modelVersion} gauge. Read from the
     * metrics reporter thread: back it with a {@code volatile} field.
     */
    default String modelVersion() {
        return NONE;
    }

    /** Execution provider in use ({@code CPU}, {@code CUDA}), reported by the {@code activeProvider} gauge. */
    default String activeProvider() {
        return NONE;
    }

    /** What a {@link BatchFunction} gets from the operator that runs it. */
    interface Context {

        /** The options the operator was created with (all {@link InferenceOptions}, plus anything else given). */
        ReadableConfig getOptions();

        /** The operator's metric group, for the function's own metrics. */
        MetricGroup getMetricGroup();

        /** Loader of the job's classes and resources (resolves {@code classpath:} model URIs). */
        ClassLoader getUserCodeClassLoader();

        /** The largest batch {@link #processBatch} will receive. */
        int getMaxBatchSize();

        /** Index of this parallel instance. */
        int getSubtaskIndex();
    }
}
