package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.registry.InMemoryModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.operators.inference.TestingHotSwapFunction.Scored;
import dev.vigil.operators.registry.FileSystemModelRegistry;
import dev.vigil.operators.registry.ModelUpdates;
import dev.vigil.schema.common.ModelUpdate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperatorFactory;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class HotSwapScoringOperatorTest {

    private static final String NAME = "icu";
    private static final int F = 4;
    private static final Duration LONG_WAIT = Duration.ofHours(1);

    private final TestingOnnxModels.LinearModel m1 = TestingOnnxModels.linear(F, 1L);
    private final TestingOnnxModels.LinearModel m2 = TestingOnnxModels.linear(F, 2L);
    private final TestingOnnxModels.LinearModel m3 = TestingOnnxModels.linear(F, 3L);

    private InMemoryModelRegistry registry;
    private ModelVersion v1;
    private ModelVersion v2;
    private int sessionsBefore;

    @BeforeEach
    void publish() throws Exception {
        sessionsBefore = OnnxScorer.liveSessions();
        registry = new InMemoryModelRegistry();
        v1 = registry.publish(NAME, m1.toOnnx(NAME, "draft"), VersionMetadata.empty());
        v2 = registry.publish(NAME, m2.toOnnx(NAME, "draft"), VersionMetadata.builder().parentVersion("1").build());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Swapping

    @Test
    void swapsBetweenBatchesAndScoresEveryRecordOnceWithTheVersionStampedOnIt() throws Exception {
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), 4, LONG_WAIT)) {
            assertThat(harness.gauge("modelVersion")).isEqualTo("none");
            harness.processElement2(ModelUpdates.of(v1));
            harness.awaitLoads();
            assertThat(harness.gauge("modelVersion")).isEqualTo("1");

            for (int k = 0; k < 6; k++) {
                harness.processElement1("r" + k, k); // one batch of 4 scored, r4 and r5 waiting
            }
            harness.processElement2(ModelUpdates.of(v2)); // loads in the background ...
            harness.processElement1("r6", 6); // ... while records keep being scored by version 1
            assertThat(harness.gauge("modelVersion")).isEqualTo("1");
            harness.awaitLoads(); // the swap: r4..r6 leave with version 1 first
            assertThat(harness.gauge("modelVersion")).isEqualTo("2");
            for (int k = 7; k < 12; k++) {
                harness.processElement1("r" + k, k);
            }
            harness.endInput1();

            List<Scored> out = harness.extractOutputValues();
            assertThat(out).extracting(Scored::id).containsExactly(ids(0, 12));
            assertThat(out).extracting(Scored::version)
                    .containsExactly("1", "1", "1", "1", "1", "1", "1", "2", "2", "2", "2", "2");
            for (Scored s : out) {
                TestingOnnxModels.LinearModel expected = s.version().equals("1") ? m1 : m2;
                assertThat(s).isEqualTo(scored(s.id(), s.version(), expected));
            }
            assertThat(function(harness).batchSizes()).containsExactly(4, 3, 4, 1);
            assertThat(harness.counter("modelSwaps")).isEqualTo(2);
            assertThat(harness.counter("modelSwapFailures")).isZero();
            assertThat(harness.gauge(InferenceMetrics.MODEL_VERSION_NUMBER)).isEqualTo(2L);
            assertThat(harness.gauge(InferenceMetrics.EXECUTION_PROVIDER_CUDA)).isEqualTo(0);
            Histogram latency = harness.histogram(InferenceMetrics.INFERENCE_LATENCY_MS);
            assertThat(latency.getCount()).as("one model call per batch").isEqualTo(4);
            assertThat(latency.getStatistics().getMin()).as("rounded up to whole ms").isGreaterThanOrEqualTo(1);
            assertThat(harness.extractOutputStreamRecords())
                    .extracting(StreamRecord::getTimestamp)
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        }
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void loadsOnTheTaskThreadWhenAsyncLoadIsOff() throws Exception {
        Configuration options = options(8, LONG_WAIT);
        options.set(HotSwapOptions.ASYNC_LOAD, false);
        try (TestingHotSwapHarness<String, Scored> harness = open(builder().bootstrapModel(ref(v1)), options)) {
            harness.processElement1("r0", 0);
            harness.processElement1("r1", 1);

            harness.processElement2(ModelUpdates.of(v2)); // scores r0, r1 with version 1, then swaps

            assertThat(harness.operator().loadingModels()).isZero();
            assertThat(harness.gauge("modelVersion")).isEqualTo("2");
            harness.processElement1("r2", 2);
            harness.endInput1();
            assertThat(harness.extractOutputValues()).extracting(Scored::version).containsExactly("1", "1", "2");
            assertThat(function(harness).batchSizes()).containsExactly(2, 1);
        }
    }

    @Test
    void aBadVersionKeepsTheActiveOneAndIsCountedAndLoggedWithoutRecordData(@TempDir Path dir) throws Exception {
        FileSystemModelRegistry files = new FileSystemModelRegistry(dir.resolve("registry").toUri().toString());
        ModelVersion good = files.publish(NAME, m1.toOnnx(NAME, "x"), VersionMetadata.empty());
        ModelVersion corrupted = files.publish(NAME, m2.toOnnx(NAME, "x"), VersionMetadata.empty());
        Files.write(Paths.get(java.net.URI.create(corrupted.uri())), new byte[] {1, 2, 3});
        ModelVersion deleted = files.publish(NAME, m2.toOnnx(NAME, "x"), VersionMetadata.empty());
        Files.delete(Paths.get(java.net.URI.create(deleted.uri())));
        ModelVersion otherFeatures =
                files.publish(NAME, TestingOnnxModels.linear(3, 9L).toOnnx(NAME, "x"), VersionMetadata.empty());
        byte[] notOnnx = "this is not a model".getBytes(StandardCharsets.UTF_8);
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, notOnnx);

        List<ModelUpdate> bad =
                List.of(
                        ModelUpdates.of(corrupted), // sha-256 of the file differs
                        ModelUpdates.of(deleted), // unreadable
                        update("5", good.uri(), ModelBytes.sha256Hex(notOnnx)), // wrong sha announced
                        update("6", garbage.toUri().toString(), ModelBytes.sha256Hex(notOnnx)), // ORT rejects it
                        ModelUpdates.of(otherFeatures), // feature schema differs
                        update("8", good.uri(), "not-a-sha")); // malformed announcement

        try (TestingLogAppender log = TestingLogAppender.attach(HotSwapScoringOperator.class);
                TestingHotSwapHarness<String, Scored> harness = open(builder(), 2, LONG_WAIT)) {
            harness.processElement2(ModelUpdates.of(good));
            harness.awaitLoads();
            int k = 0;
            for (ModelUpdate update : bad) {
                harness.processElement2(update);
                harness.awaitLoads();
                harness.processElement1("r" + k, k++);
                harness.processElement1("r" + k, k++);
            }

            assertThat(harness.counter("modelSwapFailures")).isEqualTo(bad.size());
            assertThat(harness.counter("modelSwaps")).isEqualTo(1);
            assertThat(harness.gauge("modelVersion")).isEqualTo("1");
            assertThat(harness.extractOutputValues()).hasSize(12).allMatch(s -> "1".equals(s.version()));
            List<String> warnings = log.messages(Level.WARN);
            assertThat(warnings).hasSize(bad.size()).allMatch(w -> w.contains("keeping icu:1"));
            assertThat(warnings.get(0)).contains("Model icu:2 refused").contains("ModelIntegrityException");
            assertThat(warnings.get(4)).contains("declares 3 features");
            assertThat(String.join("\n", warnings)).doesNotContainPattern("\\br[0-9]+\\b");
        }
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void olderEqualAndForeignVersionsAreIgnored() throws Exception {
        ModelVersion fraud = registry.publish("fraud", m3.toOnnx("fraud", "x"), VersionMetadata.empty());
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), 4, LONG_WAIT)) {
            harness.processElement2(ModelUpdates.of(v2));
            harness.awaitLoads();

            harness.processElement2(ModelUpdates.of(v1));
            harness.processElement2(ModelUpdates.of(v2));
            harness.processElement2(ModelUpdates.of(fraud));

            assertThat(harness.operator().loadingModels()).isZero();
            assertThat(harness.counter("modelUpdatesIgnored")).isEqualTo(2);
            assertThat(harness.counter("modelSwaps")).isEqualTo(1);
            assertThat(harness.gauge("modelVersion")).isEqualTo("2");
        }
    }

    @Test
    void versionsCompareAsNumbers() throws Exception {
        List<ModelVersion> versions = new ArrayList<>();
        for (int i = 3; i <= 10; i++) {
            versions.add(registry.publish(NAME, m3.toOnnx(NAME, "x"), VersionMetadata.empty()));
        }
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), 4, LONG_WAIT)) {
            harness.processElement2(ModelUpdates.of(versions.get(versions.size() - 1))); // "10"
            harness.awaitLoads();
            harness.processElement2(ModelUpdates.of(versions.get(6))); // "9" < "10", though not as strings

            assertThat(harness.counter("modelUpdatesIgnored")).isEqualTo(1);
            assertThat(harness.gauge("modelVersion")).isEqualTo("10");
        }
    }

    @Test
    void anAnnouncementOverTakenByANewerOneWhileLoadingIsNotInstalled() throws Exception {
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), 4, LONG_WAIT)) {
            harness.processElement2(ModelUpdates.of(v1));
            harness.processElement2(ModelUpdates.of(v2));
            harness.awaitQueuedMails(2); // both loaded before the task thread looks: only the newest is installed
            harness.awaitLoads();

            assertThat(harness.gauge("modelVersion")).isEqualTo("2");
            assertThat(harness.counter("modelSwaps")).isEqualTo(1);
        }
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Before the first model

    @Test
    void theBootstrapModelServesUntilAnyAnnouncedVersion() throws Exception {
        byte[] bundled = m3.toOnnx(NAME, "bundled-2026");
        ModelRef bootstrap =
                new ModelRef(NAME, "bundled-2026", "classpath:none", ModelBytes.sha256Hex(bundled));
        ModelLoader loader =
                (ref, cl) -> ref.equals(bootstrap) ? bundled : ModelLoader.fromUri().read(ref, cl);
        try (TestingHotSwapHarness<String, Scored> harness =
                open(builder().bootstrapModel(bootstrap).modelLoader(loader), 1, LONG_WAIT)) {
            assertThat(harness.gauge("modelVersion")).isEqualTo("bundled-2026");
            harness.processElement1("r0", 0);

            harness.processElement2(ModelUpdates.of(v1)); // "1" replaces the bootstrap whatever its label
            harness.awaitLoads();
            harness.processElement1("r1", 1);

            assertThat(harness.extractOutputValues())
                    .extracting(Scored::version)
                    .containsExactly("bundled-2026", "1");
            assertThat(harness.counter("modelSwaps")).isEqualTo(1);
        }
    }

    @Test
    void withoutAUsableModelTheFunctionGetsNullScores() throws Exception {
        ModelRef missing = new ModelRef(NAME, "0", "file:///no/such/model.onnx", ModelBytes.sha256Hex(new byte[0]));
        try (TestingHotSwapHarness<String, Scored> harness =
                open(builder().bootstrapModel(missing), 2, LONG_WAIT)) {
            assertThat(harness.counter("modelSwapFailures")).isEqualTo(1);
            assertThat(harness.gauge("modelVersion")).isEqualTo("none");
            assertThat(harness.gauge(InferenceMetrics.MODEL_VERSION_NUMBER)).isEqualTo(InferenceMetrics.NO_VERSION);
            harness.processElement1("r0", 0);
            harness.processElement1("r1", 1);

            assertThat(harness.extractOutputValues())
                    .containsExactly(new Scored("r0", null, null), new Scored("r1", null, null));
            assertThat(harness.counter("unscoredRecords")).isEqualTo(2);
            assertThat(harness.histogram(InferenceMetrics.INFERENCE_LATENCY_MS).getCount())
                    .as("no model call was made")
                    .isZero();
        }
    }

    @Test
    void theHoldPolicyKeepsRecordsAndWatermarksInStateUntilTheFirstModel() throws Exception {
        Configuration options = options(2, LONG_WAIT);
        options.set(HotSwapOptions.NO_MODEL_POLICY, NoModelPolicy.HOLD);
        OperatorSubtaskState snapshot;
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), options)) {
            harness.processElement1("r0", 0);
            harness.processElement1("r1", 1);
            harness.processWatermark1(1);
            harness.processElement1("r2", 2);
            harness.prepareSnapshotPreBarrier(1);
            assertThat(harness.getOutput()).isEmpty();
            assertThat(harness.gauge("heldRecords")).isEqualTo(3);
            snapshot = harness.snapshot(1, 0);
        }

        try (TestingHotSwapHarness<String, Scored> restored = create(builder(), options)) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.operator().heldRecords()).isEqualTo(3);
            restored.processElement1("r3", 3);
            restored.processWatermark1(3);

            restored.processElement2(ModelUpdates.of(v1));
            restored.awaitLoads();

            assertThat(new ArrayList<>(restored.getOutput()))
                    .containsExactly(
                            new StreamRecord<>(scored("r0", "1", m1), 0),
                            new StreamRecord<>(scored("r1", "1", m1), 1),
                            new StreamRecord<>(scored("r2", "1", m1), 2),
                            new StreamRecord<>(scored("r3", "1", m1), 3),
                            new Watermark(3));
            assertThat(restored.operator().heldRecords()).isZero();
        }
    }

    @Test
    void recordsHeldBeforeARestoreAreScoredOnceTheRestoredJobHasAModel() throws Exception {
        Configuration options = options(4, LONG_WAIT);
        options.set(HotSwapOptions.NO_MODEL_POLICY, NoModelPolicy.HOLD);
        OperatorSubtaskState snapshot;
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), options)) {
            harness.processElement1("r0", 0);
            harness.processElement1("r1", 1);
            snapshot = harness.snapshot(1, 0);
        }

        // This time the job starts with a bootstrap model.
        try (TestingHotSwapHarness<String, Scored> restored = create(builder().bootstrapModel(ref(v1)), options)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement1("r2", 2);
            restored.endInput1();

            assertThat(restored.extractOutputValues())
                    .containsExactly(scored("r0", "1", m1), scored("r1", "1", m1), scored("r2", "1", m1));
        }
    }

    @Test
    void heldRecordsLeaveUnscoredWhenTheHoldIsFullAndAtEndOfInput() throws Exception {
        Configuration options = options(8, LONG_WAIT);
        options.set(HotSwapOptions.NO_MODEL_POLICY, NoModelPolicy.HOLD);
        options.set(HotSwapOptions.HOLD_MAX_RECORDS, 3);
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), options)) {
            for (int k = 0; k < 4; k++) {
                harness.processElement1("r" + k, k);
            }
            assertThat(harness.extractOutputValues()).extracting(Scored::id).containsExactly("r0", "r1", "r2");
            assertThat(harness.operator().heldRecords()).isEqualTo(1);

            harness.endInput1();

            assertThat(harness.extractOutputValues()).extracting(Scored::id).containsExactly(ids(0, 4));
            assertThat(harness.extractOutputValues()).allMatch(s -> s.version() == null);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // State

    @Test
    void aRestoreResumesWithTheActiveVersionBeforeAnyAnnouncement() throws Exception {
        OperatorSubtaskState snapshot;
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), 4, LONG_WAIT)) {
            harness.processElement2(ModelUpdates.of(v1));
            harness.awaitLoads();
            harness.processElement2(ModelUpdates.of(v2));
            harness.awaitLoads();
            harness.processElement1("r0", 0);
            harness.prepareSnapshotPreBarrier(1);
            snapshot = harness.snapshot(1, 0);
        }

        // The bootstrap is version 1: a restore must not fall back to it.
        try (TestingHotSwapHarness<String, Scored> restored =
                create(builder().bootstrapModel(ref(v1)), options(4, LONG_WAIT))) {
            restored.initializeState(snapshot);
            restored.open();

            assertThat(restored.gauge("modelVersion")).isEqualTo("2");
            restored.processElement1("r1", 1);
            restored.endInput1();
            assertThat(restored.extractOutputValues()).containsExactly(scored("r1", "2", m2));
            assertThat(restored.counter("modelSwaps")).isZero();
        }
    }

    @Test
    void aVersionStillLoadingAtTheCheckpointIsLoadedAfterTheRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (TestingHotSwapHarness<String, Scored> harness = open(builder(), 4, LONG_WAIT)) {
            harness.processElement2(ModelUpdates.of(v1));
            harness.awaitLoads();
            harness.processElement2(ModelUpdates.of(v2)); // not applied before the checkpoint
            harness.prepareSnapshotPreBarrier(1);
            snapshot = harness.snapshot(1, 0);
        }
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);

        try (TestingHotSwapHarness<String, Scored> restored = create(builder(), options(4, LONG_WAIT))) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.gauge("modelVersion")).isEqualTo("1");

            restored.awaitLoads();

            assertThat(restored.gauge("modelVersion")).isEqualTo("2");
        }
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void unionStateFromSeveralInstancesRestoresTheNewestVersion() throws Exception {
        OperatorSubtaskState a;
        OperatorSubtaskState b;
        try (TestingHotSwapHarness<String, Scored> first = open(builder(), 4, LONG_WAIT)) {
            first.processElement2(ModelUpdates.of(v1));
            first.awaitLoads();
            a = first.snapshot(1, 0);
        }
        try (TestingHotSwapHarness<String, Scored> second = open(builder(), 4, LONG_WAIT)) {
            second.processElement2(ModelUpdates.of(v2));
            second.awaitLoads();
            b = second.snapshot(1, 0);
        }

        try (TestingHotSwapHarness<String, Scored> restored = create(builder(), options(4, LONG_WAIT))) {
            restored.initializeState(TestingHotSwapHarness.repackageState(a, b));
            restored.open();

            assertThat(restored.gauge("modelVersion")).isEqualTo("2");
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Batching (the rules of MicroBatchOperator)

    @Test
    void flushesWhenTheBatchIsFullAndWhenMaxWaitHasPassed() throws Exception {
        try (TestingHotSwapHarness<String, Scored> harness =
                open(builder().bootstrapModel(ref(v1)), 3, Duration.ofMillis(10))) {
            harness.setProcessingTime(0);
            for (int k = 0; k < 4; k++) {
                harness.processElement1("r" + k, k);
            }
            assertThat(harness.extractOutputValues()).hasSize(3);
            harness.setProcessingTime(9);
            assertThat(harness.extractOutputValues()).hasSize(3);
            harness.setProcessingTime(10);

            assertThat(harness.extractOutputValues()).extracting(Scored::id).containsExactly(ids(0, 4));
            assertThat(function(harness).batchSizes()).containsExactly(3, 1);
            assertThat(harness.gauge("bufferedRecords")).isEqualTo(0);
            assertThat(harness.counter("batches")).isEqualTo(2);
        }
    }

    @Test
    void flushesBeforeTheRecordsWatermarkAndIgnoresTheControlStreamsEventTime() throws Exception {
        try (TestingHotSwapHarness<String, Scored> harness =
                open(builder().bootstrapModel(ref(v1)), 100, LONG_WAIT)) {
            harness.processElement1("r0", 10);
            harness.processWatermark2(1_000); // the control stream's watermark is not the records'
            assertThat(harness.getOutput()).isEmpty();

            harness.processWatermark1(10); // forwarded although the control input never had a watermark

            assertThat(new ArrayList<>(harness.getOutput()))
                    .containsExactly(new StreamRecord<>(scored("r0", "1", m1), 10), new Watermark(10));
        }
    }

    @Test
    void theBufferIsEmptyAtEveryCheckpointAndAtEndOfInput() throws Exception {
        TestingHotSwapHarness<String, Scored> harness = open(builder().bootstrapModel(ref(v1)), 100, LONG_WAIT);
        harness.processElement1("r0", 0);
        harness.processElement1("r1", 1);
        harness.prepareSnapshotPreBarrier(1);
        assertThat(harness.extractOutputValues()).hasSize(2);
        assertThat(harness.operator().bufferedRecords()).isZero();

        harness.processElement1("r2", 2);
        harness.close(); // finish() flushes, then close()

        assertThat(harness.extractOutputValues()).extracting(Scored::id).containsExactly("r0", "r1", "r2");
        assertThat(function(harness).isClosed()).isTrue();
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void theBuilderRefusesIncompleteOrInvalidSettings() {
        TestingHotSwapFunction function = new TestingHotSwapFunction(F);
        List<String> features = m1.featureNames();
        assertThatThrownBy(() -> HotSwapScoringOperator.<String, Scored>builder().function(function).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelName is required");
        assertThatThrownBy(
                        () -> HotSwapScoringOperator.<String, Scored>builder()
                                .modelName(NAME)
                                .featureNames(features)
                                .build())
                .hasMessage("function is required");
        assertThatThrownBy(
                        () -> HotSwapScoringOperator.<String, Scored>builder()
                                .modelName(NAME)
                                .featureNames(features)
                                .function(function)
                                .bootstrapModel(new ModelRef("fraud", "1", "file:///m", v1.sha256()))
                                .build())
                .hasMessage("bootstrap model fraud:1 is not a version of icu");
        assertThatThrownBy(() -> builder().options(options(0, LONG_WAIT)).build())
                .hasMessage("vigil.inference.batch.max-size must be at least 1, got 0");
    }

    // ------------------------------------------------------------------------------------------------------------

    private HotSwapScoringOperator.Builder<String, Scored> builder() {
        return HotSwapScoringOperator.<String, Scored>builder()
                .modelName(NAME)
                .featureNames(m1.featureNames())
                .function(new TestingHotSwapFunction(F));
    }

    private static Configuration options(int maxSize, Duration maxWait) {
        Configuration options = new Configuration();
        options.set(InferenceOptions.BATCH_MAX_SIZE, maxSize);
        options.set(InferenceOptions.BATCH_MAX_WAIT, maxWait);
        return options;
    }

    private static TestingHotSwapHarness<String, Scored> create(
            HotSwapScoringOperator.Builder<String, Scored> builder, Configuration options) throws Exception {
        TwoInputStreamOperatorFactory<String, ModelUpdate, Scored> factory = builder.options(options).build();
        return TestingHotSwapHarness.create(factory, StringSerializer.INSTANCE);
    }

    private static TestingHotSwapHarness<String, Scored> open(
            HotSwapScoringOperator.Builder<String, Scored> builder, Configuration options) throws Exception {
        TestingHotSwapHarness<String, Scored> harness = create(builder, options);
        harness.open();
        return harness;
    }

    private static TestingHotSwapHarness<String, Scored> open(
            HotSwapScoringOperator.Builder<String, Scored> builder, int maxSize, Duration maxWait) throws Exception {
        return open(builder, options(maxSize, maxWait));
    }

    private static TestingHotSwapFunction function(TestingHotSwapHarness<String, Scored> harness) {
        return (TestingHotSwapFunction) harness.operator().getFunction();
    }

    private static ModelRef ref(ModelVersion version) {
        return ModelUpdates.toModelRef(version);
    }

    private static Scored scored(String id, String version, TestingOnnxModels.LinearModel model) {
        return new Scored(
                id, version, TestingHotSwapFunction.round(model.probability(TestingHotSwapFunction.features(id, F))));
    }

    private static ModelUpdate update(String version, String uri, String sha256) {
        return ModelUpdate.newBuilder()
                .setName(NAME)
                .setVersion(version)
                .setUri(uri)
                .setSha256(sha256)
                .setCreatedAt(Instant.parse("2026-11-25T10:00:00Z"))
                .setMetrics(Map.of())
                .build();
    }

    private static String[] ids(int from, int to) {
        String[] ids = new String[to - from];
        for (int k = from; k < to; k++) {
            ids[k - from] = "r" + k;
        }
        return ids;
    }
}
