package dev.vigil.operators.fraud.decision;

import dev.vigil.schema.fraud.FraudDecision;
import java.util.Arrays;
import java.util.Objects;

/**
 * The scorer's output for one transaction: the {@link FraudDecision} written to {@code vigil.fraud.decisions} and the
 * feature vector it was decided on, which the label join needs for training examples. A Java record, so a Flink POJO
 * (the decision travels Avro-serialized, no Kryo).
 *
 * <p>{@code toString()} leaves out identifiers and values.
 *
 * @param decision the decision record
 * @param features the scored features in {@code FraudFeatures.NAMES} order; owned by this object
 * @param late whether the feature stage applied the transaction behind the watermark ({@code FraudSnapshot.late})
 */
public record DecidedTransaction(FraudDecision decision, float[] features, boolean late) {

    public DecidedTransaction {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(features, "features");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DecidedTransaction other
                && late == other.late
                && decision.equals(other.decision)
                && Arrays.equals(features, other.features);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * decision.hashCode() + Arrays.hashCode(features)) + Boolean.hashCode(late);
    }

    @Override
    public String toString() {
        return "DecidedTransaction[decision=" + decision.getDecision() + ", modelVersion=" + decision.getModelVersion()
                + ", anomalyModelVersion=" + decision.getAnomalyModelVersion() + ", late=" + late + "]";
    }
}
