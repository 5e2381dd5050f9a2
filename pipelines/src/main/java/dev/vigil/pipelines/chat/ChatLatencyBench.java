package dev.vigil.pipelines.chat;

import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.sim.chat.ChatCorpus;
import dev.vigil.pipelines.sim.chat.ChatTraffic;
import dev.vigil.schema.chat.TriageDecision;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Preconditions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil bench chat latency}: latency of the chat job at a fixed input rate. An in-process KRaft broker and a
 * MiniCluster run {@link ChatJob} as {@code vigil demo chat} does (exactly-once sinks, 500 ms checkpoints, heap state)
 * with learning and drift off and micro-batches of {@code --batch}; a paced producer sends generated chat messages
 * at {@code --rate} messages/s, first for {@code --warmup} (not measured), then for {@code --duration}.
 *
 * <p>The messages topic uses {@code message.timestamp.type=LogAppendTime}, so the producer's acknowledgement carries
 * the broker's append time of each message. Two latencies per measured message, in one HdrHistogram each:
 *
 * <ul>
 *   <li><b>end to end</b>: append time → the message's {@link TriageDecision} returned by a {@code read_committed}
 *       consumer polling the triage topic (includes waiting for the checkpoint that commits the transaction);
 *   <li><b>processing</b>: append time → the decision's {@code scoredAt} (source, decode, micro-batch, encoder, head;
 *       no commit delay).
 * </ul>
 *
 * <p>All clocks are this JVM's wall clock (broker, job and consumer run in-process), in milliseconds. The producer is
 * paced against a fixed schedule (send {@code i} at {@code start + i / rate}); if it falls behind it catches up, and
 * the achieved rate is printed. Latency starts at the broker's append, so time a message spent in the producer is
 * not counted: read it with the achieved rate. The message order and texts are seeded; timings are not repeatable.
 */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = "Chat job latency at a fixed rate: Kafka append -> decision visible to read_committed"
                + " (end to end) and append -> scoredAt (processing); HdrHistogram p50/p99/max and achieved rate.")
public final class ChatLatencyBench implements Callable<Integer> {

    /** Message ids of the measured phase start with this; warm-up ones with {@link #WARMUP_PREFIX}. */
    static final String MEASURED_PREFIX = "m";

    static final String WARMUP_PREFIX = "w";

    @Option(names = "--rate", defaultValue = "60",
            description = "Messages per second (default: ${DEFAULT-VALUE}, about 50%% of the job's steady-state"
                    + " throughput at batch 8 on the 2-core dev machine, see docs/CHAT.md).")
    double rate;

    @Option(names = "--duration", defaultValue = "PT60S",
            description = "Measured phase (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "PT15S",
            description = "Unmeasured phase at the same rate first (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--batch", defaultValue = "8",
            description = "vigil.inference.batch.max-size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--parallelism", defaultValue = "1", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "PT0.5S",
            description = "Checkpoint interval: the commit period of the exactly-once sinks (default:"
                    + " ${DEFAULT-VALUE}, as in vigil demo chat).")
    Duration checkpointInterval;

    @Option(names = "--seed", defaultValue = "7", description = "Message order seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "PT2M",
            description = "After the last send, give up waiting for decisions after this long (default:"
                    + " ${DEFAULT-VALUE}).")
    Duration timeout;

    /** What a run measured; latencies in milliseconds. */
    public record Result(double targetRate, int sent, double achievedRate, int measured, int missing,
            Histogram endToEnd, Histogram processing, double decisionRate, double loadBefore, double loadAfter) {}

    @Override
    public Integer call() throws Exception {
        Preconditions.checkArgument(rate > 0, "--rate must be > 0: %s", rate);
        Result r = run(rate, warmup, duration, batch, parallelism, checkpointInterval, seed, timeout, System.out);
        print(r, System.out);
        return r.missing() == 0 ? 0 : 1;
    }

