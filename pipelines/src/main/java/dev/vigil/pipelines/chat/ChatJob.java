package dev.vigil.pipelines.chat;

import dev.vigil.models.onnx.MetadataKeys;
import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.operators.chat.AgentFeedbackLabels;
import dev.vigil.operators.chat.ChatEmbeddingFunction;
import dev.vigil.operators.chat.ChatMessageValidator;
import dev.vigil.operators.chat.ChatTriageFunction;
import dev.vigil.operators.chat.EmbeddedMessage;
import dev.vigil.operators.chat.EmbeddingDriftFunction;
import dev.vigil.operators.chat.TriageClass;
import dev.vigil.operators.inference.MicroBatchOperator;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.ingest.AvroEventTime;
import dev.vigil.operators.ingest.IngestFunction;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.RawRecord;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.operators.label.LabelJoin;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.operators.learn.OnlineLearnerOperator;
import dev.vigil.operators.learn.RegistryFactory;
import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.operators.validation.Validated;
import dev.vigil.schema.chat.AgentFeedback;
import dev.vigil.schema.chat.ChatMessage;
import dev.vigil.schema.chat.TriageDecision;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.monitor.DriftEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The chat triage job:
 *
 * <pre>
 *  messages ─> ingest (decode, validate) ─> encoder (MiniLM, micro-batched) ─┬─> head (hot-swap) ─> triage
 *                 │                                                          │        ▲    │
 *                 │                                                          │        │    └─ predictions ─┐
 *                 │                                                          └─> embedding drift ─> drift   │
 *  feedback ─> ingest ─────────────────────────────────────> label join (prediction id) <──────────────────┘
 *                 │                                               │
 *                 │                                               └─> online learner ─> registry + control ─┘
 *                 └──────────────── dead letters (every stage) ──────────────────────────────> vigil.dlq
 * </pre>
 *
 * <p>Invalid messages (undecodable, empty, oversized, malformed UTF-8) are dead letters with their reason; nothing on
 * the data path throws. Sinks are exactly-once Kafka transactions; operator uids are stable.
 */
public final class ChatJob {

    public static final String PIPELINE = ChatTriageFunction.PIPELINE;
    public static final String HEAD_NAME = ChatHeadTraining.MODEL_NAME;
    static final long MAX_FUTURE_MILLIS = Duration.ofMinutes(5).toMillis();

    private ChatJob() {}

