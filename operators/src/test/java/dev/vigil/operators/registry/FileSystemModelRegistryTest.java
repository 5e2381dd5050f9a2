package dev.vigil.operators.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.ModelStage;
import dev.vigil.models.registry.ModelVersionJson;
import dev.vigil.models.registry.StageLedger;
import dev.vigil.models.registry.StageLedgerJson;
import dev.vigil.models.registry.Verification;
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
import java.util.concurrent.atomic.AtomicBoolean;
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
                    .containsExactlyInAnyOrder(
                            "model.onnx", "model.onnx.sha256", "metadata.json", "SHA256SUMS", "_COMMITTED");
        }
        byte[] stored = Files.readAllBytes(versionDir.resolve("model.onnx"));
        assertThat(Sha256.hex(stored)).isEqualTo(v1.sha256());
        assertThat(Files.readString(versionDir.resolve("model.onnx.sha256"))).isEqualTo(v1.sha256() + "\n");
        // sha256sum -c SHA256SUMS accepts it
        assertThat(Files.readString(versionDir.resolve("SHA256SUMS")))
                .isEqualTo(v1.sha256() + "  model.onnx\n"
                        + Sha256.hex(versionDir.resolve("model.onnx.sha256")) + "  model.onnx.sha256\n"
                        + Sha256.hex(versionDir.resolve("metadata.json")) + "  metadata.json\n");
        assertThat(v1.provenance()).containsKey("vigil.feature.fingerprint").doesNotContainKey("vigil.model.version");
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

    @Test
    void stageChangesArePersistedBesideTheVersionsAndSeenByOtherInstances() throws Exception {
        FileSystemModelRegistry registry = registry();
        ModelVersion v1 = registry.publish(NAME, onnx(), VersionMetadata.empty());
        registry.publish(NAME, onnx(), VersionMetadata.empty());

        registry.promote(NAME, 1, "alice", "bootstrap");
        StageLedger ledger = registry.promote(NAME, 2, "gate", "better");

        FileSystemModelRegistry other = new FileSystemModelRegistry(dir.toString());
        assertThat(other.stages(NAME)).isEqualTo(ledger);
        assertThat(other.champion(NAME).map(ModelVersion::version)).contains(2L);
        assertThat(StageLedgerJson.read(Files.readAllBytes(dir.resolve(NAME).resolve("_STAGES.json")), NAME, "f"))
                .isEqualTo(ledger);
        assertThatThrownBy(() -> other.promote(NAME, 7, "alice", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(NAME + ":7 is not published");
        assertThatThrownBy(() -> other.promote(NAME, 1, "alice", ""))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("it is RETIRED");
        other.rollback(NAME, "bob", "recall dropped");
        assertThat(registry.champion(NAME)).contains(v1);
        try (var files = Files.list(dir.resolve(NAME))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("1", "2", "_STAGES.json", "_STAGES.lock"); // no temporary files left
        }
        assertThat(registry.list(NAME)).hasSize(2);
        assertThat(registry.names()).containsExactly(NAME);
    }

    @Test
    void concurrentStageChangesAreAllAppliedAndReadersOnlySeeWholeLedgers() throws Exception {
        int writers = 4;
        int each = 8;
        FileSystemModelRegistry setup = registry();
        for (int i = 0; i < writers * each; i++) {
            setup.publish(NAME, onnx(), VersionMetadata.empty());
        }
        int readers = 2;
        CyclicBarrier start = new CyclicBarrier(writers + readers);
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int first = w + 1;
                FileSystemModelRegistry own = registry(); // separate instances, as separate processes would have
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        own.promote(NAME, first + (long) i * writers, "writer-" + first, "round " + i);
                    }
                    return each;
                }));
            }
            List<Future<Integer>> reads = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                FileSystemModelRegistry own = registry();
                reads.add(pool.submit(() -> {
                    start.await();
                    long lastSeen = 0;
                    int n = 0;
                    do {
                        StageLedger seen = own.stages(NAME); // parses and replays the whole history, or throws
                        assertThat(seen.lastSequence()).isGreaterThanOrEqualTo(lastSeen);
                        assertThat(seen.stages().values().stream().filter(s -> s == ModelStage.CHAMPION).count())
                                .isEqualTo(seen.champion().isPresent() ? 1 : 0);
                        lastSeen = seen.lastSequence();
                        n++;
                    } while (!done.get());
                    return n;
                }));
            }
            for (Future<Integer> f : futures) {
                f.get();
            }
            done.set(true);
            for (Future<Integer> f : reads) {
                assertThat(f.get()).isPositive();
            }

            StageLedger ledger = registry().stages(NAME);
            assertThat(ledger.lastSequence()).isEqualTo(writers * each); // no update lost
            assertThat(ledger.championLineage()).hasSize(writers * each).doesNotHaveDuplicates();
            assertThat(ledger.stages().values()).filteredOn(s -> s == ModelStage.CHAMPION).hasSize(1);
            for (int w = 1; w <= writers; w++) {
                int writer = w;
                assertThat(ledger.championLineage()).filteredOn(v -> (v - writer) % writers == 0)
                        .isSorted().hasSize(each);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void readersNeverSeeHalfAVersionWhilePublishersWrite() throws Exception {
        int versions = 12;
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            FileSystemModelRegistry writer = registry();
            FileSystemModelRegistry reader = registry();
            Future<Integer> reads = pool.submit(() -> {
                int checked = 0;
                do {
                    for (ModelVersion v : reader.list(NAME)) {
                        assertThat(Sha256.hex(reader.readModel(v))).isEqualTo(v.sha256());
                        assertThat(reader.verify(v).problems()).isEmpty();
                        checked++;
                    }
                } while (!done.get());
                return checked;
            });
            Future<?> writes = pool.submit(() -> {
                for (int i = 0; i < versions; i++) {
                    writer.publish(NAME, onnx(), VersionMetadata.empty());
                }
                return null;
            });
            writes.get();
            done.set(true);
            assertThat(reads.get()).isPositive();
            assertThat(reader.list(NAME)).hasSize(versions);
        } finally {
            done.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void verifyChecksEveryFileOfAVersion() throws Exception {
        FileSystemModelRegistry registry = registry();
        ModelVersion v1 = registry.publish(NAME, onnx(), VersionMetadata.empty());
        ModelVersion v2 = registry.publish(NAME, onnx(), VersionMetadata.empty());
        ModelVersion v3 = registry.publish(NAME, onnx(), VersionMetadata.empty());
        Path d1 = dir.resolve(NAME).resolve("1");
        Path d2 = dir.resolve(NAME).resolve("2");
        Path d3 = dir.resolve(NAME).resolve("3");

        Verification intact = registry.verify(v1);
        assertThat(intact.ok()).isTrue();
        assertThat(intact.checked()).contains("model.onnx sha-256", "metadata.json sha-256", "model.onnx.sha256 sha-256");

        // metadata.json edited after publication (e.g. a metric changed by hand)
        Files.writeString(d1.resolve("metadata.json"),
                Files.readString(d1.resolve("metadata.json")).replace("\"format\"", "\"edited\" : 1,\n  \"format\""));
        assertThat(registry.verify(v1).problems()).singleElement().asString()
                .startsWith("metadata.json has sha-256 ");
        // the model replaced, with its .sha256 file updated to match
        byte[] other = TestingOnnxModels.linear(4, 99L).toOnnx(NAME, "x");
        Files.write(d2.resolve("model.onnx"), other);
        Files.writeString(d2.resolve("model.onnx.sha256"), Sha256.hex(other) + "\n");
        assertThat(registry.verify(v2).problems()).hasSize(4).anyMatch(p -> p.startsWith("model.onnx has sha-256"));
        // a file slipped in
        Files.writeString(d3.resolve("extra.bin"), "x");
        assertThat(registry.verify(v3).problems()).containsExactly("extra.bin is not listed in SHA256SUMS");
        Files.delete(d3.resolve("extra.bin"));
        // a version from before SHA256SUMS: the model is still checked
        Files.delete(d3.resolve("SHA256SUMS"));
        Verification old = registry.verify(v3);
        assertThat(old.ok()).isTrue();
        assertThat(old.checked()).anyMatch(c -> c.startsWith("no SHA256SUMS"));
    }

    static Map<String, String> metadataOf(byte[] onnx) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
