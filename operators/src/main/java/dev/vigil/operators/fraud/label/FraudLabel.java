package dev.vigil.operators.fraud.label;

import dev.vigil.operators.validation.DeadLetters;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.ChargebackCategory;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.Verdict;
import java.util.Objects;

/**
 * A label candidate for one transaction, read from a {@link Chargeback} or an {@link InvestigatorFeedback}: the fraud
 * label join's second input. A Java record, so a Flink POJO.
 *
 * <p>Only {@link Verdict#FRAUD} and {@link Verdict#LEGIT} are labels. A chargeback is {@link Verdict#FRAUD} when its
 * category is {@link ChargebackCategory#FRAUD}; any other category (authorisation, processing error, consumer dispute)
 * is a dispute about a purchase the cardholder made, neither a fraud label nor a proof of legitimacy: {@link
 * Verdict#UNKNOWN}, counted and ignored by the join, like an investigator verdict the reader does not know.
 *
 * <p>{@code toString()} leaves out identifiers.
 *
 * @param transactionId the labelled transaction: the join key
 * @param accountId the transaction's account (the dead letter's key)
 * @param transactionTimeMillis event time of the labelled transaction
 * @param labelTimeMillis when the label became known: the chargeback's {@code reportedAt}, the verdict's {@code
 *     reviewedAt}; the record's event time
 * @param source {@link LabelSource#CHARGEBACK} or {@link LabelSource#INVESTIGATOR}
 * @param verdict FRAUD, LEGIT, or UNKNOWN for a record that carries no fraud label
 * @param evidence a stable code of what decided the label, e.g. {@code CHARGEBACK_FRAUD}, {@code
 *     INVESTIGATOR_LEGIT_AUDIT}
 * @param original the record's Avro binary, for dead letters
 */
public record FraudLabel(
        String transactionId,
        String accountId,
        long transactionTimeMillis,
        long labelTimeMillis,
        LabelSource source,
        Verdict verdict,
        String evidence,
        byte[] original) {

    public FraudLabel {
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(evidence, "evidence");
    }

    /** The label of a chargeback: FRAUD for category FRAUD, otherwise UNKNOWN (no fraud label). */
    public static FraudLabel of(Chargeback chargeback) {
        ChargebackCategory category = chargeback.getCategory();
        boolean fraud = category == ChargebackCategory.FRAUD;
        return new FraudLabel(
                chargeback.getTransactionId(),
                chargeback.getAccountId(),
                chargeback.getTransactionTime().toEpochMilli(),
                chargeback.getReportedAt().toEpochMilli(),
                LabelSource.CHARGEBACK,
                fraud ? Verdict.FRAUD : Verdict.UNKNOWN,
                "CHARGEBACK_" + (category == null ? "UNKNOWN" : category.name()),
                DeadLetters.avroBytes(chargeback));
    }

    /** The label of an investigator's verdict; the evidence names the verdict and why it was reviewed. */
    public static FraudLabel of(InvestigatorFeedback feedback) {
        Verdict verdict = feedback.getVerdict() == null ? Verdict.UNKNOWN : feedback.getVerdict();
        return new FraudLabel(
                feedback.getTransactionId(),
                feedback.getAccountId(),
                feedback.getTransactionTime().toEpochMilli(),
                feedback.getReviewedAt().toEpochMilli(),
                LabelSource.INVESTIGATOR,
                verdict,
                "INVESTIGATOR_" + verdict.name() + "_"
                        + (feedback.getSource() == null ? "UNKNOWN" : feedback.getSource().name()),
                DeadLetters.avroBytes(feedback));
    }

    /** Whether this record is a fraud label (FRAUD or LEGIT). */
    public boolean isLabel() {
        return verdict == Verdict.FRAUD || verdict == Verdict.LEGIT;
    }

    /** 1.0 for FRAUD, 0.0 for LEGIT; meaningless when {@link #isLabel()} is false. */
    public double label() {
        return verdict == Verdict.FRAUD ? 1.0 : 0.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FraudLabel other
                && transactionTimeMillis == other.transactionTimeMillis
                && labelTimeMillis == other.labelTimeMillis
                && transactionId.equals(other.transactionId)
                && Objects.equals(accountId, other.accountId)
                && source == other.source
                && verdict == other.verdict
                && evidence.equals(other.evidence)
                && java.util.Arrays.equals(original, other.original);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transactionId, transactionTimeMillis, labelTimeMillis, source, verdict, evidence);
    }

    @Override
    public String toString() {
        return "FraudLabel[source=" + source + ", verdict=" + verdict + ", evidence=" + evidence + ", transactionTime="
                + transactionTimeMillis + ", labelTime=" + labelTimeMillis + "]";
    }
}
