package dev.vigil.operators.fraud;

import java.util.Arrays;
import java.util.Objects;

/**
 * One transaction with its {@link FraudFeatures} vector, emitted by {@link FraudFeatureFunction} for every accepted
 * transaction and scored downstream. A Java record, so a Flink POJO.
 *
 * <p>{@code toString()} leaves out identifiers and values, so a snapshot can appear in logs and assertion messages.
 *
 * @param transaction the transaction
 * @param features the feature vector in {@link FraudFeatures#NAMES} order; owned by this snapshot
 * @param late whether the transaction arrived after the watermark had passed it (within the allowed lateness): its
 *     features are exact, but it is emitted out of event-time order and transactions after it that were already
 *     emitted did not see it
 */
public record FraudSnapshot(TransactionEvent transaction, float[] features, boolean late) {

    public FraudSnapshot {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(features, "features");
    }

    /** The transaction's event time, epoch ms: the time the features describe. */
    public long eventTimeMillis() {
        return transaction.eventTimeMillis();
    }

    /** The feature named {@code name} ({@link FraudFeatures#NAMES}). */
    public float feature(String name) {
        int i = FraudFeatures.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no fraud feature named " + name);
        }
        return features[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FraudSnapshot)) {
            return false;
        }
        FraudSnapshot other = (FraudSnapshot) o;
        return late == other.late
                && transaction.equals(other.transaction)
                && Arrays.equals(features, other.features);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * transaction.hashCode() + Arrays.hashCode(features)) + Boolean.hashCode(late);
    }

    @Override
    public String toString() {
        return "FraudSnapshot[eventTime=" + transaction.eventTimeMillis() + ", features=" + features.length
                + ", late=" + late + "]";
    }
}
