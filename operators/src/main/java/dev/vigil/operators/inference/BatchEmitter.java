package dev.vigil.operators.inference;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.Output;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * The batching operators' {@link BatchCollector}: keeps the timestamp of each buffered input record and forwards
 * results with the timestamp of the record they were computed from. Results can be collected only between {@link
 * #startBatch} and {@link #endBatch}, i.e. during {@code processBatch}. One instance per operator instance; not
 * thread-safe.
 *
 * @param <OUT> output record type
 */
final class BatchEmitter<OUT> implements BatchCollector<OUT> {

    private final Output<StreamRecord<OUT>> output;
    private final long[] timestamps;
    private final boolean[] hasTimestamp;
    private final StreamRecord<OUT> reuse = new StreamRecord<>(null);
    private int size;

    /**
     * @param output where results go (the operator's output)
     * @param maxBatchSize the largest batch the operator buffers
     */
    BatchEmitter(Output<StreamRecord<OUT>> output, int maxBatchSize) {
        this.output = output;
        this.timestamps = new long[maxBatchSize];
        this.hasTimestamp = new boolean[maxBatchSize];
    }

    /** Remembers the timestamp of the input record buffered at {@code slot}. */
    void setTimestamp(int slot, boolean timestamped, long timestamp) {
        hasTimestamp[slot] = timestamped;
        timestamps[slot] = timestamp;
    }

    /** Accepts results for the first {@code size} slots, until {@link #endBatch()}. */
    void startBatch(int size) {
        this.size = size;
    }

    /** Accepts no more results. */
    void endBatch() {
        this.size = 0;
    }

    @Override
    public void collect(int index, OUT value) {
        output.collect(stamp(reuse, index, value));
    }

    @Override
    public <X> void collect(OutputTag<X> tag, int index, X value) {
        output.collect(tag, stamp(new StreamRecord<>(null), index, value));
    }

    @Override
    public long timestamp(int index) {
        checkIndex(index);
        return hasTimestamp[index] ? timestamps[index] : Long.MIN_VALUE;
    }

    private <T> StreamRecord<T> stamp(StreamRecord<T> record, int index, T value) {
        checkIndex(index);
        if (hasTimestamp[index]) {
            record.replace(value, timestamps[index]);
        } else {
            record.replace(value);
            record.eraseTimestamp();
        }
        return record;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    size == 0
                            ? "results can only be collected during processBatch"
                            : "index " + index + " is outside the batch of " + size + " records");
        }
    }

    /** The {@link BatchFunction.Context} a batching operator gives its function. */
    static final class OperatorContext implements BatchFunction.Context {
        private final AbstractStreamOperator<?> operator;
        private final ReadableConfig options;
        private final int maxBatchSize;

        OperatorContext(AbstractStreamOperator<?> operator, ReadableConfig options, int maxBatchSize) {
            this.operator = operator;
            this.options = options;
            this.maxBatchSize = maxBatchSize;
        }

        @Override
        public ReadableConfig getOptions() {
            return options;
        }

        @Override
        public MetricGroup getMetricGroup() {
            return operator.getMetricGroup();
        }

        @Override
        public ClassLoader getUserCodeClassLoader() {
            return operator.getUserCodeClassloader();
        }

        @Override
        public int getMaxBatchSize() {
            return maxBatchSize;
        }

        @Override
        public int getSubtaskIndex() {
            return operator.getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        }
    }
}
