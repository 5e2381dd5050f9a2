package dev.vigil.operators.label;

import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The delayed-label join: predictions wait in keyed state until their label is known, and leave as {@link
 * LabeledExample}s (features, score, model, label, label source and delay) in event time. Two modes:
 *
 * <ul>
 *   <li><b>Horizon</b> ({@link #icuOutcomes}): keyed by entity id, labels come from outcome events within a horizon
 *       after each prediction, and negatives from event-time timers. See {@link OutcomeLabelJoinFunction}.
 *   <li><b>Prediction id</b> ({@link #byPredictionId}): keyed by prediction id, each label names the prediction it
 *       refers to (investigator decisions, agent feedback, chargebacks of one transaction). See {@link
 *       FeedbackLabelJoinFunction}.
 * </ul>
 *
 * <pre>{@code
 * SingleOutputStreamOperator<LabeledExample> examples = predictions
 *         .connect(outcomes)
 *         .keyBy(Prediction::getEntityId, ClinicalOutcome::getPatientId)
 *         .process(LabelJoin.icuOutcomes(config), LabelJoin.outputType())
 *         .uid("icu-label-join");
 * DataStream<DeadLetter> unlabeled = examples.getSideOutput(LabelJoin.DEAD_LETTERS);
 *
 * SingleOutputStreamOperator<LabeledExample> fromFeedback = predictions
 *         .connect(feedback)
 *         .keyBy(LabelJoin::predictionId, labels::predictionId)
 *         .process(LabelJoin.byPredictionId("fraud", labels, feedbackType, config), LabelJoin.outputType());
 * }</pre>
 *
 * Predictions whose label never comes are never dropped silently: after {@link LabelOptions#TTL} they leave on
 * {@link #DEAD_LETTERS} with reason {@link LabelReasons#UNLABELED} and are counted ({@link LabelJoinMetrics}).
 */
public final class LabelJoin {

    /** {@code DeadLetter.stage} of everything the label join dead-letters. */
    public static final String STAGE = "labels";

    /**
     * Side output of both joins: unlabeled predictions ({@link LabelReasons#UNLABELED}), late predictions, orphan and
     * duplicate feedback. A prediction's dead letter holds its entity id as key and its Avro bytes as value, so it
     * can be replayed.
     */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("labels-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private LabelJoin() {}

    /** Type of the joins' output: an {@code AvroTypeInfo}. */
    public static TypeInformation<LabeledExample> outputType() {
        return new AvroTypeInfo<>(LabeledExample.class);
    }

    /** The ICU horizon join configured from {@link LabelOptions}. */
    public static OutcomeLabelJoinFunction icuOutcomes(ReadableConfig config) {
        return new OutcomeLabelJoinFunction(
                LabelOptions.horizon(config),
                LabelOptions.allowedLateness(config),
                LabelOptions.horizonTtl(config),
                LabelOptions.sampleEvery(config),
                config.get(LabelOptions.RELEASE));
    }

    /**
     * The prediction-id join with {@link LabelOptions#TTL}; key predictions with {@link #predictionId(Prediction)} and
     * feedback with {@link FeedbackLabels#predictionId}.
     *
     * @param pipeline pipeline name written to dead letters of feedback (a prediction's dead letter uses its own)
     */
    public static <F> FeedbackLabelJoinFunction<F> byPredictionId(
            String pipeline, FeedbackLabels<F> labels, TypeInformation<F> feedbackType, ReadableConfig config) {
        return new FeedbackLabelJoinFunction<>(pipeline, labels, feedbackType, LabelOptions.ttl(config));
    }

    /**
     * The id of a prediction: a name-based UUID of (pipeline, entity id, event time, model name, model version), so a
     * consumer that shows a prediction (an investigator UI, a chat agent) can name it in its feedback and a replay
     * yields the same id.
     */
    public static String predictionId(Prediction prediction) {
        return predictionId(
                prediction.getPipeline(),
                prediction.getEntityId(),
                prediction.getEventTime().toEpochMilli(),
                prediction.getModelName(),
                prediction.getModelVersion());
    }

    /** {@link #predictionId(Prediction)} from its parts. */
    public static String predictionId(
            String pipeline, String entityId, long eventTimeMillis, String modelName, String modelVersion) {
        Objects.requireNonNull(entityId, "entityId");
        String name =
                "vigil.prediction|"
                        + pipeline
                        + "|"
                        + entityId
                        + "|"
                        + eventTimeMillis
                        + "|"
                        + modelName
                        + "|"
                        + modelVersion;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
