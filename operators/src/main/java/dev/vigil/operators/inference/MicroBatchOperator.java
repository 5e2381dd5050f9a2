package dev.vigil.operators.inference;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Preconditions;

/**
 * Buffers records into micro-batches and hands each batch to a {@link BatchFunction}: one model call per batch
 * instead of one per record.
 *
 * <p>A batch is flushed when it holds {@link InferenceOptions#BATCH_MAX_SIZE} records, when {@link
 * InferenceOptions#BATCH_MAX_WAIT} of processing time has passed since its first record, before a watermark is
 * forwarded, in {@link #prepareSnapshotPreBarrier} (before the checkpoint barrier is sent downstream) and at end of
 * input. The buffer is therefore empty at every checkpoint: the operator keeps no state, and nothing is lost or
 * emitted twice on recovery. Each result carries the timestamp of the input record it was computed from; results
 * leave in the order the function collects them, and watermarks never overtake the records before them.
 *
 * <pre>{@code
 * Configuration options = new Configuration();
 * options.set(InferenceOptions.BATCH_MAX_SIZE, 128);
 * DataStream<Prediction> scored =
 *         features.transform("score", TypeInformation.of(Prediction.class),
 *                 MicroBatchOperator.factory(new MyScoringFunction(ref), options));
 * }</pre>
 *
 * <p>Metrics on the operator's group: {@code batchSize} (histogram), {@code batches} (counter), {@code
 * bufferedRecords}, and the {@link InferenceMetrics#registerModelGauges model gauges} {@code modelVersion}, {@code
 * activeProvider}, {@code modelVersionNumber} and {@code executionProviderCuda} (these ask the function). The function
 * times its model call itself ({@link InferenceMetrics#registerLatency}, as {@link OnnxScoringFunction} does): only
 * it knows where the call starts and ends.
 *
 * @param <IN> input record type
 * @param <OUT> output record type
 */
public final class MicroBatchOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements OneInputStreamOperator<IN, OUT> {

    private static final long serialVersionUID = 1L;

    /** Number of recent batches the {@code batchSize} histogram summarizes. */
    static final int BATCH_SIZE_WINDOW = 1024;

    private final BatchFunction<IN, OUT> function;
    private final int maxBatchSize;
    private final long maxWaitMillis;
    private final Configuration options;

    private transient ArrayList<IN> buffer;
    private transient List<IN> bufferView;
    private transient BatchEmitter<OUT> emitter;
    /** First moment the current batch is due; meaningful while the buffer is not empty. */
    private transient long batchDeadline;

    private transient ScheduledFuture<?> timer;
    /** Copies inputs when object reuse is on (upstream may reuse an object once processElement returns). */
    private transient TypeSerializer<IN> inputCopier;

    private transient Counter batches;
    private transient Histogram batchSizes;

    private MicroBatchOperator(
            StreamOperatorParameters<OUT> parameters,
            BatchFunction<IN, OUT> function,
            int maxBatchSize,
            long maxWaitMillis,
            Configuration options) {
        super(parameters);
        this.function = function;
        this.maxBatchSize = maxBatchSize;
        this.maxWaitMillis = maxWaitMillis;
        this.options = options;
    }

    /**
     * A factory for {@code DataStream#transform(String, TypeInformation, OneInputStreamOperatorFactory)}, reading
     * {@link InferenceOptions#BATCH_MAX_SIZE} and {@link InferenceOptions#BATCH_MAX_WAIT} from {@code options}. The
     * function later sees all of {@code options} through {@link BatchFunction.Context#getOptions()}.
     *
     * @throws IllegalArgumentException if max-size is below 1 or max-wait below 1 ms
     */
    public static <IN, OUT> OneInputStreamOperatorFactory<IN, OUT> factory(
            BatchFunction<IN, OUT> function, ReadableConfig options) {
        return new Factory<>(function, options);
    }

    /** {@link #factory(BatchFunction, ReadableConfig)} with default options. */
    public static <IN, OUT> OneInputStreamOperatorFactory<IN, OUT> factory(BatchFunction<IN, OUT> function) {
        return new Factory<>(function, new Configuration());
    }

