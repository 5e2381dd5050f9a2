package dev.vigil.pipelines.sim.fraud;

import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.Transaction;
import org.apache.avro.specific.SpecificRecord;

/**
 * One simulated record as a producer would send it: the Avro value, its key (the account id), when it happened
 * (event time), when it reaches its topic (delivery time, never earlier than the event time), and the ground truth of
 * the transaction it is about. The simulator emits events in delivery order, so event times arrive out of order.
 *
 * @param kind which topic the record belongs to
 * @param key the record key: the account id
 * @param record a {@link Transaction}, {@link Chargeback} or {@link InvestigatorFeedback}, as {@code kind} says
 * @param eventTimeMillis event time, epoch milliseconds: {@code eventTime} of a transaction, {@code reportedAt} of a
 *     chargeback, {@code reviewedAt} of feedback
 * @param deliveryTimeMillis when the record is produced to its topic, epoch milliseconds
 * @param truth ground truth of the transaction (for a label: of the transaction it labels); never sent to Kafka
 */
public record FraudEvent(
        Kind kind,
        String key,
        SpecificRecord record,
        long eventTimeMillis,
        long deliveryTimeMillis,
        TransactionTruth truth) {

    /** The kind of record, with the topic it goes to. */
    public enum Kind {
        TRANSACTION("vigil.fraud.transactions"),
        CHARGEBACK("vigil.fraud.chargebacks"),
        FEEDBACK("vigil.fraud.feedback");

        private final String topic;

        Kind(String topic) {
            this.topic = topic;
        }

        public String topic() {
            return topic;
        }
    }

    /** The record as a transaction; fails unless {@code kind} is {@link Kind#TRANSACTION}. */
    public Transaction transaction() {
        return as(Kind.TRANSACTION, Transaction.class);
    }

    /** The record as a chargeback; fails unless {@code kind} is {@link Kind#CHARGEBACK}. */
    public Chargeback chargeback() {
        return as(Kind.CHARGEBACK, Chargeback.class);
    }

    /** The record as investigator feedback; fails unless {@code kind} is {@link Kind#FEEDBACK}. */
    public InvestigatorFeedback feedback() {
        return as(Kind.FEEDBACK, InvestigatorFeedback.class);
    }

    private <T> T as(Kind expected, Class<T> type) {
        if (kind != expected) {
            throw new IllegalStateException("event is a " + kind + ", not a " + expected);
        }
        return type.cast(record);
    }
}
