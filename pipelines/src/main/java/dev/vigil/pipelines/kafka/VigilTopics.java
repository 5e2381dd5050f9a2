package dev.vigil.pipelines.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Vigil's Kafka topics (docs/CONTRACTS.md) and their default partition counts. All are keyed by entity id (patient
 * id for ICU, account id for fraud); values are Avro binary of the classes in {@code schemas/}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = new EmbeddedKafka()) {
 *     kafka.createTopics(VigilTopics.ICU_TOPICS);
 * }
 * }</pre>
 */
public final class VigilTopics {

    /** {@code VitalObservation}, keyed by patient id. */
    public static final String ICU_VITALS = "vigil.icu.vitals";

    /** {@code PatientContext}, keyed by patient id; the latest record per patient wins. */
    public static final String ICU_CONTEXT = "vigil.icu.context";

    /** {@code ClinicalOutcome}: the delayed labels, keyed by patient id. */
    public static final String ICU_OUTCOMES = "vigil.icu.outcomes";

    /** {@code Prediction}, keyed by patient id. */
    public static final String ICU_PREDICTIONS = "vigil.icu.predictions";

    /** {@code DeteriorationAlert}, keyed by patient id. */
    public static final String ICU_ALERTS = "vigil.icu.alerts";

    /** {@code DeadLetter} of every pipeline. One partition: low volume, read in order. */
    public static final String DLQ = "vigil.dlq";

    /** {@code ModelUpdate}, keyed by model name. One partition: scorers see versions in publication order. */
    public static final String MODELS_CONTROL = "vigil.models.control";

    /** {@code DriftEvent} of every pipeline's drift monitors, keyed by monitored signal. One partition: low volume. */
    public static final String MONITOR_DRIFT = "vigil.monitor.drift";

    /** {@code FairnessWindowReport} of every pipeline's fairness monitors, keyed by attribute. One partition. */
    public static final String MONITOR_FAIRNESS = "vigil.monitor.fairness";

    /** {@code Transaction}, keyed by account id. */
    public static final String FRAUD_TRANSACTIONS = "vigil.fraud.transactions";

    /** {@code Chargeback}: the slow fraud labels, keyed by account id. */
    public static final String FRAUD_CHARGEBACKS = "vigil.fraud.chargebacks";

    /** {@code InvestigatorFeedback}: the fast fraud labels, keyed by account id. */
    public static final String FRAUD_FEEDBACK = "vigil.fraud.feedback";

    /** {@code FraudDecision}, keyed by account id. */
    public static final String FRAUD_DECISIONS = "vigil.fraud.decisions";

    /** Partitions of each entity-keyed ICU topic: the parallelism the ICU pipeline can use per topic. */
    public static final int ICU_PARTITIONS = 4;

    /** Every ICU pipeline topic with its default partition count, in data-flow order. */
    public static final Map<String, Integer> ICU_TOPICS = icuTopics();

    /** Partitions of each account-keyed fraud topic: the parallelism the fraud pipeline can use per topic. */
    public static final int FRAUD_PARTITIONS = 4;

    /** Every fraud pipeline topic with its default partition count, in data-flow order. */
    public static final Map<String, Integer> FRAUD_TOPICS = fraudTopics();

    private VigilTopics() {}

    private static Map<String, Integer> icuTopics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(ICU_VITALS, ICU_PARTITIONS);
        topics.put(ICU_CONTEXT, ICU_PARTITIONS);
        topics.put(ICU_OUTCOMES, ICU_PARTITIONS);
        topics.put(ICU_PREDICTIONS, ICU_PARTITIONS);
        topics.put(ICU_ALERTS, ICU_PARTITIONS);
        topics.put(DLQ, 1);
        topics.put(MODELS_CONTROL, 1);
        topics.put(MONITOR_DRIFT, 1);
        topics.put(MONITOR_FAIRNESS, 1);
        return Collections.unmodifiableMap(topics);
    }

    private static Map<String, Integer> fraudTopics() {
        Map<String, Integer> topics = new LinkedHashMap<>();
        topics.put(FRAUD_TRANSACTIONS, FRAUD_PARTITIONS);
        topics.put(FRAUD_CHARGEBACKS, FRAUD_PARTITIONS);
        topics.put(FRAUD_FEEDBACK, FRAUD_PARTITIONS);
        topics.put(FRAUD_DECISIONS, FRAUD_PARTITIONS);
        topics.put(DLQ, 1);
        topics.put(MODELS_CONTROL, 1);
        topics.put(MONITOR_DRIFT, 1);
        topics.put(MONITOR_FAIRNESS, 1);
        return Collections.unmodifiableMap(topics);
    }
}
