package dev.vigil.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.nn.Autoencoder;
import dev.vigil.models.nn.AutoencoderTrainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The autoencoder's ONNX export run in the real ONNX Runtime against the Java reconstruction error. */
class AutoencoderOnnxExporterTest {

    private static final int F = 10;
    private static final int ROWS = 200;

    private static OrtEnvironment env;
    private static double[][] train;
    private static float[][] input;

    @BeforeAll
    static void setUp() {
        env = OrtEnvironment.getEnvironment(); // one per JVM, never closed
        SplittableRandom random = new SplittableRandom(2026);
        train = rows(random, 1_500);
        double[][] test = rows(random, ROWS);
        input = new float[ROWS][F];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < F; j++) {
                input[i][j] = (float) test[i][j];
            }
        }
        for (int j = 0; j < F; j++) {
            input[ROWS - 1][j] *= 5; // one far outlier: a large score must match too
        }
    }

    /** Correlated features on every scale, so the autoencoder has structure to learn. */
    private static double[][] rows(SplittableRandom random, int n) {
        double[][] rows = new double[n][F];
        for (double[] row : rows) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            for (int j = 0; j < F; j++) {
                row[j] = Math.pow(10, j % 4 - 1) * (j + (j % 2 == 0 ? a : a + b) + 0.2 * random.nextGaussian());
            }
        }
        return rows;
    }

    private static ModelProvenance provenance() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < F; j++) {
            names.add("f" + j);
        }
        return ModelProvenance.builder()
                .modelName("fraud-autoencoder")
                .modelVersion("3")
                .featureNames(names)
                .trainingWindow(Instant.parse("2026-11-02T00:00:00Z"), Instant.parse("2026-11-09T00:00:00Z"))
                .seed(7)
                .trainingCounts(train.length, 0)
                .metrics(Map.of("test.pr_auc", 0.25))
                .codeVersion("test")
                .build();
    }

    private static AutoencoderTrainer.Result trained(Autoencoder.Activation activation, int... encoder) {
        Autoencoder ae = Autoencoder.builder()
                .numFeatures(F).encoderLayers(encoder).activation(activation).seed(3).build();
        return AutoencoderTrainer.builder().batchSize(64).maxEpochs(5).seed(1).build().fit(ae, train);
    }

    @ParameterizedTest
    @EnumSource(Autoencoder.Activation.class)
    void onnxRuntimeMatchesTheJavaReconstructionError(Autoencoder.Activation activation) throws OrtException {
        for (int[] encoder : new int[][] {{4}, {6, 3}}) {
            AutoencoderTrainer.Result result = trained(activation, encoder);
            byte[] bytes = AutoencoderOnnxExporter.export(
                    result.model(), result.standardizer(), provenance(), result.anomalyScores(train));

            float[][] scores;
            float[][] contributions;
            try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions());
                    OnnxTensor tensor = OnnxTensor.createTensor(env, input);
                    OrtSession.Result out = session.run(Map.of("features", tensor))) {
                scores = (float[][]) out.get("anomaly_score").orElseThrow().getValue();
                contributions = (float[][]) out.get("contributions").orElseThrow().getValue();
            }

            double[] x = new double[F];
            double[] expected = new double[F];
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < F; j++) {
                    x[j] = input[i][j]; // exactly the float32 values ONNX Runtime gets
                }
                double score = result.model().contributions(result.standardizer().transform(x), expected);
                double tolerance = 1e-5 * Math.max(1.0, score);
                assertThat((double) scores[i][0]).as("row %s score", i).isCloseTo(score, within(tolerance));
                double sum = 0;
                for (int j = 0; j < F; j++) {
                    assertThat((double) contributions[i][j])
                            .as("row %s feature %s", i, j)
                            .isCloseTo(expected[j], within(tolerance));
                    sum += contributions[i][j];
                }
                assertThat(sum).as("row %s contributions sum to the score", i).isCloseTo(scores[i][0], within(tolerance));
            }
            assertThat(scores[ROWS - 1][0]).isGreaterThan(100 * scores[0][0]);
        }
    }

    @Test
    void interfaceAndMetadataFollowTheContract() throws OrtException {
        AutoencoderTrainer.Result result = trained(Autoencoder.Activation.TANH, 6, 3);
        double[] reference = result.anomalyScores(train);
        byte[] bytes = AutoencoderOnnxExporter.export(result.model(), result.standardizer(), provenance(), reference);
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).containsExactly("features");
            assertThat(session.getOutputNames()).containsExactlyInAnyOrder("anomaly_score", "contributions");
            assertThat(((TensorInfo) session.getOutputInfo().get("anomaly_score").getInfo()).getShape())
                    .containsExactly(-1L, 1L);
            assertThat(((TensorInfo) session.getOutputInfo().get("contributions").getInfo()).getShape())
                    .containsExactly(-1L, (long) F);
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertThat(metadata).isEqualTo(AutoencoderOnnxExporter.metadata(provenance(), reference));
            assertThat(ModelType.fromMetadata(metadata)).contains(ModelType.AUTOENCODER);
            assertThat(ModelProvenance.fromMetadata(metadata)).isEqualTo(provenance());
            double p50 = Double.parseDouble(metadata.get(MetadataKeys.ANOMALY_QUANTILE_P50));
            double p90 = Double.parseDouble(metadata.get(MetadataKeys.ANOMALY_QUANTILE_P90));
            double p99 = Double.parseDouble(metadata.get(MetadataKeys.ANOMALY_QUANTILE_P99));
            double p999 = Double.parseDouble(metadata.get(MetadataKeys.ANOMALY_QUANTILE_P999));
            assertThat(p50).isPositive().isLessThan(p90);
            assertThat(p90).isLessThan(p99);
            assertThat(p99).isLessThanOrEqualTo(p999);
            long above = java.util.Arrays.stream(reference).filter(s -> s > p99).count();
            assertThat(above).isBetween(10L, 20L); // 1% of 1,500
        }
        assertThat(AutoencoderOnnxExporter.export(result.model(), result.standardizer(), provenance(), reference))
                .as("deterministic bytes")
                .isEqualTo(bytes);
        // Byte-identical across JVMs too: attributes in a fixed order, not in a per-JVM hash order.
        OnnxMl.NodeProto reduce = AutoencoderOnnxExporter.toModelProto(
                        result.model(), result.standardizer(), provenance(), reference)
                .getGraph()
                .getNodeList()
                .stream()
                .filter(n -> n.getOpType().equals("ReduceMean"))
                .findFirst()
                .orElseThrow();
        assertThat(reduce.getAttributeList()).extracting(OnnxMl.AttributeProto::getName)
                .containsExactly("axes", "keepdims");
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] scores = new double[1001];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (scores.length - 1 - i) * 0.5; // reversed: the exporter sorts
        }
        Map<String, Double> q = AutoencoderOnnxExporter.quantiles(scores);
        assertThat(q).containsExactly(
                Map.entry("vigil.anomaly.quantile.p50", 250.0),
                Map.entry("vigil.anomaly.quantile.p90", 450.0),
                Map.entry("vigil.anomaly.quantile.p99", 495.0),
                Map.entry("vigil.anomaly.quantile.p999", 499.5));
        assertThat(AutoencoderOnnxExporter.quantiles(new double[] {0, 1}))
                .containsEntry("vigil.anomaly.quantile.p50", 0.5);
        assertThatThrownBy(() -> AutoencoderOnnxExporter.quantiles(new double[0])).hasMessageContaining("no reference");
    }

    @Test
    void rejectsMismatchedProvenanceAndUnfittedStandardizers() {
        Autoencoder ae = Autoencoder.builder().numFeatures(F - 1).encoderLayers(4).build();
        Standardizer standardizer = new Standardizer(F - 1);
        assertThatThrownBy(() -> AutoencoderOnnxExporter.export(ae, standardizer, provenance(), new double[] {1}))
                .hasMessageContaining("no rows");
        standardizer.update(new double[F - 1]);
        assertThatThrownBy(() -> AutoencoderOnnxExporter.export(ae, standardizer, provenance(), new double[] {1}))
                .hasMessageContaining("features");
    }
}