    public static Result run(double rate, Duration warmup, Duration duration, int batch, int parallelism,
            Duration checkpointInterval, long seed, Duration timeout, PrintStream out) throws Exception {
        List<String> texts = ChatBenchmark.distinctTexts();
        out.printf("Starting an in-process Kafka broker (KRaft) ...%n");
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(ChatPipelineOptions.topics());
            useLogAppendTime(kafka.bootstrapServers(), ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC);
            Configuration conf = new Configuration();
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "vigil-chat-latency-" + UUID.randomUUID().toString()
                    .substring(0, 8));
            conf.set(ChatPipelineOptions.LEARNING_ENABLED, false);
            conf.set(ChatPipelineOptions.DRIFT_ENABLED, false);
            conf.set(InferenceOptions.BATCH_MAX_SIZE, batch);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
            ChatJob.build(env, conf);
            JobClient job = env.executeAsync("vigil-chat-latency");
            Map<String, Long> appended = new ConcurrentHashMap<>();
            DecisionReader reader = new DecisionReader(kafka.bootstrapServers(),
                    ChatPipelineOptions.DEFAULT_TRIAGE_TOPIC);
            Thread readerThread = new Thread(reader, "chat-latency-reader");
            readerThread.setDaemon(true);
            readerThread.start();
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(producerConfig(kafka.bootstrapServers()))) {
                out.printf(Locale.ROOT, "Chat job submitted (parallelism %d, batch %d, checkpoints every %d ms);"
                        + " warm-up: %.0f messages/s for %d s ...%n", parallelism, batch,
                        checkpointInterval.toMillis(), rate, warmup.toSeconds());
                int warm = count(rate, warmup);
                send(producer, messages(texts, WARMUP_PREFIX, warm, rate, seed), rate, appended);
                // Start measuring from an empty pipeline: a job slower to start than the warm-up drains its backlog.
                long warmDeadline = System.nanoTime() + timeout.toNanos();
                while (reader.decided() < warm && System.nanoTime() < warmDeadline && reader.failure() == null) {
                    Thread.sleep(50);
                }
                out.printf(Locale.ROOT, "Measuring: %.0f messages/s for %d s ...%n", rate, duration.toSeconds());
                double loadBefore = loadAverage();
                int n = count(rate, duration);
                send(producer, messages(texts, MEASURED_PREFIX, n, rate, seed + 1), rate, appended);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (reader.measured() < n && System.nanoTime() < deadline && reader.failure() == null) {
                    Thread.sleep(50);
                }
                double loadAfter = loadAverage();
                reader.stop();
                readerThread.join(10_000);
                if (reader.failure() != null) {
                    throw new IllegalStateException("Reading decisions failed", reader.failure());
                }
                return summarize(rate, n, appended, reader.decisions(), loadBefore, loadAfter);
            } finally {
                reader.stop();
                job.cancel().get();
            }
        }
    }

    public static void print(Result r, PrintStream out) {
        out.printf("%nChat job latency at a fixed rate%n");
        out.printf(Locale.ROOT, "  rate               target %.1f, achieved %.1f messages/s (%d sent, Kafka append"
                + " times); decisions %.1f/s%n", r.targetRate(), r.achievedRate(), r.sent(), r.decisionRate());
        out.printf(Locale.ROOT, "  decisions          %d measured, %d missing%n", r.measured(), r.missing());
        line(out, "end to end (ms)", r.endToEnd());
        line(out, "processing (ms)", r.processing());
        out.printf(Locale.ROOT, "  load average (1 min)  %.2f at start, %.2f at end, %d processors%n",
                r.loadBefore(), r.loadAfter(), Runtime.getRuntime().availableProcessors());
    }

    private static void line(PrintStream out, String name, Histogram h) {
        out.printf(Locale.ROOT, "  %-18s p50 %6d  p99 %6d  max %6d  mean %8.1f%n", name,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), h.getMean());
    }

    /**
     * Joins the measured messages' append times with their decisions. Warm-up messages are ignored; a measured message
     * without an append time or a decision counts as missing; a message decided twice (it cannot be, exactly-once)
     * counts once, with its first decision.
     *
     * @param appended append time by message id (all phases)
     * @param decisions decisions in the order they became visible
     */
    static Result summarize(double targetRate, int sent, Map<String, Long> appended, List<Visible> decisions,
            double loadBefore, double loadAfter) {
        Histogram e2e = new Histogram(Duration.ofMinutes(10).toMillis(), 3);
        Histogram processing = new Histogram(Duration.ofMinutes(10).toMillis(), 3);
        long firstAppend = Long.MAX_VALUE;
        long lastAppend = Long.MIN_VALUE;
        int appendedMeasured = 0;
        for (Map.Entry<String, Long> e : appended.entrySet()) {
            if (isMeasured(e.getKey())) {
                appendedMeasured++;
                firstAppend = Math.min(firstAppend, e.getValue());
                lastAppend = Math.max(lastAppend, e.getValue());
            }
        }
        long firstScored = Long.MAX_VALUE;
        long lastScored = Long.MIN_VALUE;
        Map<String, Boolean> seen = new HashMap<>();
        for (Visible v : decisions) {
            Long append = appended.get(v.messageId());
            if (!isMeasured(v.messageId()) || append == null || seen.put(v.messageId(), true) != null) {
                continue;
            }
            e2e.recordValue(Math.max(0, v.visibleAtMillis() - append));
            processing.recordValue(Math.max(0, v.scoredAtMillis() - append));
            firstScored = Math.min(firstScored, v.scoredAtMillis());
            lastScored = Math.max(lastScored, v.scoredAtMillis());
        }
        int measured = seen.size();
        return new Result(targetRate, sent, rate(appendedMeasured, firstAppend, lastAppend), measured,
                sent - measured, e2e, processing, rate(measured, firstScored, lastScored), loadBefore, loadAfter);
    }

    /** {@code n} events from {@code first} to {@code last} ms: {@code (n - 1)} intervals; 0 if fewer than 2. */
    static double rate(int n, long firstMillis, long lastMillis) {
        return n < 2 || lastMillis <= firstMillis ? 0 : (n - 1) * 1000.0 / (lastMillis - firstMillis);
    }

    static boolean isMeasured(String messageId) {
        return messageId.startsWith(MEASURED_PREFIX + "-");
    }

    /** Messages in {@code phase}: {@code rate × phase}, at least 1. */
    static int count(double rate, Duration phase) {
        return (int) Math.max(1, Math.round(rate * phase.toMillis() / 1000.0));
    }

    /** When send {@code i} is due: {@code start + i / rate} seconds, in nanoseconds. */
    static long dueNanos(long startNanos, int i, double rate) {
        return startNanos + Math.round(i * 1e9 / rate);
    }

    /**
     * {@code n} messages over {@code texts} (cycled), in a seeded order, with {@code sentAt} spaced as the schedule
     * from now (event time only orders the job's watermarks; latency uses the broker's append time).
     */
    static List<ChatTraffic.LabelledMessage> messages(List<String> texts, String prefix, int n, double rate,
            long seed) {
        List<ChatCorpus.Example> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            examples.add(new ChatCorpus.Example(texts.get(i % texts.size()), null, "bench", false));
        }
        long spacing = Math.max(1, Math.round(1000 / rate));
        return ChatTraffic.messages(examples, prefix, System.currentTimeMillis(), spacing, seed);
    }

    /** Sends on the fixed schedule; the acknowledgement's timestamp (LogAppendTime) goes into {@code appended}. */
    private static void send(KafkaProducer<byte[], byte[]> producer, List<ChatTraffic.LabelledMessage> messages,
            double rate, Map<String, Long> appended) {
        AtomicReference<Exception> failed = new AtomicReference<>();
        long start = System.nanoTime();
        for (int i = 0; i < messages.size(); i++) {
            long wait = dueNanos(start, i, rate) - System.nanoTime();
            while (wait > 0) {
                LockSupport.parkNanos(wait);
                wait = dueNanos(start, i, rate) - System.nanoTime();
            }
            var m = messages.get(i).message();
            String id = m.getMessageId();
            producer.send(new ProducerRecord<>(ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC,
                    m.getConversationId().getBytes(StandardCharsets.UTF_8), ChatTraffic.encode(m)), (md, e) -> {
                        if (e != null) {
                            failed.compareAndSet(null, e);
                        } else {
                            appended.put(id, md.timestamp());
                        }
                    });
        }
        producer.flush();
        if (failed.get() != null) {
            throw new IllegalStateException("Cannot produce to Kafka", failed.get());
        }
    }

    private static void useLogAppendTime(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                            "LogAppendTime"), AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        c.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return c;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** A decision and when this process saw it committed. */
    record Visible(String messageId, long scoredAtMillis, long visibleAtMillis) {}

    /** Polls the triage topic ({@code read_committed}, from the beginning) and stamps each decision on arrival. */
    private static final class DecisionReader implements Runnable {
        private final String bootstrap;
        private final String topic;
        private final List<Visible> decisions = new ArrayList<>();
        private volatile boolean running = true;
        private volatile int measured;
        private volatile int decided;
        private volatile Exception failure;

        DecisionReader(String bootstrap, String topic) {
            this.bootstrap = bootstrap;
            this.topic = topic;
        }

        @Override
        public void run() {
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            AvroCodec<TriageDecision> codec = AvroCodec.of(TriageDecision.class);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo p : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                int count = 0;
                while (running) {
                    var records = consumer.poll(Duration.ofMillis(20));
                    long now = System.currentTimeMillis();
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        TriageDecision d = codec.decode(r.value());
                        Visible v = new Visible(d.getMessageId(), d.getScoredAt().toEpochMilli(), now);
                        synchronized (decisions) {
                            decisions.add(v);
                        }
                        if (isMeasured(v.messageId())) {
                            count++;
                        }
                    }
                    measured = count;
                    decided += records.count();
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /** Measured messages decided so far. */
        int measured() {
            return measured;
        }

        /** Decisions so far, warm-up included. */
        int decided() {
            return decided;
        }

        Exception failure() {
            return failure;
        }

        void stop() {
            running = false;
        }

        List<Visible> decisions() {
            synchronized (decisions) {
                return new ArrayList<>(decisions);
            }
        }
    }
}
