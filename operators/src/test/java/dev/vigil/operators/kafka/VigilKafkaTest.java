package dev.vigil.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.lineage.LineageDataset;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.junit.jupiter.api.Test;

class VigilKafkaTest {

    private static Configuration config() {
        Configuration config = new Configuration();
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, "127.0.0.1:9092");
        return config;
    }

    private static AvroKafkaRecordSerializer<VitalObservation> serializer() {
        return new AvroKafkaRecordSerializer<>("vigil.icu.vitals", VitalObservation.class, VitalObservation::getPatientId);
    }

    @Test
    void sourceReadsCommittedFromEarliestWithoutDiscovery() {
        KafkaSource<RawRecord> source = VigilKafka.source(config(), "icu-features", "vigil.icu.vitals").build();

        Properties props = kafkaProperties(source.getLineageVertex());
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(props)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("group.id", "vigil-icu-features")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("partition.discovery.interval.ms", "-1");
        assertThat(source.getProducedType().getTypeClass()).isEqualTo(RawRecord.class);
    }

    @Test
    void sourceTakesPrefixDiscoveryAndClientProperties() {
        Configuration config = config();
        config.set(KafkaOptions.GROUP_ID_PREFIX, "vigil-staging");
        config.set(KafkaOptions.PARTITION_DISCOVERY_INTERVAL, Duration.ofMinutes(1));
        config.set(KafkaOptions.CLIENT_PROPERTIES, Map.of("security.protocol", "SASL_SSL"));

        Properties props =
                kafkaProperties(VigilKafka.source(config, "icu-features", "vigil.icu.vitals").build().getLineageVertex());

        assertThat(props)
                .containsEntry("group.id", "vigil-staging-icu-features")
                .containsEntry("partition.discovery.interval.ms", "60000")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void sinkIsExactlyOnceWithPrefixAndTimeout() {
        KafkaSink<VitalObservation> sink = VigilKafka.exactlyOnceSink(config(), "icu-vitals", serializer()).build();

        Properties props = kafkaProperties(sink.getLineageVertex());
        assertThat(props)
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("transaction.timeout.ms", "600000");
        assertThat(sink.getLineageVertex().datasets()).extracting(LineageDataset::name).containsExactly("vigil.icu.vitals");
    }

    @Test
    void transactionTimeoutMustStayBelowTheBrokerMaximum() {
        Configuration config = config();
        config.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(15));

        assertThatThrownBy(() -> VigilKafka.exactlyOnceSink(config, "icu-vitals", serializer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vigil.kafka.transaction-timeout (PT15M) must be below");
    }

    @Test
    void transactionTimeoutMustExceedTheCheckpointInterval() {
        Configuration config = config();
        config.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofSeconds(30));
        config.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMinutes(1));

        assertThatThrownBy(() -> VigilKafka.exactlyOnceSink(config, "icu-vitals", serializer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be longer than the checkpoint interval (PT1M)");

        config.set(KafkaOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(2));
        assertThat(VigilKafka.transactionTimeout(config)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void bootstrapServersAndNamesAreRequired() {
        assertThatThrownBy(() -> VigilKafka.source(new Configuration(), "icu", "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vigil.kafka.bootstrap-servers must be set");
        assertThatThrownBy(() -> VigilKafka.exactlyOnceSink(config(), "icu alerts", serializer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 'icu alerts'");
        assertThatThrownBy(() -> VigilKafka.source(config(), "icu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at least one topic");
    }

    @Test
    void poolingIsTheDefaultNamingStrategy() {
        assertThat(config().get(KafkaOptions.TRANSACTION_NAMING_STRATEGY)).isEqualTo(TransactionNamingStrategy.POOLING);
    }

    private static Properties kafkaProperties(LineageVertex vertex) {
        LineageDataset dataset = vertex.datasets().get(0);
        return ((KafkaDatasetFacet) dataset.facets().get("kafka")).getProperties();
    }
}
