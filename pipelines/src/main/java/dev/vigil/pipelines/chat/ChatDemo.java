package dev.vigil.pipelines.chat;

import dev.vigil.operators.chat.TriageClass;
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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil demo chat}: the chat triage job on an in-process broker and MiniCluster. Phase 1 streams messages
 * written with wording the bundled head never saw (its held-out templates) and scores the bundled head's decisions;
 * simulated agents then label every decision, the online learner publishes head versions, the job hot-swaps them,
 * and phase 2 streams new messages of the same kind, scored against the swapped-in version. Prints accuracy before
 * and after feedback, throughput, versions, dead letters and drift events.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = "Run the chat triage demo: MiniLM encoder + triage head in Flink, agent feedback, online head"
                + " updates hot-swapped into the job; prints accuracy before/after feedback and throughput.")
public final class ChatDemo implements Callable<Integer> {

    @Option(names = "--per-template", defaultValue = "24",
            description = "Messages per held-out template in each phase (default: ${DEFAULT-VALUE}).")
    int perTemplate;

    @Option(names = "--seed", defaultValue = "7", description = "Traffic seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--timeout", defaultValue = "PT3M",
            description = "Give up waiting for each phase after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** What a run measured. */
    public record Report(int phase1, double accuracyBefore, double seconds1, int phase2, double accuracyAfter,
            double seconds2, Map<String, Integer> versionsPhase2, List<String> published,
            Map<String, Integer> deadLetters, int driftEvents, double beforeUnseen, double beforeSeen,
            double afterUnseen, double afterSeen) {}

    @Override
    public Integer call() throws Exception {
        Report r = run(perTemplate, seed, parallelism, timeout, System.out);
        print(r, System.out);
        return r.accuracyAfter() >= 0 ? 0 : 1;
    }

    public static Report run(int perTemplate, long seed, int parallelism, Duration timeout, PrintStream out)
            throws Exception {
        out.printf("Starting an in-process Kafka broker (KRaft) ...%n");
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(ChatPipelineOptions.topics());
            Path registry = Files.createTempDirectory("vigil-chat-registry-");
            Configuration conf = new Configuration();
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "vigil-chat-demo-" + UUID.randomUUID().toString()
                    .substring(0, 8));
            conf.set(ChatPipelineOptions.LEARNING_ENABLED, true);
            conf.set(ChatPipelineOptions.DRIFT_WINDOW, 100);
            conf.set(LearnerOptions.REGISTRY_ROOT, registry.toUri().toString());
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            ChatJob.build(env, conf);
            JobClient job = env.executeAsync("vigil-chat-demo");
            out.printf("Chat job submitted (parallelism %d): ingest -> MiniLM encoder (micro-batched) -> triage head"
                    + " (hot-swap) -> %s%n", parallelism, ChatPipelineOptions.DEFAULT_TRIAGE_TOPIC);
            try {
                ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults().withSeed(seed)
                        .withPerTemplate(perTemplate));
                long start = Instant.parse("2026-11-25T08:00:00Z").toEpochMilli();
                List<LabelledMessage> first = ChatTraffic.messages(traffic(corpus), "p1", start, 1_000, seed);
                List<BadRecord<ChatTraffic.Defect>> bad = ChatTraffic.badRecords(seed, 2,
                        ChatPipelineOptions.MAX_CHARS.defaultValue(), start);
                List<ProducerRecord<byte[], byte[]>> records = messages(first);
                for (BadRecord<ChatTraffic.Defect> b : bad) {
                    records.add(record(ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC, b.key(), b.value()));
                }
                out.printf("Phase 1: %d messages, half in wording the bundled head never saw (its held-out"
                        + " templates), half in wording it was trained on, plus %d invalid ones ...%n", first.size(),
                        bad.size());
                long t0 = System.nanoTime();
                kafka.produce(records);
                List<TriageDecision> before = decisions(kafka, first.size(), timeout);
                double seconds1 = (System.nanoTime() - t0) / 1e9;
                Map<String, TriageClass> truth = new HashMap<>();
                java.util.Set<String> unseen = new java.util.HashSet<>();
                for (LabelledMessage m : first) {
                    truth.put(m.message().getMessageId(), m.label());
                }
                java.util.Set<String> heldOutTexts = new java.util.HashSet<>(ChatCorpus.texts(corpus.heldOut()));
                double accuracyBefore = accuracy(before, truth);
                out.printf(Locale.ROOT, "  %d decisions in %.1f s (%.0f messages/s end to end, exactly-once commits included);"
                        + " accuracy %.3f%n", before.size(), seconds1, before.size() / seconds1, accuracyBefore);

                out.printf("Agents label every decision; the online learner trains a head and publishes versions"
                        + " ...%n");
                kafka.produce(feedback(before, truth));
                kafka.readCommitted(ChatPipelineOptions.CONTROL_TOPIC.defaultValue(), 1, timeout);
                Thread.sleep(3_000); // let the learner publish the versions of the rest of the feedback too

                ChatCorpus corpus2 = ChatCorpus.generate(ChatCorpus.Config.defaults().withSeed(seed + 1)
                        .withPerTemplate(perTemplate));
                List<LabelledMessage> second = ChatTraffic.messages(traffic(corpus2), "p2", start + 3_600_000, 1_000,
                        seed + 1);
                for (LabelledMessage m : second) {
                    truth.put(m.message().getMessageId(), m.label());
                }
                heldOutTexts.addAll(ChatCorpus.texts(corpus2.heldOut()));
                for (LabelledMessage m : first) {
                    if (heldOutTexts.contains(m.message().getText())) {
                        unseen.add(m.message().getMessageId());
                    }
                }
                for (LabelledMessage m : second) {
                    if (heldOutTexts.contains(m.message().getText())) {
                        unseen.add(m.message().getMessageId());
                    }
                }
                out.printf("Phase 2: %d new messages of the same kinds ...%n", second.size());
                long t1 = System.nanoTime();
                kafka.produce(messages(second));
                List<TriageDecision> all = decisions(kafka, first.size() + second.size(), timeout);
                double seconds2 = (System.nanoTime() - t1) / 1e9;
                List<TriageDecision> after = new ArrayList<>();
                Map<String, Integer> versions = new TreeMap<>();
                for (TriageDecision d : all) {
                    if (d.getMessageId().startsWith("p2-")) {
                        after.add(d);
                        versions.merge(d.getHeadVersion(), 1, Integer::sum);
                    }
                }
                List<String> published = new ArrayList<>();
                AvroCodec<ModelUpdate> updates = AvroCodec.of(ModelUpdate.class);
                for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(
                        ChatPipelineOptions.CONTROL_TOPIC.defaultValue(), Duration.ofSeconds(5))) {
                    ModelUpdate u = updates.decode(r.value());
                    published.add(u.getVersion());
                }
                Map<String, Integer> letters = new TreeMap<>();
                AvroCodec<DeadLetter> dlq = AvroCodec.of(DeadLetter.class);
                for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted("vigil.dlq", Duration.ofSeconds(5))) {
                    letters.merge(dlq.decode(r.value()).getReason(), 1, Integer::sum);
                }
                int drift = kafka.readAllCommitted(ChatPipelineOptions.DRIFT_TOPIC.defaultValue(),
                        Duration.ofSeconds(5)).size();
                return new Report(before.size(), accuracyBefore, seconds1, after.size(),
                        accuracy(after, truth), seconds2, versions, published, letters, drift,
                        accuracy(filter(before, unseen, true), truth), accuracy(filter(before, unseen, false), truth),
                        accuracy(filter(after, unseen, true), truth), accuracy(filter(after, unseen, false), truth));
            } finally {
                job.cancel().get();
            }
        }
    }

    public static void print(Report r, PrintStream out) {
        out.printf("%nChat triage demo%n");
        out.printf(Locale.ROOT, "  accuracy before feedback  %.3f  (%d messages, bundled head v1)%n",
                r.accuracyBefore(), r.phase1());
        out.printf(Locale.ROOT, "  accuracy after feedback   %.3f  (%d messages, head versions %s)%n",
                r.accuracyAfter(), r.phase2(), r.versionsPhase2());
        out.printf(Locale.ROOT, "    new wording / trained wording: before %.3f / %.3f, after %.3f / %.3f%n",
                r.beforeUnseen(), r.beforeSeen(), r.afterUnseen(), r.afterSeen());
        out.printf(Locale.ROOT, "  throughput                %.0f and %.0f messages/s end to end (phase 1, 2)%n",
                r.phase1() / r.seconds1(), r.phase2() / r.seconds2());
        out.printf("  versions published        %s%n", r.published());
        out.printf("  dead letters              %s%n", r.deadLetters());
        out.printf("  embedding drift events    %d%n", r.driftEvents());
    }

    /** The held-out templates' messages and as many of the training templates' (not augmented, evenly spread). */
    static List<ChatCorpus.Example> traffic(ChatCorpus corpus) {
        List<ChatCorpus.Example> seen = new ArrayList<>();
        for (ChatCorpus.Example e : corpus.train()) {
            if (!e.augmented()) {
                seen.add(e);
            }
        }
        List<ChatCorpus.Example> out = new ArrayList<>(corpus.heldOut());
        int n = corpus.heldOut().size();
        for (int i = 0; i < n && i < seen.size(); i++) {
            out.add(seen.get((int) ((long) i * seen.size() / n)));
        }
        return out;
    }

    private static List<TriageDecision> filter(List<TriageDecision> decisions, java.util.Set<String> unseen,
            boolean wantUnseen) {
        List<TriageDecision> out = new ArrayList<>();
        for (TriageDecision d : decisions) {
            if (unseen.contains(d.getMessageId()) == wantUnseen) {
                out.add(d);
            }
        }
        return out;
    }

    static double accuracy(List<TriageDecision> decisions, Map<String, TriageClass> truth) {
        if (decisions.isEmpty()) {
            return -1;
        }
        int correct = 0;
        for (TriageDecision d : decisions) {
            if (truth.get(d.getMessageId()).label().equals(d.getTriageClass())) {
                correct++;
            }
        }
        return (double) correct / decisions.size();
    }

    private static List<TriageDecision> decisions(EmbeddedKafka kafka, int n, Duration timeout)
            throws Exception {
        AvroCodec<TriageDecision> codec = AvroCodec.of(TriageDecision.class);
        List<TriageDecision> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readCommitted(ChatPipelineOptions.DEFAULT_TRIAGE_TOPIC, n,
                timeout)) {
            out.add(codec.decode(r.value()));
        }
        return out;
    }

    private static List<ProducerRecord<byte[], byte[]>> messages(List<LabelledMessage> messages) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (LabelledMessage m : messages) {
            records.add(record(ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC, m.message().getConversationId(),
                    ChatTraffic.encode(m.message())));
        }
        return records;
    }

    private static List<ProducerRecord<byte[], byte[]>> feedback(List<TriageDecision> decisions,
            Map<String, TriageClass> truth) {
        AvroCodec<AgentFeedback> codec = AvroCodec.of(AgentFeedback.class);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (TriageDecision d : decisions) {
            String label = truth.get(d.getMessageId()).label();
            records.add(record(ChatPipelineOptions.DEFAULT_FEEDBACK_TOPIC, d.getPredictionId(),
                    codec.encode(AgentFeedback.newBuilder()
                            .setPredictionId(d.getPredictionId())
                            .setConversationId(d.getConversationId())
                            .setCorrectClass(label)
                            .setAgreed(label.equals(d.getTriageClass()))
                            .setAgentId("agent-" + (Math.abs(d.getConversationId().hashCode()) % 5))
                            .setGivenAt(d.getSentAt().plusSeconds(60))
                            .build())));
        }
        return records;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }
}
