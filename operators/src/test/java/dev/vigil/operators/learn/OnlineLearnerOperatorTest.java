package dev.vigil.operators.learn;

import static dev.vigil.operators.learn.TestingExamples.F;
import static dev.vigil.operators.learn.TestingExamples.FEATURES;
import static dev.vigil.operators.learn.TestingExamples.MODEL;
import static dev.vigil.operators.learn.TestingExamples.START;
import static dev.vigil.operators.learn.TestingExamples.config;
import static dev.vigil.operators.learn.TestingExamples.example;
import static dev.vigil.operators.learn.TestingExamples.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vigil.models.onnx.MetadataKeys;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.models.onnx.OnnxImport;
import dev.vigil.models.registry.InMemoryModelRegistry;
import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.inference.OrtEnvironments;
import dev.vigil.operators.registry.FileSystemModelRegistry;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OnlineLearnerOperator} in Flink's operator test harness. */
class OnlineLearnerOperatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void prequentialMetricsMoveAsTheModelLearns() throws Exception {
        Configuration config = config();
        config.set(LearnerOptions.EVALUATION_WINDOW, 300);
        InMemoryModelRegistry registry = new InMemoryModelRegistry(CLOCK);
        List<LabeledExample> examples = stream(3_000, 1, 0);
        try (TestingLearnerHarness harness = TestingLearnerHarness.open(operator(config, registry, null))) {
            assertThat((Double) harness.gauge(LearnerMetrics.PREQUENTIAL_LOG_LOSS)).isNaN();
            harness.process(examples.subList(0, 300));
            double early = (Double) harness.gauge(LearnerMetrics.PREQUENTIAL_LOG_LOSS);
            double earlyAuroc = (Double) harness.gauge(LearnerMetrics.PREQUENTIAL_AUROC);
            harness.process(examples.subList(300, 3_000));
            double late = (Double) harness.gauge(LearnerMetrics.PREQUENTIAL_LOG_LOSS);
            double lateAuroc = (Double) harness.gauge(LearnerMetrics.PREQUENTIAL_AUROC);

            assertThat(late).isLessThan(early - 0.05);
            assertThat(earlyAuroc).isBetween(0.0, 1.0);
            assertThat(lateAuroc).isGreaterThan(0.8);
            assertThat((Double) harness.gauge(LearnerMetrics.PREQUENTIAL_ACCURACY)).isGreaterThan(0.7);
            assertThat(harness.counter(LearnerMetrics.EXAMPLES_SEEN)).isEqualTo(3_000);
            assertThat(harness.counter(LearnerMetrics.UPDATES)).isEqualTo(3_000);
            assertThat(harness.counter(LearnerMetrics.EXAMPLES_REJECTED)).isZero();
        }
    }

    @Test
    void publishesEveryNUpdatesWithIncreasingVersionsWhoseShaMatchesTheRegistryFile() throws Exception {
        Configuration config = config();
        config.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 100L);
        config.set(LearnerOptions.MINIBATCH, 2);
        FileSystemModelRegistry registry = new FileSystemModelRegistry(dir.toUri().toString(), CLOCK);
        List<LabeledExample> examples = stream(650, 2, 0);
        try (TestingLearnerHarness harness =
                TestingLearnerHarness.open(operator(config, RegistryFactory.of(registry), null))) {
            harness.process(examples);

            List<ModelUpdate> updates = harness.updates();
            assertThat(updates).extracting(ModelUpdate::getVersion).containsExactly("1", "2", "3");
            assertThat(updates).extracting(ModelUpdate::getParentVersion).containsExactly(null, "1", "2");
            assertThat(harness.counter(LearnerMetrics.VERSIONS_PUBLISHED)).isEqualTo(3);
            assertThat(harness.gauge(LearnerMetrics.LAST_PUBLISHED_VERSION)).isEqualTo(3L);
            assertThat(registry.list(MODEL)).hasSize(3);

            for (int v = 1; v <= 3; v++) {
                ModelUpdate update = updates.get(v - 1);
                assertThat(update.getName()).isEqualTo(MODEL);
                assertThat(update.getCreatedAt()).isEqualTo(CLOCK.instant());
                byte[] file = Files.readAllBytes(Paths.get(URI.create(update.getUri())));
                assertThat(update.getSha256()).isEqualTo(Sha256.hex(file));
                assertThat(registry.readModel(registry.get(MODEL, v).orElseThrow())).isEqualTo(file);

                // Version v was trained on examples [200 (v - 1), 200 v) since the previous one: 100 updates of 2.
                ModelProvenance provenance = provenance(file);
                assertThat(provenance.modelVersion()).isEqualTo(Integer.toString(v));
                assertThat(provenance.parentVersion()).isEqualTo(v == 1 ? null : Integer.toString(v - 1));
                assertThat(provenance.featureNames()).isEqualTo(FEATURES);
                assertThat(provenance.trainingRows()).isEqualTo(200);
                assertThat(provenance.trainingWindowStart()).isEqualTo(START.plusSeconds(200L * (v - 1)));
                assertThat(provenance.trainingWindowEnd()).isEqualTo(START.plusSeconds(200L * v - 1).plusMillis(1));
                assertThat(provenance.metrics())
                        .containsKeys(VersionedLearner.METRIC_LOG_LOSS, VersionedLearner.METRIC_WINDOW_AUROC);
                assertThat(provenance.codeVersion()).isEqualTo("test");
                assertThat(update.getMetrics()).isEqualTo(provenance.metrics());
            }
            // Each announcement carries the event time of the newest example in its version.
            assertThat(harness.updateRecords())
                    .extracting(StreamRecord::getTimestamp)
                    .containsExactly(
                            START.plusSeconds(199).toEpochMilli(),
                            START.plusSeconds(399).toEpochMilli(),
                            START.plusSeconds(599).toEpochMilli());

            // The end of a bounded input publishes what was learned since.
            harness.endInput();
            assertThat(harness.updates()).extracting(ModelUpdate::getVersion).containsExactly("1", "2", "3", "4");
            assertThat(provenance(registry.readModel(registry.get(MODEL, 4).orElseThrow())).trainingRows())
                    .isEqualTo(50);
        }
    }

    @Test
    void publishesOnTheIntervalOnlyWhenTheModelChanged() throws Exception {
        Configuration config = config();
        config.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 0L);
        config.set(LearnerOptions.PUBLISH_INTERVAL, Duration.ofSeconds(60));
        InMemoryModelRegistry registry = new InMemoryModelRegistry(CLOCK);
        List<LabeledExample> examples = stream(40, 3, 0);
        try (TestingLearnerHarness harness = TestingLearnerHarness.open(operator(config, registry, null))) {
            harness.process(examples.subList(0, 20));
            harness.setProcessingTime(59_999);
            assertThat(harness.updates()).isEmpty();
            harness.setProcessingTime(60_000);
            assertThat(harness.updates()).extracting(ModelUpdate::getVersion).containsExactly("1");

            harness.setProcessingTime(180_000); // nothing new: nothing published
            assertThat(harness.updates()).hasSize(1);

            harness.process(examples.subList(20, 40));
            harness.setProcessingTime(239_999);
            assertThat(harness.updates()).hasSize(1);
            harness.setProcessingTime(240_000);
            assertThat(harness.updates()).extracting(ModelUpdate::getVersion).containsExactly("1", "2");
            assertThat(registry.get(MODEL, 2).orElseThrow().properties())
                    .containsEntry(VersionedLearner.PROPERTY_EXAMPLES, "40")
                    .containsEntry(VersionedLearner.PROPERTY_UPDATES, "40");
        }
    }

    @Test
    void snapshotRestoreContinuesExactlyAsAnUninterruptedRun() throws Exception {
        Configuration config = config();
        config.set(LearnerOptions.OPTIMIZER, "adam");
        config.set(LearnerOptions.LEARNING_RATE, 0.01);
        config.set(LearnerOptions.MINIBATCH, 4);
        config.set(LearnerOptions.L2, 1e-3);
        config.set(LearnerOptions.CLIP_NORM, 5.0);
        config.set(LearnerOptions.REPLAY_ENABLED, true);
        config.set(LearnerOptions.REPLAY_SIZE, 50);
        config.set(LearnerOptions.REPLAY_PER_UPDATE, 3);
        config.set(LearnerOptions.EWC_ENABLED, true);
        config.set(LearnerOptions.EWC_CONSOLIDATE_EVERY, 20L);
        config.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 50L);
        List<LabeledExample> examples = stream(1_000, 4, 0);
        int cut = 301; // mid-minibatch: a pending example travels in the state

        InMemoryModelRegistry uninterruptedRegistry = new InMemoryModelRegistry(CLOCK);
        byte[] uninterruptedState;
        double[] uninterruptedParameters;
        List<ModelUpdate> uninterruptedUpdates;
        try (TestingLearnerHarness harness =
                TestingLearnerHarness.open(operator(config, uninterruptedRegistry, null))) {
            harness.process(examples);
            uninterruptedState = harness.learner().learnerBytes();
            uninterruptedParameters = harness.learner().parameters();
            uninterruptedUpdates = harness.updates();
        }

        InMemoryModelRegistry registry = new InMemoryModelRegistry(CLOCK);
        TestingLearnerHarness beforeFailure = TestingLearnerHarness.open(operator(config, registry, null));
        beforeFailure.process(examples.subList(0, cut));
        OperatorSubtaskState snapshot = beforeFailure.snapshot(1);
        List<ModelUpdate> updates = new ArrayList<>(beforeFailure.updates());
        assertThat(updates).hasSize(1); // version 1 before the checkpoint, the rest after the restore

        try (TestingLearnerHarness restored =
                TestingLearnerHarness.restore(operator(config, registry, null), snapshot)) {
            assertThat(restored.gauge(LearnerMetrics.LAST_PUBLISHED_VERSION)).isEqualTo(1L);
            restored.process(examples.subList(cut, examples.size()));
            updates.addAll(restored.updates());

            assertThat(restored.learner().parameters()).isEqualTo(uninterruptedParameters);
            assertThat(restored.learner().learnerBytes()).isEqualTo(uninterruptedState);
            assertThat(updates).hasSize(uninterruptedUpdates.size()).hasSizeGreaterThan(3);
            for (int i = 0; i < updates.size(); i++) {
                ModelUpdate expected = uninterruptedUpdates.get(i);
                ModelUpdate actual = updates.get(i);
                assertThat(actual.getVersion()).isEqualTo(expected.getVersion());
                assertThat(actual.getParentVersion()).isEqualTo(expected.getParentVersion());
                assertThat(actual.getMetrics()).isEqualTo(expected.getMetrics());
                assertThat(actual.getSha256()).isEqualTo(expected.getSha256());
                long v = Long.parseLong(actual.getVersion());
                assertThat(registry.readModel(registry.get(MODEL, v).orElseThrow()))
                        .isEqualTo(uninterruptedRegistry.readModel(uninterruptedRegistry.get(MODEL, v).orElseThrow()));
            }
        } finally {
            beforeFailure.close();
        }
    }

    @Test
    void warmStartReproducesTheBootstrapBeforeAnyUpdateAndContinuesItsLineage() throws Exception {
        byte[] bootstrap = TestingExamples.bootstrap("4");
        Configuration config = new Configuration(); // name and features come from the bootstrap
        config.set(LearnerOptions.LEARNING_RATE, 0.01);
        config.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 100L);
        config.set(LearnerOptions.CODE_VERSION, "test");
        InMemoryModelRegistry registry = new InMemoryModelRegistry(CLOCK);
        List<LabeledExample> examples = stream(100, 5, 0);

        float[][] rows = new float[examples.size()][F];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < F; j++) {
                rows[i][j] = examples.get(i).getFeatures().get(j);
            }
        }
        float[][] expected = run(bootstrap, rows);

        try (TestingLearnerHarness harness = TestingLearnerHarness.open(operator(config, registry, bootstrap))) {
            VersionedLearner learner = harness.learner();
            assertThat(learner.modelName()).isEqualTo(MODEL);
            assertThat(learner.parentVersion()).isEqualTo("4");
            assertThat(learner.expectedNextVersion()).isEqualTo(5);
            for (int i = 0; i < rows.length; i++) {
                double p = learner.predictProbability(TestingExamples.raw(examples.get(i)));
                assertThat(p).as("row %s", i).isCloseTo(expected[i][0], within(1e-6));
            }
            // Exported before any update, it is the bootstrap: the same tensors, the same predictions bit for bit.
            byte[] again = learner.candidate().onnx();
            assertThat(run(again, rows)).isDeepEqualTo(expected);
            OnnxImport.ImportedLogistic original = OnnxImport.logistic(bootstrap);
            OnnxImport.ImportedLogistic exported = OnnxImport.logistic(again);
            assertThat(exported.model().parameters()).isEqualTo(original.model().parameters());
            assertThat(exported.mean()).isEqualTo(original.mean());
            assertThat(exported.std()).isEqualTo(original.std());

            harness.process(examples);
            ModelUpdate first = harness.updates().get(0);
            assertThat(first.getParentVersion()).isEqualTo("4");
            ModelProvenance provenance = provenance(registry.readModel(registry.get(MODEL, 1).orElseThrow()));
            assertThat(provenance.parentVersion()).isEqualTo("4");
            assertThat(provenance.featureNames()).isEqualTo(FEATURES);
            float[][] trained = run(InMemoryModelRegistry.readUri(first.getUri()), rows);
            assertThat(trained[0][0]).isNotEqualTo(expected[0][0]);
        }
    }

    @Test
    void aRegistrySeededWithTheBootstrapContinuesItsNumbering() throws Exception {
        byte[] bootstrap = TestingExamples.bootstrap("1");
        InMemoryModelRegistry registry = new InMemoryModelRegistry(CLOCK);
        assertThat(registry.publish(MODEL, bootstrap, VersionMetadata.empty()).version()).isEqualTo(1);
        Configuration config = config();
        config.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 50L);
        try (TestingLearnerHarness harness = TestingLearnerHarness.open(operator(config, registry, bootstrap))) {
            harness.process(stream(100, 9, 0));
            assertThat(harness.updates()).extracting(ModelUpdate::getVersion).containsExactly("2", "3");
            assertThat(harness.updates()).extracting(ModelUpdate::getParentVersion).containsExactly("1", "2");
        }
    }

    @Test
    void badExamplesAreCountedAndSkipped() throws Exception {
        Configuration config = config();
        InMemoryModelRegistry registry = new InMemoryModelRegistry(CLOCK);
        List<LabeledExample> good = stream(200, 6, 0);
        Instant t = START.plusSeconds(10_000);
        float[] ok = new float[F];
        Arrays.fill(ok, 1f);
        float[] nan = ok.clone();
        nan[2] = Float.NaN;
        float[] infinite = ok.clone();
        infinite[0] = Float.POSITIVE_INFINITY;
        List<Float> withNull = new ArrayList<>(Collections.nCopies(F, 1f));
        withNull.set(1, null);
        List<LabeledExample> bad = List.of(
                example(new float[F - 1], 1, t),
                example(new float[F + 3], 0, t),
                example(new float[0], 0, t),
                example(nan, 1, t),
                example(infinite, 0, t),
                example(withNull, 0, t),
                example(ok, 2, t),
                example(ok, -1, t),
                example(ok, 0.5, t),
                example(ok, Double.NaN, t));

        double[] clean;
        try (TestingLearnerHarness harness = TestingLearnerHarness.open(operator(config, registry, null))) {
            harness.process(good);
            clean = harness.learner().parameters();
        }
        try (TestingLearnerHarness harness = TestingLearnerHarness.open(operator(config, registry, null))) {
            for (int i = 0; i < good.size(); i++) {
                harness.process(good.get(i));
                if (i % 20 == 0) {
                    harness.process(bad.get(i / 20));
                }
            }
            assertThat(harness.counter(LearnerMetrics.EXAMPLES_REJECTED)).isEqualTo(bad.size());
            assertThat(harness.counter(LearnerMetrics.EXAMPLES_SEEN)).isEqualTo(good.size());
            assertThat(harness.learner().rejected()).isEqualTo(bad.size());
            assertThat(harness.learner().parameters()).isEqualTo(clean);
        }
    }

    @Test
    void aFailedPublicationIsCountedAndRetriedWithTheSameWindow() throws Exception {
        Configuration config = config();
        config.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 50L);
        InMemoryModelRegistry delegate = new InMemoryModelRegistry(CLOCK);
        FlakyRegistry flaky = new FlakyRegistry(delegate, 1);
        try (TestingLearnerHarness harness = TestingLearnerHarness.open(operator(config, () -> flaky, null))) {
            harness.process(stream(99, 7, 0));
            assertThat(harness.counter(LearnerMetrics.PUBLISH_FAILURES)).isEqualTo(1);
            assertThat(harness.updates()).isEmpty();
            harness.process(stream(1, 8, 99));
            assertThat(harness.updates()).extracting(ModelUpdate::getVersion).containsExactly("1");
            assertThat(provenance(delegate.readModel(delegate.get(MODEL, 1).orElseThrow())).trainingRows())
                    .isEqualTo(100);
        }
    }

    @Test
    void refusesToRunWithParallelismAboveOne() throws Exception {
        OnlineLearnerOperator operator = operator(config(), new InMemoryModelRegistry(CLOCK), null);
        // Not closed: closing finishes the operator, which never initialized.
        OneInputStreamOperatorTestHarness<LabeledExample, ModelUpdate> harness =
                new OneInputStreamOperatorTestHarness<>(operator, 2, 2, 0);
        assertThatThrownBy(() -> harness.initializeState((OperatorSubtaskState) null))
                .hasMessageContaining("parallelism 1");
    }

    @Test
    void builderValidatesAtSubmission() {
        Configuration noName = config();
        noName.removeConfig(LearnerOptions.MODEL_NAME);
        assertThatThrownBy(() -> operator(noName, new InMemoryModelRegistry(), null))
                .hasMessageContaining(LearnerOptions.MODEL_NAME.key());
        Configuration noRegistry = config();
        assertThatThrownBy(() -> OnlineLearnerOperator.builder().options(noRegistry).build())
                .hasMessageContaining(LearnerOptions.REGISTRY_ROOT.key());
        Configuration otherName = config();
        otherName.set(LearnerOptions.MODEL_NAME, "other");
        assertThatThrownBy(() -> operator(otherName, new InMemoryModelRegistry(), TestingExamples.bootstrap("1")))
                .hasMessageContaining("bootstrap model is '" + MODEL + "'");
        Configuration mlp = config();
        mlp.removeConfig(LearnerOptions.MODEL_NAME);
        mlp.removeConfig(LearnerOptions.FEATURE_NAMES);
        mlp.set(LearnerOptions.MODEL, ModelType.MLP);
        assertThatThrownBy(() -> operator(mlp, new InMemoryModelRegistry(), TestingExamples.bootstrap("1")))
                .hasMessageContaining("logistic");
        Configuration withRoot = config();
        withRoot.set(LearnerOptions.REGISTRY_ROOT, dir.toUri().toString());
        assertThat(OnlineLearnerOperator.builder().options(withRoot).build()).isNotNull();
    }

    // ------------------------------------------------------------------------------------------------------------

    private static OnlineLearnerOperator operator(
            Configuration config, InMemoryModelRegistry registry, byte[] bootstrap) {
        return operator(config, RegistryFactory.of(registry), bootstrap);
    }

    private static OnlineLearnerOperator operator(Configuration config, RegistryFactory registry, byte[] bootstrap) {
        OnlineLearnerOperator.Builder builder = OnlineLearnerOperator.builder().options(config).registry(registry);
        if (bootstrap != null) {
            builder.bootstrap(bootstrap);
        }
        return builder.build();
    }

    private static ModelProvenance provenance(byte[] onnx) throws IOException {
        OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(onnx);
        Map<String, String> metadata = OnnxImport.metadata(proto);
        assertThat(metadata).containsKey(MetadataKeys.MODEL_TYPE);
        return ModelProvenance.fromMetadata(metadata);
    }

    private static float[][] run(byte[] onnx, float[][] rows) throws Exception {
        OrtEnvironment env = OrtEnvironments.get();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT_FEATURES, tensor))) {
            return (float[][]) result.get(OnnxExport.OUTPUT_PROBABILITY).orElseThrow().getValue();
        }
    }

    /** A registry whose first {@code failures} publications fail with an {@link IOException}. */
    private static final class FlakyRegistry implements ModelRegistry, Serializable {
        private final InMemoryModelRegistry delegate;
        private final AtomicInteger failures;

        FlakyRegistry(InMemoryModelRegistry delegate, int failures) {
            this.delegate = delegate;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public ModelVersion publish(String name, byte[] onnx, VersionMetadata metadata) throws IOException {
            if (failures.getAndDecrement() > 0) {
                throw new IOException("registry unreachable");
            }
            return delegate.publish(name, onnx, metadata);
        }

        @Override
        public List<ModelVersion> list(String name) {
            return delegate.list(name);
        }

        @Override
        public Optional<ModelVersion> get(String name, long version) {
            return delegate.get(name, version);
        }

        @Override
        public Optional<ModelVersion> latest(String name) {
            return delegate.latest(name);
        }

        @Override
        public List<String> names() {
            return delegate.names();
        }

        @Override
        public byte[] readModel(ModelVersion version) throws IOException {
            return delegate.readModel(version);
        }
    }
}
