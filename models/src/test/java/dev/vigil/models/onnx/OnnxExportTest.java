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
import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.linear.SoftmaxRegression;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.util.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model family exported through {@link OnnxExport}, run in the real ONNX Runtime, against the Java forward. */
class OnnxExportTest {

    private static final int F = 12;
    private static final int FIT_ROWS = 2_000;
    private static final int ROWS = 100;

    private static OrtEnvironment env;
    private static Standardizer standardizer;
    private static float[][] input;

    @BeforeAll
    static void setUp() {
        env = OrtEnvironment.getEnvironment(); // one per JVM, never closed
        SplittableRandom random = new SplittableRandom(2026);
        double[] mean = new double[F];
        double[] scale = new double[F];
        for (int j = 0; j < F; j++) {
            mean[j] = -20 + 140 * random.nextDouble(); // vitals and labs: every scale
            scale[j] = Math.pow(10, -1 + 2 * random.nextDouble());
        }
        scale[F - 1] = 0; // a constant feature: std floored to 1 in both forward passes
        standardizer = new Standardizer(F);
        input = new float[ROWS][F];
        double[] row = new double[F];
        for (int i = 0; i < FIT_ROWS + ROWS; i++) {
            for (int j = 0; j < F; j++) {
                row[j] = mean[j] + scale[j] * random.nextGaussian();
            }
            if (i < FIT_ROWS) {
                standardizer.update(row);
            } else {
                for (int j = 0; j < F; j++) {
                    input[i - FIT_ROWS][j] = (float) row[j];
                }
            }
        }
    }

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("logistic", ModelType.LOGISTIC, randomized(new LogisticRegression(F), 1)),
                Arguments.of("softmax K=4", ModelType.SOFTMAX, randomized(new SoftmaxRegression(F, 4), 2)),
                Arguments.of("mlp [16] binary", ModelType.MLP, mlp(2, 0.0, 16)),
                Arguments.of("mlp [16, 8] K=3", ModelType.MLP, mlp(3, 0.0, 16, 8)),
                Arguments.of("mlp [12, 6] binary", ModelType.MLP, mlp(2, 0.0, 12, 6)),
                Arguments.of("mlp [10] K=5 dropout 0.3", ModelType.MLP, mlp(5, 0.3, 10)));
    }

    private static DifferentiableModel randomized(DifferentiableModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.6 * random.nextGaussian();
        }
        return model;
    }

    private static Mlp mlp(int numClasses, double dropout, int... hidden) {
        Mlp mlp = Mlp.builder()
                .numFeatures(F)
                .hiddenLayers(hidden)
                .numClasses(numClasses)
                .dropout(dropout)
                .seed(hidden.length * 10L + numClasses)
                .build();
        SplittableRandom random = new SplittableRandom(3);
        for (int l = 0; l < mlp.numLayers(); l++) {
            for (int o = 0; o < mlp.layerOutputSize(l); o++) {
                mlp.parameters()[mlp.biasOffset(l) + o] = 0.2 * random.nextGaussian();
            }
        }
        return mlp;
    }

    static List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < F; j++) {
            names.add("feature_" + j);
        }
        return names;
    }

    static ModelProvenance provenance(int numClasses) {
        List<String> classes = new ArrayList<>();
        if (numClasses > 2) {
            for (int k = 0; k < numClasses; k++) {
                classes.add("class_" + k);
            }
        }
        return ModelProvenance.builder()
                .modelName("fraud-risk")
                .modelVersion("7")
                .featureNames(featureNames())
                .trainingWindow(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"))
                .seed(42)
                .trainingCounts(10_000, 25)
                .metrics(Map.of("prequential.auroc", 0.91))
                .parentVersion("6")
                .codeVersion("abc1234")
                .classLabels(classes)
                .build();
    }

    private static String outputName(DifferentiableModel model) {
        return model.numClasses() == 2 ? OnnxExport.OUTPUT_PROBABILITY : OnnxExport.OUTPUT_PROBABILITIES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeMatchesTheJavaForwardPass(String name, ModelType type, DifferentiableModel model)
            throws OrtException {
        byte[] bytes = OnnxExport.export(model, standardizer, provenance(model.numClasses()));
        int width = model.numClasses() == 2 ? 1 : model.numClasses();

        float[][] scores;
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions());
                OnnxTensor tensor = OnnxTensor.createTensor(env, input);
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT_FEATURES, tensor))) {
            scores = (float[][]) result.get(outputName(model)).orElseThrow().getValue();
        }

        assertThat(scores).hasNumberOfRows(ROWS);
        double[] x = new double[F];
        double[] expected = new double[width];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < F; j++) {
                x[j] = input[i][j]; // the Java pass sees exactly the float32 values ONNX Runtime gets
            }
            standardizer.transform(x, x);
            model.predict(x, expected);
            assertThat(scores[i]).hasSize(width);
            for (int k = 0; k < width; k++) {
                assertThat((double) scores[i][k]).as("row %s, output %s", i, k).isCloseTo(expected[k], within(1e-5));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void interfaceAndMetadataFollowTheContract(String name, ModelType type, DifferentiableModel model)
            throws OrtException {
        ModelProvenance provenance = provenance(model.numClasses());
        byte[] bytes = OnnxExport.export(model, standardizer, provenance);
        try (OrtSession session = env.createSession(bytes, new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).containsExactly("features");
            assertThat(shape(session.getInputInfo().get("features"))).containsExactly(-1L, (long) F);
            if (model.numClasses() == 2) {
                assertThat(shape(session.getOutputInfo().get("probability"))).containsExactly(-1L, 1L);
            } else {
                assertThat(session.getOutputNames()).containsExactly("probabilities");
                assertThat(shape(session.getOutputInfo().get("probabilities")))
                        .containsExactly(-1L, (long) model.numClasses());
            }
            if (type == ModelType.LOGISTIC) {
                assertThat(session.getOutputNames()).containsExactlyInAnyOrder("probability", "contributions");
            } else if (model.numClasses() == 2) {
                assertThat(session.getOutputNames()).containsExactly("probability");
            }

            assertThat(session.getMetadata().getProducerName()).isEqualTo("vigil");
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            assertThat(metadata).isEqualTo(OnnxExport.metadata(model, provenance));
            assertThat(metadata).containsEntry("vigil.model.type", type.metadataValue());
            assertThat(ModelType.fromMetadata(metadata)).contains(type);
            assertThat(ModelProvenance.fromMetadata(metadata)).isEqualTo(provenance);
            if (model.numClasses() > 2) {
                assertThat(metadata.get("vigil.classes").split(",")).hasSize(model.numClasses());
            }
        }
    }

    @Test
    void graphsUseOpsetThirteenGemmAndRelu() throws Exception {
        // Tribuo names an output through a final Identity node.
        assertThat(ops(mlp(3, 0.0, 16, 8)))
                .containsExactly("Sub", "Div", "Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax", "Identity");
        assertThat(ops(mlp(2, 0.0, 16)))
                .containsExactly("Sub", "Div", "Gemm", "Relu", "Gemm", "Sigmoid", "Identity");
        assertThat(ops(randomized(new SoftmaxRegression(F, 4), 1)))
                .containsExactly("Sub", "Div", "Gemm", "Softmax", "Identity");

        OnnxMl.ModelProto proto = OnnxExport.toModelProto(mlp(3, 0.0, 16, 8), standardizer, provenance(3));
        assertThat(proto.getOpsetImportList()).singleElement().satisfies(op -> {
            assertThat(op.getDomain()).isEmpty();
            assertThat(op.getVersion()).isEqualTo(13L);
        });
        assertThat(proto.getGraph().getNodeList()).allSatisfy(node -> assertThat(node.getDomain()).isEmpty());
        assertThat(OnnxMl.ModelProto.parseFrom(OnnxExport.export(mlp(3, 0.0, 16, 8), standardizer, provenance(3))))
                .isEqualTo(proto);
    }

    private static List<String> ops(DifferentiableModel model) {
        return OnnxExport.toModelProto(model, standardizer, provenance(model.numClasses()))
                .getGraph()
                .getNodeList()
                .stream()
                .map(OnnxMl.NodeProto::getOpType)
                .toList();
    }

    @Test
    void logisticExportIsTheLogisticExportersAndDropoutLeavesNoTrace() {
        LogisticRegression logistic = (LogisticRegression) randomized(new LogisticRegression(F), 4);
        assertThat(OnnxExport.export(logistic, standardizer, provenance(2)))
                .isEqualTo(LogisticRegressionOnnxExporter.export(logistic, standardizer, provenance(2)));

        Mlp withDropout = mlp(3, 0.5, 8);
        Mlp without = Mlp.builder()
                .numFeatures(F)
                .hiddenLayers(8)
                .numClasses(3)
                .parameters(withDropout.parameters())
                .build();
        assertThat(OnnxExport.export(withDropout, standardizer, provenance(3)))
                .isEqualTo(OnnxExport.export(without, standardizer, provenance(3)));
    }

    @Test
    void writesAtomicallyAndReturnsTheSha256(@TempDir Path dir) throws Exception {
        Mlp model = mlp(2, 0.0, 8);
        Path target = dir.resolve("models/fraud-risk/7/model.onnx");
        String sha = OnnxExport.write(model, standardizer, provenance(2), target);
        byte[] written = Files.readAllBytes(target);
        assertThat(sha).isEqualTo(Sha256.hex(written));
        assertThat(written).isEqualTo(OnnxExport.export(model, standardizer, provenance(2)));
        try (var files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void rejectsProvenanceThatDoesNotFitTheModel() {
        SoftmaxRegression softmax = new SoftmaxRegression(F, 3);
        assertThatThrownBy(() -> OnnxExport.export(softmax, standardizer, provenance(2)))
                .hasMessageContaining("provenance names 0 classes, the model has 3");
        assertThatThrownBy(() -> OnnxExport.export(softmax, standardizer, provenance(4)))
                .hasMessageContaining("provenance names 4 classes");
        assertThatThrownBy(() -> OnnxExport.export(mlp(2, 0.0, 4), standardizer, provenance(3)))
                .hasMessageContaining("binary model");
        Mlp narrow = Mlp.builder().numFeatures(3).hiddenLayers(2).numClasses(2).build();
        assertThatThrownBy(() -> OnnxExport.export(narrow, standardizer, provenance(2)))
                .hasMessageContaining("length 3");
        assertThatThrownBy(() -> OnnxExport.export(narrow, new double[3], new double[] {1, 0, 1}, provenance(2)))
                .hasMessageContaining("std[1]");
        assertThatThrownBy(() -> OnnxExport.export(narrow, new Standardizer(3), provenance(2)))
                .hasMessageContaining("no rows");
        assertThatThrownBy(() -> OnnxExport.export(new TestingUnknownModel(), standardizer, provenance(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no ONNX export");
        assertThatThrownBy(() -> ModelType.parse("svm")).hasMessageContaining("vigil.model.type");
        assertThat(ModelType.fromMetadata(Map.of())).isEmpty();
    }

    private static long[] shape(NodeInfo info) {
        return ((TensorInfo) info.getInfo()).getShape();
    }

    /** A model family the exporter does not know. */
    private static final class TestingUnknownModel implements DifferentiableModel {
        private final double[] params = new double[F + 1];

        @Override
        public int numFeatures() {
            return F;
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public double[] parameters() {
            return params;
        }

        @Override
        public void predict(double[] x, double[] out) {
            out[0] = 0.5;
        }

        @Override
        public double lossAndGradient(double[] x, int label, double weight, double[] grad, SplittableRandom rng) {
            return 0;
        }

        @Override
        public DifferentiableModel copy() {
            return new TestingUnknownModel();
        }
    }
}
