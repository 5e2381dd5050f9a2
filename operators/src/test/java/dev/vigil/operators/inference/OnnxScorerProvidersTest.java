package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import dev.vigil.operators.inference.TestingOnnxModels.LinearModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Execution providers and the model contract, on a machine whose ONNX Runtime build is CPU-only. */
class OnnxScorerProvidersTest {

    private static final LinearModel MODEL = TestingOnnxModels.linear(5, 9L);

    @TempDir Path dir;

    @BeforeAll
    static void cpuOnlyBuild() {
        assumeThat(OrtEnvironments.availableProviders()).doesNotContain(OrtProvider.CUDA);
    }

    @Test
    void autoFallsBackToCpuWithOneWarning() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "m", "1", MODEL.toOnnx("m", "1"));
        Configuration options = new Configuration();
        options.set(InferenceOptions.EXECUTION_PROVIDER, ExecutionProvider.AUTO);
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 3, 1L);

        try (TestingLogAppender log = TestingLogAppender.attach(OnnxScorer.class);
                OnnxScorer scorer = OnnxScorer.load(ref, options, null)) {
            assertThat(scorer.activeProvider()).isEqualTo(ExecutionProvider.CPU);
            assertThat(scorer.score(rows, 3).probability(1)).isCloseTo(MODEL.probability(rows[1]), within(1e-5f));
            assertThat(log.messages(Level.WARN))
                    .singleElement()
                    .asString()
                    .contains("Model m:1: execution provider AUTO fell back to CPU because CUDA is unavailable");
        }
    }

    @Test
    void cudaFailsWithAClearErrorAndLeavesNoSession() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "m", "1", MODEL.toOnnx("m", "1"));
        Configuration options = new Configuration();
        options.set(InferenceOptions.EXECUTION_PROVIDER, ExecutionProvider.CUDA);
        int sessionsBefore = OnnxScorer.liveSessions();

        assertThatThrownBy(() -> OnnxScorer.load(ref, options, null))
                .isInstanceOf(OrtException.class)
                .hasMessageContaining("Model m:1: execution provider CUDA (device 0) requested by")
                .hasMessageContaining("vigil.inference.execution-provider")
                .hasMessageContaining("This ONNX Runtime build provides [CPU]")
                .hasCauseInstanceOf(OrtException.class);
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void honoursIntraOpThreads() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "m", "1", MODEL.toOnnx("m", "1"));
        Configuration options = new Configuration();
        options.set(InferenceOptions.INTRA_OP_THREADS, 2);
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 4, 2L);

        try (OnnxScorer scorer = OnnxScorer.load(ref, options, null)) {
            assertThat(scorer.score(rows, 4).probability(3)).isCloseTo(MODEL.probability(rows[3]), within(1e-5f));
        }
        options.set(InferenceOptions.INTRA_OP_THREADS, 0);
        assertThatThrownBy(() -> OnnxScorer.load(ref, options, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vigil.inference.intra-op-threads must be at least 1");
    }

    @Test
    void refusesAModelWhoseFeatureNamesDisagreeWithItsInputAndClosesTheSession() throws Exception {
        Map<String, String> metadata = new LinkedHashMap<>(MODEL.metadata("m", "1"));
        metadata.put(ModelMetadata.FEATURE_NAMES, "a,b,c");
        ModelRef ref = TestingOnnxModels.write(dir, "m", "1", MODEL.toOnnx(metadata, true));
        int sessionsBefore = OnnxScorer.liveSessions();

        assertThatThrownBy(() -> OnnxScorer.load(ref, new Configuration(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Model m:1 does not follow the ONNX model contract")
                .hasMessageContaining("the feature count disagrees")
                .hasMessageContaining("vigil.feature.names=3");
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void closingTwiceIsHarmlessAndScoringAfterCloseFails() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "m", "1", MODEL.toOnnx("m", "1"));
        int sessionsBefore = OnnxScorer.liveSessions();
        OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), null);
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore + 1);

        scorer.close();
        scorer.close();

        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
        assertThatThrownBy(() -> scorer.score(new float[1][5], 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