    @Override
    public void open() throws Exception {
        super.open();
        buffer = new ArrayList<>(maxBatchSize);
        bufferView = Collections.unmodifiableList(buffer);
        emitter = new BatchEmitter<>(output, maxBatchSize);
        if (getExecutionConfig().isObjectReuseEnabled()) {
            inputCopier = getOperatorConfig().<IN>getTypeSerializerIn(0, getUserCodeClassloader()).duplicate();
        }

        MetricGroup metrics = getMetricGroup();
        batches = metrics.counter("batches");
        batchSizes = metrics.histogram("batchSize", new DescriptiveStatisticsHistogram(BATCH_SIZE_WINDOW));
        metrics.gauge("bufferedRecords", (Gauge<Integer>) () -> buffer.size());
        InferenceMetrics.registerModelGauges(metrics, function::modelVersion, function::activeProvider);

        function.open(new BatchEmitter.OperatorContext(this, options, maxBatchSize));
    }

    @Override
    public void processElement(StreamRecord<IN> element) throws Exception {
        int slot = buffer.size();
        IN value = element.getValue();
        buffer.add(inputCopier == null ? value : inputCopier.copy(value));
        emitter.setTimestamp(slot, element.hasTimestamp(), element.getTimestamp());
        if (buffer.size() >= maxBatchSize) {
            flush();
        } else if (slot == 0) {
            batchDeadline = getProcessingTimeService().getCurrentProcessingTime() + maxWaitMillis;
            timer = getProcessingTimeService().registerTimer(batchDeadline, this::onBatchDeadline);
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        cancelTimer();
        try {
            function.close();
        } finally {
            super.close();
        }
    }

    /** The function this operator runs (for tests and gauges). */
    public BatchFunction<IN, OUT> getFunction() {
        return function;
    }

    /** Records waiting in the current batch. */
    public int bufferedRecords() {
        return buffer == null ? 0 : buffer.size();
    }

    private void onBatchDeadline(long time) throws Exception {
        // A timer of an already flushed batch may still fire: only a due, non-empty batch is flushed.
        if (!buffer.isEmpty() && time >= batchDeadline) {
            timer = null;
            flush();
        }
    }

    private void flush() throws Exception {
        cancelTimer();
        int size = buffer.size();
        if (size == 0) {
            return;
        }
        emitter.startBatch(size);
        try {
            function.processBatch(bufferView, emitter);
        } finally {
            emitter.endBatch();
            buffer.clear();
        }
        batches.inc();
        batchSizes.update(size);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Builds one {@link MicroBatchOperator} per parallel instance; validates the options when the job is built. */
    private static final class Factory<IN, OUT> extends AbstractStreamOperatorFactory<OUT>
            implements OneInputStreamOperatorFactory<IN, OUT> {

        private static final long serialVersionUID = 1L;

        private final BatchFunction<IN, OUT> function;
        private final int maxBatchSize;
        private final long maxWaitMillis;
        private final Configuration options;

        Factory(BatchFunction<IN, OUT> function, ReadableConfig options) {
            this.function = Preconditions.checkNotNull(function, "function");
            Preconditions.checkNotNull(options, "options");
            this.maxBatchSize = options.get(InferenceOptions.BATCH_MAX_SIZE);
            Duration maxWait = options.get(InferenceOptions.BATCH_MAX_WAIT);
            Preconditions.checkArgument(
                    maxBatchSize >= 1,
                    "%s must be at least 1, got %s",
                    InferenceOptions.BATCH_MAX_SIZE.key(),
                    maxBatchSize);
            Preconditions.checkArgument(
                    maxWait.toMillis() >= 1,
                    "%s must be at least 1 ms, got %s",
                    InferenceOptions.BATCH_MAX_WAIT.key(),
                    maxWait);
            this.maxWaitMillis = maxWait.toMillis();
            this.options = Configuration.fromMap(options.toMap());
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<OUT>> T createStreamOperator(StreamOperatorParameters<OUT> parameters) {
            return (T) new MicroBatchOperator<>(parameters, function, maxBatchSize, maxWaitMillis, options);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return MicroBatchOperator.class;
        }
    }
}
