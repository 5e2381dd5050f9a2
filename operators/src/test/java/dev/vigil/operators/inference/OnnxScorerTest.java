package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.inference.TestingOnnxModels.LinearModel;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxScorerTest {

    private static final int FEATURES = 8;
    private static final LinearModel MODEL = TestingOnnxModels.linear(FEATURES, 42L);

    @TempDir Path dir;

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 7, 64})
    void scoresMatchTheJavaComputationOfTheSameWeights(int batchSize) throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "icu", "1", MODEL.toOnnx("icu", "1"));
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 200, 7L);
        float[][] batch = new float[batchSize][];

        try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), getClass().getClassLoader())) {
            for (int start = 0; start < rows.length; start += batchSize) {
                int n = Math.min(batchSize, rows.length - start);
                System.arraycopy(rows, start, batch, 0, n);
                ScoreBatch scores = scorer.score(batch, n);

                assertThat(scores.size()).isEqualTo(n);
                assertThat(scores.hasContributions()).isTrue();
                for (int i = 0; i < n; i++) {
                    float[] row = rows[start + i];
                    assertThat(scores.probability(i)).isCloseTo(MODEL.probability(row), within(1e-5f));
                    float[] expected = MODEL.contributions(row);
                    float[] actual = scores.contributions(i);
                    for (int j = 0; j < FEATURES; j++) {
                        assertThat(actual[j])
                                .as("row %d feature %d", start + i, j)
                                .isCloseTo(expected[j], within(1e-5f));
                        assertThat(scores.contribution(i, j)).isEqualTo(actual[j]);
                    }
                }
            }
        }
    }

    @Test
    void exposesTheSessionShapeAndMetadata() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "icu", "7", MODEL.toOnnx("icu", "7"));

        try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), null)) {
            assertThat(scorer.modelRef()).isEqualTo(ref);
            assertThat(scorer.inputName()).isEqualTo("features");
            assertThat(scorer.featureCount()).isEqualTo(FEATURES);
            assertThat(scorer.outputNames()).containsExactlyInAnyOrder("probability", "contributions");
            assertThat(scorer.activeProvider()).isEqualTo(ExecutionProvider.CPU);

            ModelMetadata metadata = scorer.metadata();
            assertThat(metadata.name()).contains("icu");
            assertThat(metadata.version()).contains("7");
            assertThat(metadata.featureNames()).isEqualTo(MODEL.featureNames());
            assertThat(metadata.featureFingerprint()).contains(ModelMetadata.fingerprint(MODEL.featureNames()));
            assertThat(metadata.withPrefix(ModelMetadata.METRICS_PREFIX)).containsEntry("auroc", "0.81");
            assertThat(metadata.codeVersion()).contains("test");
        }
    }

    @Test
    void modelWithoutContributionsScoresProbabilitiesOnly() throws Exception {
        byte[] onnx = MODEL.toOnnx(MODEL.metadata("icu", "2"), false);
        ModelRef ref = TestingOnnxModels.write(dir, "icu", "2", onnx);
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 5, 3L);

        try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), null)) {
            ScoreBatch scores = scorer.score(rows, 5);

            assertThat(scorer.hasContributions()).isFalse();
            assertThat(scores.hasContributions()).isFalse();
            assertThat(scores.probability(4)).isCloseTo(MODEL.probability(rows[4]), within(1e-5f));
        }
    }

    @Test
    void scoresOnlyTheFirstNRowsOfAReusedArray() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "icu", "1", MODEL.toOnnx("icu", "1"));
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 10, 5L);

        try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), null)) {
            assertThat(scorer.score(rows, 10).size()).isEqualTo(10);
            ScoreBatch three = scorer.score(rows, 3);
            assertThat(three.size()).isEqualTo(3);
            assertThat(three.probability(2)).isCloseTo(MODEL.probability(rows[2]), within(1e-5f));
            assertThat(scorer.score(rows, 0).size()).isZero();
        }
    }

    @Test
    void refusesRowsOfTheWrongWidth() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "icu", "1", MODEL.toOnnx("icu", "1"));

        try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), null)) {
            assertThatThrownBy(() -> scorer.score(new float[][] {new float[FEATURES - 1]}, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("row 0 has 7 features but model icu:1 expects 8");
        }
    }
}
