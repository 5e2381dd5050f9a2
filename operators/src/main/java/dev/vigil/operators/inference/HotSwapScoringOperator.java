package dev.vigil.operators.inference;

import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.schema.common.ModelUpdate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperatorFactory;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamElement;
import org.apache.flink.streaming.runtime.streamrecord.StreamElementSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores records in micro-batches with a model that is replaced, without a restart, when a new version is announced
 * on the model-control stream. Input 1: the records. Input 2: {@link ModelUpdate}s from {@code vigil.models.control},
 * broadcast to every instance.
 *
 * <pre>{@code
 * Configuration options = new Configuration();           // InferenceOptions and HotSwapOptions
 * DataStream<ScoredSnapshot> scored = snapshots
 *         .connect(modelUpdates.broadcast())
 *         .transform("score", TypeInformation.of(ScoredSnapshot.class),
 *                 HotSwapScoringOperator.<PatientSnapshot, ScoredSnapshot>builder()
 *                         .modelName("icu-deterioration")
 *                         .featureNames(IcuFeatures.NAMES)
 *                         .function(new IcuHotSwapScoring())
 *                         .bootstrapModel(bundledModelRef)  // optional
 *                         .options(options)
 *                         .build())
 *         .uid("icu-score");
 * }</pre>
 *
 * <p><b>Batching</b> follows {@link MicroBatchOperator}: a batch is scored when it holds {@link
 * InferenceOptions#BATCH_MAX_SIZE} records, when {@link InferenceOptions#BATCH_MAX_WAIT} has passed since its first
 * record, before a watermark is forwarded, before a checkpoint barrier ({@link #prepareSnapshotPreBarrier}) and at end
 * of input. Results keep the timestamps of their records and the order the function emits them in. Only the records'
 * watermarks count: the control stream's event time (and idleness) is ignored, so a quiet control topic never holds
 * event time back.
 *
 * <p><b>Swapping.</b> An announced version of this model that is newer than the active one ({@link
 * ModelVersionOrder}; older and equal versions are ignored and counted) is read, checked against its sha-256, opened
 * with ONNX Runtime and checked to declare exactly the expected feature names. With {@link HotSwapOptions#ASYNC_LOAD}
 * (the default) this happens on a background thread while records keep being scored with the active version; the
 * finished session is handed to the task thread through the mailbox, which scores the batch in progress with the old
 * version and only then swaps, so a batch is always scored by one version and no record is dropped, duplicated or
 * reordered. Otherwise the version is loaded on the task thread when its announcement arrives, right after the batch
 * in progress is scored. If any check fails the active version stays, {@code modelSwapFailures} is incremented and a
 * WARN line names the version and the reason (never record contents). The old session is closed after the swap.
 *
 * <p><b>Before any model.</b> The bootstrap model given to the builder is loaded in {@link #open()} and serves until
 * the first announced version replaces it (it counts as older than all of them). Without one, or if it fails, {@link
 * HotSwapOptions#NO_MODEL_POLICY} decides: pass records on with {@code null} scores (the function falls back, e.g. to
 * NEWS2) or hold them in state until a model is active. The function also gets {@code null} scores for a batch whose
 * model call fails (counted in {@code failedBatches}).
 *
 * <p><b>State.</b> The active version and the versions still loading are kept in union list state; on restore the
 * newest active version of all instances is loaded in {@link #open()}, before any record or announcement, and the
 * versions that were loading are loaded again. Records buffered for a batch are never in state (the buffer is empty at
 * every barrier); records held under {@link NoModelPolicy#HOLD} are.
 *
 * <p>Metrics on the operator's group: {@code modelVersion} and {@code activeProvider} (gauges, {@value
 * BatchFunction#NONE} when no model is usable) with their numeric twins {@code modelVersionNumber} and {@code
 * executionProviderCuda} ({@link InferenceMetrics}), {@code modelSwaps}, {@code modelSwapFailures}, {@code
 * modelUpdatesIgnored}, {@code batches}, {@code failedBatches}, {@code unscoredRecords} (counters), {@code batchSize}
 * and {@code inferenceLatencyMs} (histograms; the latter times each successful model call), {@code bufferedRecords}
 * and {@code heldRecords} (gauges).
 *
 * @param <IN> input record type
 * @param <OUT> result type
 */
public final class HotSwapScoringOperator<IN, OUT> extends AbstractStreamOperator<OUT>
        implements TwoInputStreamOperator<IN, ModelUpdate, OUT>, BoundedMultiInput {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(HotSwapScoringOperator.class);

    /** Name of the union list state with the active and loading model versions. */
    public static final String MODEL_STATE_NAME = "vigil-hot-swap-models";
    /** Name of the list state with records held under {@link NoModelPolicy#HOLD}. */
    public static final String HELD_STATE_NAME = "vigil-hot-swap-held-records";

    /** WARN line of a version that could not be used; placeholders: the version, the version kept, the reason. */
    public static final String SWAP_FAILURE_FORMAT = "Model {} refused, keeping {}: {}";

    /** Index of the control input in the watermark combination (input 2). */
    private static final int CONTROL_INPUT = 1;
    private static final long LOADER_SHUTDOWN_MILLIS = 5_000;

    private final Spec<IN, OUT> spec;
    private final transient MailboxExecutor mailbox;

    private transient HotSwapModel model;
    private transient ArrayList<IN> buffer;
    private transient List<IN> bufferView;
    private transient float[][] rows;
    private transient BatchEmitter<OUT> emitter;
    /** First moment the current batch is due; meaningful while the buffer is not empty. */
    private transient long batchDeadline;
    private transient ScheduledFuture<?> timer;
    private transient TypeSerializer<IN> inputCopier;

    /** Records waiting for a first model ({@link NoModelPolicy#HOLD}), and the last watermark behind them. */
    private transient ArrayDeque<StreamRecord<IN>> held;
    private transient Watermark heldWatermark;

    private transient ListState<byte[]> modelState;
    private transient ListState<StreamElement> heldState;
    private transient List<HotSwapState.Entry> restoredModels;

    /** Versions announced and being loaded, oldest first (task thread only). */
    private transient TreeMap<String, ModelRef> loading;
    private transient ExecutorService loader;
    /** Guards {@link #loaded} and {@link #loaderClosed}, the hand-off from the loader thread. */
    private transient Object handoff;
    private transient List<LoadOutcome> loaded;
    private transient boolean loaderClosed;

    private transient volatile String versionGauge;
    private transient volatile String providerGauge;
    private transient Counter swaps;
    private transient Counter swapFailures;
    private transient Counter updatesIgnored;
    private transient Counter batches;
    private transient Counter failedBatches;
    private transient Counter unscoredRecords;
    private transient Histogram batchSizes;
    private transient Histogram inferenceLatency;

    private HotSwapScoringOperator(StreamOperatorParameters<OUT> parameters, Spec<IN, OUT> spec) {
        super(parameters);
        this.spec = spec;
        this.mailbox = parameters.getMailboxExecutor();
    }

    /** Starts a builder of the operator's factory. */
    public static <IN, OUT> Builder<IN, OUT> builder() {
        return new Builder<>();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Life cycle and state

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        modelState =
                context.getOperatorStateStore()
                        .getUnionListState(
                                new ListStateDescriptor<>(
                                        MODEL_STATE_NAME, BytePrimitiveArraySerializer.INSTANCE));
        restoredModels = new ArrayList<>();
        if (context.isRestored()) {
            for (byte[] entry : modelState.get()) {
                restoredModels.add(
                        SimpleVersionedSerialization.readVersionAndDeSerialize(HotSwapState.SERIALIZER, entry));
            }
        }
        held = new ArrayDeque<>();
        if (spec.noModelPolicy == NoModelPolicy.HOLD) {
            TypeSerializer<IN> in = getOperatorConfig().getTypeSerializerIn(0, getUserCodeClassloader());
            heldState =
                    context.getOperatorStateStore()
                            .getListState(new ListStateDescriptor<>(HELD_STATE_NAME, new StreamElementSerializer<>(in)));
            for (StreamElement element : heldState.get()) {
                held.add(element.asRecord());
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        // Only the records' event time counts: the control input is idle for the watermark combination, forever.
        combinedWatermark.updateStatus(CONTROL_INPUT, true);

        int maxBatchSize = spec.maxBatchSize;
        buffer = new ArrayList<>(maxBatchSize);
        bufferView = Collections.unmodifiableList(buffer);
        rows = new float[maxBatchSize][spec.featureNames.size()];
        emitter = new BatchEmitter<>(output, maxBatchSize);
        if (getExecutionConfig().isObjectReuseEnabled()) {
            inputCopier = getOperatorConfig().<IN>getTypeSerializerIn(0, getUserCodeClassloader()).duplicate();
        }
        loading = new TreeMap<>(ModelVersionOrder.OLDEST_FIRST);
        handoff = new Object();
        loaded = new ArrayList<>();
        versionGauge = BatchFunction.NONE;
        providerGauge = BatchFunction.NONE;

        MetricGroup metrics = getMetricGroup();
        swaps = metrics.counter("modelSwaps");
        swapFailures = metrics.counter("modelSwapFailures");
        updatesIgnored = metrics.counter("modelUpdatesIgnored");
        batches = metrics.counter("batches");
        failedBatches = metrics.counter("failedBatches");
        unscoredRecords = metrics.counter("unscoredRecords");
        batchSizes =
                metrics.histogram(
                        "batchSize", new DescriptiveStatisticsHistogram(MicroBatchOperator.BATCH_SIZE_WINDOW));
        metrics.gauge("bufferedRecords", (Gauge<Integer>) () -> buffer.size());
        metrics.gauge("heldRecords", (Gauge<Integer>) () -> held.size());
        InferenceMetrics.registerModelGauges(metrics, () -> versionGauge, () -> providerGauge);
        inferenceLatency = InferenceMetrics.registerLatency(metrics);

        model =
                new HotSwapModel(
                        spec.modelName, spec.featureNames, spec.loader, spec.options, getUserCodeClassloader());
        spec.function.open(new BatchEmitter.OperatorContext(this, spec.options, spec.maxBatchSize));
        activateInitialModel();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<byte[]> entries = new ArrayList<>(1 + loading.size());
        if (model.activeRef() != null && !model.isBootstrapActive()) {
            entries.add(HotSwapState.serialize(new HotSwapState.Entry(model.activeRef(), true)));
        }
        for (ModelRef ref : loading.values()) {
            entries.add(HotSwapState.serialize(new HotSwapState.Entry(ref, false)));
        }
        modelState.update(entries);
        if (heldState != null) {
            heldState.update(new ArrayList<>(held));
        }
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput(int inputId) throws Exception {
        if (inputId == 1) {
            endOfRecords();
        }
    }

    @Override
    public void finish() throws Exception {
        endOfRecords();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        cancelTimer();
        try {
            stopLoader();
            if (model != null) {
                model.close();
            }
            versionGauge = BatchFunction.NONE;
            providerGauge = BatchFunction.NONE;
        } finally {
            try {
                spec.function.close();
            } finally {
                super.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Input 1: records

    @Override
    public void processElement1(StreamRecord<IN> element) throws Exception {
        IN value = inputCopier == null ? element.getValue() : inputCopier.copy(element.getValue());
        if (!held.isEmpty() || model.active() == null) {
            if (model.active() != null) {
                releaseHeld(); // held before a restore that brought a model back
            } else if (spec.noModelPolicy == NoModelPolicy.HOLD) {
                hold(value, element);
                return;
            }
        }
        int slot = append(value, element.hasTimestamp(), element.getTimestamp());
        if (buffer.size() >= spec.maxBatchSize) {
            flush();
        } else if (slot == 0) {
            batchDeadline = getProcessingTimeService().getCurrentProcessingTime() + spec.maxWaitMillis;
            timer = getProcessingTimeService().registerTimer(batchDeadline, this::onBatchDeadline);
        }
    }

    /** Called with the records' watermark (the control input takes no part). */
    @Override
    public void processWatermark(Watermark mark) throws Exception {
        if (!held.isEmpty()) {
            heldWatermark = mark; // must not overtake the held records
            if (model.active() != null) {
                releaseHeld(); // scores them, then forwards the watermark
            }
            return;
        }
        flush();
        super.processWatermark(mark);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Input 2: model updates

    @Override
    public void processElement2(StreamRecord<ModelUpdate> element) throws Exception {
        ModelRef ref;
        try {
            ref = ModelRef.of(element.getValue());
        } catch (RuntimeException e) {
            swapFailures.inc();
            LOG.warn("Model update refused, keeping {}: {}", activeLabel(), e.getMessage());
            return;
        }
        switch (model.judge(ref, loading.isEmpty() ? null : loading.lastKey())) {
            case OTHER_MODEL:
                LOG.debug("Model update {} is not for {}", ref.label(), spec.modelName);
                return;
            case STALE:
                updatesIgnored.inc();
                LOG.info(
                        "Model update {} ignored: not newer than the active {} or the loading {}",
                        ref.label(),
                        activeLabel(),
                        loading.keySet());
                return;
            case LOAD:
            default:
                break;
        }
        request(ref);
    }

    @Override
    public void processWatermark2(Watermark mark) {
        // The control stream's event time says nothing about the records'.
    }

    @Override
    protected void processWatermarkStatus(WatermarkStatus status, int inputIndex) throws Exception {
        if (inputIndex != CONTROL_INPUT) {
            super.processWatermarkStatus(status, inputIndex);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Accessors (tests and gauges)

    /** The function this operator runs. */
    public HotSwapScoringFunction<IN, OUT> getFunction() {
        return spec.function;
    }

    /** The active version, or {@code null} when no model is usable. */
    public ModelRef activeModel() {
        return model == null ? null : model.activeRef();
    }

    /** Records waiting in the current batch. */
    public int bufferedRecords() {
        return buffer == null ? 0 : buffer.size();
    }

    /** Records held for a first model. */
    public int heldRecords() {
        return held == null ? 0 : held.size();
    }

    /** Versions announced and not yet loaded (or failed). */
    public int loadingModels() {
        return loading == null ? 0 : loading.size();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Models

    private void activateInitialModel() throws Exception {
        // Newest restored active version first; the instances of a job normally agree on it.
        Map<String, ModelRef> active = new LinkedHashMap<>();
        Map<String, ModelRef> pending = new LinkedHashMap<>();
        restoredModels.sort(Comparator.comparing((HotSwapState.Entry e) -> e.ref().version(),
                ModelVersionOrder.OLDEST_FIRST).reversed());
        for (HotSwapState.Entry entry : restoredModels) {
            if (entry.ref().name().equals(spec.modelName)) {
                (entry.active() ? active : pending).putIfAbsent(entry.ref().version(), entry.ref());
            }
        }
        for (ModelRef ref : active.values()) {
            LoadOutcome outcome = loadNow(ref);
            if (outcome.scorer != null) {
                activate(outcome.scorer, false);
                LOG.info("Restored model {} on {}", ref.label(), outcome.scorer.activeProvider());
                break;
            }
            failed(outcome);
        }
        if (model.active() == null && spec.bootstrap != null) {
            LoadOutcome outcome = loadNow(spec.bootstrap);
            if (outcome.scorer != null) {
                activate(outcome.scorer, true);
                LOG.info("Scoring with bootstrap model {} on {}", spec.bootstrap.label(),
                        outcome.scorer.activeProvider());
            } else {
                failed(outcome);
            }
        }
        if (model.active() == null) {
            LOG.info("No model of {} is usable yet; records are {} until one arrives", spec.modelName,
                    spec.noModelPolicy == NoModelPolicy.HOLD ? "held" : "passed on unscored");
        }
        List<ModelRef> resume = new ArrayList<>(pending.values());
        Collections.reverse(resume); // oldest first
        for (ModelRef ref : resume) {
            if (model.judge(ref, loading.isEmpty() ? null : loading.lastKey()) == HotSwapModel.Verdict.LOAD) {
                request(ref);
            }
        }
        restoredModels = null;
    }

    /** Loads {@code ref}: in the background, or now after scoring the batch in progress. */
    private void request(ModelRef ref) throws Exception {
        if (!spec.asyncLoad) {
            flush();
            apply(List.of(loadNow(ref)));
            return;
        }
        loading.put(ref.version(), ref);
        if (loader == null) {
            ClassLoader userCode = getUserCodeClassloader();
            String threadName = "vigil-model-loader-" + spec.modelName + "-"
                    + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            loader = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, threadName);
                thread.setDaemon(true);
                thread.setContextClassLoader(userCode);
                return thread;
            });
        }
        LOG.info("Loading model {} in the background; {} keeps scoring", ref.label(), activeLabel());
        loader.execute(() -> loadInBackground(ref));
    }

    /** On the loader thread. */
    private void loadInBackground(ModelRef ref) {
        LoadOutcome outcome = loadNow(ref);
        synchronized (handoff) {
            if (loaderClosed) {
                HotSwapModel.closeQuietly(outcome.scorer);
                return;
            }
            loaded.add(outcome);
        }
        try {
            mailbox.execute(this::applyLoaded, "apply model %s", ref.label());
        } catch (RejectedExecutionException e) {
            // The task is shutting down; close() releases the session.
            LOG.debug("Model {} loaded while the task shuts down", ref.label());
        }
    }

    /** In the mailbox, on the task thread. */
    private void applyLoaded() throws Exception {
        List<LoadOutcome> outcomes;
        synchronized (handoff) {
            if (loaderClosed || loaded.isEmpty()) {
                return;
            }
            outcomes = new ArrayList<>(loaded);
            loaded.clear();
        }
        apply(outcomes);
    }

    /** Installs the newest successful outcome if it is newer than the active model; counts the failures. */
    private void apply(List<LoadOutcome> outcomes) throws Exception {
        LoadOutcome best = null;
        for (LoadOutcome outcome : outcomes) {
            loading.remove(outcome.ref.version());
            if (outcome.scorer == null) {
                failed(outcome);
            } else if (best == null || ModelVersionOrder.isNewer(outcome.ref.version(), best.ref.version())) {
                if (best != null) {
                    HotSwapModel.closeQuietly(best.scorer);
                }
                best = outcome;
            } else {
                HotSwapModel.closeQuietly(outcome.scorer);
            }
        }
        if (best == null) {
            return;
        }
        if (!model.isNewerThanActive(best.ref)) {
            LOG.info("Model {} loaded but {} is newer; discarded", best.ref.label(), activeLabel());
            HotSwapModel.closeQuietly(best.scorer);
            return;
        }
        String previous = activeLabel();
        try {
            flush(); // the batch in progress is scored by the version it started with
        } catch (Exception e) {
            HotSwapModel.closeQuietly(best.scorer);
            throw e;
        }
        activate(best.scorer, false);
        swaps.inc();
        LOG.info("Swapped model {} -> {} on {}", previous, best.ref.label(), best.scorer.activeProvider());
        if (!held.isEmpty()) {
            releaseHeld();
        }
    }

    private void activate(OnnxScorer scorer, boolean bootstrap) {
        model.activate(scorer, bootstrap);
        versionGauge = scorer.modelRef().version();
        providerGauge = scorer.activeProvider().name();
    }

    private LoadOutcome loadNow(ModelRef ref) {
        try {
            return new LoadOutcome(ref, model.load(ref), null);
        } catch (Exception e) {
            return new LoadOutcome(ref, null, e);
        }
    }

    private void failed(LoadOutcome outcome) {
        swapFailures.inc();
        LOG.warn(SWAP_FAILURE_FORMAT, outcome.ref.label(), activeLabel(), outcome.failure.toString());
    }

    private String activeLabel() {
        ModelRef active = model.activeRef();
        return active == null ? "no model" : active.label();
    }

    private void stopLoader() {
        if (handoff == null) {
            return;
        }
        List<LoadOutcome> unused;
        synchronized (handoff) {
            loaderClosed = true;
            unused = new ArrayList<>(loaded);
            loaded.clear();
        }
        for (LoadOutcome outcome : unused) {
            HotSwapModel.closeQuietly(outcome.scorer);
        }
        if (loader != null) {
            loader.shutdownNow();
            try {
                // A session being created cannot be interrupted; the loader closes it itself once done.
                loader.awaitTermination(LOADER_SHUTDOWN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The result of loading one version: a scorer, or why there is none. */
    private static final class LoadOutcome {
        final ModelRef ref;
        final OnnxScorer scorer;
        final Exception failure;

        LoadOutcome(ModelRef ref, OnnxScorer scorer, Exception failure) {
            this.ref = ref;
            this.scorer = scorer;
            this.failure = failure;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Batching

    private int append(IN value, boolean timestamped, long timestamp) {
        int slot = buffer.size();
        buffer.add(value);
        emitter.setTimestamp(slot, timestamped, timestamp);
        return slot;
    }

    private void hold(IN value, StreamRecord<IN> element) throws Exception {
        if (held.size() >= spec.holdMaxRecords) {
            LOG.warn("{} records held for a first model of {}: they leave unscored", held.size(), spec.modelName);
            releaseHeld();
        }
        held.add(element.hasTimestamp() ? new StreamRecord<>(value, element.getTimestamp()) : new StreamRecord<>(value));
    }

    /** Scores (or, with no model, passes on) the held records in arrival order, then the watermark behind them. */
    private void releaseHeld() throws Exception {
        flush();
        StreamRecord<IN> record;
        while ((record = held.poll()) != null) {
            append(record.getValue(), record.hasTimestamp(), record.getTimestamp());
            if (buffer.size() >= spec.maxBatchSize) {
                flush();
            }
        }
        flush();
        if (heldWatermark != null) {
            Watermark mark = heldWatermark;
            heldWatermark = null;
            super.processWatermark(mark);
        }
    }

    private void endOfRecords() throws Exception {
        flush();
        if (!held.isEmpty()) {
            releaseHeld();
        }
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
        int n = buffer.size();
        if (n == 0) {
            return;
        }
        OnnxScorer scorer = model.active();
        ScoreBatch scores = null;
        if (scorer != null) {
            for (int i = 0; i < n; i++) {
                spec.function.extractFeatures(buffer.get(i), rows[i]);
            }
            try {
                long start = System.nanoTime();
                scores = scorer.score(rows, n);
                InferenceMetrics.recordSince(inferenceLatency, start);
            } catch (Exception e) {
                failedBatches.inc();
                LOG.warn("Scoring a batch of {} records with model {} failed; it leaves unscored: {}", n,
                        scorer.modelRef().label(), e.toString());
            }
        }
        if (scores == null) {
            unscoredRecords.inc(n);
        }
        emitter.startBatch(n);
        try {
            spec.function.processBatch(bufferView, scores, scores == null ? null : scorer, emitter);
        } finally {
            emitter.endBatch();
            buffer.clear();
        }
        batches.inc();
        batchSizes.update(n);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Construction

    /** Everything an operator instance is built from; validated by the {@link Builder}. */
    private static final class Spec<IN, OUT> implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        final String modelName;
        final List<String> featureNames;
        final HotSwapScoringFunction<IN, OUT> function;
        final ModelRef bootstrap;
        final ModelLoader loader;
        final Configuration options;
        final int maxBatchSize;
        final long maxWaitMillis;
        final boolean asyncLoad;
        final NoModelPolicy noModelPolicy;
        final int holdMaxRecords;

        Spec(Builder<IN, OUT> b) {
            this.modelName = b.modelName;
            this.featureNames = List.copyOf(b.featureNames);
            this.function = b.function;
            this.bootstrap = b.bootstrap;
            this.loader = b.loader;
            this.options = Configuration.fromMap(b.options.toMap());
            this.maxBatchSize = b.options.get(InferenceOptions.BATCH_MAX_SIZE);
            Duration maxWait = b.options.get(InferenceOptions.BATCH_MAX_WAIT);
            Preconditions.checkArgument(maxBatchSize >= 1, "%s must be at least 1, got %s",
                    InferenceOptions.BATCH_MAX_SIZE.key(), maxBatchSize);
            Preconditions.checkArgument(maxWait.toMillis() >= 1, "%s must be at least 1 ms, got %s",
                    InferenceOptions.BATCH_MAX_WAIT.key(), maxWait);
            this.maxWaitMillis = maxWait.toMillis();
            this.asyncLoad = b.options.get(HotSwapOptions.ASYNC_LOAD);
            this.noModelPolicy = b.options.get(HotSwapOptions.NO_MODEL_POLICY);
            this.holdMaxRecords = b.options.get(HotSwapOptions.HOLD_MAX_RECORDS);
            Preconditions.checkArgument(holdMaxRecords >= 1, "%s must be at least 1, got %s",
                    HotSwapOptions.HOLD_MAX_RECORDS.key(), holdMaxRecords);
        }
    }

    /**
     * Builds the factory of a {@link HotSwapScoringOperator}, for {@code ConnectedStreams#transform}. Required: {@link
     * #modelName}, {@link #featureNames} and {@link #function}; options default to {@link InferenceOptions} and
     * {@link HotSwapOptions} defaults.
     */
    public static final class Builder<IN, OUT> {
        private String modelName;
        private List<String> featureNames;
        private HotSwapScoringFunction<IN, OUT> function;
        private ModelRef bootstrap;
        private ModelLoader loader = ModelLoader.fromUri();
        private ReadableConfig options = new Configuration();

        private Builder() {}

        /** The model served; announcements of other models on the control stream are ignored. */
        public Builder<IN, OUT> modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /** The features the function extracts, in order; every accepted version must declare exactly these. */
        public Builder<IN, OUT> featureNames(List<String> featureNames) {
            this.featureNames = featureNames;
            return this;
        }

        public Builder<IN, OUT> function(HotSwapScoringFunction<IN, OUT> function) {
            this.function = function;
            return this;
        }

        /** The model served until the first announced version replaces it (optional). */
        public Builder<IN, OUT> bootstrapModel(ModelRef bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        /** How model files are read; {@link ModelLoader#fromUri()} by default. */
        public Builder<IN, OUT> modelLoader(ModelLoader loader) {
            this.loader = loader;
            return this;
        }

        /** {@link InferenceOptions} and {@link HotSwapOptions}; the function sees all of them in its context. */
        public Builder<IN, OUT> options(ReadableConfig options) {
            this.options = options;
            return this;
        }

        /**
         * The factory.
         *
         * @throws IllegalArgumentException if a required field is missing or an option is out of range
         */
        public TwoInputStreamOperatorFactory<IN, ModelUpdate, OUT> build() {
            Preconditions.checkArgument(modelName != null && !modelName.isBlank(), "modelName is required");
            Preconditions.checkArgument(featureNames != null && !featureNames.isEmpty(), "featureNames are required");
            Preconditions.checkArgument(function != null, "function is required");
            Preconditions.checkArgument(loader != null, "modelLoader must not be null");
            Preconditions.checkArgument(options != null, "options must not be null");
            Preconditions.checkArgument(bootstrap == null || bootstrap.name().equals(modelName),
                    "bootstrap model %s is not a version of %s", bootstrap == null ? null : bootstrap.label(),
                    modelName);
            return new Factory<>(new Spec<>(this));
        }
    }

    /** Builds one {@link HotSwapScoringOperator} per parallel instance. */
    private static final class Factory<IN, OUT> extends AbstractStreamOperatorFactory<OUT>
            implements TwoInputStreamOperatorFactory<IN, ModelUpdate, OUT> {

        private static final long serialVersionUID = 1L;

        private final Spec<IN, OUT> spec;

        Factory(Spec<IN, OUT> spec) {
            this.spec = spec;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<OUT>> T createStreamOperator(StreamOperatorParameters<OUT> parameters) {
            return (T) new HotSwapScoringOperator<>(parameters, spec);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return HotSwapScoringOperator.class;
        }
    }
}
