package dev.vigil.pipelines.icu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.pipelines.kafka.EmbeddedKafka;
import dev.vigil.pipelines.kafka.VigilTopics;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.icu.BadRecords;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.SimEvent;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.icu.AlertTrigger;
import dev.vigil.schema.icu.DeteriorationAlert;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ICU job end to end on a real broker and a MiniCluster with parallelism 2: simulated vitals plus bad records in,
 * predictions, alerts and dead letters out. The job runs twice over the same input: once undisturbed, once with a
 * TaskManager killed mid-stream. Read with {@code read_committed}, the disturbed run's outputs must equal the clean
 * run's exactly: no loss, no duplicates. Input carries no patient context, so features (which use age and the SpO2
 * scale from the context stream, a second source whose interleaving with vitals is not deterministic) are identical
 * in both runs.
 */
class IcuPipelineITCase {

    private static final int PATIENTS = 40;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(2)
                    .setNumberSlotsPerTaskManager(1)
                    .build());

    private static EmbeddedKafka kafka;
    private static List<BadRecord<BadRecords.Defect>> bad;
    private static long vitalsSent;
    private static IcuReplay expected;
    private static Map<String, Integer> expectedSnapshots;

    @BeforeAll
    static void produceInput() {
        kafka = new EmbeddedKafka();
        // The outcomes topic stays empty: the monitors (on by default) read it through the label join.
        kafka.createTopics(Map.of(VigilTopics.ICU_VITALS, 4, VigilTopics.ICU_CONTEXT, 4, VigilTopics.ICU_OUTCOMES, 4));
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder()
                .seed(7)
                .patients(PATIENTS)
                .duration(Duration.ofHours(12))
                .deterioratingFraction(0.3)
                .build());
        bad = BadRecords.generate(7, 2);
        AvroCodec<dev.vigil.schema.icu.VitalObservation> codec =
                AvroCodec.of(dev.vigil.schema.icu.VitalObservation.class);
        expected = new IcuReplay(Duration.ofHours(4));
        expectedSnapshots = new HashMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int i = 0;
        for (SimEvent e : simulator) {
            if (e.kind() != SimEvent.Kind.VITAL) {
                continue;
            }
            records.add(new ProducerRecord<>(VigilTopics.ICU_VITALS, key(e.key()), codec.encode(e.vital())));
            expected.apply(e, (patient, asOf, features) -> expectedSnapshots.merge(patient + "@" + asOf, 1, Integer::sum));
            vitalsSent++;
            if (++i % 500 == 0 && i / 500 <= bad.size()) {
                BadRecord<BadRecords.Defect> b = bad.get(i / 500 - 1);
                records.add(new ProducerRecord<>(VigilTopics.ICU_VITALS, key(b.key()), b.value()));
            }
        }
        assertThat(i / 500).as("enough vitals to spread the bad records").isGreaterThanOrEqualTo(bad.size());
        kafka.produce(records);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void outputsSurviveATaskManagerFailureExactlyOnce(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        Outputs clean = run("clean", null);
        Outputs failed = run("failed", miniCluster);

        // Every valid vital became exactly one prediction, every bad record exactly one dead letter.
        assertThat(clean.predictionKeys).isEqualTo(expectedSnapshots);
        assertThat(failed.predictionKeys).isEqualTo(expectedSnapshots);
        assertThat(failed.predictionCount).isEqualTo(expected.accepted()).isEqualTo(clean.predictionCount);

        Map<String, Integer> badByReason = new HashMap<>();
        for (BadRecord<BadRecords.Defect> b : bad) {
            badByReason.merge(b.defect().name(), 1, Integer::sum);
        }
        for (Outputs out : List.of(clean, failed)) {
            assertThat(out.deadLetterReasons).isEqualTo(badByReason);
            assertThat(out.deadLetterPayloads).containsExactlyInAnyOrderElementsOf(
                    bad.stream().map(b -> Arrays.toString(b.value())).toList());
        }

        // Alerts: present, stamped, explained, and identical with and without the failure.
        assertThat(clean.alerts).isNotEmpty();
        assertThat(failed.alertIds).hasSameSizeAs(failed.alerts).isEqualTo(clean.alertIds);
        List<DeteriorationAlert> modelAlerts = failed.alerts.stream()
                .filter(a -> a.getTrigger() != AlertTrigger.NEWS2)
                .toList();
        assertThat(modelAlerts).isNotEmpty().allSatisfy(a -> {
            assertThat(a.getModelName()).isEqualTo(IcuModelTraining.MODEL_NAME);
            assertThat(a.getModelVersion()).isEqualTo("1");
            assertThat(a.getRiskScore()).isNotNull();
            assertThat(a.getReasons()).isNotEmpty();
        });
        assertThat(failed.alerts).allSatisfy(a -> assertThat(a.getNews2Score()).isBetween(0, 20));
    }

    /** Outputs of one run, read back with read_committed. */
    private static final class Outputs {
        final Map<String, Integer> predictionKeys = new HashMap<>();
        long predictionCount;
        final List<DeteriorationAlert> alerts = new ArrayList<>();
        final Set<String> alertIds = new HashSet<>();
        final Map<String, Integer> deadLetterReasons = new HashMap<>();
        final List<String> deadLetterPayloads = new ArrayList<>();
    }

    private static Outputs run(String name, MiniCluster killTaskManagerOf) throws Exception {
        String predictions = "it." + name + ".predictions";
        String alerts = "it." + name + ".alerts";
        String dlq = "it." + name + ".dlq";
        String drift = "it." + name + ".drift";
        String fairness = "it." + name + ".fairness";
        kafka.createTopics(Map.of(predictions, 4, alerts, 4, dlq, 1, drift, 1, fairness, 1));

        Configuration conf = new Configuration();
        conf.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        conf.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "it-icu-" + name);
        conf.set(KafkaOptions.GROUP_ID_PREFIX, "it-icu-" + name);
        conf.set(IcuPipelineOptions.PREDICTIONS_TOPIC, predictions);
        conf.set(IcuPipelineOptions.ALERTS_TOPIC, alerts);
        conf.set(IcuPipelineOptions.DLQ_TOPIC, dlq);
        conf.set(IcuPipelineOptions.DRIFT_TOPIC, drift);
        conf.set(IcuPipelineOptions.FAIRNESS_TOPIC, fairness);
        conf.set(IcuPipelineOptions.BOUNDED, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        conf.set(PipelineOptions.GENERIC_TYPES, false);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        IcuJob.build(env, conf);
        JobClient job = env.executeAsync("icu-it-" + name);

        if (killTaskManagerOf != null) {
            // Kill a TaskManager once some output is committed but well before the input is exhausted.
            long target = Math.max(1, vitalsSent / 5);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (kafka.readCommitted(predictions, (int) target, Duration.ofMillis(500)).size() < target) {
                assertThat(System.nanoTime()).as("progress before the failure").isLessThan(deadline);
                assertThat(job.getJobStatus().get()).isNotEqualTo(JobStatus.FINISHED);
            }
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            killTaskManagerOf.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            killTaskManagerOf.startTaskManager();
        }
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        Outputs out = new Outputs();
        AvroCodec<Prediction> predictionCodec = AvroCodec.of(Prediction.class);
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(predictions, Duration.ofSeconds(60))) {
            Prediction p = predictionCodec.decode(r.value());
            out.predictionKeys.merge(p.getEntityId() + "@" + p.getEventTime().toEpochMilli(), 1, Integer::sum);
            out.predictionCount++;
        }
        AvroCodec<DeteriorationAlert> alertCodec = AvroCodec.of(DeteriorationAlert.class);
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(alerts, Duration.ofSeconds(60))) {
            DeteriorationAlert a = alertCodec.decode(r.value());
            out.alerts.add(a);
            out.alertIds.add(a.getAlertId());
        }
        AvroCodec<DeadLetter> dlqCodec = AvroCodec.of(DeadLetter.class);
        for (ConsumerRecord<byte[], byte[]> r : kafka.readAllCommitted(dlq, Duration.ofSeconds(60))) {
            DeadLetter d = dlqCodec.decode(r.value());
            out.deadLetterReasons.merge(d.getReason(), 1, Integer::sum);
            out.deadLetterPayloads.add(Arrays.toString(d.getOriginalValue().array()));
            assertThat(d.getSourceTopic()).isEqualTo(VigilTopics.ICU_VITALS);
            assertThat(d.getSourceOffset()).isNotNull();
        }
        return out;
    }

    private static byte[] key(String patientId) {
        return patientId.getBytes(StandardCharsets.UTF_8);
    }
}
