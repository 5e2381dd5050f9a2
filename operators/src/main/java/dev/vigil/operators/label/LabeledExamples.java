package dev.vigil.operators.label;

import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import java.time.Instant;
import java.util.Objects;

/** Builds {@link LabeledExample} records from a prediction and its label (plain Java, no Flink). */
public final class LabeledExamples {

    private LabeledExamples() {}

    /**
     * The example of {@code prediction} with its label.
     *
     * @param predictionId the id the label referred to, or null (horizon labels)
     * @param labelTime event time the label became true, epoch ms
     * @param recordedAt when the label's record was documented, epoch ms, or {@link Resolutions#NOT_RECORDED}
     * @param horizonMillis the horizon the label was decided over, or null (labels by prediction id)
     */
    public static LabeledExample of(
            Prediction prediction,
            String predictionId,
            LabelSource source,
            double label,
            long labelTime,
            String evidence,
            long recordedAt,
            Long horizonMillis) {
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(source, "source");
        long predictionTime = prediction.getEventTime().toEpochMilli();
        return new LabeledExample(
                prediction.getPipeline(),
                prediction.getEntityId(),
                predictionId,
                prediction.getEventTime(),
                prediction.getFeatures(),
                prediction.getScore(),
                prediction.getBaselineScore(),
                prediction.getModelName(),
                prediction.getModelVersion(),
                prediction.getGroup(),
                label,
                source,
                evidence == null ? "" : evidence,
                Instant.ofEpochMilli(labelTime),
                labelTime - predictionTime,
                recordedAt == Resolutions.NOT_RECORDED ? null : Instant.ofEpochMilli(recordedAt),
                horizonMillis);
    }
}
