package dev.vigil.pipelines.kafka;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void startsWithinSecondsOnARandomLocalPort() {
        assertThat(kafka.bootstrapServers()).matches("localhost:\\d+").isNotEqualTo("localhost:9092");
        assertThat(kafka.startupTime()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void createsTopicsWithExplicitPartitionCounts() {
        kafka.createTopics(VigilTopics.ICU_TOPICS);

        assertThat(kafka.partitionCounts(VigilTopics.ICU_TOPICS.keySet())).isEqualTo(VigilTopics.ICU_TOPICS);
        kafka.createTopics(Map.of(VigilTopics.DLQ, 1)); // same count again: fine
        assertThatThrownBy(() -> kafka.createTopics(Map.of(VigilTopics.DLQ, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Topic vigil.dlq exists with 1 partitions, not 3");
    }

    @Test
    void producesAndReadsRecordsOfEveryPartition() {
        kafka.createTopics(Map.of("embedded.produce", 3));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(new ProducerRecord<>("embedded.produce", i % 3, ("k" + i).getBytes(UTF_8), bytes(i)));
        }

        kafka.produce(records);
        kafka.produce("embedded.produce", null, bytes(300));

        List<ConsumerRecord<byte[], byte[]>> read = kafka.readCommitted("embedded.produce", 301, Duration.ofSeconds(30));
        assertThat(read).hasSize(301);
        assertThat(read.stream().map(r -> new String(r.value(), UTF_8)))
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(0, 300).mapToObj(i -> "v" + i).toList());
        assertThat(read).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
        assertThat(kafka.readAllCommitted("embedded.produce", Duration.ofSeconds(30))).hasSize(301);
    }

    @Test
    void readsOnlyCommittedTransactions() throws Exception {
        kafka.createTopics(Map.of("embedded.transactions", 2));
        try (KafkaProducer<byte[], byte[]> producer = transactionalProducer("embedded-test")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("embedded.transactions", bytes(1), bytes(1)));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("embedded.transactions", bytes(2), bytes(2)));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("embedded.transactions", bytes(3), bytes(3)));
            producer.flush(); // left open: the last stable offset stays before it

            List<ConsumerRecord<byte[], byte[]>> read =
                    kafka.readAllCommitted("embedded.transactions", Duration.ofSeconds(30));

            assertThat(read).extracting(r -> new String(r.value(), UTF_8)).containsExactly("v1");
            producer.commitTransaction();
        }
        assertThat(kafka.readCommitted("embedded.transactions", 2, Duration.ofSeconds(30)))
                .extracting(r -> new String(r.value(), UTF_8))
                .containsExactlyInAnyOrder("v1", "v3");
    }

    @Test
    void readingAMissingTopicReturnsNothingAfterTheTimeout() {
        assertThat(kafka.readCommitted("embedded.missing", 1, Duration.ofMillis(500))).isEmpty();
    }

    @Test
    void deletesItsDataOnClose() {
        File dataDir;
        try (EmbeddedKafka second = new EmbeddedKafka()) {
            second.createTopics(Map.of("embedded.second", 1));
            second.produce("embedded.second", null, bytes(1));
            dataDir = second.dataDirectory().toFile();
            assertThat(dataDir).isDirectory();
        }
        assertThat(dataDir).doesNotExist();
    }

    private static KafkaProducer<byte[], byte[]> transactionalProducer(String transactionalId) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private static byte[] bytes(int i) {
        return ("v" + i).getBytes(UTF_8);
    }
}
