package dev.vigil.operators.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.DefaultTypeDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.lineage.TypeDatasetFacet;
import org.apache.flink.connector.kafka.lineage.TypeDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.Preconditions;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes Avro records to one topic: value = Avro binary ({@link AvroCodec}), key = the UTF-8 bytes of an entity id
 * (Kafka's default partitioner then keeps one entity on one partition), record timestamp = the element's Flink
 * timestamp when it has one (otherwise the producer's clock).
 *
 * <pre>{@code
 * KafkaSink<DeteriorationAlert> sink =
 *         VigilKafka.exactlyOnceSink(config, "icu-alerts",
 *                         new AvroKafkaRecordSerializer<>(VigilTopics.ICU_ALERTS, DeteriorationAlert.class,
 *                                 DeteriorationAlert::getPatientId))
 *                 .build();
 * }</pre>
 *
 * <p>Names its topic to the connector ({@link KafkaDatasetFacetProvider}): the {@code POOLING} transaction naming
 * strategy needs it to find lingering transactions after a restart, and lineage reporting uses it.
 */
public final class AvroKafkaRecordSerializer<T extends SpecificRecord>
        implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider, TypeDatasetFacetProvider {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final AvroCodec<T> codec;
    private final SerializableFunction<T, String> keyExtractor;

    /**
     * @param topic the topic every record goes to
     * @param type the generated Avro class
     * @param keyExtractor the record's entity id (the key); may return {@code null} for an unkeyed record
     */
    public AvroKafkaRecordSerializer(String topic, Class<T> type, SerializableFunction<T, String> keyExtractor) {
        Preconditions.checkArgument(topic != null && !topic.isEmpty(), "topic must be set");
        this.topic = topic;
        this.codec = AvroCodec.of(type);
        this.keyExtractor = Preconditions.checkNotNull(keyExtractor, "keyExtractor");
    }

    public String topic() {
        return topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        String key = keyExtractor.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                timestamp == null || timestamp < 0 ? null : timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                codec.encode(element));
    }

    @Override
    public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
        return Optional.of(new DefaultKafkaDatasetFacet(DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
    }

    @Override
    public Optional<TypeDatasetFacet> getTypeDatasetFacet() {
        return Optional.of(new DefaultTypeDatasetFacet(TypeInformation.of(codec.type())));
    }
}
