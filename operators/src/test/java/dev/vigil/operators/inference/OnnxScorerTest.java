package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.nn.Autoencoder;
import dev.vigil.models.nn.AutoencoderTrainer;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.onnx.AutoencoderOnnxExporter;
import dev.vigil.models.onnx.MetadataKeys;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.operators.inference.TestingOnnxModels.LinearModel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
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

    @Test
    void aClassifiersPrimaryOutputIsItsProbability() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "icu", "1", MODEL.toOnnx("icu", "1"));
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 4, 9L);

        try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), null)) {
            assertThat(scorer.scoreOutput()).isEqualTo(OnnxScorer.PROBABILITY_OUTPUT);
            assertThat(scorer.isAnomalyModel()).isFalse();
            ScoreBatch scores = scorer.score(rows, 4);
            for (int i = 0; i < 4; i++) {
                assertThat(scores.score(i)).isEqualTo(scores.probability(i));
            }
        }
    }

    @ParameterizedTest(name = "batch size {0}")
    @ValueSource(ints = {1, 64})
    void anAutoencoderScoresItsAnomalyScoreAndContributions(int batchSize) throws Exception {
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 128, 13L);
        double[][] train = new double[rows.length][FEATURES];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < FEATURES; j++) {
                train[i][j] = rows[i][j];
            }
        }
        Autoencoder ae = Autoencoder.builder().numFeatures(FEATURES).encoderLayers(5, 3).seed(5).build();
        AutoencoderTrainer.Result trained =
                AutoencoderTrainer.builder().batchSize(32).maxEpochs(3).seed(5).build().fit(ae, train);
        double[] trainScores = trained.anomalyScores(train);
        byte[] onnx = AutoencoderOnnxExporter.export(
                trained.model(), trained.standardizer(), provenance("fraud-autoencoder"), trainScores);
        ModelRef ref = TestingOnnxModels.write(dir, "fraud-autoencoder", "1", onnx);
        float[][] batch = new float[batchSize][];

        try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), null)) {
            assertThat(scorer.scoreOutput()).isEqualTo(OnnxScorer.ANOMALY_SCORE_OUTPUT);
            assertThat(scorer.isAnomalyModel()).isTrue();
            assertThat(scorer.hasContributions()).isTrue();
            assertThat(scorer.featureCount()).isEqualTo(FEATURES);
            assertThat(scorer.outputNames()).containsExactlyInAnyOrder("anomaly_score", "contributions");
            assertThat(scorer.metadata().properties())
                    .containsEntry(MetadataKeys.MODEL_TYPE, "autoencoder")
                    .containsKey(MetadataKeys.ANOMALY_QUANTILE_P99);

            double[] expected = new double[FEATURES];
            for (int start = 0; start < rows.length; start += batchSize) {
                int n = Math.min(batchSize, rows.length - start);
                System.arraycopy(rows, start, batch, 0, n);
                ScoreBatch scores = scorer.score(batch, n);
                assertThat(scores.hasContributions()).isTrue();
                for (int i = 0; i < n; i++) {
                    double score = trained.model().contributions(
                            trained.standardizer().transform(train[start + i]), expected);
                    assertThat((double) scores.score(i)).isCloseTo(score, within(1e-5 * Math.max(1, score)));
                    assertThat(scores.probability(i)).isEqualTo(scores.score(i));
                    double sum = 0;
                    for (int j = 0; j < FEATURES; j++) {
                        assertThat((double) scores.contribution(i, j))
                                .isCloseTo(expected[j], within(1e-5 * Math.max(1, score)));
                        sum += scores.contribution(i, j);
                    }
                    assertThat(sum).isCloseTo(scores.score(i), within(1e-5 * Math.max(1, score)));
                }
            }
        }
    }

    @Test
    void refusesAModelWithNeitherProbabilityNorAnomalyScore() throws Exception {
        Mlp multiclass = Mlp.builder().numFeatures(FEATURES).hiddenLayers(4).numClasses(3).seed(1).build();
        double[] mean = new double[FEATURES];
        double[] std = new double[FEATURES];
        java.util.Arrays.fill(std, 1.0);
        ModelProvenance provenance = ModelProvenance.builder()
                .modelName("triage")
                .modelVersion("1")
                .featureNames(MODEL.featureNames())
                .trainingWindow(Instant.EPOCH, Instant.EPOCH)
                .trainingCounts(10, 1)
                .classLabels(java.util.List.of("a", "b", "c"))
                .codeVersion("test")
                .build();
        ModelRef ref = TestingOnnxModels.write(dir, "triage", "1", OnnxExport.export(multiclass, mean, std, provenance));
        int before = OnnxScorer.liveSessions();

        assertThatThrownBy(() -> OnnxScorer.load(ref, new Configuration(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no 'probability' or 'anomaly_score' output");
        assertThat(OnnxScorer.liveSessions()).isEqualTo(before);
    }

    private static ModelProvenance provenance(String name) {
        return ModelProvenance.builder()
                .modelName(name)
                .modelVersion("1")
                .featureNames(MODEL.featureNames())
                .trainingWindow(Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-09T00:00:00Z"))
                .trainingCounts(128, 0)
                .metrics(Map.of())
                .codeVersion("test")
                .build();
    }
}
