package dev.vigil.pipelines.chat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Options of the chat triage job: topics, validation, the triage head, learning and drift. The encoder's settings are
 * {@link dev.vigil.operators.chat.ChatEncoderOptions}; micro-batching and execution provider {@link
 * dev.vigil.operators.inference.InferenceOptions}; the online learner {@link
 * dev.vigil.operators.learn.LearnerOptions} (the job fixes its model family, classes, features and name).
 */
public final class ChatPipelineOptions {

    public static final String DEFAULT_MESSAGES_TOPIC = "vigil.chat.messages";
    public static final String DEFAULT_TRIAGE_TOPIC = "vigil.chat.triage";
    public static final String DEFAULT_FEEDBACK_TOPIC = "vigil.chat.feedback";

    public static final ConfigOption<String> MESSAGES_TOPIC =
            ConfigOptions.key("vigil.chat.topics.messages").stringType().defaultValue(DEFAULT_MESSAGES_TOPIC)
                    .withDescription("Topic of ChatMessage records, keyed by conversation id.");

    public static final ConfigOption<String> TRIAGE_TOPIC =
            ConfigOptions.key("vigil.chat.topics.triage").stringType().defaultValue(DEFAULT_TRIAGE_TOPIC)
                    .withDescription("Topic the job writes a TriageDecision per valid message to.");

    public static final ConfigOption<String> FEEDBACK_TOPIC =
            ConfigOptions.key("vigil.chat.topics.feedback").stringType().defaultValue(DEFAULT_FEEDBACK_TOPIC)
                    .withDescription("Topic of AgentFeedback records: the labels of the learning loop.");

    public static final ConfigOption<String> DLQ_TOPIC =
            ConfigOptions.key("vigil.dlq.topic").stringType().defaultValue("vigil.dlq")
                    .withDescription("Dead-letter topic: every record a stage could not process, with the reason.");

    public static final ConfigOption<String> CONTROL_TOPIC =
            ConfigOptions.key("vigil.models.control-topic").stringType().defaultValue("vigil.models.control")
                    .withDescription("Topic of ModelUpdate records: new head versions are hot-swapped from it.");

    public static final ConfigOption<String> DRIFT_TOPIC =
            ConfigOptions.key("vigil.monitor.topics.drift").stringType().defaultValue("vigil.monitor.drift")
                    .withDescription("Topic of DriftEvent records.");

    public static final ConfigOption<Integer> MAX_CHARS =
            ConfigOptions.key("vigil.chat.validation.max-chars").intType().defaultValue(2_000)
                    .withDescription("Longest message accepted, in characters; longer ones are dead-lettered as"
                            + " OVERSIZED_MESSAGE.");

    public static final ConfigOption<String> HEAD_URI =
            ConfigOptions.key("vigil.chat.head.uri").stringType().defaultValue(ChatHeadTraining.RESOURCE_URI)
                    .withDescription("ONNX file of the bootstrap triage head, on any Flink file system or classpath:.");

    public static final ConfigOption<String> HEAD_SHA256 =
            ConfigOptions.key("vigil.chat.head.sha256").stringType().noDefaultValue()
                    .withDescription("Expected sha-256 of the head. Default: the sidecar <uri>.sha256.");

    public static final ConfigOption<String> HEAD_VERSION =
            ConfigOptions.key("vigil.chat.head.version").stringType().noDefaultValue()
                    .withDescription("Version label of the bootstrap head. Default: its vigil.model.version.");

    public static final ConfigOption<Boolean> LEARNING_ENABLED =
            ConfigOptions.key("vigil.chat.learning.enabled").booleanType().defaultValue(false)
                    .withDescription("Join decisions with agent feedback, train a head online, publish versions to"
                            + " the registry (vigil.registry.root) and the control topic. Versions on the control"
                            + " topic are hot-swapped whether or not this job learns.");

    public static final ConfigOption<Boolean> DRIFT_ENABLED =
            ConfigOptions.key("vigil.chat.drift.enabled").booleanType().defaultValue(true)
                    .withDescription("Emit label-free embedding drift events (KS tests on random projections).");

    public static final ConfigOption<Integer> DRIFT_PROJECTIONS =
            ConfigOptions.key("vigil.chat.drift.projections").intType().defaultValue(8)
                    .withDescription("Random directions the embeddings are projected on.");

    public static final ConfigOption<Integer> DRIFT_WINDOW =
            ConfigOptions.key("vigil.chat.drift.window").intType().defaultValue(200)
                    .withDescription("Messages per window (reference and tumbling test windows), at least 10.");

    public static final ConfigOption<Double> DRIFT_ALPHA =
            ConfigOptions.key("vigil.chat.drift.alpha").doubleType().defaultValue(0.01)
                    .withDescription("Family-wise significance level (Bonferroni over the projections).");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            ConfigOptions.key("vigil.chat.event-time.idle-timeout").durationType().defaultValue(Duration.ofSeconds(30))
                    .withDescription("A Kafka partition without records for this long stops holding back watermarks.");

    public static final ConfigOption<Boolean> BOUNDED =
            ConfigOptions.key("vigil.chat.bounded").booleanType().defaultValue(false)
                    .withDescription("Stop at the input topics' latest offsets at job start (replays, tests).");

    /** Partitions of the chat topics in tests and the demo. */
    public static final int PARTITIONS = 2;

    private ChatPipelineOptions() {}

    /** The topics the chat job reads and writes, with {@link #PARTITIONS} partitions (control: 1). */
    public static Map<String, Integer> topics() {
        Map<String, Integer> t = new LinkedHashMap<>();
        t.put(DEFAULT_MESSAGES_TOPIC, PARTITIONS);
        t.put(DEFAULT_TRIAGE_TOPIC, PARTITIONS);
        t.put(DEFAULT_FEEDBACK_TOPIC, PARTITIONS);
        t.put("vigil.dlq", 1);
        t.put("vigil.models.control", 1);
        t.put("vigil.monitor.drift", 1);
        return t;
    }
}
