package dev.vigil.pipelines.icu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.util.Sha256;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.operators.label.LabelOptions;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.kafka.VigilTopics;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.SimEvent;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.VitalObservation;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The closed loop on a real broker and a MiniCluster: predictions are joined with delayed outcomes, the online learner
 * publishes versions to a file-system registry and the control topic, and the scorer hot-swaps them while the stream
 * keeps flowing, across a TaskManager killed mid-stream. Every valid vital is still exactly one prediction, every
 * published version is verifiable in the registry, and each patient's predictions only ever move to newer versions.
 */
class IcuLearningLoopITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(2)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    @Test
    void versionsReachTheScorerWhileTheStreamFlowsAcrossAFailure(
            @InjectMiniCluster MiniCluster miniCluster, @TempDir Path registryRoot) throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            kafka.createTopics(VigilTopics.ICU_TOPICS);
            IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder()
                    .seed(11)
                    .patients(40)
                    .duration(Duration.ofHours(30))
                    .deterioratingFraction(0.3)
                    .build());
            AvroCodec<VitalObservation> vitals = AvroCodec.of(VitalObservation.class);
            AvroCodec<ClinicalOutcome> outcomes = AvroCodec.of(ClinicalOutcome.class);
            IcuReplay replay = new IcuReplay(Duration.ofHours(4));
            Map<String, Integer> expected = new HashMap<>();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (SimEvent e : simulator) {
                byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
                if (e.kind() == SimEvent.Kind.VITAL) {
                    records.add(new ProducerRecord<>(VigilTopics.ICU_VITALS, key, vitals.encode(e.vital())));
                    replay.apply(e, (p, asOf, f) -> expected.merge(p + "@" + asOf, 1, Integer::sum));
                } else if (e.kind() == SimEvent.Kind.OUTCOME) {
                    records.add(new ProducerRecord<>(VigilTopics.ICU_OUTCOMES, key, outcomes.encode(e.outcome())));
                }
            }
            kafka.produce(records);

            Configuration conf = new Configuration();
            conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "it-learning");
            conf.set(KafkaOptions.GROUP_ID_PREFIX, "it-learning");
            conf.set(IcuPipelineOptions.LEARNING_ENABLED, true);
            conf.set(LabelOptions.SAMPLE_EVERY, 5);
            conf.set(LabelOptions.ALLOWED_LATENESS, Duration.ofHours(2));
            conf.set(LearnerOptions.REGISTRY_ROOT, registryRoot.toUri().toString());
            conf.set(LearnerOptions.STANDARDIZER_FREEZE_AFTER, 0L);
            conf.set(LearnerOptions.OPTIMIZER, "sgd");
            conf.set(LearnerOptions.LEARNING_RATE, 0.01);
            conf.set(LearnerOptions.MINIBATCH, 4);
            conf.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 20L);
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
            conf.set(PipelineOptions.GENERIC_TYPES, false);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
            env.setParallelism(2);
            IcuJob.build(env, conf);
            JobClient job = env.executeAsync("icu-learning-it");

            // Fail a TaskManager once the learner has announced its first version.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (kafka.readCommitted(VigilTopics.MODELS_CONTROL, 1, Duration.ofMillis(500)).isEmpty()) {
                assertThat(System.nanoTime()).as("a first learned version").isLessThan(deadline);
            }
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            miniCluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            miniCluster.startTaskManager();

            int total = replay.accepted() > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) replay.accepted();
            List<ConsumerRecord<byte[], byte[]>> committed =
                    kafka.readCommitted(VigilTopics.ICU_PREDICTIONS, total, Duration.ofSeconds(150));
            // Let anything that would be a duplicate commit too before looking.
            Thread.sleep(2_000);
            List<ConsumerRecord<byte[], byte[]>> predictions =
                    kafka.readAllCommitted(VigilTopics.ICU_PREDICTIONS, Duration.ofSeconds(60));
            List<ConsumerRecord<byte[], byte[]>> control =
                    kafka.readAllCommitted(VigilTopics.MODELS_CONTROL, Duration.ofSeconds(30));
            job.cancel().get(30, TimeUnit.SECONDS);
            assertThat(committed.size()).isGreaterThanOrEqualTo(total);

            // No loss, no duplicates.
            AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
            Map<String, Integer> seen = new HashMap<>();
            Map<String, List<Prediction>> byPatient = new HashMap<>();
            TreeSet<Long> versionsScored = new TreeSet<>();
            for (ConsumerRecord<byte[], byte[]> r : predictions) {
                Prediction p = codec.decode(r.value());
                seen.merge(p.getEntityId() + "@" + p.getEventTime().toEpochMilli(), 1, Integer::sum);
                byPatient.computeIfAbsent(p.getEntityId(), k -> new ArrayList<>()).add(p);
                versionsScored.add(Long.parseLong(p.getModelVersion()));
            }
            // Compared key by key: a whole-map message would be truncated before the first difference.
            List<String> differences = new ArrayList<>();
            expected.forEach((key, n) -> {
                if (!n.equals(seen.get(key))) {
                    differences.add(key + ": expected " + n + ", committed " + seen.get(key));
                }
            });
            seen.keySet().stream().filter(key -> !expected.containsKey(key))
                    .forEach(key -> differences.add(key + ": not expected, committed " + seen.get(key)));
            assertThat(differences).as("predictions lost or duplicated (of %d keys)", expected.size()).isEmpty();

            // The bootstrap (1) and at least two learned versions reached the scorer (a version announced right
            // before a newer one may be skipped), and no patient's predictions ever went back to an older version.
            assertThat(versionsScored).contains(1L);
            assertThat(versionsScored.tailSet(2L)).hasSizeGreaterThanOrEqualTo(2);
            for (List<Prediction> ps : byPatient.values()) {
                long last = 0;
                for (Prediction p : ps) {
                    long v = Long.parseLong(p.getModelVersion());
                    assertThat(v).isGreaterThanOrEqualTo(last);
                    last = v;
                }
            }

            // Every announced version is in the registry, intact.
            AvroCodec<ModelUpdate> updates = AvroCodec.of(ModelUpdate.class);
            assertThat(control).hasSizeGreaterThanOrEqualTo(2);
            for (ConsumerRecord<byte[], byte[]> r : control) {
                ModelUpdate u = updates.decode(r.value());
                assertThat(u.getName()).isEqualTo(IcuModelTraining.MODEL_NAME);
                byte[] onnx = Files.readAllBytes(Paths.get(URI.create(u.getUri())));
                assertThat(Sha256.hex(onnx)).isEqualTo(u.getSha256());
                assertThat(Long.parseLong(u.getVersion())).isGreaterThanOrEqualTo(2);
            }
        }
    }
}
