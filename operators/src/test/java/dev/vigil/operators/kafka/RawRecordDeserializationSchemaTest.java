package dev.vigil.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RawRecordDeserializationSchemaTest {

    @Test
    void keepsCoordinatesTimestampAndBytes() throws Exception {
        byte[] key = "p-0001".getBytes(StandardCharsets.UTF_8);
        byte[] value = {0, 1, 2, (byte) 0xff};
        ConsumerRecord<byte[], byte[]> consumed = consumerRecord(key, value);
        List<RawRecord> out = new ArrayList<>();

        new RawRecordDeserializationSchema().deserialize(consumed, collector(out));

        assertThat(out).containsExactly(new RawRecord("vigil.icu.vitals", 3, 42L, 1_700_000_000_000L, key, value));
        assertThat(out.get(0).toString())
                .isEqualTo("RawRecord{vigil.icu.vitals-3@42, timestamp=1700000000000, keyBytes=6, valueBytes=4}");
    }

    @Test
    void tombstonesAndUnkeyedRecordsPassThrough() throws Exception {
        List<RawRecord> out = new ArrayList<>();

        new RawRecordDeserializationSchema().deserialize(consumerRecord(null, null), collector(out));

        assertThat(out.get(0).getKey()).isNull();
        assertThat(out.get(0).getValue()).isNull();
    }

    @Test
    void isAPojoWithNullableByteArrays() throws Exception {
        TypeInformation<RawRecord> type = new RawRecordDeserializationSchema().getProducedType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);

        TypeSerializer<RawRecord> serializer = type.createSerializer(new SerializerConfigImpl());
        RawRecord record = new RawRecord("t", 0, 1L, 2L, null, new byte[] {7});
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(record, out);

        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(record);
    }

    private static ConsumerRecord<byte[], byte[]> consumerRecord(byte[] key, byte[] value) {
        return new ConsumerRecord<>(
                "vigil.icu.vitals",
                3,
                42L,
                1_700_000_000_000L,
                TimestampType.CREATE_TIME,
                key == null ? -1 : key.length,
                value == null ? -1 : value.length,
                key,
                value,
                new RecordHeaders(),
                java.util.Optional.empty());
    }

    private static Collector<RawRecord> collector(List<RawRecord> out) {
        return new Collector<>() {
            @Override
            public void collect(RawRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
