package dev.vigil.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.icu.VitalObservation;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class AvroKafkaRecordSerializerTest {

    private final AvroKafkaRecordSerializer<VitalObservation> serializer =
            new AvroKafkaRecordSerializer<>("vigil.icu.vitals", VitalObservation.class, VitalObservation::getPatientId);

    @Test
    void writesUtf8KeyAvroValueAndElementTimestamp() throws Exception {
        VitalObservation vital = AvroCodecTest.vital("patiënt-1", 88.0);

        ProducerRecord<byte[], byte[]> record = serializer.serialize(vital, null, 1_700_000_000_123L);

        assertThat(record.topic()).isEqualTo("vigil.icu.vitals");
        assertThat(record.partition()).as("Kafka's partitioner hashes the key").isNull();
        assertThat(record.key()).isEqualTo("patiënt-1".getBytes(StandardCharsets.UTF_8));
        assertThat(record.timestamp()).isEqualTo(1_700_000_000_123L);
        assertThat(AvroCodec.of(VitalObservation.class).decode(record.value())).isEqualTo(vital);
    }

    @Test
    void leavesTheTimestampToTheProducerWhenTheElementHasNone() {
        VitalObservation vital = AvroCodecTest.vital("p-1", 88.0);

        assertThat(serializer.serialize(vital, null, null).timestamp()).isNull();
        assertThat(serializer.serialize(vital, null, Long.MIN_VALUE).timestamp()).isNull();
    }

    @Test
    void aNullKeyMeansAnUnkeyedRecord() {
        AvroKafkaRecordSerializer<VitalObservation> unkeyed =
                new AvroKafkaRecordSerializer<>("t", VitalObservation.class, v -> null);

        assertThat(unkeyed.serialize(AvroCodecTest.vital("p-1", 88.0), null, null).key()).isNull();
    }

    @Test
    void namesItsTopicForPoolingTransactionsAndLineage() {
        KafkaDatasetFacet facet = serializer.getKafkaDatasetFacet().orElseThrow();

        assertThat(facet.getTopicIdentifier().getTopics()).containsExactly("vigil.icu.vitals");
        assertThat(serializer.getTypeDatasetFacet().orElseThrow().getTypeInformation().getTypeClass())
                .isEqualTo(VitalObservation.class);
    }

    @Test
    void isSerializable() throws Exception {
        AvroKafkaRecordSerializer<VitalObservation> copy = InstantiationUtil.clone(serializer);

        assertThat(copy.serialize(AvroCodecTest.vital("p-1", 88.0), null, 5L).key())
                .isEqualTo("p-1".getBytes(StandardCharsets.UTF_8));
    }
}
