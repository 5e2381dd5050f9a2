package dev.vigil.operators.label;

import dev.vigil.operators.validation.DeadLetters;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.OutcomeType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ICU delayed-label join: keyed by patient id, input 1 is the pipeline's {@link Prediction}s, input 2 the
 * patient's {@link ClinicalOutcome}s. A prediction at event time {@code t} is labelled by the rule of {@link
 * HorizonLabeler} with horizon {@code H} ({@link LabelOptions#HORIZON}, default 12 h):
 *
 * <ul>
 *   <li><b>positive</b> ({@code label 1}) when an ICU_TRANSFER, RAPID_RESPONSE, CARDIAC_ARREST or DEATH of the patient
 *       occurs in {@code (t, t + H]}; label time = the outcome's {@code occurredAt}, evidence = its type, {@code
 *       labelRecordedAt} = its {@code recordedAt}. Emitted as soon as the outcome (or the prediction) arrives, or,
 *       with {@link LabelOptions#RELEASE} {@code = AT_HORIZON}, held in keyed state and emitted by the event-time
 *       timer that would have decided it negative (watermark {@code >= end(t) + L}), so examples leave in
 *       prediction-time order per patient and positives and negatives have the same delay.
 *   <li><b>negative</b> ({@code label 0}) when none occurs: emitted by an event-time timer once the watermark passes
 *       {@code t + H + L}, with {@code L} the allowed lateness ({@link LabelOptions#ALLOWED_LATENESS}); label time
 *       {@code t + H}, evidence {@code HORIZON_ELAPSED}.
 *   <li>a <b>DISCHARGE</b> at {@code d} closes the encounter: a prediction with {@code t < d < t + H} and no adverse
 *       outcome in {@code (t, d]} is negative at {@code d} (evidence {@code DISCHARGE}), emitted once the watermark
 *       passes {@code d + L}. Outcomes of type UNKNOWN are ignored (counted).
 * </ul>
 *
 * <p><b>Lateness.</b> Outcomes may arrive late and out of order ({@code recordedAt} after {@code occurredAt}). An
 * outcome labels every prediction that is still pending, however late it is; a prediction is pending until the
 * watermark passes its deadline, so an outcome that arrives at most {@code L} behind the watermark is always
 * honoured. Outcomes are remembered until the watermark passes {@code occurredAt + L}, so a prediction that arrives
 * after an outcome in its horizon is labelled positive at once. A prediction more than {@code L} behind the watermark
 * is dead-lettered as {@link LabelReasons#PREDICTION_LATE}. The watermark is Flink's (the minimum of both inputs):
 * assign predictions by {@code eventTime} and outcomes by {@code occurredAt}.
 *
 * <p><b>Labels that never come.</b> A prediction still pending {@link LabelOptions#TTL} of processing time after it
 * arrived (no outcome, no discharge, or a stalled watermark) is dead-lettered on {@link LabelJoin#DEAD_LETTERS} with
 * reason {@link LabelReasons#UNLABELED} and its Avro bytes, and counted ({@link LabelJoinMetrics#UNLABELED}).
 * Expiry timers are rounded up to the minute so that one timer serves many predictions.
 *
 * <p><b>State</b> (rescalable keyed state, no Kryo): a {@code ValueState<HorizonState>} (POJO index: pending times,
 * held positives, remembered outcomes and discharges) and a {@code MapState<Long, List<Prediction>>} (Avro) of the pending
 * predictions by event time, so a decision reads and removes only its own entries. Both carry a processing-time TTL
 * of twice {@link LabelOptions#TTL} as a backstop; the expiry timers act first. With {@link LabelOptions#SAMPLE_EVERY}
 * {@code = n} only every n-th prediction of a patient enters the join.
 *
 * <p>Output records carry the timestamp of the input or timer that decided them, never behind the watermark.
 */
public class OutcomeLabelJoinFunction
        extends KeyedCoProcessFunction<String, Prediction, ClinicalOutcome, LabeledExample> {

    private static final long serialVersionUID = 1L;

    /** Evidence of a negative cut short by a discharge. */
    public static final String DISCHARGE = "DISCHARGE";

    /** Granularity of expiry timers, ms. */
    static final long EXPIRY_TIMER_RESOLUTION = 60_000L;

    private final HorizonLabeler labeler;
    private final long ttlMillis;
    private final Long horizonMillis;

    private transient ValueState<HorizonState> indexState;
    private transient MapState<Long, List<Prediction>> pendingState;
    private transient Resolutions resolutions;
    private transient LabelJoinMetrics metrics;

    /**
     * @param horizon see {@link LabelOptions#HORIZON}; positive
     * @param allowedLateness see {@link LabelOptions#ALLOWED_LATENESS}; zero or more
     * @param ttl see {@link LabelOptions#TTL}; longer than {@code horizon + allowedLateness}
     * @param sampleEvery see {@link LabelOptions#SAMPLE_EVERY}; at least 1
     */
    public OutcomeLabelJoinFunction(Duration horizon, Duration allowedLateness, Duration ttl, int sampleEvery) {
        this(horizon, allowedLateness, ttl, sampleEvery, LabelRelease.IMMEDIATE);
    }

    /**
     * @param horizon see {@link LabelOptions#HORIZON}; positive
     * @param allowedLateness see {@link LabelOptions#ALLOWED_LATENESS}; zero or more
     * @param ttl see {@link LabelOptions#TTL}; longer than {@code horizon + allowedLateness}
     * @param sampleEvery see {@link LabelOptions#SAMPLE_EVERY}; at least 1
     * @param release see {@link LabelOptions#RELEASE}
     */
    public OutcomeLabelJoinFunction(
            Duration horizon, Duration allowedLateness, Duration ttl, int sampleEvery, LabelRelease release) {
        this.labeler = new HorizonLabeler(horizon, allowedLateness, sampleEvery, DISCHARGE, release);
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(horizon.plus(allowedLateness)) <= 0) {
            throw new IllegalArgumentException("ttl must be longer than horizon + allowed lateness: " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
        this.horizonMillis = horizon.toMillis();
    }

    public static OutcomeLabelJoinFunction fromConfig(ReadableConfig config) {
        return LabelJoin.icuOutcomes(config);
    }

    /** Type of the index state: a {@code PojoTypeInfo}. */
    public static TypeInformation<HorizonState> indexStateType() {
        return TypeInformation.of(HorizonState.class);
    }

    /** Type of a pending-predictions entry: a list of {@code AvroTypeInfo}. */
    public static TypeInformation<List<Prediction>> pendingStateType() {
        return Types.LIST(new AvroTypeInfo<>(Prediction.class));
    }

    /** Whether an outcome type is an adverse outcome (a positive label). */
    public static boolean isAdverse(OutcomeType type) {
        return type == OutcomeType.ICU_TRANSFER
                || type == OutcomeType.RAPID_RESPONSE
                || type == OutcomeType.CARDIAC_ARREST
                || type == OutcomeType.DEATH;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        StateTtlConfig backstop =
                StateTtlConfig.newBuilder(Duration.ofMillis(2 * ttlMillis))
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        .build();
        ValueStateDescriptor<HorizonState> index = new ValueStateDescriptor<>("labels-horizon-index", indexStateType());
        index.enableTimeToLive(backstop);
        indexState = getRuntimeContext().getState(index);
        MapStateDescriptor<Long, List<Prediction>> pending =
                new MapStateDescriptor<>("labels-horizon-pending", Types.LONG, pendingStateType());
        pending.enableTimeToLive(backstop);
        pendingState = getRuntimeContext().getMapState(pending);
        resolutions = new Resolutions();
        metrics = new LabelJoinMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement1(Prediction prediction, Context ctx, Collector<LabeledExample> out) throws Exception {
        long t = prediction.getEventTime().toEpochMilli();
        long now = ctx.timerService().currentProcessingTime();
        HorizonState state = index();
        switch (labeler.admit(state, t, now, ctx.timerService().currentWatermark(), resolutions)) {
            case SAMPLED_OUT:
                metrics.sampledOut.inc();
                break;
            case LATE:
                metrics.latePredictions.inc();
                deadLetter(
                        ctx,
                        prediction,
                        LabelReasons.PREDICTION_LATE,
                        "prediction is more than the allowed lateness ("
                                + Duration.ofMillis(labeler.allowedLatenessMillis())
                                + ") behind the watermark",
                        now);
                break;
            case POSITIVE:
                emit(prediction, 0, out);
                break;
            case PENDING:
            case HELD:
            default:
                List<Prediction> bucket = pendingState.get(t);
                if (bucket == null) {
                    bucket = new ArrayList<>(1);
                }
                bucket.add(prediction);
                pendingState.put(t, bucket);
                ctx.timerService().registerEventTimeTimer(labeler.deadline(state, t));
                ctx.timerService().registerProcessingTimeTimer(expiryTimer(now));
        }
        store(state);
    }

    @Override
    public void processElement2(ClinicalOutcome outcome, Context ctx, Collector<LabeledExample> out)
            throws Exception {
        OutcomeType type = outcome.getOutcome();
        boolean adverse = isAdverse(type);
        if (!adverse && type != OutcomeType.DISCHARGE) {
            metrics.ignoredLabels.inc();
            return;
        }
        long occurredAt = outcome.getOccurredAt().toEpochMilli();
        long watermark = ctx.timerService().currentWatermark();
        if (labeler.isLate(occurredAt, watermark)) {
            metrics.lateLabels.inc();
        }
        HorizonState state = index();
        long timer =
                adverse
                        ? labeler.onEvent(
                                state,
                                occurredAt,
                                outcome.getRecordedAt() == null
                                        ? Resolutions.NOT_RECORDED
                                        : outcome.getRecordedAt().toEpochMilli(),
                                type.name(),
                                watermark,
                                resolutions)
                        : labeler.onClose(state, occurredAt, watermark, resolutions);
        if (timer != HorizonLabeler.NO_TIMER) {
            ctx.timerService().registerEventTimeTimer(timer);
        }
        drain(ctx, out, ctx.timerService().currentProcessingTime());
        store(state);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabeledExample> out) throws Exception {
        HorizonState state = indexState.value();
        if (state == null) {
            return;
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            labeler.advance(state, timestamp, resolutions);
        } else {
            labeler.expire(state, timestamp - ttlMillis, timestamp, resolutions);
        }
        drain(ctx, out, ctx.timerService().currentProcessingTime());
        store(state);
    }

    /** Emits (or dead-letters) every prediction of every decision in {@link #resolutions} and drops its entry. */
    private void drain(Context ctx, Collector<LabeledExample> out, long now) throws Exception {
        for (int i = 0; i < resolutions.size(); i++) {
            long t = resolutions.predictionTime(i);
            List<Prediction> bucket = pendingState.get(t);
            if (bucket == null) {
                continue; // only after the backstop TTL removed it, which the expiry timers are there to prevent
            }
            pendingState.remove(t);
            for (int j = 0; j < bucket.size(); j++) {
                Prediction p = bucket.get(j);
                if (resolutions.kind(i) == Resolutions.Kind.EXPIRED) {
                    metrics.unlabeled.inc();
                    deadLetter(
                            ctx,
                            p,
                            LabelReasons.UNLABELED,
                            "no label within " + LabelOptions.TTL.key() + " (" + Duration.ofMillis(ttlMillis) + ")",
                            now);
                } else {
                    emit(p, i, out);
                }
            }
        }
    }

    private void emit(Prediction p, int i, Collector<LabeledExample> out) {
        if (resolutions.kind(i) == Resolutions.Kind.POSITIVE) {
            metrics.positive.inc();
        } else {
            metrics.negative.inc();
        }
        out.collect(
                metrics.emitted(LabeledExamples.of(
                        p,
                        null,
                        LabelSource.ICU_OUTCOME,
                        resolutions.label(i),
                        resolutions.labelTime(i),
                        resolutions.evidence(i),
                        resolutions.recordedAt(i),
                        horizonMillis)));
    }

    private HorizonState index() throws Exception {
        HorizonState state = indexState.value();
        return state == null ? new HorizonState() : state;
    }

    private void store(HorizonState state) throws Exception {
        if (labeler.canForget(state)) {
            indexState.clear();
        } else {
            indexState.update(state);
        }
    }

    /** The expiry timer of a prediction that arrived at {@code arrival}: arrival + TTL, rounded up to the minute. */
    private long expiryTimer(long arrival) {
        long due = arrival + ttlMillis;
        return due + Math.floorMod(-due, EXPIRY_TIMER_RESOLUTION);
    }

    private static void deadLetter(Context ctx, Prediction p, String reason, String detail, long now) {
        ctx.output(
                LabelJoin.DEAD_LETTERS,
                DeadLetters.builder(p.getPipeline(), LabelJoin.STAGE)
                        .reason(reason)
                        .detail(detail)
                        .original(DeadLetters.keyBytes(p.getEntityId()), DeadLetters.avroBytes(p))
                        .rejectedAt(now)
                        .build());
    }

    @VisibleForTesting
    LabelJoinMetrics metrics() {
        return metrics;
    }

    @VisibleForTesting
    LabelRelease release() {
        return labeler.release();
    }
}