    /** Adds the job's topology to {@code env}. */
    public static void build(StreamExecutionEnvironment env, ReadableConfig config) throws IOException {
        ModelRef head = headRef(config);

        SingleOutputStreamOperator<Ingested<ChatMessage>> messages = env.fromSource(
                        source(config, "chat-messages", config.get(ChatPipelineOptions.MESSAGES_TOPIC)),
                        WatermarkStrategy.<RawRecord>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                                .withTimestampAssigner(new AvroEventTime<>(ChatMessage.class, ChatMessage::getSentAt,
                                        MAX_FUTURE_MILLIS))
                                .withIdleness(config.get(ChatPipelineOptions.IDLE_TIMEOUT)),
                        "chat messages")
                .uid("chat-messages-source")
                .process(new IngestFunction<>(PIPELINE, ChatMessage.class,
                                new ChatMessageValidator(config.get(ChatPipelineOptions.MAX_CHARS))),
                        IngestFunction.typeInfo(ChatMessage.class))
                .uid("chat-messages-ingest")
                .name("ingest messages");

        SingleOutputStreamOperator<EmbeddedMessage> embedded = messages
                .transform("encode (MiniLM)", TypeInformation.of(EmbeddedMessage.class),
                        MicroBatchOperator.factory(new ChatEmbeddingFunction(), config))
                .uid("chat-encode");

        DataStream<ModelUpdate> updates = env.fromSource(
                        VigilKafka.source(config, "chat-control", config.get(ChatPipelineOptions.CONTROL_TOPIC))
                                .build(),
                        WatermarkStrategy.noWatermarks(), "model control")
                .uid("chat-control-source")
                .setParallelism(1)
                .process(new IngestFunction<>(PIPELINE, ModelUpdate.class, (u, now) -> Validated.accepted(u)),
                        IngestFunction.typeInfo(ModelUpdate.class))
                .uid("chat-control-ingest")
                .setParallelism(1)
                .map(r -> r.value, new AvroTypeInfo<>(ModelUpdate.class))
                .uid("chat-control-values")
                .setParallelism(1);

        SingleOutputStreamOperator<TriageDecision> decisions = embedded
                .connect(updates.broadcast(ChatTriageFunction.HEAD_STATE))
                .process(new ChatTriageFunction(head, config), new AvroTypeInfo<>(TriageDecision.class))
                .uid("chat-triage")
                .name("triage head (hot-swap)");

        DataStream<DeadLetter> deadLetters = messages.getSideOutput(IngestFunction.DEAD_LETTERS);
        if (config.get(ChatPipelineOptions.LEARNING_ENABLED)) {
            deadLetters = deadLetters.union(learn(env, config, decisions, head));
        }
        if (config.get(ChatPipelineOptions.DRIFT_ENABLED)) {
            embedded.keyBy(m -> PIPELINE)
                    .process(new EmbeddingDriftFunction(PIPELINE, config.get(ChatPipelineOptions.DRIFT_PROJECTIONS),
                                    config.get(ChatPipelineOptions.DRIFT_WINDOW),
                                    config.get(ChatPipelineOptions.DRIFT_ALPHA), 7L),
                            new AvroTypeInfo<>(DriftEvent.class))
                    .uid("chat-embedding-drift")
                    .name("embedding drift")
                    .sinkTo(VigilKafka.exactlyOnceSink(config, "chat-drift",
                                    new AvroKafkaRecordSerializer<>(config.get(ChatPipelineOptions.DRIFT_TOPIC),
                                            DriftEvent.class, DriftEvent::getSignal))
                            .build())
                    .uid("chat-drift-sink")
                    .name("drift sink");
        }

        decisions.sinkTo(VigilKafka.exactlyOnceSink(config, "chat-triage",
                                new AvroKafkaRecordSerializer<>(config.get(ChatPipelineOptions.TRIAGE_TOPIC),
                                        TriageDecision.class, TriageDecision::getConversationId))
                        .build())
                .uid("chat-triage-sink")
                .name("triage sink");
        deadLetters.sinkTo(VigilKafka.exactlyOnceSink(config, "chat-dlq",
                                new AvroKafkaRecordSerializer<>(config.get(ChatPipelineOptions.DLQ_TOPIC),
                                        DeadLetter.class, DeadLetter::getStage))
                        .build())
                .uid("chat-dlq-sink")
                .name("dead-letter sink");
    }

    /** Feedback → label join → online learner → registry and control topic; returns the dead letters. */
    private static DataStream<DeadLetter> learn(StreamExecutionEnvironment env, ReadableConfig config,
            SingleOutputStreamOperator<TriageDecision> decisions, ModelRef head) throws IOException {
        SingleOutputStreamOperator<Ingested<AgentFeedback>> feedback = env.fromSource(
                        source(config, "chat-feedback", config.get(ChatPipelineOptions.FEEDBACK_TOPIC)),
                        WatermarkStrategy.noWatermarks(), "agent feedback")
                .uid("chat-feedback-source")
                .process(new IngestFunction<>(PIPELINE, AgentFeedback.class, ChatJob::validFeedback),
                        IngestFunction.typeInfo(AgentFeedback.class))
                .uid("chat-feedback-ingest")
                .name("ingest feedback");
        DataStream<AgentFeedback> labels = feedback
                .map(r -> r.value, new AvroTypeInfo<>(AgentFeedback.class))
                .uid("chat-feedback-values");
        DataStream<Prediction> predictions = decisions.getSideOutput(ChatTriageFunction.PREDICTIONS);
        AgentFeedbackLabels reader = new AgentFeedbackLabels();
        SingleOutputStreamOperator<LabeledExample> labeled = predictions
                .connect(labels)
                .keyBy(LabelJoin::predictionId, reader::predictionId)
                .process(LabelJoin.byPredictionId(PIPELINE, reader, new AvroTypeInfo<>(AgentFeedback.class), config),
                        LabelJoin.outputType())
                .uid("chat-label-join")
                .name("feedback label join");

        Configuration learnerConfig = learnerConfig(config);
        byte[] bootstrap = ModelBytes.read(head.uri(), ChatJob.class.getClassLoader());
        RegistryFactory registry = RegistryFactory.fromConfig(learnerConfig);
        ModelRegistry r = registry.create();
        if (r.latest(head.name()).isEmpty()) {
            // Version 1 is the bundled head, so learned versions (2, 3, ...) are newer than what the scorer serves.
            r.publish(head.name(), bootstrap, VersionMetadata.empty());
        }
        SingleOutputStreamOperator<ModelUpdate> versions = OnlineLearnerOperator.learn(labeled,
                OnlineLearnerOperator.builder().options(learnerConfig).registry(registry).build());
        versions.sinkTo(VigilKafka.exactlyOnceSink(config, "chat-model-control",
                                new AvroKafkaRecordSerializer<>(config.get(ChatPipelineOptions.CONTROL_TOPIC),
                                        ModelUpdate.class, ModelUpdate::getName))
                        .build())
                .uid("chat-control-sink")
                .name("model control sink")
                .setParallelism(1);
        return feedback.getSideOutput(IngestFunction.DEAD_LETTERS)
                .union(labeled.getSideOutput(LabelJoin.DEAD_LETTERS));
    }

