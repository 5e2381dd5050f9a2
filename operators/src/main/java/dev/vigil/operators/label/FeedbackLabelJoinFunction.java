package dev.vigil.operators.label;

import dev.vigil.operators.validation.DeadLetters;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import java.time.Duration;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The prediction-id label join: keyed by prediction id ({@link LabelJoin#predictionId(Prediction)} on input 1, {@link
 * FeedbackLabels#predictionId} on input 2), it pairs each prediction with the feedback that names it, whichever
 * arrives first, and emits one {@link LabeledExample} with the feedback's source, label, label time and evidence
 * ({@code horizonMillis} null, {@code predictionId} set).
 *
 * <ul>
 *   <li>The first feedback wins; a later one for the same prediction is dead-lettered as {@link
 *       LabelReasons#DUPLICATE_LABEL} (a revised investigator decision stays visible). A repeated prediction is
 *       ignored and counted.
 *   <li>A key lives for {@link LabelOptions#TTL} of processing time from its first record (rounded up to the minute).
 *       Then a prediction still waiting is dead-lettered as {@link LabelReasons#UNLABELED} and feedback still waiting
 *       as {@link LabelReasons#ORPHAN_LABEL}, both on {@link LabelJoin#DEAD_LETTERS}, and the key is forgotten.
 *       Chargebacks need a TTL of weeks; investigator and agent feedback hours.
 * </ul>
 *
 * <p>State: the waiting prediction (Avro), the waiting feedback (the given type) and a labelled flag, each with a
 * processing-time TTL of twice the join's TTL as a backstop behind the timer.
 *
 * @param <F> the feedback type
 */
public class FeedbackLabelJoinFunction<F> extends KeyedCoProcessFunction<String, Prediction, F, LabeledExample> {

    private static final long serialVersionUID = 1L;

    private final String pipeline;
    private final FeedbackLabels<F> labels;
    private final TypeInformation<F> feedbackType;
    private final long ttlMillis;

    private transient ValueState<Prediction> predictionState;
    private transient ValueState<F> feedbackState;
    private transient ValueState<Boolean> labelledState;
    private transient LabelJoinMetrics metrics;

    /**
     * @param pipeline pipeline name for dead letters of feedback
     * @param labels reads labels out of feedback records
     * @param feedbackType type of the feedback records (state and dead letters)
     * @param ttl see {@link LabelOptions#TTL}; at least 1 min
     */
    public FeedbackLabelJoinFunction(
            String pipeline, FeedbackLabels<F> labels, TypeInformation<F> feedbackType, Duration ttl) {
        if (pipeline == null || pipeline.isBlank()) {
            throw new IllegalArgumentException("pipeline is required");
        }
        this.pipeline = pipeline;
        this.labels = Objects.requireNonNull(labels, "labels");
        this.feedbackType = Objects.requireNonNull(feedbackType, "feedbackType");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("ttl must be at least 1 min: " + ttl);
        }
        this.ttlMillis = ttl.toMillis();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        StateTtlConfig backstop =
                StateTtlConfig.newBuilder(Duration.ofMillis(2 * ttlMillis))
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        .build();
        ValueStateDescriptor<Prediction> prediction =
                new ValueStateDescriptor<>("labels-id-prediction", new AvroTypeInfo<>(Prediction.class));
        prediction.enableTimeToLive(backstop);
        predictionState = getRuntimeContext().getState(prediction);
        ValueStateDescriptor<F> feedback = new ValueStateDescriptor<>("labels-id-feedback", feedbackType);
        feedback.enableTimeToLive(backstop);
        feedbackState = getRuntimeContext().getState(feedback);
        ValueStateDescriptor<Boolean> labelled = new ValueStateDescriptor<>("labels-id-labelled", Types.BOOLEAN);
        labelled.enableTimeToLive(backstop);
        labelledState = getRuntimeContext().getState(labelled);
        metrics = new LabelJoinMetrics(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement1(Prediction prediction, Context ctx, Collector<LabeledExample> out) throws Exception {
        if (labelledState.value() != null || predictionState.value() != null) {
            metrics.duplicatePredictions.inc();
            return;
        }
        F feedback = feedbackState.value();
        if (feedback != null) {
            emit(prediction, feedback, ctx.getCurrentKey(), out);
            feedbackState.clear();
            labelledState.update(Boolean.TRUE);
            return;
        }
        ctx.timerService().registerProcessingTimeTimer(expiryTimer(ctx.timerService().currentProcessingTime()));
        predictionState.update(prediction);
    }

    @Override
    public void processElement2(F feedback, Context ctx, Collector<LabeledExample> out) throws Exception {
        Prediction prediction = predictionState.value();
        if (prediction != null) {
            emit(prediction, feedback, ctx.getCurrentKey(), out);
            predictionState.clear();
            labelledState.update(Boolean.TRUE);
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (labelledState.value() != null || feedbackState.value() != null) {
            metrics.duplicateLabels.inc();
            deadLetter(ctx, feedback, LabelReasons.DUPLICATE_LABEL, "the prediction already has a label", now);
            return;
        }
        ctx.timerService().registerProcessingTimeTimer(expiryTimer(now));
        feedbackState.update(feedback);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LabeledExample> out) throws Exception {
        Prediction prediction = predictionState.value();
        if (prediction != null) {
            metrics.unlabeled.inc();
            ctx.output(
                    LabelJoin.DEAD_LETTERS,
                    DeadLetters.builder(prediction.getPipeline(), LabelJoin.STAGE)
                            .reason(LabelReasons.UNLABELED)
                            .detail(
                                    "no feedback within "
                                            + LabelOptions.TTL.key()
                                            + " ("
                                            + Duration.ofMillis(ttlMillis)
                                            + ")")
                            .original(
                                    DeadLetters.keyBytes(prediction.getEntityId()),
                                    DeadLetters.avroBytes(prediction))
                            .rejectedAt(timestamp)
                            .build());
        }
        F feedback = feedbackState.value();
        if (feedback != null) {
            metrics.orphanLabels.inc();
            deadLetter(
                    ctx,
                    feedback,
                    LabelReasons.ORPHAN_LABEL,
                    "no prediction with this id within "
                            + LabelOptions.TTL.key()
                            + " ("
                            + Duration.ofMillis(ttlMillis)
                            + ")",
                    timestamp);
        }
        predictionState.clear();
        feedbackState.clear();
        labelledState.clear();
    }

    private void emit(Prediction prediction, F feedback, String predictionId, Collector<LabeledExample> out) {
        metrics.joined.inc();
        out.collect(
                metrics.emitted(LabeledExamples.of(
                        prediction,
                        predictionId,
                        labels.source(feedback),
                        labels.label(feedback),
                        labels.labelTime(feedback),
                        labels.evidence(feedback),
                        labels.recordedAt(feedback),
                        null)));
    }

    private void deadLetter(Context ctx, F feedback, String reason, String detail, long now) {
        ctx.output(
                LabelJoin.DEAD_LETTERS,
                DeadLetters.builder(pipeline, LabelJoin.STAGE)
                        .reason(reason)
                        .detail(detail)
                        .original(
                                DeadLetters.keyBytes(ctx.getCurrentKey()),
                                feedback instanceof SpecificRecord
                                        ? DeadLetters.avroBytes((SpecificRecord) feedback)
                                        : null)
                        .rejectedAt(now)
                        .build());
    }

    /** First record + TTL, rounded up to the minute. */
    private long expiryTimer(long now) {
        long due = now + ttlMillis;
        return due + Math.floorMod(-due, OutcomeLabelJoinFunction.EXPIRY_TIMER_RESOLUTION);
    }

    @VisibleForTesting
    LabelJoinMetrics metrics() {
        return metrics;
    }
}
