package dev.vigil.operators.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.ModelVersionJson;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.TestingOnnxModels;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FileSystemModelRegistryTest {

    private static final String NAME = "icu-deterioration";
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir Path dir;

    private final TestingOnnxModels.LinearModel model = TestingOnnxModels.linear(4, 5L);

    private FileSystemModelRegistry registry() {
        return new FileSystemModelRegistry(dir.toUri().toString(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private byte[] onnx() {
        return model.toOnnx(NAME, "draft");
    }

    @Test
    void publishesTheDocumentedLayoutWithACorrectShaFileAndTheVersionStampedIntoTheModel() throws Exception {
        FileSystemModelRegistry registry = registry();

        ModelVersion v1 =
                registry.publish(
                        NAME,
                        onnx(),
                        VersionMetadata.builder().parentVersion("0").metric("auroc", 0.81).property("lr", "0.002").build());

        Path versionDir = dir.resolve(NAME).resolve("1");
        try (var files = Files.list(versionDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.onnx", "model.onnx.sha256", "metadata.json", "_COMMITTED");
        }
        byte[] stored = Files.readAllBytes(versionDir.resolve("model.onnx"));
        assertThat(Sha256.hex(stored)).isEqualTo(v1.sha256());
        assertThat(Files.readString(versionDir.resolve("model.onnx.sha256"))).isEqualTo(v1.sha256() + "\n");
        assertThat(ModelVersionJson.read(Files.readAllBytes(versionDir.resolve("metadata.json")), v1.uri()))
                .isEqualTo(v1);
        assertThat(Paths.get(URI.create(v1.uri()))).isEqualTo(versionDir.resolve("model.onnx"));
        assertThat(v1.sizeBytes()).isEqualTo(stored.length);
        assertThat(v1.createdAt()).isEqualTo(NOW);
        assertThat(v1.metrics()).containsEntry("auroc", 0.81);
        assertThat(v1.properties()).containsEntry("lr", "0.002");
        assertThat(metadataOf(stored))
                .containsEntry("vigil.model.name", NAME)
                .containsEntry("vigil.model.version", "1")
                .containsEntry("vigil.parent.version", "0")
                .containsEntry("vigil.metrics.auroc", "0.81"); // what the learner wrote stays

        // What a scorer does with the announcement: read the uri and check the sha-256.
        assertThat(ModelBytes.load(ModelUpdates.toModelRef(v1)).size()).isEqualTo(stored.length);
        assertThat(registry.readModel(v1)).isEqualTo(stored);
    }

    @Test
    void listsGetsAndFindsTheLatestVersionOfEachName() throws Exception {
        FileSystemModelRegistry registry = registry();
        assertThat(registry.list(NAME)).isEmpty();
        assertThat(registry.latest(NAME)).isEmpty();
        assertThat(registry.names()).isEmpty();

        ModelVersion a1 = registry.publish(NAME, onnx(), VersionMetadata.empty());
        ModelVersion a2 = registry.publish(NAME, onnx(), VersionMetadata.builder().parentVersion("1").build());
        ModelVersion b1 = registry.publish("fraud", TestingOnnxModels.linear(3, 1L).toOnnx("fraud", "x"),
                VersionMetadata.empty());

        FileSystemModelRegistry reader = new FileSystemModelRegistry(dir.toString()); // no scheme: default FS
        assertThat(reader.list(NAME)).containsExactly(a1, a2);
        assertThat(reader.get(NAME, 2)).contains(a2);
        assertThat(reader.get(NAME, 3)).isEmpty();
        assertThat(reader.get(NAME, 0)).isEmpty();
        assertThat(reader.latest(NAME)).contains(a2);
        assertThat(reader.latest("fraud")).contains(b1);
        assertThat(reader.names()).containsExactly("fraud", NAME);
    }

    @Test
    void aHalfWrittenVersionIsInvisibleAndItsNumberIsNotReused() throws Exception {
        FileSystemModelRegistry registry = registry();
        registry.publish(NAME, onnx(), VersionMetadata.empty());
        ModelVersion v2 = registry.publish(NAME, onnx(), VersionMetadata.empty());
        // A publisher died after writing every file of version 3 but the marker.
        Path half = dir.resolve(NAME).resolve("3");
        Files.createDirectories(half);
        Files.write(half.resolve("model.onnx"), onnx());
        Files.write(half.resolve("metadata.json"), "{\"name\":".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(dir.resolve(NAME).resolve("not-a-version"));

        assertThat(registry.list(NAME)).extracting(ModelVersion::version).containsExactly(1L, 2L);
        assertThat(registry.latest(NAME)).contains(v2);
        assertThat(registry.get(NAME, 3)).isEmpty();

        assertThat(registry.publish(NAME, onnx(), VersionMetadata.empty()).version()).isEqualTo(4);
        assertThat(registry.list(NAME)).extracting(ModelVersion::version).containsExactly(1L, 2L, 4L);
    }

    @Test
    void concurrentPublishersGetDistinctVersionsAndEveryVersionIsComplete() throws Exception {
        int threads = 6;
        int each = 5;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<ModelVersion>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                FileSystemModelRegistry own = registry(); // separate instances, as separate processes would have
                Callable<List<ModelVersion>> publisher =
                        () -> {
                            start.await();
                            List<ModelVersion> out = new ArrayList<>();
                            for (int i = 0; i < each; i++) {
                                out.add(own.publish(NAME, onnx(), VersionMetadata.empty()));
                            }
                            return out;
                        };
                futures.add(pool.submit(publisher));
            }
            Map<Long, ModelVersion> published = new HashMap<>();
            for (Future<List<ModelVersion>> f : futures) {
                for (ModelVersion v : f.get()) {
                    assertThat(published.put(v.version(), v)).as("version %s published twice", v.version()).isNull();
                }
            }

            assertThat(published.keySet()).hasSize(threads * each).allMatch(v -> v >= 1 && v <= threads * each);
            List<ModelVersion> listed = registry().list(NAME);
            assertThat(listed).hasSize(threads * each);
            for (ModelVersion v : listed) {
                assertThat(v).isEqualTo(published.get(v.version()));
                assertThat(metadataOf(registry().readModel(v))).containsEntry("vigil.model.version", v.versionLabel());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void readingAModelWhoseFileChangedFailsItsShaCheck() throws Exception {
        FileSystemModelRegistry registry = registry();
        ModelVersion v1 = registry.publish(NAME, onnx(), VersionMetadata.empty());
        Files.write(Paths.get(URI.create(v1.uri())), new byte[] {1, 2, 3});

        assertThatThrownBy(() -> registry.readModel(v1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has sha-256 " + ModelBytes.sha256Hex(new byte[] {1, 2, 3}));
    }

    @Test
    void refusedModelsDoNotUseUpAVersionNumber() throws Exception {
        FileSystemModelRegistry registry = registry();
        assertThatThrownBy(() -> registry.publish(NAME, new byte[] {1, 2, 3}, VersionMetadata.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
        assertThatThrownBy(() -> registry.publish(NAME, model.toOnnx("fraud", "1"), VersionMetadata.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("declares vigil.model.name 'fraud'");
        assertThatThrownBy(() -> registry.publish("../etc", onnx(), VersionMetadata.empty()))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(registry.publish(NAME, onnx(), VersionMetadata.empty()).version()).isEqualTo(1);
    }

    @Test
    void travelsInAJobGraph() throws Exception {
        FileSystemModelRegistry registry = registry();
        ModelVersion v1 = registry.publish(NAME, onnx(), VersionMetadata.empty());

        FileSystemModelRegistry copy = InstantiationUtil.clone(registry);

        assertThat(copy.latest(NAME)).contains(v1);
    }

    static Map<String, String> metadataOf(byte[] onnx) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
