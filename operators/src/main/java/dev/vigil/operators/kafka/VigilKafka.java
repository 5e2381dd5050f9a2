package dev.vigil.operators.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.KafkaSourceOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.util.Preconditions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The standard Kafka source and exactly-once sink of a Vigil job, configured from {@link KafkaOptions}. Both return
 * the connector's builder, so a caller can still adjust it (e.g. {@code setBounded}) before {@code build()}.
 *
 * <pre>{@code
 * KafkaSource<RawRecord> vitals = VigilKafka.source(config, "icu-features", VigilTopics.ICU_VITALS).build();
 * KafkaSink<Prediction> predictions =
 *         VigilKafka.exactlyOnceSink(config, "icu-predictions",
 *                         new AvroKafkaRecordSerializer<>(VigilTopics.ICU_PREDICTIONS, Prediction.class,
 *                                 Prediction::getEntityId))
 *                 .build();
 * }</pre>
 *
 * <p>Exactly-once end to end needs checkpointing: the sink commits its Kafka transaction when the checkpoint after
 * the records completes, so consumers must read with {@code isolation.level=read_committed} (as these sources do)
 * and see output once per checkpoint interval.
 */
public final class VigilKafka {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private VigilKafka() {}

    /**
     * A source of raw records ({@link RawRecordDeserializationSchema}) from the earliest offsets, reading only
     * committed transactions, in consumer group {@code <group-id-prefix>-<name>}, with partition discovery as
     * configured (off by default). Unbounded unless the caller sets {@code setBounded}.
     *
     * @param name the source's name in the job, unique per job (letters, digits, {@code . _ -})
     */
    public static KafkaSourceBuilder<RawRecord> source(ReadableConfig config, String name, String... topics) {
        checkName(name);
        Preconditions.checkArgument(topics.length > 0, "at least one topic");
        String groupId = config.get(KafkaOptions.GROUP_ID_PREFIX) + "-" + name;
        Duration discovery = config.get(KafkaOptions.PARTITION_DISCOVERY_INTERVAL);
        Preconditions.checkArgument(
                !discovery.isNegative(), "%s must not be negative", KafkaOptions.PARTITION_DISCOVERY_INTERVAL.key());

        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder();
        clientProperties(config).forEach(builder::setProperty);
        return builder.setBootstrapServers(bootstrapServers(config))
                .setTopics(topics)
                .setGroupId(groupId)
                .setClientIdPrefix(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializationSchema())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty(
                        KafkaSourceOptions.PARTITION_DISCOVERY_INTERVAL_MS.key(),
                        discovery.isZero() ? "-1" : Long.toString(discovery.toMillis()));
    }

    /**
     * An {@link DeliveryGuarantee#EXACTLY_ONCE} sink with transactional id prefix {@code
     * <transactional-id-prefix>-<name>}, the configured transaction timeout and naming strategy.
     *
     * @param name the sink's name, unique among all sinks writing to the Kafka cluster and stable across restarts
     *     (letters, digits, {@code . _ -})
     * @throws IllegalArgumentException if the bootstrap servers are missing, or the transaction timeout is not below
     *     the brokers' 15 min maximum or not above the configured checkpoint interval
     */
    public static <T> KafkaSinkBuilder<T> exactlyOnceSink(
            ReadableConfig config, String name, KafkaRecordSerializationSchema<T> serializer) {
        checkName(name);
        Preconditions.checkNotNull(serializer, "serializer");
        Duration timeout = transactionTimeout(config);

        KafkaSinkBuilder<T> builder = KafkaSink.<T>builder();
        clientProperties(config).forEach(builder::setProperty);
        return builder.setBootstrapServers(bootstrapServers(config))
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(config.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .setTransactionNamingStrategy(config.get(KafkaOptions.TRANSACTION_NAMING_STRATEGY))
                .setProperty(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Long.toString(timeout.toMillis()));
    }

    /** The configured transaction timeout, validated against the broker maximum and the checkpoint interval. */
    public static Duration transactionTimeout(ReadableConfig config) {
        Duration timeout = config.get(KafkaOptions.TRANSACTION_TIMEOUT);
        String key = KafkaOptions.TRANSACTION_TIMEOUT.key();
        Preconditions.checkArgument(
                timeout.compareTo(KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT) < 0,
                "%s (%s) must be below the brokers' default transaction.max.timeout.ms (%s)",
                key,
                timeout,
                KafkaOptions.BROKER_MAX_TRANSACTION_TIMEOUT);
        Duration interval = config.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).orElse(null);
        Preconditions.checkArgument(
                timeout.compareTo(interval == null ? Duration.ZERO : interval) > 0,
                "%s (%s) must be longer than the checkpoint interval (%s): transactions commit on checkpoints",
                key,
                timeout,
                interval);
        return timeout;
    }

    private static String bootstrapServers(ReadableConfig config) {
        String servers = config.get(KafkaOptions.BOOTSTRAP_SERVERS);
        Preconditions.checkArgument(
                servers != null && !servers.isBlank(), "%s must be set", KafkaOptions.BOOTSTRAP_SERVERS.key());
        return servers;
    }

    private static Map<String, String> clientProperties(ReadableConfig config) {
        return config.getOptional(KafkaOptions.CLIENT_PROPERTIES).orElse(Map.of());
    }

    private static void checkName(String name) {
        Preconditions.checkArgument(
                name != null && NAME.matcher(name).matches(),
                "name must be letters, digits, '.', '_' or '-', got '%s'",
                name);
    }
}
