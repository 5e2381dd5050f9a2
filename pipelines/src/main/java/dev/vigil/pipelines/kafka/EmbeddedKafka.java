package dev.vigil.pipelines.kafka;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.util.FileUtils;
import org.apache.flink.util.Preconditions;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process, single-node Kafka 4.2 cluster (one combined KRaft broker + controller) for the demo and for tests,
 * configured for exactly-once on one broker. It is running when the constructor returns, listens on a random port
 * of localhost, keeps its data in a temporary directory and deletes it on {@link #close()}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = new EmbeddedKafka()) {
 *     kafka.createTopics(VigilTopics.ICU_TOPICS);
 *     kafka.produce(VigilTopics.ICU_VITALS, key, value);
 *     List<ConsumerRecord<byte[], byte[]>> alerts =
 *             kafka.readCommitted(VigilTopics.ICU_ALERTS, 10, Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>Topics are never created implicitly ({@code auto.create.topics.enable=false}): create them with explicit
 * partition counts first. For a broker that outlives a JVM use {@code pipelines/scripts/kafka-local.sh}. The broker
 * logs through slf4j: set the loggers {@code kafka} and {@code org.apache.kafka} to WARN to keep it quiet.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** The brokers' {@code transaction.max.timeout.ms}, as on a default production broker. */
    public static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    /** Names of the threads {@link KafkaClusterTestKit} formats and starts the nodes on. */
    private static final String TEST_KIT_THREAD_PREFIX = "kafka-cluster-test-kit-";

    private final Path dataDir;
    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Admin admin;
    private final Duration startupTime;
    private final Thread deleteOnExit;
    private KafkaProducer<byte[], byte[]> producer;

    /**
     * Formats and starts the broker and waits until it accepts clients (a few seconds).
     *
     * @throws IllegalStateException if it does not start
     */
    public EmbeddedKafka() {
        long start = System.nanoTime();
        KafkaClusterTestKit started = null;
        try {
            dataDir = Files.createTempDirectory("vigil-kafka-");
            TestKitNodes nodes =
                    new TestKitNodes.Builder(productionBootstrapMetadata())
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .setBaseDirectory(dataDir)
                            .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            brokerConfig().forEach(builder::setConfigProp);
            started = builder.build();
            formatQuietly(started);
            started.startup();
            started.waitForReadyBrokers();
        } catch (Exception e) {
            closeQuietly(started);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Embedded Kafka broker did not start", e);
        }
        cluster = started;
        bootstrapServers = cluster.bootstrapServers();
        Map<String, Object> adminConfig = new HashMap<>();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        admin = Admin.create(adminConfig);
        startupTime = Duration.ofNanos(System.nanoTime() - start);
        // A demo stopped with Ctrl-C never reaches close(): still remove the data.
        deleteOnExit = new Thread(() -> FileUtils.deleteDirectoryQuietly(dataDir.toFile()), "embedded-kafka-cleanup");
        Runtime.getRuntime().addShutdownHook(deleteOnExit);
        LOG.info("Embedded Kafka broker ready at {} in {} ms (data in {})", bootstrapServers, startupTime.toMillis(), dataDir);
    }

    /** The broker's {@code host:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Where the broker keeps its logs and metadata; deleted on {@link #close()}. */
    public Path dataDirectory() {
        return dataDir;
    }

    /** How long the constructor took to format, start and reach a ready broker. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Creates topics with the given partition counts (replication factor 1) and waits until they are usable. A topic
     * that already exists with the same partition count is left as it is.
     *
     * @throws IllegalStateException if a topic exists with another partition count or cannot be created
     */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach(
                (topic, partitions) -> {
                    Preconditions.checkArgument(partitions > 0, "%s needs at least one partition", topic);
                    topics.add(new NewTopic(topic, partitions, (short) 1));
                });
        admin.createTopics(topics)
                .values()
                .forEach(
                        (topic, created) -> {
                            try {
                                created.get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                            } catch (ExecutionException e) {
                                if (!(e.getCause() instanceof TopicExistsException)) {
                                    throw new IllegalStateException("Cannot create topic " + topic, e.getCause());
                                }
                            } catch (Exception e) {
                                throw new IllegalStateException("Cannot create topic " + topic, e);
                            }
                        });
        Map<String, Integer> actual = partitionCounts(partitionsByTopic.keySet());
        actual.forEach(
                (topic, partitions) ->
                        Preconditions.checkState(
                                partitions.equals(partitionsByTopic.get(topic)),
                                "Topic %s exists with %s partitions, not %s",
                                topic,
                                partitions,
                                partitionsByTopic.get(topic)));
    }

    /**
     * Number of partitions of each of {@code topics}, waiting up to 30 s for topics just created to show up with a
     * leader for every partition.
     *
     * @throws IllegalStateException if a topic does not exist
     */
    public Map<String, Integer> partitionCounts(Collection<String> topics) {
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> descriptions =
                        admin.describeTopics(topics).allTopicNames().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Map<String, Integer> counts = new TreeMap<>();
                boolean ready = true;
                for (TopicDescription description : descriptions.values()) {
                    counts.put(description.name(), description.partitions().size());
                    for (TopicPartitionInfo partition : description.partitions()) {
                        ready &= partition.leader() != null && !partition.leader().isEmpty();
                    }
                }
                if (ready) {
                    return counts;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Cannot describe topics " + topics, e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            } catch (TimeoutException e) {
                throw new IllegalStateException("Cannot describe topics " + topics, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Topics " + topics + " have partitions without a leader");
            }
            sleep(Duration.ofMillis(20));
        }
    }

    /** Writes one record (key may be {@code null}) and waits until the broker has it. */
    public void produce(String topic, byte[] key, byte[] value) {
        produce(List.of(new ProducerRecord<>(topic, key, value)));
    }

    /**
     * Writes records with an idempotent producer ({@code acks=all}) and waits until the broker has all of them.
     *
     * @throws IllegalStateException if any record was not written
     */
    public void produce(Iterable<ProducerRecord<byte[], byte[]>> records) {
        KafkaProducer<byte[], byte[]> producer = producer();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> record : records) {
            sent.add(producer.send(record));
        }
        producer.flush();
        for (Future<RecordMetadata> result : sent) {
            try {
                result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while producing", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Cannot produce to Kafka", e.getCause());
            }
        }
    }

    /**
     * Reads the committed records of {@code topic} from the beginning ({@code isolation.level=read_committed}) until
     * at least {@code expectedCount} arrived or {@code timeout} passed, and returns what was read (which may be fewer,
     * or more). Records of one partition are in offset order.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int expectedCount, Duration timeout) {
        return read(topic, expectedCount, timeout);
    }

    /**
     * Reads every record of {@code topic} committed at the time of the call: from the beginning up to the last stable
     * offset of each partition (open transactions hold it back), or until {@code timeout}. Use it after a job
     * finished to check its complete output, duplicates included.
     */
    public List<ConsumerRecord<byte[], byte[]>> readAllCommitted(String topic, Duration timeout) {
        return read(topic, -1, timeout);
    }

    /** {@code expectedCount < 0}: up to the end offsets at the start of the read. */
    private List<ConsumerRecord<byte[], byte[]>> read(String topic, int expectedCount, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<TopicPartition> partitions = awaitPartitions(consumer, topic, deadline);
            if (partitions.isEmpty()) {
                LOG.warn("Topic {} not found within {}", topic, timeout);
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = expectedCount < 0 ? consumer.endOffsets(partitions, timeout) : Map.of();
            while (System.nanoTime() < deadline) {
                if (expectedCount >= 0 ? records.size() >= expectedCount : reached(consumer, end)) {
                    return records;
                }
                consumer.poll(POLL).forEach(records::add);
            }
            LOG.warn(
                    "Read {} committed records of {} in {}{}",
                    records.size(),
                    topic,
                    timeout,
                    expectedCount >= 0 ? ", expected " + expectedCount : " before reaching its end offsets");
        }
        return records;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static List<TopicPartition> awaitPartitions(KafkaConsumer<?, ?> consumer, String topic, long deadline) {
        while (true) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, POLL);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                List<TopicPartition> partitions = new ArrayList<>();
                for (PartitionInfo info : infos) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
                return partitions;
            }
            if (System.nanoTime() >= deadline) {
                return List.of();
            }
            sleep(POLL);
        }
    }

    /** Stops the broker and deletes its data. */
    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
        admin.close(Duration.ofSeconds(5));
        closeQuietly(cluster);
        FileUtils.deleteDirectoryQuietly(dataDir.toFile());
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    private Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /** Exactly-once on one broker: internal topics with one replica, no rebalance delay, 15 min max transactions. */
    private static Map<String, Object> brokerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "4");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "4");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("transaction.max.timeout.ms", Long.toString(MAX_TRANSACTION_TIMEOUT.toMillis()));
        config.put("auto.create.topics.enable", "false");
        // Behave like a released broker, not the test kit's default of unreleased features.
        config.put("unstable.api.versions.enable", "false");
        config.put("unstable.feature.versions.enable", "false");
        return config;
    }

    private static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new TreeMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, features, "vigil-embedded");
    }

    /**
     * Formats the storage. Kafka's formatter prints its bootstrap metadata to {@code System.out} (two long lines, from
     * the test kit's threads): drop what those threads print meanwhile, pass everything else through.
     */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream stdout = System.out;
        OutputStream filtered =
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        if (!isTestKitThread()) {
                            stdout.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        if (!isTestKitThread()) {
                            stdout.write(b, off, len);
                        }
                    }

                    @Override
                    public void flush() {
                        stdout.flush();
                    }
                };
        System.setOut(new PrintStream(filtered, true, StandardCharsets.UTF_8));
        try {
            cluster.format();
        } finally {
            System.setOut(stdout);
        }
    }

    private static boolean isTestKitThread() {
        return Thread.currentThread().getName().startsWith(TEST_KIT_THREAD_PREFIX);
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("Error while stopping the embedded Kafka broker", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
