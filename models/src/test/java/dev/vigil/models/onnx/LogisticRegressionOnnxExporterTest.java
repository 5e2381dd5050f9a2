package dev.vigil.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.util.Sha256;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every exported graph in the real ONNX Runtime and compares it with the Java forward pass. */
class LogisticRegressionOnnxExporterTest {

    private static final int F = 24;
    private static final int ROWS = 100;

    private static OrtEnvironment env;

    private static Standardizer standardizer;
    private static LogisticRegression model;
    private static double[][] rows;

    @BeforeAll
    static void setUp() {
        env = OrtEnvironment.getEnvironment(); // one per JVM, never closed
        Random random = new Random(2024);
        double[] mean = new double[F];
        double[] scale = new double[F];
        for (int j = 0; j < F; j++) {
            mean[j] = -20 + 140 * random.nextDouble(); // heart rate, temperature, lactate ... all scales
            scale[j] = Math.pow(10, -1 + 2 * random.nextDouble());
        }
        scale[F - 1] = 0; // a constant feature: std floored to 1 in both forward passes
        rows = new double[2_000 + ROWS][F];
        for (double[] row : rows) {
            for (int j = 0; j < F; j++) {
                row[j] = mean[j] + scale[j] * random.nextGaussian();
            }
        }
        standardizer = new Standardizer(F);
        for (int i = 0; i < 2_000; i++) {
            standardizer.update(rows[i]);
        }
        double[] w = new double[F];
        for (int j = 0; j < F; j++) {
            w[j] = 0.6 * random.nextGaussian();
        }
        model = LogisticRegression.of(w, -1.2);
    }

