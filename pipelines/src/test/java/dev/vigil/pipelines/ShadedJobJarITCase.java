package dev.vigil.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded job jar is what runs on a Flink cluster: it must carry Vigil, Avro and the Kafka connector, and must
 * not carry Flink itself or ONNX Runtime (whose native library has to be loaded once per JVM from Flink's lib/; see
 * docs/DEPLOYMENT.md). Runs after {@code package}, in the integration-test phase.
 */
class ShadedJobJarITCase {

    private static List<String> entries;

    @BeforeAll
    static void openJar() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("vigil-pipelines-.*-job\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no shaded job jar in target/"));
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            entries = file.stream().map(e -> e.getName()).toList();
        }
    }

    @Test
    void containsTheJobAndItsConnectors() {
        assertThat(entries)
                .contains("dev/vigil/pipelines/cli/VigilCli.class")
                .contains("dev/vigil/schema/icu/VitalObservation.class")
                .anyMatch(e -> e.startsWith("org/apache/flink/connector/kafka/source/KafkaSource"))
                .anyMatch(e -> e.startsWith("org/apache/kafka/clients/producer/"))
                .anyMatch(e -> e.startsWith("org/apache/avro/"))
                .anyMatch(e -> e.startsWith("dev/vigil/models/icu/") && e.endsWith(".onnx"));
    }

    @Test
    void leavesFlinkAndOnnxRuntimeToTheCluster() {
        assertThat(entries)
                .noneMatch(e -> e.startsWith("ai/onnxruntime/"))
                .noneMatch(e -> e.contains("libonnxruntime"))
                .noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/environment/"))
                .noneMatch(e -> e.startsWith("org/apache/flink/runtime/"))
                .noneMatch(e -> e.startsWith("kafka/server/"))
                .noneMatch(e -> e.startsWith("org/slf4j/"));
    }
}
