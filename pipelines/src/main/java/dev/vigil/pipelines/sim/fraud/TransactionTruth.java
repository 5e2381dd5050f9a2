package dev.vigil.pipelines.sim.fraud;

import dev.vigil.schema.fraud.ChargebackCategory;

/**
 * What the simulator knows about one transaction and a bank learns only later, if ever: whether it is fraud, from
 * which pattern and episode, and whether and when it would be charged back. Every {@link FraudEvent} carries the truth
 * of the transaction it is about, so evaluation needs no lookup table.
 *
 * <p>The chargeback is what the cardholder would file if the bank approved the transaction; a pipeline that declines
 * it must drop the chargeback event ({@code chargebackAtMillis} tells which would have come).
 *
 * @param transactionId the transaction's id
 * @param accountId the account
 * @param cardId the card used
 * @param eventTimeMillis the transaction's event time, epoch milliseconds
 * @param amountMinor amount in minor units (euro cents)
 * @param fraud whether the transaction is fraudulent
 * @param pattern the fraud pattern, {@link FraudPattern#NONE} for a legitimate transaction
 * @param episodeId the {@link FraudEpisode} the transaction belongs to, or -1; a legitimate transaction with an episode
 *     is the payment at which a compromised merchant captured the card
 * @param chargeback category of the chargeback the transaction gets, or {@code null} for none
 * @param chargebackAtMillis when that chargeback is filed, epoch milliseconds, or -1 for none
 */
public record TransactionTruth(
        String transactionId,
        String accountId,
        String cardId,
        long eventTimeMillis,
        long amountMinor,
        boolean fraud,
        FraudPattern pattern,
        int episodeId,
        ChargebackCategory chargeback,
        long chargebackAtMillis) {

    /** Whether this legitimate transaction is where a compromised merchant captured the card. */
    public boolean compromisePoint() {
        return !fraud && episodeId >= 0;
    }

    /** Whether a fraud chargeback is filed for the transaction (if approved). */
    public boolean fraudChargeback() {
        return chargeback == ChargebackCategory.FRAUD;
    }
}