    /**
     * The learner's settings for the chat head: a multiclass MLP over the 384 embedding dimensions with the triage
     * classes, published under the head's name (fixed); the rest from {@code config} with chat defaults where unset.
     * The learner starts from fresh parameters: warm start (bootstrap) is only supported for logistic models.
     */
    static Configuration learnerConfig(ReadableConfig config) {
        Configuration c = Configuration.fromMap(config.toMap());
        c.set(LearnerOptions.MODEL, ModelType.MLP);
        c.set(LearnerOptions.CLASSES, TriageClass.LABELS);
        c.set(LearnerOptions.FEATURE_NAMES, ChatHeadTraining.FEATURE_NAMES);
        c.set(LearnerOptions.MODEL_NAME, HEAD_NAME);
        setIfAbsent(c, config, LearnerOptions.HIDDEN_LAYERS, List.of(32));
        setIfAbsent(c, config, LearnerOptions.LEARNING_RATE, 0.003);
        setIfAbsent(c, config, LearnerOptions.MINIBATCH, 4);
        setIfAbsent(c, config, LearnerOptions.PUBLISH_EVERY_UPDATES, 25L);
        return c;
    }

    private static <T> void setIfAbsent(Configuration c, ReadableConfig config,
            org.apache.flink.configuration.ConfigOption<T> option, T value) {
        if (config.getOptional(option).isEmpty()) {
            c.set(option, value);
        }
    }

    /** The bootstrap head: {@link ChatPipelineOptions#HEAD_URI} with its sha-256 and version. */
    static ModelRef headRef(ReadableConfig config) throws IOException {
        String uri = config.get(ChatPipelineOptions.HEAD_URI);
        ClassLoader loader = ChatJob.class.getClassLoader();
        String sha = config.getOptional(ChatPipelineOptions.HEAD_SHA256).orElse(null);
        if (sha == null) {
            sha = new String(ModelBytes.read(uri + ".sha256", loader), StandardCharsets.UTF_8).trim();
        }
        String version = config.getOptional(ChatPipelineOptions.HEAD_VERSION).orElse(null);
        if (version == null) {
            version = declaredVersion(ModelBytes.read(uri, loader)).orElse(sha.substring(0, 12));
        }
        return new ModelRef(HEAD_NAME, version, uri, sha);
    }

    static Optional<String> declaredVersion(byte[] onnx) throws IOException {
        for (ai.onnx.proto.OnnxMl.StringStringEntryProto e :
                ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList()) {
            if (e.getKey().equals(MetadataKeys.MODEL_VERSION)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    static KafkaSource<RawRecord> source(ReadableConfig config, String name, String topic) {
        KafkaSourceBuilder<RawRecord> builder = VigilKafka.source(config, name, topic);
        if (config.get(ChatPipelineOptions.BOUNDED)) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    private static Validated<AgentFeedback> validFeedback(AgentFeedback f, long nowMillis) {
        if (f.getPredictionId() == null || f.getPredictionId().isBlank() || f.getGivenAt() == null) {
            return Validated.rejected(ReasonCodes.MISSING_FIELD, "predictionId or givenAt is missing");
        }
        if (!TriageClass.LABELS.contains(f.getCorrectClass())) {
            return Validated.rejected(ReasonCodes.UNKNOWN_CODE, "correctClass is not a triage class");
        }
        return Validated.accepted(f);
    }
}
