package dev.vigil.operators.learn;

import static dev.vigil.operators.learn.TestingExamples.F;
import static dev.vigil.operators.learn.TestingExamples.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.models.onnx.OnnxImport;
import dev.vigil.models.registry.InMemoryModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.operators.inference.OrtEnvironments;
import dev.vigil.schema.common.LabeledExample;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@link VersionedLearner} without Flink: exports of every model family, progress, restore checks. */
class VersionedLearnerTest {

    @Test
    void logisticExportScoresInOnnxRuntimeAsTheLearnerPredicts() throws Exception {
        VersionedLearner learner = VersionedLearner.create(LearnerOptions.settings(TestingExamples.config()), null);
        List<LabeledExample> examples = TestingExamples.stream(500, 11, 0);
        for (LabeledExample e : examples) {
            assertThat(learner.train(e.getFeatures(), e.getLabel(), e.getPredictionTime().toEpochMilli())).isNull();
        }
        byte[] onnx = learner.candidate().onnx();
        float[][] rows = rows(examples.subList(0, 50));
        float[][] scores = run(onnx, rows, OnnxExport.OUTPUT_PROBABILITY);
        for (int i = 0; i < rows.length; i++) {
            double[] x = new double[F];
            for (int j = 0; j < F; j++) {
                x[j] = rows[i][j];
            }
            assertThat((double) scores[i][0]).isCloseTo(learner.predictProbability(x), within(1e-5));
        }
    }

    @Test
    void softmaxAndMlpVersionsExportWithTheirClasses() throws Exception {
        for (ModelType type : List.of(ModelType.SOFTMAX, ModelType.MLP)) {
            Configuration c = TestingExamples.config();
            c.set(LearnerOptions.MODEL, type);
            c.set(LearnerOptions.CLASSES, List.of("low", "medium", "high"));
            c.set(LearnerOptions.HIDDEN_LAYERS, List.of(8));
            VersionedLearner learner = VersionedLearner.create(LearnerOptions.settings(c), null);
            List<LabeledExample> examples = TestingExamples.stream(300, 12, 0);
            for (int i = 0; i < examples.size(); i++) {
                LabeledExample e = examples.get(i);
                // Three classes: the binary label, plus 2 for every fifth positive.
                double label = e.getLabel() == 1.0 && i % 5 == 0 ? 2.0 : e.getLabel();
                assertThat(learner.train(e.getFeatures(), label, e.getPredictionTime().toEpochMilli())).isNull();
            }
            assertThat(learner.train(examples.get(0).getFeatures(), 3.0, 0))
                    .isEqualTo(VersionedLearner.Rejection.INVALID_LABEL);
            VersionedLearner.Candidate candidate = learner.candidate();
            float[][] probabilities =
                    run(candidate.onnx(), rows(examples.subList(0, 5)), OnnxExport.OUTPUT_PROBABILITIES);
            assertThat(probabilities[0]).hasSize(3);
            ModelProvenance provenance = ModelProvenance.fromMetadata(
                    OnnxImport.metadata(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(candidate.onnx())));
            assertThat(provenance.classLabels()).containsExactly("low", "medium", "high");
            assertThat(provenance.trainingPositives()).isEqualTo(
                    examples.stream().filter(e -> e.getLabel() == 1.0).count());
            assertThat(candidate.metadata().properties()).containsEntry(VersionedLearner.PROPERTY_MODEL,
                    type.metadataValue());
        }
    }

    @Test
    void progressTravelsWithTheLearnerState() throws Exception {
        LearnerSettings settings = LearnerOptions.settings(TestingExamples.config());
        InMemoryModelRegistry registry = new InMemoryModelRegistry();
        VersionedLearner a = VersionedLearner.create(settings, null);
        List<LabeledExample> examples = TestingExamples.stream(30, 13, 0);
        for (LabeledExample e : examples.subList(0, 10)) {
            a.train(e.getFeatures(), e.getLabel(), e.getPredictionTime().toEpochMilli());
        }
        ModelVersion v1 = registry.publish(a.modelName(), a.candidate().onnx(), a.candidate().metadata());
        a.published(v1);
        for (LabeledExample e : examples.subList(10, 30)) {
            a.train(e.getFeatures(), e.getLabel(), e.getPredictionTime().toEpochMilli());
        }
        a.train(List.of(1f), 0, 0);

        VersionedLearner b = VersionedLearner.create(settings, null);
        b.restore(a.learnerBytes(), a.progressBytes());
        assertThat(b.progressBytes()).isEqualTo(a.progressBytes());
        assertThat(b.lastPublishedVersion()).isEqualTo(1);
        assertThat(b.parentVersion()).isEqualTo("1");
        assertThat(b.expectedNextVersion()).isEqualTo(2);
        assertThat(b.examplesSinceLastVersion()).isEqualTo(20);
        assertThat(b.rejected()).isEqualTo(1);
        assertThat(b.candidate().onnx()).isEqualTo(a.candidate().onnx());
        ModelProvenance provenance = ModelProvenance.fromMetadata(
                OnnxImport.metadata(ai.onnx.proto.OnnxMl.ModelProto.parseFrom(b.candidate().onnx())));
        assertThat(provenance.trainingWindowStart()).isEqualTo(START.plusSeconds(10));
        assertThat(provenance.trainingWindowEnd()).isEqualTo(START.plusSeconds(29).plusMillis(1));
    }

    @Test
    void restoreRefusesAStateOfAnotherConfiguration() {
        Configuration withReplay = TestingExamples.config();
        withReplay.set(LearnerOptions.REPLAY_ENABLED, true);
        VersionedLearner a = VersionedLearner.create(LearnerOptions.settings(withReplay), null);
        VersionedLearner b = VersionedLearner.create(LearnerOptions.settings(TestingExamples.config()), null);
        assertThatThrownBy(() -> b.restore(a.learnerBytes(), a.progressBytes()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("same vigil.learner.* settings");
        assertThatThrownBy(() -> b.restore(new byte[] {1, 2, 3}, null)).isInstanceOf(IOException.class);
    }

    private static float[][] rows(List<LabeledExample> examples) {
        float[][] rows = new float[examples.size()][F];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < F; j++) {
                rows[i][j] = examples.get(i).getFeatures().get(j);
            }
        }
        return rows;
    }

    private static float[][] run(byte[] onnx, float[][] rows, String output) throws Exception {
        OrtEnvironment env = OrtEnvironments.get();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT_FEATURES, tensor))) {
            return (float[][]) result.get(output).orElseThrow().getValue();
        }
    }
}
