package dev.vigil.pipelines.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.util.Sha256;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.chat.ChatCorpus;
import dev.vigil.pipelines.sim.chat.ChatTraffic;
import dev.vigil.pipelines.sim.chat.ChatTraffic.LabelledMessage;
import dev.vigil.schema.chat.AgentFeedback;
import dev.vigil.schema.chat.TriageDecision;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.ModelUpdate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat job on a real broker and a MiniCluster (parallelism 2): every valid message gets exactly one triage
 * decision from the bundled head, every invalid one a dead letter with its reason; agent feedback on the decisions
 * trains a head online, its versions reach the registry and the control topic, and later messages are triaged by a
 * hot-swapped version.
 */
class ChatJobITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int MAX_CHARS = 500;

    @Test
    void feedbackTrainsAHeadThatIsSwappedIn(@TempDir Path registryRoot) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(ChatPipelineOptions.topics());
            ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults().withPerTemplate(8));
            long start = Instant.parse("2026-11-25T08:00:00Z").toEpochMilli();
            List<LabelledMessage> first = ChatTraffic.messages(corpus.heldOut(), "a", start, 1_000, 1);
            List<BadRecord<ChatTraffic.Defect>> bad = ChatTraffic.badRecords(3, 2, MAX_CHARS, start);
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            Map<String, LabelledMessage> byId = new HashMap<>();
            for (LabelledMessage m : first) {
                byId.put(m.message().getMessageId(), m);
                records.add(record(ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC, m.message().getConversationId(),
                        ChatTraffic.encode(m.message())));
            }
            for (BadRecord<ChatTraffic.Defect> b : bad) {
                records.add(record(ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC, b.key(), b.value()));
            }
            kafka.produce(records);

            Configuration conf = new Configuration();
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "it-chat");
            conf.set(KafkaOptions.GROUP_ID_PREFIX, "it-chat");
            conf.set(ChatPipelineOptions.LEARNING_ENABLED, true);
            conf.set(ChatPipelineOptions.MAX_CHARS, MAX_CHARS);
            conf.set(ChatPipelineOptions.DRIFT_WINDOW, 50);
            conf.set(LearnerOptions.REGISTRY_ROOT, registryRoot.toUri().toString());
            conf.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 10L);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            ChatJob.build(env, conf);
            JobClient job = env.executeAsync("chat-it");
            try {
                AvroCodec<TriageDecision> decisions = AvroCodec.of(TriageDecision.class);
                List<TriageDecision> before = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(
                        ChatPipelineOptions.DEFAULT_TRIAGE_TOPIC, first.size(), Duration.ofSeconds(120))) {
                    before.add(decisions.decode(r.value()));
                }
                assertThat(before).hasSize(first.size());
                assertThat(before).extracting(TriageDecision::getHeadVersion).containsOnly("1");
                assertThat(before).extracting(TriageDecision::getMessageId)
                        .containsExactlyInAnyOrderElementsOf(byId.keySet());
                for (TriageDecision d : before) {
                    assertThat(d.getProbabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                            .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
                    assertThat(d.getEncoderVersion()).startsWith("all-minilm-l6-v2-q@");
                }

                // The agents label every decision; the learner publishes a version after 10 updates.
                List<ProducerRecord<byte[], byte[]>> feedback = new ArrayList<>();
                AvroCodec<AgentFeedback> feedbackCodec = AvroCodec.of(AgentFeedback.class);
                for (TriageDecision d : before) {
                    String label = byId.get(d.getMessageId()).label().label();
                    feedback.add(record(ChatPipelineOptions.DEFAULT_FEEDBACK_TOPIC, d.getPredictionId(),
                            feedbackCodec.encode(AgentFeedback.newBuilder()
                                    .setPredictionId(d.getPredictionId())
                                    .setConversationId(d.getConversationId())
                                    .setCorrectClass(label)
                                    .setAgreed(label.equals(d.getTriageClass()))
                                    .setAgentId("agent-1")
                                    .setGivenAt(d.getSentAt().plusSeconds(30))
                                    .build())));
                }
                kafka.produce(feedback);
                List<ConsumerRecord<byte[], byte[]>> control = kafka.readCommitted(
                        ChatPipelineOptions.CONTROL_TOPIC.defaultValue(), 1, Duration.ofSeconds(120));
                assertThat(control).as("a learned head version on the control topic").isNotEmpty();
                ModelUpdate update = AvroCodec.of(ModelUpdate.class).decode(control.get(0).value());
                assertThat(update.getName()).isEqualTo(ChatJob.HEAD_NAME);
                assertThat(Long.parseLong(update.getVersion())).isGreaterThanOrEqualTo(2);
                byte[] onnx = Files.readAllBytes(Paths.get(URI.create(update.getUri())));
                assertThat(Sha256.hex(onnx)).isEqualTo(update.getSha256());

                // Messages sent after the swap are triaged by a learned version.
                List<LabelledMessage> second = ChatTraffic.messages(corpus.heldOut(), "b", start + 3_600_000, 1_000,
                        2);
                List<ProducerRecord<byte[], byte[]>> later = new ArrayList<>();
                for (LabelledMessage m : second) {
                    later.add(record(ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC, m.message().getConversationId(),
                            ChatTraffic.encode(m.message())));
                }
                kafka.produce(later);
                List<TriageDecision> all = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(ChatPipelineOptions.DEFAULT_TRIAGE_TOPIC,
                        first.size() + second.size(), Duration.ofSeconds(120))) {
                    all.add(decisions.decode(r.value()));
                }
                assertThat(all).hasSize(first.size() + second.size());
                assertThat(all).filteredOn(d -> d.getMessageId().startsWith("b-"))
                        .extracting(TriageDecision::getHeadVersion)
                        .as("versions of the messages sent after the swap")
                        .allMatch(v -> Long.parseLong(v) >= 2);

                // Every invalid message is a dead letter with its reason.
                AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
                Map<String, Integer> reasons = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted("vigil.dlq", bad.size(),
                        Duration.ofSeconds(60))) {
                    reasons.merge(letters.decode(r.value()).getReason(), 1, Integer::sum);
                }
                Map<String, Integer> expected = new HashMap<>();
                for (BadRecord<ChatTraffic.Defect> b : bad) {
                    expected.merge(b.defect().reason(), 1, Integer::sum);
                }
                assertThat(reasons).isEqualTo(expected);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
