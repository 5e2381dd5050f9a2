package dev.vigil.pipelines.icu;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the ICU deterioration job: topics, model, event time. Read from config.yaml or {@code -Dkey=value}. */
public final class IcuPipelineOptions {

    public static final ConfigOption<String> VITALS_TOPIC =
            ConfigOptions.key("vigil.icu.topics.vitals").stringType().defaultValue("vigil.icu.vitals")
                    .withDescription("Topic of VitalObservation records, keyed by patient id.");

    public static final ConfigOption<String> CONTEXT_TOPIC =
            ConfigOptions.key("vigil.icu.topics.context").stringType().defaultValue("vigil.icu.context")
                    .withDescription("Topic of PatientContext records, keyed by patient id.");

    public static final ConfigOption<String> PREDICTIONS_TOPIC =
            ConfigOptions.key("vigil.icu.topics.predictions").stringType().defaultValue("vigil.icu.predictions")
                    .withDescription("Topic the job writes every scored snapshot to (Prediction records).");

    public static final ConfigOption<String> ALERTS_TOPIC =
            ConfigOptions.key("vigil.icu.topics.alerts").stringType().defaultValue("vigil.icu.alerts")
                    .withDescription("Topic of DeteriorationAlert records.");

    public static final ConfigOption<String> DLQ_TOPIC =
            ConfigOptions.key("vigil.dlq.topic").stringType().defaultValue("vigil.dlq")
                    .withDescription("Dead-letter topic: every record a stage could not process, with the reason.");

    public static final ConfigOption<String> MODEL_URI =
            ConfigOptions.key("vigil.icu.model.uri").stringType()
                    .defaultValue("classpath:/dev/vigil/models/icu/icu-deterioration.onnx")
                    .withDescription("ONNX file of the deterioration model on any Flink file system, or classpath:.");

    public static final ConfigOption<String> MODEL_SHA256 =
            ConfigOptions.key("vigil.icu.model.sha256").stringType().noDefaultValue()
                    .withDescription("Expected sha-256 of the model file. Defaults to the sha-256 recorded beside the"
                            + " bundled model (<uri>.sha256); the scorer refuses a file that does not match.");

    public static final ConfigOption<String> MODEL_VERSION =
            ConfigOptions.key("vigil.icu.model.version").stringType().noDefaultValue()
                    .withDescription("Version label stamped on outputs; defaults to the vigil.model.version the"
                            + " ONNX file declares in its metadata.");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("vigil.icu.event-time.max-out-of-orderness").durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("Bound on how late observations may arrive for watermarking (charting delay).");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("vigil.icu.event-time.idle-timeout").durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("A Kafka partition without records for this long stops holding back watermarks.");

    public static final ConfigOption<String> OUTCOMES_TOPIC =
            ConfigOptions.key("vigil.icu.topics.outcomes").stringType().defaultValue("vigil.icu.outcomes")
                    .withDescription("Topic of ClinicalOutcome records: the delayed labels of the learning loop.");

    public static final ConfigOption<String> CONTROL_TOPIC =
            ConfigOptions.key("vigil.models.control-topic").stringType().defaultValue("vigil.models.control")
                    .withDescription("Topic of ModelUpdate records: new versions announced to the scorers.");

    public static final ConfigOption<Boolean> LEARNING_ENABLED =
            ConfigOptions.key("vigil.icu.learning.enabled").booleanType().defaultValue(false)
                    .withDescription("Close the loop: join predictions with outcomes, learn online, publish new"
                            + " versions to the registry and the control topic, and hot-swap them into the scorer."
                            + " Off: the scorer serves the configured model only.");

    public static final ConfigOption<Boolean> MONITORING_ENABLED =
            ConfigOptions.key("vigil.icu.monitoring.enabled").booleanType().defaultValue(false)
                    .withDescription("Run the drift and fairness monitors (vigil.monitor.*) on the predictions and on"
                            + " the predictions joined with their outcomes; drift events and fairness reports go to"
                            + " the monitor topics. Needs the outcomes topic; every prediction that no outcome labels"
                            + " within the label TTL becomes an UNLABELED dead letter, as with learning. On in"
                            + " flink-conf/config.yaml, the Kubernetes manifests and the demo.");

    public static final ConfigOption<String> DRIFT_TOPIC =
            ConfigOptions.key("vigil.monitor.topics.drift").stringType().defaultValue("vigil.monitor.drift")
                    .withDescription("Topic of DriftEvent records (every pipeline's drift monitors).");

    public static final ConfigOption<String> FAIRNESS_TOPIC =
            ConfigOptions.key("vigil.monitor.topics.fairness").stringType().defaultValue("vigil.monitor.fairness")
                    .withDescription("Topic of FairnessWindowReport records (every pipeline's fairness monitors).");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("vigil.icu.bounded").booleanType().defaultValue(false)
                    .withDescription("Stop at the input topics' latest offsets at job start (replays, tests)"
                            + " instead of running forever.");

    private IcuPipelineOptions() {}
}
