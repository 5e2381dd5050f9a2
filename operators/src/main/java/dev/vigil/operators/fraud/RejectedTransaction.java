package dev.vigil.operators.fraud;

import java.util.Objects;

/**
 * A transaction the feature stage did not apply, on {@link FraudFeatureFunction#REJECTED}: the job turns it into a
 * {@code DeadLetter} (pipeline {@code fraud}, stage {@code features}) with the original record's bytes.
 *
 * <p>{@code toString()} leaves out identifiers and values.
 *
 * @param transaction the transaction as received
 * @param reasonCode a stable reason code: {@link FraudFeatureFunction#LATE_BEYOND_LATENESS}, or {@code MISSING_FIELD}
 *     / {@code NOT_FINITE} / {@code OUT_OF_RANGE} from {@code dev.vigil.operators.validation.ReasonCodes} for input
 *     that slipped past validation
 * @param detail human-readable detail without identifiers or values
 * @param rejectedAtMillis processing time of the rejection, epoch ms
 */
public record RejectedTransaction(
        TransactionEvent transaction, String reasonCode, String detail, long rejectedAtMillis) {

    public RejectedTransaction {
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(reasonCode, "reasonCode");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return "RejectedTransaction[reason=" + reasonCode + ", detail=" + detail + "]";
    }
}
