package dev.vigil.pipelines.sim.icu;

import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import org.apache.avro.specific.SpecificRecord;

/**
 * One simulated record as a producer would send it: the Avro value, its key (the patient id), when it happened
 * (event time) and when it reaches the topic (delivery time, never earlier than the event time). The simulator emits
 * events in delivery order, so event times arrive out of order: monitor readings are occasionally delayed, manual
 * rounds are charted up to an hour late, outcomes are recorded hours after they occur.
 *
 * @param kind which topic the record belongs to
 * @param key the record key: the patient id
 * @param record a {@link VitalObservation}, {@link PatientContext} or {@link ClinicalOutcome}, as {@code kind} says
 * @param eventTimeMillis event time, epoch milliseconds: {@code effectiveTime} of a vital, {@code updatedAt} of a
 *     context, {@code occurredAt} of an outcome
 * @param deliveryTimeMillis when the record is produced to its topic, epoch milliseconds
 */
public record SimEvent(Kind kind, String key, SpecificRecord record, long eventTimeMillis, long deliveryTimeMillis) {

    /** The kind of record, with the topic it goes to (docs/CONTRACTS.md). */
    public enum Kind {
        VITAL("vigil.icu.vitals"),
        CONTEXT("vigil.icu.context"),
        OUTCOME("vigil.icu.outcomes");

        private final String topic;

        Kind(String topic) {
            this.topic = topic;
        }

        public String topic() {
            return topic;
        }
    }

    /** The record as a vital observation; fails unless {@code kind} is {@link Kind#VITAL}. */
    public VitalObservation vital() {
        return as(Kind.VITAL, VitalObservation.class);
    }

    /** The record as a patient context; fails unless {@code kind} is {@link Kind#CONTEXT}. */
    public PatientContext context() {
        return as(Kind.CONTEXT, PatientContext.class);
    }

    /** The record as a clinical outcome; fails unless {@code kind} is {@link Kind#OUTCOME}. */
    public ClinicalOutcome outcome() {
        return as(Kind.OUTCOME, ClinicalOutcome.class);
    }

    private <T> T as(Kind expected, Class<T> type) {
        if (kind != expected) {
            throw new IllegalStateException("event is a " + kind + ", not a " + expected);
        }
        return type.cast(record);
    }
}
