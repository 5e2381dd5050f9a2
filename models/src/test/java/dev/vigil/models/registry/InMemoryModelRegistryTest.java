package dev.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.util.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class InMemoryModelRegistryTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final InMemoryModelRegistry registry = new InMemoryModelRegistry(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void numbersVersionsFromOneAndStampsThemIntoTheModel() throws Exception {
        ModelVersion v1 = registry.publish("icu", TestingOnnxBytes.identity(), VersionMetadata.empty());
        ModelVersion v2 =
                registry.publish(
                        "icu",
                        TestingOnnxBytes.identity(),
                        VersionMetadata.builder().parentVersion("1").metric("auroc", 0.8).build());

        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.parentVersion()).isEqualTo("1");
        assertThat(v2.metrics()).containsEntry("auroc", 0.8);
        assertThat(v2.createdAt()).isEqualTo(NOW);
        assertThat(v2.uri()).isEqualTo("memory://" + registry.id() + "/icu/2/model.onnx");

        byte[] stored = registry.readModel(v2);
        assertThat(Sha256.hex(stored)).isEqualTo(v2.sha256());
        assertThat(v2.sizeBytes()).isEqualTo(stored.length);
        assertThat(TestingOnnxBytes.metadataOf(stored))
                .containsEntry("vigil.model.name", "icu")
                .containsEntry("vigil.model.version", "2")
                .containsEntry("vigil.parent.version", "1");
        assertThat(InMemoryModelRegistry.readUri(v2.uri())).isEqualTo(stored);
    }

    @Test
    void listsGetsAndFindsTheLatestPerName() throws Exception {
        assertThat(registry.latest("icu")).isEmpty();
        assertThat(registry.list("icu")).isEmpty();
        ModelVersion a1 = registry.publish("icu", TestingOnnxBytes.identity(), VersionMetadata.empty());
        ModelVersion b1 = registry.publish("fraud", TestingOnnxBytes.identity(), VersionMetadata.empty());
        ModelVersion a2 = registry.publish("icu", TestingOnnxBytes.identity(), VersionMetadata.empty());

        assertThat(registry.list("icu")).containsExactly(a1, a2);
        assertThat(registry.latest("icu")).contains(a2);
        assertThat(registry.get("icu", 1)).contains(a1);
        assertThat(registry.get("icu", 3)).isEmpty();
        assertThat(registry.get("fraud", 1)).contains(b1);
        assertThat(registry.names()).containsExactly("fraud", "icu");
    }

    @Test
    void concurrentPublishersGetDistinctVersions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ModelVersion>> futures = new ArrayList<>();
            Callable<ModelVersion> publish =
                    () -> registry.publish("icu", TestingOnnxBytes.identity(), VersionMetadata.empty());
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(publish));
            }
            Set<Long> versions = new HashSet<>();
            for (Future<ModelVersion> f : futures) {
                versions.add(f.get().version());
            }
            assertThat(versions).hasSize(40).allMatch(v -> v >= 1 && v <= 40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesInvalidNamesAndModels() {
        assertThatThrownBy(() -> registry.publish("_stages", TestingOnnxBytes.identity(), VersionMetadata.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model name must match");
        assertThatThrownBy(() -> registry.publish("icu/../x", TestingOnnxBytes.identity(), VersionMetadata.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registry.publish("icu", new byte[] {1, 2, 3}, VersionMetadata.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
        assertThat(registry.names()).isEmpty();
    }

    @Test
    void aCorruptedModelFailsItsShaCheck() throws Exception {
        ModelVersion v1 = registry.publish("icu", TestingOnnxBytes.identity(), VersionMetadata.empty());
        registry.corrupt("icu", 1, new byte[] {42});

        assertThatThrownBy(() -> registry.readModel(v1))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has sha-256");
        assertThatThrownBy(() -> InMemoryModelRegistry.readUri("memory://nope/icu/1/model.onnx"))
                .isInstanceOf(FileNotFoundException.class);
    }

    @Test
    void serializationKeepsTheInstance() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(registry);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isSameAs(registry);
        }
    }

    @Test
    void stagesChangeByPromotionAndRollbackAndOnlyForPublishedVersions() throws Exception {
        ModelVersion v1 = registry.publish("icu", TestingOnnxBytes.identity(), VersionMetadata.empty());
        ModelVersion v2 = registry.publish("icu", TestingOnnxBytes.identity(), VersionMetadata.empty());
        assertThat(registry.stages("icu").stage(2)).isEqualTo(ModelStage.CANDIDATE);
        assertThat(registry.champion("icu")).isEmpty();

        registry.promote("icu", 1, "alice", "bootstrap");
        registry.shadow("icu", 2, "trigger", "drift");
        StageLedger promoted = registry.promote("icu", 2, "gate", "better");

        assertThat(promoted.stages()).containsEntry(1L, ModelStage.RETIRED).containsEntry(2L, ModelStage.CHAMPION);
        assertThat(registry.champion("icu")).contains(v2);
        assertThat(promoted.history()).allMatch(c -> c.at().equals(NOW));
        assertThatThrownBy(() -> registry.promote("icu", 3, "alice", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("icu:3 is not published");
        assertThat(registry.stages("icu")).isEqualTo(promoted); // the refused change left nothing behind

        registry.rollback("icu", "bob", "recall dropped");
        assertThat(registry.champion("icu")).contains(v1);
        assertThat(registry.stages("other")).isEqualTo(StageLedger.empty("other"));
    }

    @Test
    void keepsWhatTheModelDeclaresAboutItsTrainingAndVerifiesItsBytes() throws Exception {
        ModelVersion v1 = registry.publish("icu", TestingOnnxBytes.identity(java.util.Map.of(
                "vigil.training.window.start", "2026-11-24T00:00:00Z", "vigil.code.version", "abc",
                "vigil.metrics.auroc", "0.8", "vigil.feature.names", "a,b", "other", "x")), VersionMetadata.empty());

        assertThat(v1.provenance()).containsOnlyKeys("vigil.training.window.start", "vigil.code.version");
        assertThat(registry.verify(v1).ok()).isTrue();
        registry.corrupt("icu", 1, new byte[] {1});
        Verification bad = registry.verify(v1);
        assertThat(bad.ok()).isFalse();
        assertThat(bad.problems()).singleElement().asString().contains("sha-256");
    }
}
