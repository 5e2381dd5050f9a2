package dev.vigil.pipelines.fraud;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.operators.fraud.FraudFeatureOptions;
import dev.vigil.operators.fraud.decision.FraudDecisionOptions;
import dev.vigil.operators.fraud.decision.FraudDecisionPolicy;
import dev.vigil.operators.fraud.label.FraudLabelOptions;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.AvroDecodeException;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.operators.monitor.MonitorOptions;
import dev.vigil.pipelines.icu.IcuTrafficGenerator;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.kafka.VigilTopics;
import dev.vigil.pipelines.runtime.CommittedTail;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.fraud.BadTransactions;
import dev.vigil.pipelines.sim.fraud.FraudEvent;
import dev.vigil.pipelines.sim.fraud.FraudPattern;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig.DelayRange;
import dev.vigil.pipelines.sim.fraud.FraudSimulator;
import dev.vigil.pipelines.sim.fraud.Investigators;
import dev.vigil.pipelines.sim.fraud.TransactionTruth;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.Decision;
import dev.vigil.schema.fraud.FraudDecision;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.Transaction;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import dev.vigil.schema.monitor.FairnessGap;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code vigil demo fraud}: the fraud job ({@link FraudJob}, learning and monitoring on) on an in-process Kafka
 * broker and a Flink MiniCluster, fed by the transaction simulator with, by default, a new fraud pattern injected
 * mid-stream ({@link FraudPattern#DIGITAL_GOODS_DRAIN}: concept drift), then a summary scored against the
 * simulator's ground truth.
 *
 * <p>The demo plays the bank around the job. It sends transactions paced to a target rate and the simulator's labels
 * with their delays compressed ({@link Config#labelCompression()}: chargebacks weeks later become hours of event
 * time, label maturity likewise), reads the committed decisions back as a downstream consumer would, and closes the
 * loop: a transaction the job declined never gets its chargeback (the producer holds each chargeback until the
 * transaction's decision is visible and drops it if declined), and one it sent to review gets an investigator's
 * verdict ({@link Investigators#review}) a feedback delay later. After the last transaction it sends one flush
 * transaction per partition, a day later in event time, so that the watermark releases every transaction the
 * feature stage still holds; the flush transactions are not counted.
 *
 * <p>What it reports: throughput, latency (Kafka append to decision visible to a {@code read_committed} consumer),
 * decisions by type, precision and recall of DECLINE ∪ REVIEW, PR-AUC of the score, alerts per day and precision at a
 * fixed daily review capacity, recall on the injected pattern in the days after it appeared, live against the
 * bootstrap classifier re-deciding the same transactions offline on the job's own features ({@link FraudReplay}),
 * versions published, drift events, fairness reports, dead letters and whether every transaction is accounted for.
 * The first {@link Config#warmup()} days count in throughput, latency and accounting only.
 */
public final class FraudDemo {

    /** Which drift the simulation injects. */
    public enum Scenario {
        /** No drift. */
        CLEAN,
        /** Concept drift: the digital-goods drain appears at the drift instant. */
        NEW_PATTERN,
        /** Covariate drift: legitimate customers shop for the holidays from the drift instant. */
        HOLIDAY;

        /** Parses {@code clean}, {@code new-pattern} or {@code holiday}. */
        public static Scenario parse(String s) {
            checkNotNull(s, "scenario");
            for (Scenario v : values()) {
                if (v.label().equalsIgnoreCase(s.trim()) || v.name().equalsIgnoreCase(s.trim())) {
                    return v;
                }
            }
            throw new IllegalArgumentException("Unknown scenario '" + s + "': clean, new-pattern or holiday");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * Demo settings; validated on construction.
     *
     * @param seed simulation seed
     * @param accounts simulated accounts
     * @param duration simulated span of transactions (event time)
     * @param fraudRate share of fraudulent transactions
     * @param scenario injected drift
     * @param warmup event time at the start whose transactions count in throughput, latency and accounting but not
     *     in the quality figures: account histories start empty, so every account's first transactions look novel
     *     (the bundled models were trained on rows after a week of history)
     * @param driftAfter event time from the start of the simulation to the drift
     * @param parallelism job parallelism
     * @param checkpointInterval checkpoint interval: exactly-once outputs become visible on checkpoints
     * @param transactionsPerSecond send rate of transactions; 0 sends as fast as possible
     * @param badPerDefect malformed transactions per defect kind
     * @param labelCompression factor dividing the chargeback delays and the label maturity (5-60 days, 90 days)
     * @param reviewCapacityPerDay transactions the fraud team can review a day (k of precision@k); 0: 0.5% of the
     *     simulator's expected daily transactions
     * @param reviewThreshold the job's review threshold ({@link FraudDecisionOptions#REVIEW_THRESHOLD})
     * @param declineThreshold the job's decline threshold ({@link FraudDecisionOptions#DECLINE_THRESHOLD})
     * @param learning run the online learning loop
     * @param timeout how long to wait for the outputs after sending
     */
    public record Config(
            long seed,
            int accounts,
            Duration duration,
            double fraudRate,
            Scenario scenario,
            Duration warmup,
            Duration driftAfter,
            int parallelism,
            Duration checkpointInterval,
            double transactionsPerSecond,
            int badPerDefect,
            double labelCompression,
            int reviewCapacityPerDay,
            double reviewThreshold,
            double declineThreshold,
            boolean learning,
            Duration timeout) {

        public Config {
            checkNotNull(scenario, "scenario");
            checkNotNull(duration, "duration");
            checkNotNull(driftAfter, "driftAfter");
            checkNotNull(warmup, "warmup");
            checkArgument(!warmup.isNegative() && warmup.compareTo(duration) < 0,
                    "the warm-up must be shorter than the run: %s of %s", warmup, duration);
            checkNotNull(checkpointInterval, "checkpointInterval");
            checkNotNull(timeout, "timeout");
            checkArgument(accounts > 0, "accounts must be positive: %s", accounts);
            checkArgument(!driftAfter.isNegative() && driftAfter.compareTo(duration) < 0,
                    "the drift must be within the run: %s of %s", driftAfter, duration);
            checkArgument(parallelism > 0, "parallelism must be positive: %s", parallelism);
            checkArgument(transactionsPerSecond >= 0, "rate must not be negative: %s", transactionsPerSecond);
            checkArgument(badPerDefect >= 0, "badPerDefect must not be negative: %s", badPerDefect);
            checkArgument(labelCompression >= 1, "labelCompression must be at least 1: %s", labelCompression);
            checkArgument(reviewCapacityPerDay >= 0, "review capacity must not be negative: %s",
                    reviewCapacityPerDay);
            // The policy validates the pair (review in [0, 1], decline in [review, 1]).
            new FraudDecisionPolicy(reviewThreshold, declineThreshold, null, Decision.REVIEW);
        }

        /** The demo's defaults: about 120,000 transactions over 14 days, 4 days of warm-up, new pattern from day 7. */
        public static Config defaults() {
            return new Config(42, 5_000, Duration.ofDays(14), 0.005, Scenario.NEW_PATTERN, Duration.ofDays(4),
                    Duration.ofDays(7), 2,
                    Duration.ofSeconds(1), 2_000, 2, 30, 0, FraudDecisionOptions.REVIEW_THRESHOLD.defaultValue(),
                    FraudDecisionOptions.DECLINE_THRESHOLD.defaultValue(), true, Duration.ofMinutes(3));
        }

        /** The simulation this demo streams. */
        public FraudSimulationConfig simulation() {
            FraudSimulationConfig.Builder b = FraudSimulationConfig.builder()
                    .seed(seed)
                    .accounts(accounts)
                    .duration(duration)
                    .fraudRate(fraudRate)
                    .chargebackDelay(DelayRange.CHARGEBACK.compressed(labelCompression));
            Instant driftAt = FraudSimulationConfig.DEFAULT_START.plus(driftAfter);
            if (scenario == Scenario.NEW_PATTERN) {
                b.newPatternAt(driftAt);
            } else if (scenario == Scenario.HOLIDAY) {
                b.holidaySeasonAt(driftAt);
            }
            return b.build();
        }

        /** Label maturity: the job's 90 days divided by the compression. */
        public Duration maturity() {
            return Duration.ofMillis(Math.round(FraudLabelOptions.MATURITY.defaultValue().toMillis() / labelCompression));
        }
    }

    /**
     * Recall (DECLINE ∪ REVIEW) on the injected pattern in one period after it appeared: live, and as the bootstrap
     * classifier would have decided the same transactions.
     */
    public record PatternRecall(String period, long transactions, long flagged, long flaggedByBootstrap) {
        public double recall() {
            return transactions == 0 ? Double.NaN : (double) flagged / transactions;
        }

        public double bootstrapRecall() {
            return transactions == 0 ? Double.NaN : (double) flaggedByBootstrap / transactions;
        }
    }

    /** What a run measured. */
    public record Report(
            long transactionsSent,
            long badSent,
            long chargebacksSent,
            long chargebacksDropped,
            long feedbackSent,
            long reviewVerdictsSent,
            double sendSeconds,
            long decisions,
            long duplicates,
            Map<Long, Long> missingByDay,
            Map<String, Long> decisionsByType,
            Map<String, Long> decisionsByVersion,
            Map<String, Long> deadLettersByReason,
            long transactionDeadLetters,
            boolean complete,
            double throughputPerSecond,
            Histogram scoredLatencyMs,
            Histogram visibleLatencyMs,
            long warmupDecisions,
            long warmupFlagged,
            long evaluated,
            long frauds,
            long flagged,
            long truePositives,
            double prAuc,
            double rocAuc,
            int reviewCapacityPerDay,
            double alertsPerDay,
            double precisionAtK,
            double recallAtK,
            List<PatternRecall> patternRecall,
            String counterfactual,
            List<ModelUpdate> published,
            List<DriftEvent> driftEvents,
            List<FairnessWindowReport> fairnessReports,
            Duration wallTime) {

        public double precision() {
            return flagged == 0 ? Double.NaN : (double) truePositives / flagged;
        }

        public double recall() {
            return frauds == 0 ? Double.NaN : (double) truePositives / frauds;
        }
    }

    /** Account id of the flush transactions (one per partition, a day after the last transaction). */
    static final String FLUSH_ACCOUNT = "FLUSH";

    /** Stages at which a transaction can end as a dead letter instead of a decision. */
    private static final Set<String> TRANSACTION_STAGES = Set.of("decode", "validate", "features");

    private FraudDemo() {}

    /** The job configuration the demo runs with. */
    static Configuration jobConfiguration(String bootstrapServers, Config config) {
        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, bootstrapServers);
        String run = UUID.randomUUID().toString().substring(0, 8);
        conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "vigil-fraud-demo-" + run);
        conf.set(KafkaOptions.GROUP_ID_PREFIX, "vigil-fraud-demo-" + run);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        try {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    Files.createTempDirectory("vigil-fraud-checkpoints-").toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        // Label partitions are quiet now and then: they must not hold back the label join's maturity timers for long.
        conf.set(FraudPipelineOptions.IDLE_TIMEOUT, Duration.ofSeconds(10));
        conf.set(FraudLabelOptions.MATURITY, config.maturity());
        conf.set(FraudDecisionOptions.REVIEW_THRESHOLD, config.reviewThreshold());
        conf.set(FraudDecisionOptions.DECLINE_THRESHOLD, config.declineThreshold());
        conf.set(FraudPipelineOptions.MONITORING_ENABLED, true);
        // Two weeks of event time: fairness windows of 3 days sliding daily close a dozen times.
        conf.set(MonitorOptions.FAIRNESS_WINDOW, Duration.ofDays(3));
        conf.set(MonitorOptions.FAIRNESS_SLIDE, Duration.ofDays(1));
        if (config.learning()) {
            conf.set(FraudPipelineOptions.LEARNING_ENABLED, true);
            conf.set(LearnerOptions.STANDARDIZER_FREEZE_AFTER, 0L);
            conf.set(LearnerOptions.OPTIMIZER, "sgd");
            conf.set(LearnerOptions.LEARNING_RATE, 0.01);
            conf.set(LearnerOptions.MINIBATCH, 4);
            conf.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 2_500L);
            conf.set(LearnerOptions.PUBLISH_INTERVAL, Duration.ofSeconds(20));
            try {
                conf.set(LearnerOptions.REGISTRY_ROOT,
                        Files.createTempDirectory("vigil-fraud-registry-").toUri().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return conf;
    }

    /** Runs the demo, printing progress to {@code out}; the summary is {@link #print}'s. */
    public static Report run(Config config, PrintStream out) throws Exception {
        long wallStart = System.nanoTime();
        out.printf("Starting an in-process Kafka broker (KRaft) ...%n");
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(VigilTopics.FRAUD_TOPICS);
            out.printf("  broker at %s, ready in %d ms%n", kafka.bootstrapServers(), kafka.startupTime().toMillis());
            Configuration conf = jobConfiguration(kafka.bootstrapServers(), config);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createLocalEnvironment(config.parallelism(), conf);
            FraudJob.build(env, conf);
            JobClient job = env.executeAsync("vigil-fraud-demo");
            out.printf("Fraud job submitted to a Flink MiniCluster (parallelism %d, checkpoints every %s, exactly-once"
                            + " sinks, learning %s, monitors on)%n", config.parallelism(),
                    config.checkpointInterval(), config.learning() ? "on" : "off");

            FraudSimulator simulator = new FraudSimulator(config.simulation());
            List<BadRecord<BadTransactions.Defect>> bad = BadTransactions.generate(config.seed(), config.badPerDefect());
            Collected c = new Collected(simulator.investigators());
            try (CommittedTail tail = new CommittedTail(kafka.bootstrapServers(), List.of(
                            VigilTopics.FRAUD_DECISIONS, VigilTopics.DLQ, VigilTopics.MODELS_CONTROL,
                            VigilTopics.MONITOR_DRIFT, VigilTopics.MONITOR_FAIRNESS));
                    Producer<byte[], byte[]> producer = IcuTrafficGenerator.producer(kafka.bootstrapServers())) {
                out.printf("Streaming %,d accounts over %d days (seed %d, fraud rate %.2f%%, scenario %s%s), labels"
                                + " compressed %.0fx (label maturity %s), plus %d bad records ...%n",
                        config.accounts(), config.duration().toDays(), config.seed(), 100 * config.fraudRate(),
                        config.scenario().label(), config.scenario() == Scenario.CLEAN ? ""
                                : " from day " + config.driftAfter().toDays(),
                        config.labelCompression(), config.maturity(), bad.size());
                Sender sender = new Sender(producer, c, tail);
                sender.send(simulator, bad, config.transactionsPerSecond());
                out.printf("  sent %,d transactions + %d bad records in %.1f s (%,.0f/s); %,d chargebacks (%,d dropped:"
                                + " declined), %,d investigator verdicts (%,d on the job's reviews)%n",
                        c.transactionsSent, c.badSent, sender.seconds, c.transactionsSent / sender.seconds,
                        c.chargebacksSent, c.chargebacksDropped, c.feedbackSent + c.reviewVerdictsSent,
                        c.reviewVerdictsSent);

                long expected = c.transactionsSent + c.badSent;
                long deadline = System.nanoTime() + config.timeout().toNanos();
                long lastProgress = System.nanoTime();
                long seen = -1;
                while (System.nanoTime() < deadline) {
                    sender.pump();
                    long now = c.accountedFor();
                    if (now >= expected) {
                        break;
                    }
                    if (now > seen) {
                        seen = now;
                        lastProgress = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(60).toNanos()) {
                        break;
                    }
                    Thread.sleep(100);
                }
                // Verdicts on the last reviews, then a few checkpoints for the labels, versions and monitor windows.
                sender.flushFeedback();
                long settle = System.nanoTime() + config.checkpointInterval().toNanos() * 4;
                while (System.nanoTime() < settle) {
                    sender.pump();
                    Thread.sleep(100);
                }
                JobStatus status = job.getJobStatus().get();
                if (status.isGloballyTerminalState()) {
                    throw new IllegalStateException("the fraud job ended early (" + status + "): see the log above");
                }
                job.cancel().get();
                return report(config, simulator, c, expected, sender.seconds,
                        Duration.ofNanos(System.nanoTime() - wallStart));
            }
        }
    }

    /** What the demo has sent and read back. */
    static final class Collected {
        final Investigators investigators;
        final AvroCodec<FraudDecision> decisionCodec = AvroCodec.of(FraudDecision.class);
        final AvroCodec<DeadLetter> dlqCodec = AvroCodec.of(DeadLetter.class);
        final AvroCodec<ModelUpdate> updateCodec = AvroCodec.of(ModelUpdate.class);
        final AvroCodec<DriftEvent> driftCodec = AvroCodec.of(DriftEvent.class);
        final AvroCodec<FairnessWindowReport> fairnessCodec = AvroCodec.of(FairnessWindowReport.class);
        /** Truth of every transaction sent, by id. */
        final Map<String, TransactionTruth> truths = new HashMap<>();
        /** Decision of every transaction seen, by id. */
        final Map<String, Seen> decided = new HashMap<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();
        final List<ModelUpdate> published = new ArrayList<>();
        final List<DriftEvent> driftEvents = new ArrayList<>();
        final List<FairnessWindowReport> fairnessReports = new ArrayList<>();
        /** Chargebacks waiting for their transaction's decision, by transaction id. */
        final Map<String, List<FraudEvent>> heldChargebacks = new HashMap<>();
        /** Verdicts on reviewed transactions, due at their event time. */
        final PriorityQueue<InvestigatorFeedback> verdicts =
                new PriorityQueue<>((a, b) -> a.getReviewedAt().compareTo(b.getReviewedAt()));
        long transactionsSent;
        long badSent;
        long chargebacksSent;
        long chargebacksDropped;
        long feedbackSent;
        long reviewVerdictsSent;
        long duplicates;
        long transactionDeadLetters;

        Collected(Investigators investigators) {
            this.investigators = investigators;
        }

        long accountedFor() {
            return decided.size() + transactionDeadLetters;
        }
    }

    /** A decision as read back: what the summary needs, and when it became visible. */
    record Seen(FraudDecision decision, long visibleAtMillis) {}

    /** Sends the simulation and closes the label loop from what the tail reads back. */
    static final class Sender {
        private final Producer<byte[], byte[]> producer;
        private final Collected c;
        private final CommittedTail tail;
        private final AvroCodec<Transaction> transactionCodec = AvroCodec.of(Transaction.class);
        private final AvroCodec<Chargeback> chargebackCodec = AvroCodec.of(Chargeback.class);
        private final AvroCodec<InvestigatorFeedback> feedbackCodec = AvroCodec.of(InvestigatorFeedback.class);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        double seconds;

        Sender(Producer<byte[], byte[]> producer, Collected c, CommittedTail tail) {
            this.producer = producer;
            this.c = c;
            this.tail = tail;
        }

        void send(FraudSimulator simulator, List<BadRecord<BadTransactions.Defect>> bad, double rate) {
            long start = System.nanoTime();
            double nanosPerTransaction = rate > 0 ? 1e9 / rate : 0;
            long badEvery = 5_000;
            int nextBad = 0;
            Transaction last = null;
            long lastPump = System.nanoTime();
            for (FraudEvent e : simulator) {
                switch (e.kind()) {
                    case TRANSACTION -> {
                        Transaction t = e.transaction();
                        c.truths.put(t.getTransactionId(), e.truth());
                        send(VigilTopics.FRAUD_TRANSACTIONS, null, e.key(), transactionCodec.encode(t));
                        c.transactionsSent++;
                        last = t;
                        if (nextBad < bad.size() && c.transactionsSent % badEvery == 0) {
                            sendBad(bad.get(nextBad++));
                        }
                        if (nanosPerTransaction > 0) {
                            long wait = start + (long) (c.transactionsSent * nanosPerTransaction) - System.nanoTime();
                            if (wait > 200_000) {
                                LockSupport.parkNanos(wait);
                            }
                        }
                    }
                    case CHARGEBACK -> chargeback(e);
                    case FEEDBACK -> {
                        send(VigilTopics.FRAUD_FEEDBACK, null, e.key(), feedbackCodec.encode(e.feedback()));
                        c.feedbackSent++;
                    }
                }
                releaseVerdicts(e.deliveryTimeMillis());
                if (System.nanoTime() - lastPump > 50_000_000L) {
                    pump();
                    lastPump = System.nanoTime();
                }
            }
            while (nextBad < bad.size()) {
                sendBad(bad.get(nextBad++));
            }
            if (last != null) {
                sendFlush(last);
            }
            producer.flush();
            check();
            seconds = (System.nanoTime() - start) / 1e9;
        }

        /** One transaction per partition a day after {@code last}: moves every partition's watermark past the end. */
        private void sendFlush(Transaction last) {
            for (int p = 0; p < VigilTopics.FRAUD_PARTITIONS; p++) {
                Transaction t = Transaction.newBuilder(last)
                        .setTransactionId("flush-" + p)
                        .setAccountId(FLUSH_ACCOUNT + p)
                        .setEventTime(last.getEventTime().plus(Duration.ofDays(1)))
                        .build();
                producer.send(new ProducerRecord<>(VigilTopics.FRAUD_TRANSACTIONS, p, System.currentTimeMillis(),
                        t.getAccountId().getBytes(StandardCharsets.UTF_8), transactionCodec.encode(t)), this::onSent);
            }
        }

        private void sendBad(BadRecord<BadTransactions.Defect> b) {
            send(VigilTopics.FRAUD_TRANSACTIONS, null, b.key(), b.value());
            c.badSent++;
        }

        /** Sends a chargeback once its transaction's decision is known, never for a declined one. */
        private void chargeback(FraudEvent e) {
            String tx = e.chargeback().getTransactionId().toString();
            Seen seen = c.decided.get(tx);
            if (seen == null) {
                c.heldChargebacks.computeIfAbsent(tx, k -> new ArrayList<>(1)).add(e);
            } else if (seen.decision().getDecision() == Decision.DECLINE) {
                c.chargebacksDropped++;
            } else {
                send(VigilTopics.FRAUD_CHARGEBACKS, null, e.key(), chargebackCodec.encode(e.chargeback()));
                c.chargebacksSent++;
            }
        }

        /** Reads what became visible: decisions release held chargebacks and schedule review verdicts. */
        void pump() {
            for (CommittedTail.Received r : tail.drain()) {
                try {
                    read(r);
                } catch (AvroDecodeException e) {
                    throw new IllegalStateException("unreadable record on " + r.record().topic(), e);
                }
            }
            check();
        }

        private void read(CommittedTail.Received r) throws AvroDecodeException {
            byte[] value = r.record().value();
            switch (r.record().topic()) {
                case VigilTopics.FRAUD_DECISIONS -> decision(c.decisionCodec.decode(value), r.receivedAtMillis());
                case VigilTopics.MODELS_CONTROL -> c.published.add(c.updateCodec.decode(value));
                case VigilTopics.MONITOR_DRIFT -> c.driftEvents.add(c.driftCodec.decode(value));
                case VigilTopics.MONITOR_FAIRNESS -> c.fairnessReports.add(c.fairnessCodec.decode(value));
                default -> {
                    DeadLetter d = c.dlqCodec.decode(value);
                    c.deadLetters.add(d);
                    if (VigilTopics.FRAUD_TRANSACTIONS.equals(d.getSourceTopic())
                            && TRANSACTION_STAGES.contains(d.getStage())) {
                        c.transactionDeadLetters++;
                    }
                }
            }
        }

        private void decision(FraudDecision d, long visibleAt) {
            String tx = d.getTransactionId();
            TransactionTruth truth = c.truths.get(tx);
            if (truth == null) {
                return; // a flush transaction
            }
            if (c.decided.putIfAbsent(tx, new Seen(d, visibleAt)) != null) {
                c.duplicates++;
                return;
            }
            List<FraudEvent> held = c.heldChargebacks.remove(tx);
            if (held != null) {
                for (FraudEvent e : held) {
                    chargeback(e);
                }
            }
            if (d.getDecision() == Decision.REVIEW) {
                c.verdicts.add(c.investigators.review(truth, d.getEventTime().toEpochMilli()));
            }
        }

        /** Sends the verdicts due by {@code nowMillis} of the simulated clock. */
        private void releaseVerdicts(long nowMillis) {
            while (!c.verdicts.isEmpty() && c.verdicts.peek().getReviewedAt().toEpochMilli() <= nowMillis) {
                sendVerdict(c.verdicts.poll());
            }
        }

        /** Sends every pending verdict (the simulated clock has stopped). */
        void flushFeedback() {
            pump();
            while (!c.verdicts.isEmpty()) {
                sendVerdict(c.verdicts.poll());
            }
            producer.flush();
        }

        private void sendVerdict(InvestigatorFeedback f) {
            send(VigilTopics.FRAUD_FEEDBACK, null, f.getAccountId().toString(), feedbackCodec.encode(f));
            c.reviewVerdictsSent++;
        }

        private void send(String topic, Integer partition, String key, byte[] value) {
            check();
            producer.send(new ProducerRecord<>(topic, partition, System.currentTimeMillis(),
                    key.getBytes(StandardCharsets.UTF_8), value), this::onSent);
        }

        private void onSent(RecordMetadata m, Exception e) {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        }

        private void check() {
            if (failure.get() != null) {
                throw new IllegalStateException("producing the simulation failed", failure.get());
            }
        }
    }

    private static Report report(Config config, FraudSimulator simulator, Collected c, long expected,
            double sendSeconds, Duration wall) {
        Histogram scored = new Histogram(3_600_000L, 3);
        Histogram visible = new Histogram(3_600_000L, 3);
        Map<String, Long> byType = new TreeMap<>();
        Map<String, Long> byVersion = new TreeMap<>();
        long firstIngest = Long.MAX_VALUE;
        long lastVisible = Long.MIN_VALUE;
        List<Seen> all = new ArrayList<>(c.decided.values());
        // Event-time order: days, the first learned version's activation and the drift are in event time.
        all.sort((a, b) -> a.decision().getEventTime().compareTo(b.decision().getEventTime()));
        long warmupEnd = simulator.config().start().plus(config.warmup()).toEpochMilli();
        List<Seen> evaluated = new ArrayList<>(all.size());
        long warmupFlagged = 0;
        double[] scores = new double[all.size()];
        int[] labels = new int[all.size()];
        long frauds = 0;
        long flagged = 0;
        long truePositives = 0;
        int n = 0;
        for (Seen s : all) {
            FraudDecision d = s.decision();
            long ingest = d.getIngestTime().toEpochMilli();
            scored.recordValue(clamp(d.getScoredAt().toEpochMilli() - ingest));
            visible.recordValue(clamp(s.visibleAtMillis() - ingest));
            firstIngest = Math.min(firstIngest, ingest);
            lastVisible = Math.max(lastVisible, s.visibleAtMillis());
            byType.merge(d.getDecision().name(), 1L, Long::sum);
            byVersion.merge(d.getModelVersion(), 1L, Long::sum);
            if (d.getEventTime().toEpochMilli() < warmupEnd) {
                warmupFlagged += d.getDecision() == Decision.APPROVE ? 0 : 1;
                continue;
            }
            evaluated.add(s);
            TransactionTruth truth = c.truths.get(d.getTransactionId());
            boolean fraud = truth.fraud();
            boolean flag = d.getDecision() != Decision.APPROVE;
            frauds += fraud ? 1 : 0;
            flagged += flag ? 1 : 0;
            truePositives += fraud && flag ? 1 : 0;
            scores[n] = d.getScore() == null ? 0 : d.getScore();
            labels[n] = fraud ? 1 : 0;
            n++;
        }
        boolean bothClasses = frauds > 0 && frauds < n;
        double prAuc = bothClasses ? BinaryClassificationMetrics.averagePrecision(scores, labels) : Double.NaN;
        double rocAuc = bothClasses ? BinaryClassificationMetrics.auroc(scores, labels) : Double.NaN;

        // Review capacity: each day (event time), the k highest scores are what a team of that size would review.
        int k = config.reviewCapacityPerDay() > 0 ? config.reviewCapacityPerDay()
                : (int) Math.max(1, Math.round(0.005 * simulator.expectedDailyTransactions()));
        Map<Long, List<Integer>> byDay = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            long day = Math.floorDiv(evaluated.get(i).decision().getEventTime().toEpochMilli(), 86_400_000L);
            byDay.computeIfAbsent(day, x -> new ArrayList<>()).add(i);
        }
        long reviewed = 0;
        long caught = 0;
        long dayCount = 0;
        for (List<Integer> rows : byDay.values()) {
            rows.sort((a, b) -> Double.compare(scores[b], scores[a]));
            int top = Math.min(k, rows.size());
            for (int j = 0; j < top; j++) {
                caught += labels[rows.get(j)];
            }
            reviewed += top;
            dayCount++;
        }
        double days = Math.max(1, dayCount);

        List<PatternRecall> patternRecall = new ArrayList<>();
        String counterfactual = "";
        if (config.scenario() == Scenario.NEW_PATTERN) {
            Adaptation a = adaptation(config, simulator, evaluated, c);
            patternRecall = a.recall();
            counterfactual = a.learnedVersusBootstrap();
        }
        double seconds = Math.max(1e-3, (lastVisible - firstIngest) / 1000.0);
        int decisions = all.size();
        Map<String, Long> deadLettersByReason = new TreeMap<>();
        for (DeadLetter d : c.deadLetters) {
            deadLettersByReason.merge(d.getStage() + "/" + d.getReason(), 1L, Long::sum);
        }
        // Transactions without a decision, by day of the run (event time): what "accounted for: NO" is about.
        Map<Long, Long> missingByDay = new TreeMap<>();
        long start = simulator.config().start().toEpochMilli();
        for (TransactionTruth t : c.truths.values()) {
            if (!c.decided.containsKey(t.transactionId())) {
                missingByDay.merge((t.eventTimeMillis() - start) / 86_400_000L, 1L, Long::sum);
            }
        }
        return new Report(c.transactionsSent, c.badSent, c.chargebacksSent, c.chargebacksDropped, c.feedbackSent,
                c.reviewVerdictsSent, sendSeconds, c.decided.size(), c.duplicates, missingByDay, byType, byVersion,
                deadLettersByReason, c.transactionDeadLetters, c.accountedFor() >= expected && c.duplicates == 0,
                decisions / seconds, scored, visible, decisions - n, warmupFlagged, n, frauds, flagged, truePositives, prAuc, rocAuc, k, flagged / days,
                reviewed == 0 ? Double.NaN : (double) caught / reviewed,
                frauds == 0 ? Double.NaN : (double) caught / frauds, patternRecall, counterfactual,
                List.copyOf(c.published), List.copyOf(c.driftEvents), List.copyOf(c.fairnessReports), wall);
    }

    private static long clamp(long millis) {
        return Math.max(0, Math.min(3_600_000L, millis));
    }

    private static boolean isLearned(String version) {
        try {
            return Long.parseLong(version) >= 2;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The adaptation figures: recall on the new pattern by period, and a comparison on the learned versions' rows. */
    record Adaptation(List<PatternRecall> recall, String learnedVersusBootstrap) {}

    /**
     * Re-decides offline, with the bootstrap classifier on the job's own features ({@link FraudReplay}) and the
     * decisions' own anomaly scores and thresholds, the transactions of the injected pattern and those learned
     * versions decided; then compares with the live decisions on the same rows: recall on the pattern in the first
     * two days after it appeared, the next two, and from day four on, and PR-AUC on the learned versions' rows.
     */
    private static Adaptation adaptation(Config config, FraudSimulator simulator, List<Seen> evaluated, Collected c) {
        Map<String, FraudDecision> chosen = new HashMap<>();
        for (Seen s : evaluated) {
            FraudDecision d = s.decision();
            if (isLearned(d.getModelVersion())
                    || c.truths.get(d.getTransactionId()).pattern() == FraudPattern.DIGITAL_GOODS_DRAIN) {
                chosen.put(d.getTransactionId(), d);
            }
        }
        Configuration none = new Configuration();
        FraudReplay replay = new FraudReplay(FraudFeatureOptions.settings(none));
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        FraudReplay.RowSink sink = (tx, truth, features) -> {
            if (chosen.containsKey(tx.transactionId())) {
                ids.add(tx.transactionId());
                rows.add(features.clone());
            }
        };
        for (FraudEvent e : simulator) {
            replay.apply(e, sink);
        }
        replay.flush(sink);

        long driftAt = simulator.config().start().plus(config.driftAfter()).toEpochMilli();
        String[] names = {"days 0-2 after it appeared", "days 2-4", "day 4 on"};
        long[][] counts = new long[names.length][3];
        List<Double> live = new ArrayList<>();
        List<Double> bootstrap = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        long flaggedLive = 0;
        long flaggedBootstrap = 0;
        try (OnnxScorer scorer = OnnxScorer.load(FraudJob.classifierRef(none), none,
                FraudDemo.class.getClassLoader())) {
            int batch = 256;
            float[][] buffer = new float[batch][];
            for (int start = 0; start < ids.size(); start += batch) {
                int m = Math.min(batch, ids.size() - start);
                for (int j = 0; j < m; j++) {
                    buffer[j] = rows.get(start + j);
                }
                ScoreBatch scores = scorer.score(buffer, m);
                for (int j = 0; j < m; j++) {
                    FraudDecision d = chosen.get(ids.get(start + j));
                    TransactionTruth truth = c.truths.get(d.getTransactionId());
                    FraudDecisionPolicy policy = new FraudDecisionPolicy(d.getReviewThreshold(),
                            d.getDeclineThreshold(), d.getAnomalyThreshold(),
                            FraudDecisionOptions.NO_SCORE_DECISION.defaultValue());
                    double v1 = scores.probability(j);
                    boolean v1Flag = policy.decide(v1, d.getAnomalyScore()).decision() != Decision.APPROVE;
                    boolean liveFlag = d.getDecision() != Decision.APPROVE;
                    if (truth.pattern() == FraudPattern.DIGITAL_GOODS_DRAIN) {
                        long after = d.getEventTime().toEpochMilli() - driftAt;
                        int period = after < Duration.ofDays(2).toMillis() ? 0
                                : after < Duration.ofDays(4).toMillis() ? 1 : 2;
                        counts[period][0]++;
                        counts[period][1] += liveFlag ? 1 : 0;
                        counts[period][2] += v1Flag ? 1 : 0;
                    }
                    if (isLearned(d.getModelVersion())) {
                        live.add(d.getScore() == null ? 0.0 : d.getScore());
                        bootstrap.add(v1);
                        y.add(truth.fraud() ? 1 : 0);
                        flaggedLive += liveFlag ? 1 : 0;
                        flaggedBootstrap += v1Flag ? 1 : 0;
                    }
                }
            }
        } catch (Exception e) {
            return new Adaptation(List.of(), "(bootstrap re-scoring failed: " + e + ")");
        }
        List<PatternRecall> recall = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            recall.add(new PatternRecall(names[i], counts[i][0], counts[i][1], counts[i][2]));
        }
        int[] labels = y.stream().mapToInt(Integer::intValue).toArray();
        long positives = Arrays.stream(labels).sum();
        String comparison;
        if (labels.length == 0) {
            comparison = "no transaction was decided by a learned version";
        } else {
            String auc = positives > 0 && positives < labels.length
                    ? String.format(Locale.ROOT, "PR-AUC %.3f learned vs %.3f bootstrap v1",
                            BinaryClassificationMetrics.averagePrecision(
                                    live.stream().mapToDouble(Double::doubleValue).toArray(), labels),
                            BinaryClassificationMetrics.averagePrecision(
                                    bootstrap.stream().mapToDouble(Double::doubleValue).toArray(), labels))
                    : "one class only";
            comparison = String.format(Locale.ROOT, "on the %,d transactions learned versions decided (%d fraud): %s;"
                    + " flagged %,d learned vs %,d bootstrap v1", labels.length, positives, auc, flaggedLive,
                    flaggedBootstrap);
        }
        return new Adaptation(recall, comparison);
    }

    /** Prints the summary. */
    public static void print(Report r, Config config, PrintStream out) {
        out.println();
        out.println("=================== Vigil fraud demo: summary ===================");
        out.printf("scenario           %s%s; %,d accounts, %d days, seed %d%n", config.scenario().label(),
                config.scenario() == Scenario.CLEAN ? "" : " from day " + config.driftAfter().toDays(),
                config.accounts(), config.duration().toDays(), config.seed());
        out.printf("events in          %,d transactions + %d bad records in %.1f s; %,d chargebacks (%,d of declined"
                        + " transactions dropped), %,d audit/customer verdicts, %,d verdicts on reviews%n",
                r.transactionsSent(), r.badSent(), r.sendSeconds(), r.chargebacksSent(), r.chargebacksDropped(),
                r.feedbackSent(), r.reviewVerdictsSent());
        out.printf("decisions out      %,d  %s  by classifier version %s%n", r.decisions(), r.decisionsByType(),
                r.decisionsByVersion());
        out.printf("dead letters       %,d of transactions; all by stage/reason %s%n", r.transactionDeadLetters(),
                r.deadLettersByReason());
        out.printf("accounted for      %s (every transaction is one decision or a dead letter%s)%n",
                r.complete() ? "yes" : "NO", r.duplicates() > 0 ? "; " + r.duplicates() + " duplicates" : "");
        if (!r.missingByDay().isEmpty()) {
            out.printf("  without a decision, by day of the run: %s%n", r.missingByDay());
        }
        out.printf("throughput         %,.0f decisions/s end to end%n", r.throughputPerSecond());
        out.printf("latency (ms)       Kafka append -> scored: p50 %d  p99 %d;  -> visible to read_committed: p50 %d"
                        + "  p99 %d%n",
                r.scoredLatencyMs().getValueAtPercentile(50), r.scoredLatencyMs().getValueAtPercentile(99),
                r.visibleLatencyMs().getValueAtPercentile(50), r.visibleLatencyMs().getValueAtPercentile(99));
        out.printf("warm-up            first %d days (account histories filling): %,d decisions, %,d flagged (%.1f%%);"
                        + " not in the figures below%n", config.warmup().toDays(), r.warmupDecisions(),
                r.warmupFlagged(), 100.0 * r.warmupFlagged() / Math.max(1, r.warmupDecisions()));
        out.printf("flagged            DECLINE+REVIEW %,d of %,d decisions (%.2f%%); %,d frauds: precision %.3f,"
                        + " recall %.3f%n", r.flagged(), r.evaluated(), 100.0 * r.flagged() / Math.max(1, r.evaluated()),
                r.frauds(), r.precision(), r.recall());
        out.printf("ranking            PR-AUC %.3f, ROC-AUC %.3f (live score against simulator truth; fraud rate"
                        + " %.2f%%)%n", r.prAuc(), r.rocAuc(), 100.0 * r.frauds() / Math.max(1, r.evaluated()));
        out.printf("review capacity    %d a day: precision@k %.3f, recall@k %.3f; the job flagged %.0f a day%n",
                r.reviewCapacityPerDay(), r.precisionAtK(), r.recallAtK(), r.alertsPerDay());
        if (!r.patternRecall().isEmpty()) {
            out.printf("new pattern        recall (DECLINE+REVIEW) on %s, live vs the bootstrap v1 on the same"
                    + " transactions:%n", FraudPattern.DIGITAL_GOODS_DRAIN);
            for (PatternRecall p : r.patternRecall()) {
                out.printf(Locale.ROOT, "  %-28s %4d transactions: live %.2f, bootstrap v1 %.2f%n", p.period(),
                        p.transactions(), p.recall(), p.bootstrapRecall());
            }
            out.printf("  learned versions: %s%n", r.counterfactual());
        }
        if (config.learning()) {
            out.printf("learning loop      %d versions published%s%n", r.published().size(),
                    r.published().isEmpty() ? "" : ":");
            for (ModelUpdate u : r.published()) {
                out.printf("  v%-4s parent %-4s prequential (window): AUROC %s, log loss %s%n", u.getVersion(),
                        u.getParentVersion() == null ? "-" : u.getParentVersion(),
                        metric(u, "prequential.window.auroc"), metric(u, "prequential.window.log_loss"));
            }
        }
        printMonitors(r, out);
        out.printf("wall time          %.1f s%n", r.wallTime().toMillis() / 1000.0);
        out.println("==================================================================");
    }

    private static String metric(ModelUpdate u, String key) {
        for (Map.Entry<String, Double> e : u.getMetrics().entrySet()) {
            if (e.getKey().endsWith(key)) {
                return String.format(Locale.ROOT, "%.3f", e.getValue());
            }
        }
        return "n/a";
    }

    private static void printMonitors(Report r, PrintStream out) {
        Map<String, List<DriftEvent>> bySignal = new TreeMap<>();
        for (DriftEvent e : r.driftEvents()) {
            if (e.getKind() == DriftKind.DRIFT) {
                bySignal.computeIfAbsent(e.getSignal() + " (" + e.getDetector() + ")", k -> new ArrayList<>()).add(e);
            }
        }
        long drifts = bySignal.values().stream().mapToLong(List::size).sum();
        out.printf("drift events       %d%s%n", drifts, drifts == 0 ? " (no detector fired)" : ":");
        bySignal.forEach((signal, events) -> out.printf("  %-40s %d, first at %s%n", signal, events.size(),
                events.get(0).getEventTime()));
        long alerting = r.fairnessReports().stream().filter(FairnessWindowReport::getAlert).count();
        out.printf("fairness           %d window reports, %d with an alert%n", r.fairnessReports().size(), alerting);
        Map<String, FairnessWindowReport> latest = new TreeMap<>();
        for (FairnessWindowReport f : r.fairnessReports()) {
            FairnessWindowReport seen = latest.get(f.getAttribute());
            if (seen == null || f.getWindowEnd().isAfter(seen.getWindowEnd())) {
                latest.put(f.getAttribute(), f);
            }
        }
        latest.forEach((attribute, f) -> out.printf(
                "  %-8s window to %s: calibration %s, equal opportunity %s, parity %s%s%n",
                attribute, f.getWindowEnd(), gap(f.getCalibrationGap()), gap(f.getEqualOpportunity()),
                gap(f.getDemographicParity()), f.getAlert() ? "  ALERT " + f.getReasons() : ""));
    }

    private static String gap(FairnessGap g) {
        if (g == null || g.getDifference() == null) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.3f (%s vs %s%s)", g.getDifference(), g.getLowGroup(), g.getHighGroup(),
                g.getSignificant() ? ", significant" : "");
    }
}