    static List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < F; j++) {
            names.add("feature_" + j);
        }
        return names;
    }

    static ModelProvenance provenance() {
        return ModelProvenance.builder()
                .modelName("icu-deterioration")
                .modelVersion("3")
                .featureNames(featureNames())
                .trainingWindow(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"))
                .seed(42)
                .trainingCounts(80_000, 2_400)
                .validationCounts(20_000, 650)
                .metrics(Map.of("validation.auroc", 0.8712345678901234, "validation.brier_score", 0.041))
                .parentVersion("2")
                .codeVersion("4f2c1e9")
                .build();
    }

    @Test
    void onnxRuntimeMatchesTheJavaForwardPass() throws OrtException {
        byte[] bytes = LogisticRegressionOnnxExporter.export(model, standardizer, provenance());

        float[][] input = new float[ROWS][F];
        double[][] scored = new double[ROWS][];
        for (int i = 0; i < ROWS; i++) {
            // The Java pass sees exactly the float32 values ONNX Runtime gets.
            scored[i] = new double[F];
            for (int j = 0; j < F; j++) {
                input[i][j] = (float) rows[2_000 + i][j];
                scored[i][j] = input[i][j];
            }
        }

        float[][] probability;
        float[][] contributions;
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions());
                OnnxTensor tensor = OnnxTensor.createTensor(env, input);
                OrtSession.Result result = session.run(Map.of(LogisticRegressionOnnxExporter.INPUT_FEATURES, tensor))) {
            probability = (float[][]) result.get(LogisticRegressionOnnxExporter.OUTPUT_PROBABILITY)
                    .orElseThrow()
                    .getValue();
            contributions = (float[][]) result.get(LogisticRegressionOnnxExporter.OUTPUT_CONTRIBUTIONS)
                    .orElseThrow()
                    .getValue();
        }

        assertThat(probability.length).isEqualTo(ROWS);
        assertThat(contributions.length).isEqualTo(ROWS);
        double[] z = new double[F];
        double[] expectedContributions = new double[F];
        for (int i = 0; i < ROWS; i++) {
            standardizer.transform(scored[i], z);
            model.contributions(z, expectedContributions);
            assertThat(probability[i]).hasSize(1);
            assertThat((double) probability[i][0]).as("probability[%s]", i).isCloseTo(model.predict(z), within(1e-5));
            assertThat(contributions[i]).hasSize(F);
            for (int j = 0; j < F; j++) {
                assertThat((double) contributions[i][j])
                        .as("contributions[%s][%s]", i, j)
                        .isCloseTo(expectedContributions[j], within(1e-5));
            }
        }
    }

    @Test
    void graphHasTheContractInterfaceAndMetadata() throws OrtException {
        byte[] bytes = LogisticRegressionOnnxExporter.export(model, standardizer, provenance());
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).containsExactly("features");
            assertThat(session.getOutputNames()).containsExactlyInAnyOrder("probability", "contributions");
            assertThat(shape(session.getInputInfo().get("features"))).containsExactly(-1L, (long) F);
            assertThat(shape(session.getOutputInfo().get("probability"))).containsExactly(-1L, 1L);
            assertThat(shape(session.getOutputInfo().get("contributions"))).containsExactly(-1L, (long) F);

            assertThat(session.getMetadata().getProducerName()).isEqualTo("vigil");
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertThat(metadata).isEqualTo(OnnxExport.metadata(model, provenance()));
            assertThat(metadata)
                    .hasSize(provenance().toMetadata().size() + 1)
                    .containsAllEntriesOf(provenance().toMetadata())
                    .containsEntry("vigil.model.type", "logistic")
                    .doesNotContainKey("vigil.classes")
                    .containsEntry("vigil.model.name", "icu-deterioration")
                    .containsEntry("vigil.model.version", "3")
                    .containsEntry("vigil.feature.names", String.join(",", featureNames()))
                    .containsEntry("vigil.feature.fingerprint", Sha256.hexUtf8(String.join("\n", featureNames())))
                    .containsEntry("vigil.training.window.start", "2026-01-01T00:00:00Z")
                    .containsEntry("vigil.training.window.end", "2026-03-01T00:00:00Z")
                    .containsEntry("vigil.training.seed", "42")
                    .containsEntry("vigil.training.rows", "80000")
                    .containsEntry("vigil.training.positives", "2400")
                    .containsEntry("vigil.training.validation.rows", "20000")
                    .containsEntry("vigil.training.validation.positives", "650")
                    .containsEntry("vigil.metrics.validation.auroc", "0.8712345678901234")
                    .containsEntry("vigil.metrics.validation.brier_score", "0.041")
                    .containsEntry("vigil.parent.version", "2")
                    .containsEntry("vigil.code.version", "4f2c1e9");
            assertThat(ModelProvenance.fromMetadata(metadata)).isEqualTo(provenance());
            assertThat(ModelType.fromMetadata(metadata)).contains(ModelType.LOGISTIC);
        }
    }

    /** The values of a float tensor, stored either as float_data or as little-endian raw_data. */
    private static float[] floats(OnnxMl.TensorProto tensor) {
        if (tensor.getFloatDataCount() > 0) {
            float[] out = new float[tensor.getFloatDataCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = tensor.getFloatData(i);
            }
            return out;
        }
        FloatBuffer buffer =
                tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static long[] shape(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).getShape();
    }

    @Test
    void graphUsesOpsetThirteenAndBakesInTheStandardization() throws Exception {
        OnnxMl.ModelProto proto = LogisticRegressionOnnxExporter.toModelProto(model, standardizer, provenance());
        assertThat(proto.getOpsetImportList()).anySatisfy(op -> {
            assertThat(op.getDomain()).isEmpty();
            assertThat(op.getVersion()).isEqualTo(13L);
        });
        assertThat(proto.getProducerName()).isEqualTo("vigil");
        List<String> ops = proto.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).toList();
        assertThat(ops).containsSubsequence("Sub", "Div", "Mul", "ReduceSum", "Add", "Sigmoid");
        OnnxMl.TensorProto std = proto.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().startsWith("std"))
                .findFirst()
                .orElseThrow();
        float[] stdValues = floats(std);
        assertThat(stdValues).hasSize(F);
        assertThat(stdValues[F - 1]).isEqualTo(1.0f); // the constant feature
        double[] expectedStd = standardizer.std();
        for (int j = 0; j < F; j++) {
            assertThat(stdValues[j]).isEqualTo((float) expectedStd[j]);
        }
        byte[] bytes = LogisticRegressionOnnxExporter.export(model, standardizer, provenance());
        assertThat(OnnxMl.ModelProto.parseFrom(bytes)).isEqualTo(proto);
    }

    @Test
    void writesAtomicallyAndReturnsTheSha256(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("models/icu-deterioration/3/model.onnx");
        String sha = LogisticRegressionOnnxExporter.write(model, standardizer, provenance(), target);
        byte[] written = Files.readAllBytes(target);
        assertThat(sha).isEqualTo(Sha256.hex(written)).isEqualTo(Sha256.hex(target));
        assertThat(written).isEqualTo(LogisticRegressionOnnxExporter.export(model, standardizer, provenance()));
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void rejectsMismatchedShapesAndProvenance() {
        ModelProvenance provenance = provenance();
        LogisticRegression tooFew = new LogisticRegression(3);
        assertThatThrownBy(() -> LogisticRegressionOnnxExporter.export(tooFew, standardizer, provenance))
                .hasMessageContaining("length 3");
        LogisticRegression small = new LogisticRegression(2);
        assertThatThrownBy(() -> LogisticRegressionOnnxExporter.export(
                        small, new double[2], new double[] {1, 1}, provenance))
                .hasMessageContaining("provenance names 24 features");
        assertThatThrownBy(() -> LogisticRegressionOnnxExporter.export(
                        small, new double[2], new double[] {1, 0}, provenance))
                .hasMessageContaining("std[1]");
    }
}
