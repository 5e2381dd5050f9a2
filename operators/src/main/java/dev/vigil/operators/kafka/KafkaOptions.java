package dev.vigil.operators.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * Kafka settings of every Vigil job, read by {@link VigilKafka}. In {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   kafka:
 *     bootstrap-servers: kafka-0.kafka:9092,kafka-1.kafka:9092
 *     transaction-timeout: 10 min
 *     transactional-id-prefix: vigil-prod
 * }</pre>
 */
public final class KafkaOptions {

    /** Brokers reject a producer whose {@code transaction.timeout.ms} exceeds their {@code transaction.max.timeout.ms}. */
    public static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("vigil.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Comma-separated host:port list of the Kafka brokers. Required.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("vigil.kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription(
                            "transaction.timeout.ms of the exactly-once sinks. Must be longer than the checkpoint"
                                    + " interval plus the longest checkpoint and restart (a transaction stays open"
                                    + " until the checkpoint after it completes) and shorter than the brokers'"
                                    + " transaction.max.timeout.ms (15 min by default).");

    public static final ConfigOption<String> GROUP_ID_PREFIX =
            ConfigOptions.key("vigil.kafka.group-id-prefix")
                    .stringType()
                    .defaultValue("vigil")
                    .withDescription(
                            "Prefix of the consumer group ids of the sources: <prefix>-<source name>. Flink does not"
                                    + " need the group for its positions (they live in checkpoints); it is where"
                                    + " committed offsets show up for lag monitoring.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("vigil.kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("vigil")
                    .withDescription(
                            "Prefix of the transactional ids of the exactly-once sinks: <prefix>-<sink name>. Must"
                                    + " be unique per deployment on a Kafka cluster and stable across restarts of"
                                    + " the same job, or lingering transactions are not aborted and block readers"
                                    + " until they time out.");

    public static final ConfigOption<TransactionNamingStrategy> TRANSACTION_NAMING_STRATEGY =
            ConfigOptions.key("vigil.kafka.transaction-naming-strategy")
                    .enumType(TransactionNamingStrategy.class)
                    .defaultValue(TransactionNamingStrategy.POOLING)
                    .withDescription(
                            "How the exactly-once sinks name transactions. POOLING reuses a small pool of"
                                    + " transactional ids per subtask and finds lingering transactions with the"
                                    + " ListTransactions API (Kafka 3.0+; needs DESCRIBE on transactional ids with"
                                    + " ACLs). INCREMENTING is the connector's 3.x behaviour: a new id per checkpoint,"
                                    + " each kept by the brokers for transactional.id.expiration.ms (7 days). A job"
                                    + " can move from INCREMENTING to POOLING but not back.");

    public static final ConfigOption<Duration> PARTITION_DISCOVERY_INTERVAL =
            ConfigOptions.key("vigil.kafka.partition-discovery-interval")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "How often unbounded sources look for new partitions. 0 (the default) turns discovery"
                                    + " off: Vigil's topics have fixed partition counts.");

    public static final ConfigOption<Map<String, String>> CLIENT_PROPERTIES =
            ConfigOptions.key("vigil.kafka.client-properties")
                    .mapType()
                    .noDefaultValue()
                    .withDescription(
                            "Extra Kafka client properties for every source and sink, e.g."
                                    + " security.protocol:SASL_SSL,sasl.mechanism:SCRAM-SHA-512. Applied before the"
                                    + " settings Vigil fixes (isolation level, transaction timeout), which win.");

    private KafkaOptions() {}
}
