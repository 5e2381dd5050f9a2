package dev.vigil.pipelines.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.AvroDecodeException;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.operators.kafka.RawRecord;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kafka → Flink → Kafka end to end with one injected failure: every input record shows up exactly once in the
 * committed output, with either transaction naming strategy. The job reads with Vigil's standard source, decodes with {@link AvroCodec}, fails once in the
 * middle (after a checkpoint committed some output and while a transaction is open), restarts from the checkpoint
 * and writes through Vigil's exactly-once sink.
 */
class KafkaExactlyOnceITCase {

    private static final int PARALLELISM = 2;
    private static final int RECORDS = 5_000;
    private static final String INPUT = "it.eos.vitals";
    private static final String RELAYED = "relayed";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    private static final AvroCodec<VitalObservation> CODEC = AvroCodec.of(VitalObservation.class);

    private static EmbeddedKafka kafka;
    private static Set<String> expected;

    @BeforeAll
    static void startKafkaWithInput() {
        kafka = new EmbeddedKafka();
        kafka.createTopics(Map.of(INPUT, 4));
        List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
        expected = new HashSet<>();
        for (int i = 0; i < RECORDS; i++) {
            VitalObservation vital = vital(i);
            input.add(new ProducerRecord<>(INPUT, vital.getPatientId().getBytes(UTF_8), CODEC.encode(vital)));
            expected.add(id(vital));
        }
        kafka.produce(input);
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @ParameterizedTest
    @EnumSource(TransactionNamingStrategy.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyRecordIsWrittenExactlyOnceAcrossAFailure(TransactionNamingStrategy naming) throws Exception {
        String name = naming.name().toLowerCase(Locale.ROOT);
        String output = "it.eos.relayed." + name;
        kafka.createTopics(Map.of(output, 4));
        TestingFailureInjector.reset(RECORDS / 10);

        Configuration config = new Configuration();
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "it-eos-" + name);
        config.set(KafkaOptions.TRANSACTION_NAMING_STRATEGY, naming);
        config.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(1));
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(500));
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 2);
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        config.set(PipelineOptions.GENERIC_TYPES, false); // RawRecord and the Avro class: no Kryo
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(PARALLELISM);

        env.fromSource(
                        VigilKafka.source(config, "it-eos-" + name, INPUT)
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "vitals")
                .map(new DecodeAndFailOnce())
                .name("decode-and-fail-once")
                .sinkTo(
                        VigilKafka.exactlyOnceSink(
                                        config,
                                        "relayed",
                                        new AvroKafkaRecordSerializer<>(
                                                output, VitalObservation.class, VitalObservation::getPatientId))
                                .build())
                .name("relayed");
        env.execute("kafka-exactly-once-it");

        assertThat(TestingFailureInjector.hasFailed()).as("the injected failure happened").isTrue();
        assertThat(TestingFailureInjector.recordsAtFailure()).isBetween((long) RECORDS / 10, (long) RECORDS - 1);
        List<String> ids = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readAllCommitted(output, Duration.ofSeconds(60))) {
            VitalObservation vital = CODEC.decode(record.value());
            assertThat(vital.getSource()).isEqualTo(RELAYED);
            assertThat(new String(record.key(), UTF_8)).isEqualTo(vital.getPatientId());
            ids.add(id(vital));
        }
        assertThat(ids).as("no duplicates").doesNotHaveDuplicates();
        assertThat(ids).as("no loss").hasSize(RECORDS).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static VitalObservation vital(int i) {
        return VitalObservation.newBuilder()
                .setPatientId("p-" + (i % 97))
                .setEncounterId("e-" + (i % 97))
                .setLoincCode("8867-4")
                .setValue(i)
                .setUnit("/min")
                .setEffectiveTime(Instant.ofEpochMilli(1_700_000_000_000L + i * 1_000L))
                .build();
    }

    private static String id(VitalObservation vital) {
        return vital.getPatientId() + "/" + (long) vital.getValue();
    }

    /** Decodes, marks the record as relayed and fails the job once; paced until then so checkpoints happen. */
    private static final class DecodeAndFailOnce extends RichMapFunction<RawRecord, VitalObservation>
            implements CheckpointListener {

        private transient AvroCodec<VitalObservation> codec;

        @Override
        public void open(OpenContext openContext) {
            codec = AvroCodec.of(VitalObservation.class);
        }

        @Override
        public VitalObservation map(RawRecord raw) throws AvroDecodeException, InterruptedException {
            VitalObservation vital = codec.decode(raw.getValue());
            vital.setSource(RELAYED);
            if (!TestingFailureInjector.hasFailed()) {
                Thread.sleep(1); // spread the first attempt over several checkpoints
            }
            TestingFailureInjector.onRecord();
            return vital;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            TestingFailureInjector.onCheckpointComplete();
        }
    }
}
