package dev.vigil.pipelines.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.operators.label.LabelOptions;
import dev.vigil.pipelines.kafka.VigilTopics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Strimzi {@code KafkaTopic}s under {@code k8s/} are exactly Vigil's topics ({@link VigilTopics}) with their
 * partition counts, carry the fields the Strimzi Topic Operator needs, and keep each topic's data as long as its
 * readers need it: the delayed labels longer than the label join can wait for them, the model versions forever.
 */
class KafkaTopicManifestsTest {

    static final String API_VERSION = "kafka.strimzi.io/v1beta2";
    static final String KIND = "KafkaTopic";

    static Stream<KubernetesManifest> topics() {
        return KubernetesManifest.loadVigil().stream().filter(m -> m.kind().equals(KIND));
    }

    @Test
    void declaresEveryVigilTopicWithItsPartitions() {
        Map<String, Integer> declared = new LinkedHashMap<>();
        topics().forEach(t -> {
            Integer previous = declared.put(topicName(t), t.node().path("spec").path("partitions").asInt(-1));
            assertThat(previous).as("declared twice: %s", topicName(t)).isNull();
        });
        assertThat(declared).containsExactlyInAnyOrderEntriesOf(VigilTopics.ICU_TOPICS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void hasTheFieldsTheTopicOperatorNeeds(KubernetesManifest topic) {
        JsonNode spec = topic.node().path("spec");
        assertThat(requiredFieldProblems(topic)).isEmpty();
        assertThat(spec.path("replicas").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(spec.path("config").path("min.insync.replicas").asInt())
                .as("exactly-once sinks write with acks=all: one broker may be down")
                .isBetween(2, spec.path("replicas").asInt() - 1);
        String cleanup = spec.path("config").path("cleanup.policy").asText();
        assertThat(cleanup).isIn("delete", "compact", "compact,delete");
        if (cleanup.contains("delete")) {
            assertThat(retention(topic)).as("retention.ms of %s", topicName(topic)).isPositive();
        }
    }

    @Test
    void outcomesOutliveEveryLabelTheJoinCanStillUse() throws IOException {
        // The label join waits up to horizon + allowed lateness for an outcome and keeps predictions for the TTL, as
        // configured in config.yaml or in a FlinkDeployment (code defaults otherwise). A job restored from a
        // savepoint up to a week old must still find the outcomes of the predictions in its state.
        List<Map<String, String>> configs = new ArrayList<>();
        configs.add(KubernetesManifest.flatten(
                KubernetesManifest.YAML.readTree(RepositoryLayout.flinkConfYaml().toFile())));
        KubernetesManifest.loadVigil().stream()
                .filter(m -> m.kind().equals("FlinkDeployment"))
                .forEach(d -> configs.add(
                        KubernetesManifest.flatten(d.node().path("spec").path("flinkConfiguration"))));
        Duration wait = Duration.ZERO;
        for (Map<String, String> map : configs) {
            Configuration config = Configuration.fromMap(map);
            Duration w = config.get(LabelOptions.HORIZON)
                    .plus(config.get(LabelOptions.ALLOWED_LATENESS))
                    .plus(config.get(LabelOptions.TTL));
            wait = w.compareTo(wait) > 0 ? w : wait;
        }
        assertThat(wait).isPositive();
        assertThat(retention(topic(VigilTopics.ICU_OUTCOMES))).isGreaterThanOrEqualTo(wait.plus(Duration.ofDays(7)));
        assertThat(retention(topic(VigilTopics.ICU_PREDICTIONS))).isGreaterThanOrEqualTo(wait.plus(Duration.ofDays(7)));
        // Dead letters wait for a person: a month at least.
        assertThat(retention(topic(VigilTopics.DLQ))).isGreaterThanOrEqualTo(Duration.ofDays(30));
    }

    @Test
    void modelVersionsAndPatientContextAreCompacted() {
        assertThat(topic(VigilTopics.MODELS_CONTROL).node().path("spec").path("config").path("cleanup.policy").asText())
                .isEqualTo("compact");
        assertThat(topic(VigilTopics.ICU_CONTEXT).node().path("spec").path("config").path("cleanup.policy").asText())
                .startsWith("compact");
    }

    @Test
    void rejectsATopicWithoutClusterLabelOrPartitions() {
        KubernetesManifest broken = KubernetesManifest.parse("broken.yaml", """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: vigil-icu-vitals
                spec:
                  topicName: vigil.icu.vitals
                  partitions: "4"
                """);
        assertThat(requiredFieldProblems(broken))
                .anyMatch(p -> p.contains("strimzi.io/cluster"))
                .anyMatch(p -> p.contains("partitions"))
                .anyMatch(p -> p.contains("replicas"));
    }

    /** The Strimzi Topic Operator's requirements on a KafkaTopic, as problems (empty when it has them all). */
    static List<String> requiredFieldProblems(KubernetesManifest topic) {
        List<String> problems = new ArrayList<>();
        JsonNode node = topic.node();
        if (!topic.is(API_VERSION, KIND)) {
            problems.add("apiVersion/kind must be " + API_VERSION + "/" + KIND);
        }
        if (!topic.name().matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
            problems.add("metadata.name must be a DNS subdomain: " + topic.name());
        }
        if (topic.namespace().isEmpty()) {
            problems.add("metadata.namespace: the Kafka cluster's namespace (the Topic Operator watches only it)");
        }
        if (!node.path("metadata").path("labels").path("strimzi.io/cluster").isTextual()) {
            problems.add("metadata.labels.strimzi.io/cluster: the Kafka cluster the topic belongs to");
        }
        JsonNode spec = node.path("spec");
        if (!spec.path("partitions").isInt() || spec.path("partitions").asInt() < 1) {
            problems.add("spec.partitions must be a positive integer");
        }
        if (!spec.path("replicas").isInt() || spec.path("replicas").asInt() < 1) {
            problems.add("spec.replicas must be a positive integer");
        }
        if (spec.has("topicName") && !spec.path("topicName").asText().matches("[a-zA-Z0-9._-]{1,249}")) {
            problems.add("spec.topicName is not a legal Kafka topic name");
        }
        for (String field : iterable(spec.fieldNames())) {
            if (!Set.of("topicName", "partitions", "replicas", "config").contains(field)) {
                problems.add("spec." + field + " is not a KafkaTopic field");
            }
        }
        return problems;
    }

    private static KubernetesManifest topic(String name) {
        return topics().filter(t -> topicName(t).equals(name)).findFirst()
                .orElseGet(() -> fail("no KafkaTopic for " + name));
    }

    private static String topicName(KubernetesManifest topic) {
        JsonNode topicName = topic.node().path("spec").path("topicName");
        return topicName.isTextual() ? topicName.asText() : topic.name();
    }

    private static Duration retention(KubernetesManifest topic) {
        JsonNode ms = topic.node().path("spec").path("config").path("retention.ms");
        assertThat(ms.canConvertToLong()).as("retention.ms of %s", topicName(topic)).isTrue();
        return Duration.ofMillis(ms.asLong());
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
