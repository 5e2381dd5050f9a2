package dev.vigil.operators.retrain;

import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.RetrainRequest;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.Preconditions;

/**
 * The {@link RetrainTrigger} as a Flink operator, keyed by model name: labelled examples on the first input, drift
 * events on the second, {@link RetrainRequest}s out. A thin shell: the state of each model is one {@link
 * RetrainState} (explicit {@link RetrainStateSerializer}), and an event-time timer at the end of every window with
 * input closes it.
 *
 * <pre>{@code
 * DataStream<RetrainRequest> requests = examples.keyBy(LabeledExample::getModelName)
 *         .connect(driftEvents.keyBy(DriftEvent::getModelName))
 *         .process(new RetrainTriggerFunction(RetrainOptions.settings(config)), RetrainTriggerFunction.outputType())
 *         .uid("retrain-trigger");
 * }</pre>
 *
 * <p><b>Metrics</b> ({@link #REQUESTS} and the others below): counters per subtask.
 */
public class RetrainTriggerFunction
        extends KeyedCoProcessFunction<String, LabeledExample, DriftEvent, RetrainRequest> {

    private static final long serialVersionUID = 1L;

    /** Counter: retrain requests emitted. */
    public static final String REQUESTS = "retrainRequests";
    /** Counter: windows where a reason held during the cooldown (reasons dropped). */
    public static final String SUPPRESSED = "retrainSuppressed";
    /** Counter: windows where a reason held but there were too few labelled examples. */
    public static final String DEFERRED = "retrainDeferred";
    /** Counter: labelled examples dropped because their window had closed. */
    public static final String LATE_EXAMPLES = "retrainLateExamples";

    private final RetrainSettings settings;

    private transient RetrainTrigger trigger;
    private transient ValueState<RetrainState> state;
    private transient Counter requests;
    private transient Counter suppressed;
    private transient Counter deferred;
    private transient Counter late;

    public RetrainTriggerFunction(RetrainSettings settings) {
        this.settings = Preconditions.checkNotNull(settings, "settings");
    }

    /** Descriptor of the per-model state, with its explicit serializer. */
    public static ValueStateDescriptor<RetrainState> stateDescriptor() {
        return new ValueStateDescriptor<>("retrain-trigger-state", RetrainStateSerializer.INSTANCE);
    }

    /** Type of the output: an {@code AvroTypeInfo}. */
    public static TypeInformation<RetrainRequest> outputType() {
        return new AvroTypeInfo<>(RetrainRequest.class);
    }

    @Override
    public void open(OpenContext openContext) {
        trigger = new RetrainTrigger(settings);
        state = getRuntimeContext().getState(stateDescriptor());
        var metrics = getRuntimeContext().getMetricGroup();
        requests = metrics.counter(REQUESTS);
        suppressed = metrics.counter(SUPPRESSED);
        deferred = metrics.counter(DEFERRED);
        late = metrics.counter(LATE_EXAMPLES);
    }

    @Override
    public void processElement1(LabeledExample example, Context ctx, Collector<RetrainRequest> out) throws Exception {
        long end = trigger.windowEnd(example.getLabelTime().toEpochMilli());
        if (end - 1 <= ctx.timerService().currentWatermark()) {
            late.inc();
            return;
        }
        RetrainState s = current();
        end = trigger.addExample(s, example);
        if (end == RetrainState.NEVER) {
            late.inc();
            return;
        }
        state.update(s);
        ctx.timerService().registerEventTimeTimer(end - 1);
    }

    @Override
    public void processElement2(DriftEvent drift, Context ctx, Collector<RetrainRequest> out) throws Exception {
        RetrainState s = current();
        long end = trigger.addDrift(s, drift);
        if (end == RetrainState.NEVER) {
            return;
        }
        state.update(s);
        // A drift already behind the watermark counts in the next window to close; make sure one will.
        long watermark = ctx.timerService().currentWatermark();
        while (end - 1 <= watermark) {
            end += settings.windowMillis();
        }
        ctx.timerService().registerEventTimeTimer(end - 1);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RetrainRequest> out) throws Exception {
        RetrainState s = state.value();
        if (s == null) {
            return;
        }
        RetrainTrigger.Decision decision = trigger.closeWindow(s, ctx.getCurrentKey(), timestamp + 1);
        switch (decision.outcome()) {
            case REQUESTED -> {
                requests.inc();
                out.collect(decision.request());
            }
            case SUPPRESSED -> suppressed.inc();
            case DEFERRED -> deferred.inc();
            default -> { }
        }
        state.update(s);
    }

    private RetrainState current() throws Exception {
        RetrainState s = state.value();
        return s != null ? s : new RetrainState();
    }
}
