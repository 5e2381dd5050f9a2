package dev.vigil.pipelines.chat;

import dev.vigil.operators.chat.SentenceEncoder;
import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.sim.chat.ChatCorpus;
import dev.vigil.pipelines.sim.chat.ChatTraffic;
import dev.vigil.schema.chat.TriageDecision;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil bench chat [sentences]}: throughput of the chat encoder alone and of the chat job, at micro-batch sizes
 * 1, 8 and 32, on the generated corpus (messages of 8 to 40 tokens). {@code vigil bench chat latency} is the
 * fixed-rate latency benchmark ({@link ChatLatencyBench}). Without the launcher: {@code java ...
 * dev.vigil.pipelines.chat.ChatBenchmark [sentences | latency --rate 60]}.
 *
 * <ul>
 *   <li><b>encoder alone</b>: {@link SentenceEncoder#encode} on consecutive batches, one intra-op thread, after a
 *       warm-up; sentences/s and the p50/p99 latency of a batch call;
 *   <li><b>in the job</b>: the chat job (learning and drift off, parallelism 1, bounded input) with {@code
 *       vigil.inference.batch.max-size} = the batch size; messages / (last scoredAt - first scoredAt), i.e. steady-state
 *       processing without job start-up and checkpoint commit latency.
 * </ul>
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = "Chat triage throughput: MiniLM encoder alone and the chat job, at batch 1, 8 and 32."
                + " Subcommand 'latency': p50/p99 latency at a fixed rate.",
        subcommands = {ChatLatencyBench.class})
public final class ChatBenchmark implements Callable<Integer> {

    private static final int[] BATCHES = {1, 8, 32};

    @Parameters(index = "0", arity = "0..1", defaultValue = "960",
            description = "Sentences per measurement (default: ${DEFAULT-VALUE}).")
    int sentences;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ChatBenchmark()).execute(args));
    }

    /** The corpus's distinct messages: the training templates' (not augmented) and the held-out ones. */
    static List<String> distinctTexts() {
        ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults().withPerTemplate(8));
        List<String> texts = new ArrayList<>();
        for (ChatCorpus.Example e : corpus.train()) {
            if (!e.augmented()) {
                texts.add(e.text());
            }
        }
        texts.addAll(ChatCorpus.texts(corpus.heldOut()));
        return texts;
    }

    @Override
    public Integer call() throws Exception {
        int n = sentences;
        List<String> texts = distinctTexts();
        System.out.printf(Locale.ROOT, "%d distinct messages; %d processors%n", texts.size(),
                Runtime.getRuntime().availableProcessors());
        try (SentenceEncoder encoder = SentenceEncoder.load(new Configuration(), ChatBenchmark.class.getClassLoader())) {
            for (int b : BATCHES) {
                encode(encoder, texts, b, Math.min(n, 64)); // warm-up
                long[] nanos = encode(encoder, texts, b, n);
                long total = Arrays.stream(nanos).sum();
                Arrays.sort(nanos);
                System.out.printf(Locale.ROOT, "encoder alone  batch %2d: %6.0f sentences/s  batch p50 %6.1f ms"
                                + "  p99 %6.1f ms%n", b, n / (total / 1e9), nanos[nanos.length / 2] / 1e6,
                        nanos[(int) Math.min(nanos.length - 1, Math.ceil(nanos.length * 0.99) - 1)] / 1e6);
            }
        }
        for (int b : BATCHES) {
            System.out.printf(Locale.ROOT, "in the job     batch %2d: %6.0f messages/s%n", b, inJob(texts, b, n));
        }
        return 0;
    }

    /** Per-call latencies of encoding {@code n} texts in batches of {@code batch}. */
    static long[] encode(SentenceEncoder encoder, List<String> texts, int batch, int n) throws Exception {
        int calls = (n + batch - 1) / batch;
        long[] nanos = new long[calls];
        float[][] out = new float[batch][encoder.dimension()];
        List<String> chunk = new ArrayList<>(batch);
        for (int c = 0; c < calls; c++) {
            chunk.clear();
            for (int i = 0; i < batch; i++) {
                chunk.add(texts.get((c * batch + i) % texts.size()));
            }
            long t = System.nanoTime();
            encoder.encode(chunk, out);
            nanos[c] = System.nanoTime() - t;
        }
        return nanos;
    }

    static double inJob(List<String> texts, int batch, int n) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(ChatPipelineOptions.topics());
            List<ChatCorpus.Example> examples = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                examples.add(new ChatCorpus.Example(texts.get(i % texts.size()), null, "bench", false));
            }
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (ChatTraffic.LabelledMessage m : ChatTraffic.messages(examples, "bench", 0, 10, 1)) {
                records.add(new ProducerRecord<>(ChatPipelineOptions.DEFAULT_MESSAGES_TOPIC,
                        m.message().getConversationId().getBytes(StandardCharsets.UTF_8),
                        ChatTraffic.encode(m.message())));
            }
            kafka.produce(records);
            Configuration conf = new Configuration();
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "bench-" + UUID.randomUUID().toString().substring(0, 8));
            conf.set(ChatPipelineOptions.BOUNDED, true);
            conf.set(ChatPipelineOptions.DRIFT_ENABLED, false);
            conf.set(InferenceOptions.BATCH_MAX_SIZE, batch);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
            ChatJob.build(env, conf);
            var job = env.executeAsync("chat-bench");
            AvroCodec<TriageDecision> codec = AvroCodec.of(TriageDecision.class);
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            List<ConsumerRecord<byte[], byte[]>> out =
                    kafka.readCommitted(ChatPipelineOptions.DEFAULT_TRIAGE_TOPIC, n, Duration.ofMinutes(5));
            for (ConsumerRecord<byte[], byte[]> r : out) {
                long t = codec.decode(r.value()).getScoredAt().toEpochMilli();
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
            job.cancel().get();
            return out.size() / Math.max(1e-3, (last - first) / 1e3);
        }
    }
}
