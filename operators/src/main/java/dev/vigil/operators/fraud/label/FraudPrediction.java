package dev.vigil.operators.fraud.label;

import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.fraud.Decision;
import java.util.Objects;

/**
 * One decided transaction as the fraud label join keeps it: the {@link Prediction} it becomes a training example of
 * (entity = account, event time = transaction time, the classifier's score and version, the features as scored, the
 * fairness group), the transaction id the labels name, and the decision (a declined transaction never matures into a
 * negative). A Java record, so a Flink POJO (the prediction travels Avro-serialized).
 *
 * <p>{@code toString()} leaves out identifiers and values.
 *
 * @param transactionId the join key
 * @param prediction the prediction
 * @param decision the pipeline's decision on the transaction
 */
public record FraudPrediction(String transactionId, Prediction prediction, Decision decision) {

    public FraudPrediction {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(decision, "decision");
    }

    /** Event time of the transaction, epoch ms. */
    public long transactionTimeMillis() {
        return prediction.getEventTime().toEpochMilli();
    }

    public boolean declined() {
        return decision == Decision.DECLINE;
    }

    @Override
    public String toString() {
        return "FraudPrediction[decision=" + decision + ", modelVersion=" + prediction.getModelVersion()
                + ", eventTime=" + prediction.getEventTime() + "]";
    }
}
