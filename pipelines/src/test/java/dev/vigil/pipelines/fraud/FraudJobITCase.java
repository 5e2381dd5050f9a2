package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.fraud.label.FraudLabelOptions;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.kafka.VigilTopics;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.fraud.BadTransactions;
import dev.vigil.pipelines.sim.fraud.FraudEvent;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig;
import dev.vigil.pipelines.sim.fraud.FraudSimulator;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.FraudDecision;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.Transaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fraud job end to end on a real broker and a MiniCluster with parallelism 2: simulated transactions (with bad
 * records), chargebacks and investigator verdicts in; decisions, dead letters and, with learning on, new classifier
 * versions out, with the bundled models. The bounded test runs first: the learning test ends by cancelling its job.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FraudJobITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(2)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    private static final Topics DECIDE = Topics.of("it.decide");
    private static final Topics LEARN = Topics.of("it.learn");

    private static EmbeddedKafka kafka;
    private static ModelRef classifier;
    private static ModelRef autoencoder;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka();
        // All topics up front, before any job runs.
        DECIDE.create();
        LEARN.create();
        // The bundled models, as the job loads them by default.
        classifier = FraudJob.classifierRef(new Configuration());
        autoencoder = FraudJob.anomalyRef(new Configuration()).orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Topics of one test, prefixed so that tests never share data. */
    private record Topics(String transactions, String chargebacks, String feedback, String decisions, String dlq,
            String control, String drift, String fairness) {
        static Topics of(String prefix) {
            return new Topics(prefix + ".transactions", prefix + ".chargebacks", prefix + ".feedback",
                    prefix + ".decisions", prefix + ".dlq", prefix + ".control", prefix + ".drift",
                    prefix + ".fairness");
        }

        void create() {
            Map<String, Integer> partitions = new HashMap<>();
            for (String t : List.of(transactions, chargebacks, feedback, decisions)) {
                partitions.put(t, VigilTopics.FRAUD_PARTITIONS);
            }
            for (String t : List.of(dlq, control, drift, fairness)) {
                partitions.put(t, 1);
            }
            kafka.createTopics(partitions);
        }

        void apply(Configuration conf) {
            conf.set(FraudPipelineOptions.TRANSACTIONS_TOPIC, transactions);
            conf.set(FraudPipelineOptions.CHARGEBACKS_TOPIC, chargebacks);
            conf.set(FraudPipelineOptions.FEEDBACK_TOPIC, feedback);
            conf.set(FraudPipelineOptions.DECISIONS_TOPIC, decisions);
            conf.set(FraudPipelineOptions.DLQ_TOPIC, dlq);
            conf.set(FraudPipelineOptions.CONTROL_TOPIC, control);
            conf.set(FraudPipelineOptions.DRIFT_TOPIC, drift);
            conf.set(FraudPipelineOptions.FAIRNESS_TOPIC, fairness);
        }

        String topicOf(FraudEvent.Kind kind) {
            return switch (kind) {
                case TRANSACTION -> transactions;
                case CHARGEBACK -> chargebacks;
                case FEEDBACK -> feedback;
            };
        }
    }

    private static Configuration config(String name, Topics topics) {
        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "it-fraud-" + name);
        conf.set(KafkaOptions.GROUP_ID_PREFIX, "it-fraud-" + name);
        topics.apply(conf);
        conf.set(FraudLabelOptions.MATURITY, Duration.ofHours(12));
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }

    private static FraudSimulationConfig simulation(long seed) {
        return FraudSimulationConfig.builder()
                .seed(seed)
                .accounts(250)
                .duration(Duration.ofDays(3))
                .fraudRate(0.01)
                .auditRate(0.05)
                .chargebackCoverage(0.9)
                .chargebackDelay(FraudSimulationConfig.DelayRange.of(Duration.ofHours(1), Duration.ofHours(10)))
                .build();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static byte[] encode(FraudEvent e) {
        return switch (e.kind()) {
            case TRANSACTION -> AvroCodec.of(Transaction.class).encode(e.transaction());
            case CHARGEBACK -> AvroCodec.of(Chargeback.class).encode(e.chargeback());
            case FEEDBACK -> AvroCodec.of(InvestigatorFeedback.class).encode(e.feedback());
        };
    }

    @Test
    @Order(1)
    void everyTransactionGetsExactlyOneDecisionAndBadRecordsAreDeadLettered() throws Exception {
        Topics topics = DECIDE;
        List<BadRecord<BadTransactions.Defect>> bad = BadTransactions.generate(11, 2);
        Set<String> expected = new HashSet<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int i = 0;
        for (FraudEvent e : new FraudSimulator(simulation(3))) {
            records.add(record(topics.topicOf(e.kind()), e.key(), encode(e)));
            if (e.kind() == FraudEvent.Kind.TRANSACTION) {
                expected.add(e.transaction().getTransactionId());
                if (++i % 50 == 0 && i / 50 <= bad.size()) {
                    BadRecord<BadTransactions.Defect> b = bad.get(i / 50 - 1);
                    records.add(new ProducerRecord<>(topics.transactions(), b.key().getBytes(StandardCharsets.UTF_8),
                            b.value()));
                }
            }
        }
        assertThat(i / 50).as("enough transactions to spread the bad records").isGreaterThanOrEqualTo(bad.size());
        kafka.produce(records);

        Configuration conf = config("decide", topics);
        conf.set(FraudPipelineOptions.BOUNDED, true);
        conf.set(FraudPipelineOptions.MONITORING_ENABLED, true);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        FraudJob.build(env, conf);
        env.executeAsync("fraud-it-decide").getJobExecutionResult().get(2, TimeUnit.MINUTES);

        // Every bad record is one dead letter with its defect as the reason and its bytes.
        AvroCodec<DeadLetter> letters = AvroCodec.of(DeadLetter.class);
        Map<String, Integer> reasons = new HashMap<>();
        List<String> payloads = new ArrayList<>();
        Map<String, Integer> stages = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.dlq(), Duration.ofSeconds(60))) {
            DeadLetter d = letters.decode(r.value());
            if (topics.transactions().equals(d.getSourceTopic())) {
                reasons.merge(d.getReason(), 1, Integer::sum);
                payloads.add(Arrays.toString(d.getOriginalValue().array()));
            }
            assertThat(d.getPipeline()).isEqualTo(FraudJob.PIPELINE);
            stages.merge(d.getStage() + "/" + d.getReason(), 1, Integer::sum);
        }
        // Exactly one decision per transaction, each with both models' scores and versions and its reasons.
        AvroCodec<FraudDecision> decisions = AvroCodec.of(FraudDecision.class);
        Map<String, Integer> decided = new HashMap<>();
        Map<String, Integer> byDecision = new HashMap<>();
        // The job has finished; wait until its last transactions are visible, then read everything committed.
        kafka.readCommitted(topics.decisions(), expected.size(), Duration.ofSeconds(60));
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(topics.decisions(), Duration.ofSeconds(60))) {
            FraudDecision d = decisions.decode(r.value());
            decided.merge(d.getTransactionId(), 1, Integer::sum);
            byDecision.merge(d.getDecision().name(), 1, Integer::sum);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(d.getAccountId());
            assertThat(d.getModelName()).isEqualTo(classifier.name());
            assertThat(d.getModelVersion()).isEqualTo(classifier.version());
            assertThat(d.getAnomalyModelName()).isEqualTo(autoencoder.name());
            assertThat(d.getAnomalyModelVersion()).isEqualTo(autoencoder.version());
            assertThat(d.getScore()).isBetween(0.0, 1.0);
            assertThat(d.getAnomalyScore()).isNotNull().isNotNegative();
            assertThat(d.getAnomalyThreshold()).isNotNull();
            assertThat(d.getReasons()).isNotEmpty();
        }
        List<String> lostOrDuplicated = new ArrayList<>();
        for (String tx : expected) {
            if (!Integer.valueOf(1).equals(decided.get(tx))) {
                lostOrDuplicated.add(tx + ": " + decided.get(tx));
            }
        }
        assertThat(lostOrDuplicated).as("transactions without exactly one decision, of %d (%d decided: %s; dead"
                        + " letters: %s)", expected.size(), decided.size(), byDecision, stages).isEmpty();
        assertThat(stages.keySet()).as("no transaction rejected by the feature stage")
                .noneMatch(k -> k.startsWith("features/"));
        assertThat(decided.keySet()).isEqualTo(expected);
        assertThat(byDecision).as("decisions by kind").containsKey("APPROVE").hasSizeGreaterThanOrEqualTo(2);

        Map<String, Integer> defects = new HashMap<>();
        for (BadRecord<BadTransactions.Defect> b : bad) {
            defects.merge(b.defect().name(), 1, Integer::sum);
        }
        assertThat(reasons).isEqualTo(defects);
        assertThat(payloads).containsExactlyInAnyOrderElementsOf(
                bad.stream().map(b -> Arrays.toString(b.value())).toList());
    }

    @Test
    @Order(2)
    void labelsTrainTheClassifierAndTheNewVersionIsHotSwappedIn(@TempDir Path registry) throws Exception {
        Topics topics = LEARN;
        FraudSimulationConfig sim = simulation(8);
        long cut = sim.start().plus(Duration.ofDays(2)).toEpochMilli();
        List<ProducerRecord<byte[], byte[]>> before = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> after = new ArrayList<>();
        for (FraudEvent e : new FraudSimulator(sim)) {
            (e.deliveryTimeMillis() < cut ? before : after).add(record(topics.topicOf(e.kind()), e.key(), encode(e)));
        }
        kafka.produce(before);

        Configuration conf = config("learn", topics);
        conf.set(FraudPipelineOptions.LEARNING_ENABLED, true);
        // Label partitions that run dry must not hold back the maturity timers for the default 30 s. (Not in the
        // bounded test: there a partition that a busy machine starves for a second would let the watermark overtake
        // its transactions, and the feature stage would reject them as late.)
        conf.set(FraudPipelineOptions.IDLE_TIMEOUT, Duration.ofSeconds(2));
        conf.set(LearnerOptions.REGISTRY_ROOT, registry.toUri().toString());
        conf.set(LearnerOptions.STANDARDIZER_FREEZE_AFTER, 0L);
        conf.set(LearnerOptions.OPTIMIZER, "sgd");
        conf.set(LearnerOptions.LEARNING_RATE, 0.01);
        conf.set(LearnerOptions.MINIBATCH, 4);
        conf.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 20L);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        FraudJob.build(env, conf);
        JobClient job = env.executeAsync("fraud-it-learn");
        try {
            // The learner announces a version learned from the labels of the first two days.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            List<ConsumerRecord<byte[], byte[]>> announced = List.of();
            while (announced.isEmpty()) {
                assertThat(System.nanoTime()).as("a first learned version").isLessThan(deadline);
                announced = kafka.readCommitted(topics.control(), 1, Duration.ofMillis(500));
            }
            ModelUpdate update = AvroCodec.of(ModelUpdate.class).decode(announced.get(0).value());
            assertThat(update.getName()).isEqualTo(classifier.name());
            assertThat(Long.parseLong(update.getVersion())).isGreaterThanOrEqualTo(2);

            // Traffic after the announcement is decided by a learned version, while the autoencoder stays.
            kafka.produce(after);
            AvroCodec<FraudDecision> decisions = AvroCodec.of(FraudDecision.class);
            FraudDecision learned = null;
            while (learned == null) {
                assertThat(System.nanoTime()).as("a decision by a learned version").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r :
                        kafka.readAllCommitted(topics.decisions(), Duration.ofSeconds(5))) {
                    FraudDecision d = decisions.decode(r.value());
                    assertThat(d.getAnomalyModelVersion()).isEqualTo(autoencoder.version());
                    if (!"none".equals(d.getModelVersion()) && Long.parseLong(d.getModelVersion()) >= 2) {
                        learned = d;
                    }
                }
            }
            assertThat(learned.getScore()).isNotNull();
            assertThat(learned.getReasons()).isNotEmpty();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
