package dev.vigil.pipelines.fraud;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the fraud job ({@link FraudJob}): topics, the two models, event time, and the learning and monitoring
 * switches. Read from config.yaml or {@code -Dkey=value}. The decision thresholds are {@code
 * dev.vigil.operators.fraud.decision.FraudDecisionOptions}, the features {@code FraudFeatureOptions}, the label
 * maturity {@code FraudLabelOptions}. The dead-letter, control and monitor topics are shared with the ICU job (same
 * keys and defaults).
 */
public final class FraudPipelineOptions {

    public static final ConfigOption<String> TRANSACTIONS_TOPIC =
            ConfigOptions.key("vigil.fraud.topics.transactions").stringType().defaultValue("vigil.fraud.transactions")
                    .withDescription("Topic of Transaction records, keyed by account id.");

    public static final ConfigOption<String> CHARGEBACKS_TOPIC =
            ConfigOptions.key("vigil.fraud.topics.chargebacks").stringType().defaultValue("vigil.fraud.chargebacks")
                    .withDescription("Topic of Chargeback records: the slow labels (learning and monitoring).");

    public static final ConfigOption<String> FEEDBACK_TOPIC =
            ConfigOptions.key("vigil.fraud.topics.feedback").stringType().defaultValue("vigil.fraud.feedback")
                    .withDescription("Topic of InvestigatorFeedback records: the fast labels (learning and"
                            + " monitoring).");

    public static final ConfigOption<String> DECISIONS_TOPIC =
            ConfigOptions.key("vigil.fraud.topics.decisions").stringType().defaultValue("vigil.fraud.decisions")
                    .withDescription("Topic the job writes one FraudDecision per accepted transaction to, keyed by"
                            + " account id.");

    public static final ConfigOption<String> DLQ_TOPIC =
            ConfigOptions.key("vigil.dlq.topic").stringType().defaultValue("vigil.dlq")
                    .withDescription("Dead-letter topic: every record a stage could not process, with the reason.");

    public static final ConfigOption<String> CONTROL_TOPIC =
            ConfigOptions.key("vigil.models.control-topic").stringType().defaultValue("vigil.models.control")
                    .withDescription("Topic of ModelUpdate records: new classifier versions the online learner"
                            + " announces to the scorer (learning on).");

    public static final ConfigOption<String> DRIFT_TOPIC =
            ConfigOptions.key("vigil.monitor.topics.drift").stringType().defaultValue("vigil.monitor.drift")
                    .withDescription("Topic of DriftEvent records (every pipeline's drift monitors).");

    public static final ConfigOption<String> FAIRNESS_TOPIC =
            ConfigOptions.key("vigil.monitor.topics.fairness").stringType().defaultValue("vigil.monitor.fairness")
                    .withDescription("Topic of FairnessWindowReport records (every pipeline's fairness monitors).");

    public static final ConfigOption<String> MODEL_URI =
            ConfigOptions.key("vigil.fraud.model.uri").stringType()
                    .defaultValue("classpath:/dev/vigil/models/fraud/fraud-classifier.onnx")
                    .withDescription("ONNX file of the supervised fraud classifier (logistic, with a contributions"
                            + " output) on any Flink file system, or classpath:. The bootstrap of the hot-swapped"
                            + " scorer and of the online learner.");

    public static final ConfigOption<String> MODEL_SHA256 =
            ConfigOptions.key("vigil.fraud.model.sha256").stringType().noDefaultValue()
                    .withDescription("Expected sha-256 of the classifier file. Default: the sha-256 recorded beside"
                            + " it (<uri>.sha256).");

    public static final ConfigOption<String> MODEL_VERSION =
            ConfigOptions.key("vigil.fraud.model.version").stringType().noDefaultValue()
                    .withDescription("Version label of the classifier; defaults to the vigil.model.version its ONNX"
                            + " metadata declares.");

    public static final ConfigOption<Boolean> ANOMALY_MODEL_ENABLED =
            ConfigOptions.key("vigil.fraud.anomaly-model.enabled").booleanType().defaultValue(true)
                    .withDescription("Score every batch with the autoencoder too. Off, or when its file cannot be"
                            + " read or opened, decisions carry anomalyScore null and anomalyModelVersion 'none' and"
                            + " the classifier decides alone.");

    public static final ConfigOption<String> ANOMALY_MODEL_URI =
            ConfigOptions.key("vigil.fraud.anomaly-model.uri").stringType()
                    .defaultValue("classpath:/dev/vigil/models/fraud/fraud-autoencoder.onnx")
                    .withDescription("ONNX file of the autoencoder (outputs anomaly_score and contributions). Static:"
                            + " it is not learned online.");

    public static final ConfigOption<String> ANOMALY_MODEL_SHA256 =
            ConfigOptions.key("vigil.fraud.anomaly-model.sha256").stringType().noDefaultValue()
                    .withDescription("Expected sha-256 of the autoencoder file. Default: <uri>.sha256.");

    public static final ConfigOption<String> ANOMALY_MODEL_VERSION =
            ConfigOptions.key("vigil.fraud.anomaly-model.version").stringType().noDefaultValue()
                    .withDescription("Version label of the autoencoder; defaults to its declared"
                            + " vigil.model.version.");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("vigil.fraud.event-time.max-out-of-orderness").durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription("Bound on how late records may arrive for watermarking. Authorisations reach"
                            + " the issuer's topic up to ~10 minutes late (store-and-forward terminals); the"
                            + " feature stage waits for the watermark before it applies a transaction, so this is"
                            + " also the decision latency in event time for a quiet partition.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("vigil.fraud.event-time.idle-timeout").durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("A Kafka partition without records for this long stops holding back watermarks"
                            + " (the label topics are quiet most of the time).");

    public static final ConfigOption<Boolean> LEARNING_ENABLED =
            ConfigOptions.key("vigil.fraud.learning.enabled").booleanType().defaultValue(false)
                    .withDescription("Close the loop: join decisions with chargebacks, investigator verdicts and"
                            + " label maturity, learn the classifier online, publish versions to the registry and"
                            + " the control topic, and hot-swap them into the scorer.");

    public static final ConfigOption<Boolean> MONITORING_ENABLED =
            ConfigOptions.key("vigil.fraud.monitoring.enabled").booleanType().defaultValue(false)
                    .withDescription("Run the drift and fairness monitors (vigil.monitor.*) on the decisions and the"
                            + " labelled examples; fairness by age band and region. Needs the label topics.");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("vigil.fraud.bounded").booleanType().defaultValue(false)
                    .withDescription("Stop the transaction and label sources at their latest offsets at job start"
                            + " (replays, tests) instead of running forever.");

    private FraudPipelineOptions() {}
}
