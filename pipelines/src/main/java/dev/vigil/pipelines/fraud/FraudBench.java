package dev.vigil.pipelines.fraud;

import static org.apache.flink.util.Preconditions.checkArgument;

import dev.vigil.operators.fraud.FraudFeatureFunction;
import dev.vigil.operators.fraud.FraudFeatureOptions;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.FraudSnapshot;
import dev.vigil.operators.fraud.TransactionEvent;
import dev.vigil.operators.fraud.decision.DecidedTransaction;
import dev.vigil.operators.fraud.decision.FraudDecisionOptions;
import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.BatchFunction;
import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.inference.MicroBatchOperator;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.ingest.IngestFunction;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.pipelines.icu.IcuTrafficGenerator;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.kafka.VigilTopics;
import dev.vigil.pipelines.runtime.CommittedTail;
import dev.vigil.pipelines.sim.fraud.FraudEvent;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig;
import dev.vigil.pipelines.sim.fraud.FraudSimulator;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.fraud.Decision;
import dev.vigil.schema.fraud.FraudDecision;
import dev.vigil.schema.fraud.Transaction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code vigil bench fraud}: what features and inference cost in the fraud job. One JVM, an embedded broker, a Flink
 * MiniCluster with parallelism 2, exactly-once Kafka sinks, checkpoints every second; simulated transactions (no
 * labels, learning and monitors off) preloaded into a topic and read by three variants of the job in turn:
 *
 * <ul>
 *   <li>{@link Variant#IDENTITY}: Kafka → ingest (decode + validate) → an APPROVE decision per transaction → Kafka: the
 *       job with features and scoring replaced by identity;
 *   <li>{@link Variant#FEATURES}: the same with the keyed exact-window feature stage and the decision stage
 *       ({@link FraudHotSwapScoring} in a {@code MicroBatchOperator}), but no model call (every score null);
 *   <li>{@link Variant#FULL}: {@link FraudJob} itself: features → classifier + autoencoder in one micro-batch →
 *       decision policy and reasons.
 * </ul>
 *
 * Each runs bounded (stops at the topic's end); its rate is the transactions over the span of their {@code
 * scoredAt} between the 5th and the 95th percentile (start-up and the final checkpoint excluded), next to the job's
 * net runtime. Then the full job runs unbounded with transactions paced at {@code loadFactor} (70%) of its measured
 * rate, and the latency from Kafka append to scored and to visible to a {@code read_committed} consumer is recorded
 * (HdrHistogram, after a warm-up). Last, raw ONNX Runtime rows/s of both bundled models at the job's micro-batch size
 * ({@link InferenceOptions#BATCH_MAX_SIZE}) on one thread, outside Flink, on the same feature rows
 * ({@link FraudReplay}).
 */
public final class FraudBench {

    /** Job variants, cheapest first. */
    public enum Variant {
        IDENTITY("Kafka -> ingest -> identity decision -> Kafka"),
        FEATURES("+ exact-window features + decision stage, no model call"),
        FULL("FraudJob: + classifier and autoencoder (ONNX) in one micro-batch");

        final String description;

        Variant(String description) {
            this.description = description;
        }
    }

    /**
     * Bench settings.
     *
     * @param seed simulation seed
     * @param accounts simulated accounts
     * @param transactions transactions each throughput run reads
     * @param parallelism job parallelism
     * @param checkpointInterval checkpoint interval
     * @param runs throughput runs per variant (interleaved)
     * @param loadFactor share of the full job's rate at which latency is measured
     * @param latencyRun how long transactions are sent in the latency run
     * @param onnxRows feature rows for the raw ONNX Runtime measurement
     */
    public record Config(long seed, int accounts, int transactions, int parallelism, Duration checkpointInterval,
            int runs, double loadFactor, Duration latencyRun, int onnxRows) {
        public Config {
            checkArgument(accounts > 0 && transactions > 0 && parallelism > 0 && runs > 0 && onnxRows > 0,
                    "counts must be positive");
            checkArgument(loadFactor > 0 && loadFactor <= 1, "loadFactor must be in (0, 1]: %s", loadFactor);
        }
    }

    /** One throughput run. */
    public record Throughput(Variant variant, int run, long decisions, double jobSeconds, double steadyPerSecond) {}

    private static final String INPUT = "bench.fraud.transactions";
    private static final String LATENCY_INPUT = "bench.fraud.latency.transactions";

    private FraudBench() {}

    /** Runs the bench and prints its lines and summary to {@code out}. */
    public static void run(Config config, PrintStream out) throws Exception {
        out.printf(Locale.ROOT, "Simulating %,d accounts (seed %d) ...%n", config.accounts(), config.seed());
        // The latency run sends at 70% of the full job's rate for latencyRun, or until these run out.
        int latencyCount = config.transactions();
        List<ProducerRecord<byte[], byte[]>> stream = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        simulate(config, config.transactions() + latencyCount, stream, rows);
        List<ProducerRecord<byte[], byte[]>> throughputInput = stream.subList(0, config.transactions());
        List<ProducerRecord<byte[], byte[]>> latencyInput = stream.subList(config.transactions(), stream.size());
        out.printf(Locale.ROOT, "  %,d transactions for the throughput runs, %,d more for the latency run; %,d feature"
                + " rows%n", throughputInput.size(), latencyInput.size(), rows.size());

        out.println(rawOnnx(rows, out));

        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            Map<String, Integer> topics = new HashMap<>();
            topics.put(INPUT, VigilTopics.FRAUD_PARTITIONS);
            topics.put(LATENCY_INPUT, VigilTopics.FRAUD_PARTITIONS);
            for (Variant v : Variant.values()) {
                for (int run = 1; run <= config.runs(); run++) {
                    topics.put(outputTopic(v, run), VigilTopics.FRAUD_PARTITIONS);
                    topics.put(dlqTopic(v, run), 1);
                }
            }
            topics.put(outputTopic(Variant.FULL, 0), VigilTopics.FRAUD_PARTITIONS);
            topics.put(dlqTopic(Variant.FULL, 0), 1);
            kafka.createTopics(topics);
            long t0 = System.nanoTime();
            kafka.produce(retarget(throughputInput, INPUT));
            out.printf(Locale.ROOT, "Preloaded %,d transactions into %s (%d partitions) in %.1f s%n",
                    throughputInput.size(), INPUT, VigilTopics.FRAUD_PARTITIONS, (System.nanoTime() - t0) / 1e9);

            List<Throughput> results = new ArrayList<>();
            for (int run = 1; run <= config.runs(); run++) {
                for (Variant v : Variant.values()) {
                    Throughput t = throughput(kafka, config, v, run, throughputInput.size());
                    results.add(t);
                    out.printf(Locale.ROOT, "  run %d %-8s %,d of %,d decisions visible; job %.1f s; steady %,.0f"
                                    + " transactions/s%n", run, v, t.decisions(), throughputInput.size(),
                            t.jobSeconds(), t.steadyPerSecond());
                }
            }
            double identity = best(results, Variant.IDENTITY);
            double features = best(results, Variant.FEATURES);
            double full = best(results, Variant.FULL);
            out.println();
            out.println("Max throughput (best run), transactions/s, exactly-once, parallelism " + config.parallelism()
                    + ":");
            for (Variant v : Variant.values()) {
                double rate = best(results, v);
                out.printf(Locale.ROOT, "  %-8s %,9.0f   %s%n", v, rate, v.description);
            }
            out.printf(Locale.ROOT, "  full / identity = %.2f: features + inference cost %.0f%% of the identity job's"
                    + " throughput (features alone %.0f%%)%n", full / identity, 100 * (1 - full / identity),
                    100 * (1 - features / identity));

            double target = config.loadFactor() * full;
            out.println(latency(kafka, config, target, latencyInput));
        }
    }

    /** Transactions of the simulation, in delivery order, as producer records, and their feature rows. */
    static void simulate(Config config, int count, List<ProducerRecord<byte[], byte[]>> records, List<float[]> rows) {
        int days = 7;
        FraudSimulationConfig sim = FraudSimulationConfig.builder()
                .seed(config.seed())
                .accounts(config.accounts())
                .duration(Duration.ofDays(days))
                .build();
        AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
        FraudReplay replay = new FraudReplay(FraudFeatureOptions.settings(new Configuration()));
        FraudReplay.RowSink sink = (tx, truth, features) -> {
            rows.add(features.clone());
        };
        while (records.size() < count) {
            for (FraudEvent e : new FraudSimulator(sim)) {
                if (e.kind() != FraudEvent.Kind.TRANSACTION) {
                    continue;
                }
                if (rows.size() < config.onnxRows()) {
                    replay.apply(e, sink);
                }
                records.add(new ProducerRecord<>(INPUT, e.key().getBytes(StandardCharsets.UTF_8),
                        codec.encode(e.transaction())));
                if (records.size() >= count) {
                    break;
                }
            }
            if (records.size() < count) {
                // Not enough: simulate a longer span (the same seed gives the same first days).
                days *= 2;
                records.clear();
                rows.clear();
                replay = new FraudReplay(FraudFeatureOptions.settings(new Configuration()));
                sim = sim.toBuilder().duration(Duration.ofDays(Math.min(366, days))).build();
                checkArgument(days <= 366, "not enough transactions from %s accounts", config.accounts());
            }
        }
        if (rows.size() < config.onnxRows()) {
            replay.flush(sink);
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> retarget(List<ProducerRecord<byte[], byte[]>> in,
            String topic) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(in.size());
        for (ProducerRecord<byte[], byte[]> r : in) {
            out.add(new ProducerRecord<>(topic, r.key(), r.value()));
        }
        return out;
    }

    private static String outputTopic(Variant v, int run) {
        return "bench.fraud.decisions." + v.name().toLowerCase(Locale.ROOT) + "." + run;
    }

    private static String dlqTopic(Variant v, int run) {
        return "bench.fraud.dlq." + v.name().toLowerCase(Locale.ROOT) + "." + run;
    }

    private static double best(List<Throughput> results, Variant v) {
        return results.stream().filter(t -> t.variant() == v).mapToDouble(Throughput::steadyPerSecond).max()
                .orElse(Double.NaN);
    }

    /** The configuration of one variant's run. */
    static Configuration configuration(EmbeddedKafka kafka, Config config, String input, String output, String dlq,
            boolean bounded) throws IOException {
        Configuration conf = new Configuration();
        String id = "vigil-bench-fraud-" + UUID.randomUUID().toString().substring(0, 8);
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, id);
        conf.set(KafkaOptions.GROUP_ID_PREFIX, id);
        conf.set(FraudPipelineOptions.TRANSACTIONS_TOPIC, input);
        conf.set(FraudPipelineOptions.DECISIONS_TOPIC, output);
        conf.set(FraudPipelineOptions.DLQ_TOPIC, dlq);
        conf.set(FraudPipelineOptions.BOUNDED, bounded);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        Path checkpoints = Files.createTempDirectory("vigil-bench-fraud-");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    /** Adds {@code variant}'s topology to {@code env}. */
    static void build(Variant variant, StreamExecutionEnvironment env, Configuration conf) throws IOException {
        if (variant == Variant.FULL) {
            FraudJob.build(env, conf);
            return;
        }
        env.getConfig().enableObjectReuse();
        SingleOutputStreamOperator<Ingested<Transaction>> transactions = env.fromSource(
                        FraudJob.source(conf, "fraud-transactions", conf.get(FraudPipelineOptions.TRANSACTIONS_TOPIC)),
                        FraudJob.eventTime(conf, new ValidatedEventTime<>(Transaction.class,
                                new FraudRecordValidators.TransactionValidator(), Transaction::getEventTime)),
                        "transactions")
                .process(new IngestFunction<>(FraudJob.PIPELINE, Transaction.class,
                                new FraudRecordValidators.TransactionValidator()),
                        IngestFunction.typeInfo(Transaction.class))
                .name("ingest transactions");
        DataStream<FraudDecision> decisions;
        DataStream<DeadLetter> deadLetters = transactions.getSideOutput(IngestFunction.DEAD_LETTERS);
        if (variant == Variant.IDENTITY) {
            decisions = transactions.map(FraudBench::approve, new AvroTypeInfo<>(FraudDecision.class))
                    .name("identity decisions");
        } else {
            SingleOutputStreamOperator<FraudSnapshot> snapshots = transactions
                    .map(FraudJob::toEvent, TypeInformation.of(TransactionEvent.class))
                    .name("transaction events")
                    .keyBy(FraudFeatureFunction::key)
                    .process(FraudFeatureFunction.fromConfig(conf), TypeInformation.of(FraudSnapshot.class))
                    .name("account features");
            decisions = snapshots
                    .transform("decide without models", TypeInformation.of(DecidedTransaction.class),
                            MicroBatchOperator.factory(new NoModelScoring(), conf))
                    .map(DecidedTransaction::decision, new AvroTypeInfo<>(FraudDecision.class))
                    .name("decisions");
            deadLetters = deadLetters.union(snapshots.getSideOutput(FraudFeatureFunction.REJECTED)
                    .map(r -> FraudFeatureFunction.deadLetter(r, null), new AvroTypeInfo<>(DeadLetter.class)));
        }
        decisions.sinkTo(VigilKafka.exactlyOnceSink(conf, "fraud-decisions",
                        new AvroKafkaRecordSerializer<>(conf.get(FraudPipelineOptions.DECISIONS_TOPIC),
                                FraudDecision.class, FraudDecision::getAccountId))
                        .build())
                .name("decisions sink");
        deadLetters.sinkTo(VigilKafka.exactlyOnceSink(conf, "fraud-dlq",
                        new AvroKafkaRecordSerializer<>(conf.get(FraudPipelineOptions.DLQ_TOPIC),
                                DeadLetter.class, DeadLetter::getStage))
                        .build())
                .name("dead-letter sink");
    }

    /** The identity variant's decision: APPROVE, no scores, no model versions. */
    static FraudDecision approve(Ingested<Transaction> in) {
        Transaction t = in.value;
        return FraudDecision.newBuilder()
                .setTransactionId(t.getTransactionId())
                .setAccountId(t.getAccountId())
                .setCardId(t.getCardId())
                .setEventTime(t.getEventTime())
                .setDecision(Decision.APPROVE)
                .setScore(null)
                .setAnomalyScore(null)
                .setReviewThreshold(FraudDecisionOptions.REVIEW_THRESHOLD.defaultValue())
                .setDeclineThreshold(FraudDecisionOptions.DECLINE_THRESHOLD.defaultValue())
                .setAnomalyThreshold(null)
                .setModelName(FraudJob.CLASSIFIER_NAME)
                .setModelVersion(BatchFunction.NONE)
                .setAnomalyModelName(FraudJob.ANOMALY_MODEL_NAME)
                .setAnomalyModelVersion(BatchFunction.NONE)
                .setReasons(List.of())
                .setIngestTime(Instant.ofEpochMilli(in.ingestTime))
                .setScoredAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .build();
    }

    /** The fraud job's decision stage without models: every score null, so the policy's no-score rule decides. */
    static final class NoModelScoring implements BatchFunction<FraudSnapshot, DecidedTransaction> {
        private static final long serialVersionUID = 1L;
        private final FraudHotSwapScoring decisions =
                new FraudHotSwapScoring(FraudJob.CLASSIFIER_NAME, null, FraudJob.ANOMALY_MODEL_NAME);

        @Override
        public void open(Context context) {
            decisions.open(context);
        }

        @Override
        public void processBatch(List<FraudSnapshot> batch, BatchCollector<DecidedTransaction> out) {
            decisions.processBatch(batch, null, (dev.vigil.operators.inference.ModelRef) null, out);
        }

        @Override
        public void close() throws Exception {
            decisions.close();
        }
    }

    private static Throughput throughput(EmbeddedKafka kafka, Config config, Variant variant, int run, int expected)
            throws Exception {
        String output = outputTopic(variant, run);
        Configuration conf = configuration(kafka, config, INPUT, output, dlqTopic(variant, run), true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
        build(variant, env, conf);
        JobExecutionResult result = env.execute("vigil-bench-fraud-" + variant.name().toLowerCase(Locale.ROOT));
        double jobSeconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3;
        // A bounded run commits its last transaction in the final checkpoint; wait for it a while, then take what
        // is visible (the rate comes from the records' own timestamps, so a missing tail does not bias it).
        kafka.readCommitted(output, expected, Duration.ofSeconds(20));
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAllCommitted(output, Duration.ofSeconds(30));
        AvroCodec<FraudDecision> codec = AvroCodec.of(FraudDecision.class);
        long[] scoredAt = new long[records.size()];
        for (int i = 0; i < scoredAt.length; i++) {
            scoredAt[i] = codec.decode(records.get(i).value()).getScoredAt().toEpochMilli();
        }
        Arrays.sort(scoredAt);
        int lo = (int) (0.05 * scoredAt.length);
        int hi = Math.max(lo + 1, (int) (0.95 * scoredAt.length) - 1);
        double steady = scoredAt.length < 100 ? Double.NaN
                : (hi - lo) / Math.max(1e-3, (scoredAt[hi] - scoredAt[lo]) / 1e3);
        return new Throughput(variant, run, records.size(), jobSeconds, steady);
    }

    /** The full job, unbounded, fed at {@code rate} transactions/s: latency percentiles after a warm-up. */
    private static String latency(EmbeddedKafka kafka, Config config, double rate,
            List<ProducerRecord<byte[], byte[]>> input) throws Exception {
        String output = outputTopic(Variant.FULL, 0);
        Configuration conf = configuration(kafka, config, LATENCY_INPUT, output, dlqTopic(Variant.FULL, 0), false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
        FraudJob.build(env, conf);
        JobClient job = env.executeAsync("vigil-bench-fraud-latency");
        Histogram scored = new Histogram(3_600_000L, 3);
        Histogram visible = new Histogram(3_600_000L, 3);
        AvroCodec<FraudDecision> codec = AvroCodec.of(FraudDecision.class);
        long sent = 0;
        long warmupMillis = 5_000;
        try (CommittedTail tail = new CommittedTail(kafka.bootstrapServers(), List.of(output));
                Producer<byte[], byte[]> producer = IcuTrafficGenerator.producer(kafka.bootstrapServers())) {
            Thread.sleep(3_000); // let the job start reading before the clock starts
            AtomicReference<Exception> failure = new AtomicReference<>();
            long start = System.nanoTime();
            long end = start + config.latencyRun().toNanos();
            long startMillis = System.currentTimeMillis();
            double nanosPer = 1e9 / rate;
            List<CommittedTail.Received> received = new ArrayList<>();
            while (System.nanoTime() < end && sent < input.size()) {
                ProducerRecord<byte[], byte[]> r = input.get((int) sent);
                producer.send(new ProducerRecord<>(LATENCY_INPUT, null, System.currentTimeMillis(), r.key(), r.value()),
                        (m, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                sent++;
                long wait = start + (long) (sent * nanosPer) - System.nanoTime();
                if (wait > 200_000) {
                    LockSupport.parkNanos(wait);
                }
                if ((sent & 1023) == 0) {
                    received.addAll(tail.drain());
                }
            }
            producer.flush();
            if (failure.get() != null) {
                throw new IllegalStateException("producing failed", failure.get());
            }
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(config.checkpointInterval().toMillis() * 3 + 2_000);
            received.addAll(tail.drain());
            job.cancel().get();
            long counted = 0;
            for (CommittedTail.Received r : received) {
                FraudDecision d = codec.decode(r.record().value());
                long ingest = d.getIngestTime().toEpochMilli();
                if (ingest < startMillis + warmupMillis) {
                    continue;
                }
                scored.recordValue(Math.max(0, Math.min(3_600_000L, d.getScoredAt().toEpochMilli() - ingest)));
                visible.recordValue(Math.max(0, Math.min(3_600_000L, r.receivedAtMillis() - ingest)));
                counted++;
            }
            return String.format(Locale.ROOT,
                    "Latency of the full job at %,.0f transactions/s (%.0f%% of its max; sent %,d in %.1f s, %,d"
                            + " decisions after a %d s warm-up): Kafka append -> scored p50 %d ms, p99 %d ms;"
                            + " -> visible to read_committed p50 %d ms, p99 %d ms (checkpoints every %s)",
                    rate, 100 * config.loadFactor(), sent, sendSeconds, counted, warmupMillis / 1000,
                    scored.getValueAtPercentile(50), scored.getValueAtPercentile(99),
                    visible.getValueAtPercentile(50), visible.getValueAtPercentile(99),
                    config.checkpointInterval());
        }
    }

    /** Raw ONNX Runtime rows/s of both bundled models at the job's batch size, one intra-op thread. */
    static String rawOnnx(List<float[]> rows, PrintStream out) throws Exception {
        Configuration conf = new Configuration();
        int batch = InferenceOptions.BATCH_MAX_SIZE.defaultValue();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Raw ONNX Runtime, batch %d, %d intra-op thread, %,d rows of %d features:", batch,
                conf.get(InferenceOptions.INTRA_OP_THREADS), rows.size(), FraudFeatures.SIZE));
        double[] nanosPerRow = new double[2];
        int m = 0;
        for (var ref : List.of(FraudJob.classifierRef(conf), FraudJob.anomalyRef(conf).orElseThrow())) {
            try (OnnxScorer scorer = OnnxScorer.load(ref, conf, FraudBench.class.getClassLoader())) {
                float[][] buffer = new float[batch][];
                long scoredRows = 0;
                long start = 0;
                // Warm-up for 1 s, then measure 3 s.
                long warmupEnd = System.nanoTime() + 1_000_000_000L;
                long end = 0;
                boolean measuring = false;
                int next = 0;
                while (true) {
                    long now = System.nanoTime();
                    if (!measuring && now >= warmupEnd) {
                        measuring = true;
                        start = now;
                        end = now + 3_000_000_000L;
                        scoredRows = 0;
                    } else if (measuring && now >= end) {
                        break;
                    }
                    for (int j = 0; j < batch; j++) {
                        buffer[j] = rows.get(next);
                        next = next + 1 == rows.size() ? 0 : next + 1;
                    }
                    scorer.score(buffer, batch);
                    scoredRows += batch;
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                nanosPerRow[m++] = seconds * 1e9 / scoredRows;
                s.append(String.format(Locale.ROOT, "%n  %-18s %,12.0f rows/s (%.2f us/row)", ref.name(),
                        scoredRows / seconds, seconds * 1e6 / scoredRows));
            }
        }
        s.append(String.format(Locale.ROOT, "%n  %-18s %,12.0f rows/s (both models, one after the other)", "together",
                1e9 / (nanosPerRow[0] + nanosPerRow[1])));
        return s.toString();
    }
}
