package dev.vigil.operators.inference;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Small real ONNX models built in memory with Tribuo's ONNX builder (opset 13), following docs/CONTRACTS.md, plus the
 * same computation in plain Java to check a runtime against.
 *
 * <pre>{@code
 * LinearModel model = TestingOnnxModels.linear(8, 42L);
 * byte[] onnx = model.toOnnx("icu-deterioration", "3");
 * ModelRef ref = TestingOnnxModels.write(tempDir, "icu-deterioration", "3", onnx);
 * float expected = model.probability(row);
 * }</pre>
 */
public final class TestingOnnxModels {

    public static final String INPUT = "features";

    private TestingOnnxModels() {}

    /** A logistic model with {@code features} inputs and weights, bias, means and scales drawn from {@code seed}. */
    public static LinearModel linear(int features, long seed) {
        Random random = new Random(seed);
        float[] weights = new float[features];
        float[] mean = new float[features];
        float[] std = new float[features];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            weights[i] = (float) random.nextGaussian();
            mean[i] = (float) (random.nextGaussian() * 10);
            std[i] = 0.5f + random.nextFloat() * 5f;
            names.add("f" + i);
        }
        return new LinearModel(weights, (float) random.nextGaussian(), mean, std, List.copyOf(names));
    }

    /** {@code n} rows around {@code model}'s means (about ±3 scales), drawn from {@code seed}. */
    public static float[][] randomRows(LinearModel model, int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][model.featureCount()];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (model.mean()[j] + random.nextGaussian() * model.std()[j] * 1.5);
            }
        }
        return rows;
    }

    /** Writes {@code onnx} as {@code <name>-<version>.onnx} in {@code dir} and returns its {@code file:} reference. */
    public static ModelRef write(Path dir, String name, String version, byte[] onnx) throws IOException {
        Path file = dir.resolve(name + "-" + version + ".onnx");
        Files.write(file, onnx);
        return new ModelRef(name, version, file.toUri().toString(), ModelBytes.sha256Hex(onnx));
    }

    /** A reference to {@code onnx} at {@code uri}, with the right sha-256. */
    public static ModelRef ref(String name, String version, String uri, byte[] onnx) {
        return new ModelRef(name, version, uri, ModelBytes.sha256Hex(onnx));
    }

    /**
     * {@code p = sigmoid(sum_i w_i * (x_i - mean_i) / std_i + bias)}; contributions are the terms of the sum.
     */
    public record LinearModel(float[] weights, float bias, float[] mean, float[] std, List<String> featureNames) {

        public int featureCount() {
            return weights.length;
        }

        /** The contribution of each feature to the logit, computed the way the graph does (float, in order). */
        public float[] contributions(float[] x) {
            float[] c = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                c[i] = weights[i] * ((x[i] - mean[i]) / std[i]);
            }
            return c;
        }

        public double logit(float[] x) {
            double sum = bias;
            for (float c : contributions(x)) {
                sum += c;
            }
            return sum;
        }

        public float probability(float[] x) {
            return (float) (1.0 / (1.0 + Math.exp(-logit(x))));
        }

        /** The default metadata: name, version, feature names and fingerprint, and a few provenance entries. */
        public Map<String, String> metadata(String name, String version) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put(ModelMetadata.NAME, name);
            props.put(ModelMetadata.VERSION, version);
            props.put(ModelMetadata.FEATURE_NAMES, String.join(",", featureNames));
            props.put(ModelMetadata.FEATURE_FINGERPRINT, ModelMetadata.fingerprint(featureNames));
            props.put(ModelMetadata.TRAINING_PREFIX + "rows", "1000");
            props.put(ModelMetadata.METRICS_PREFIX + "auroc", "0.81");
            props.put(ModelMetadata.CODE_VERSION, "test");
            return props;
        }

        /** The model with both outputs and the default metadata. */
        public byte[] toOnnx(String name, String version) {
            return toOnnx(metadata(name, version), true);
        }

        /**
         * The model as ONNX bytes: input {@code features [batch, F]}, output {@code probability [batch, 1]} and, when
         * asked, {@code contributions [batch, F]}; standardization is inside the graph.
         */
        public byte[] toOnnx(Map<String, String> metadataProps, boolean withContributions) {
            int f = featureCount();
            ONNXContext ctx = new ONNXContext();
            ctx.setName("vigil-test-linear");
            ONNXPlaceholder input = ctx.floatInput(INPUT, f);
            ONNXPlaceholder probability = ctx.floatOutput(OnnxScorer.PROBABILITY_OUTPUT, 1);
            ONNXPlaceholder contributions =
                    withContributions ? ctx.floatOutput(OnnxScorer.CONTRIBUTIONS_OUTPUT, f) : null;

            ONNXInitializer meanInit = ctx.array("mean", mean);
            ONNXInitializer stdInit = ctx.array("std", std);
            ONNXInitializer weightRow = ctx.array("weights", weights);
            ONNXInitializer weightColumn = ctx.floatTensor("weight_column", List.of(f, 1), b -> b.put(weights));
            ONNXInitializer biasInit = ctx.array("bias", new float[] {bias});

            ONNXNode standardized = input.apply(ONNXOperators.SUB, meanInit).apply(ONNXOperators.DIV, stdInit);
            if (withContributions) {
                standardized.apply(ONNXOperators.MUL, weightRow).assignTo(contributions);
            }
            List<ONNXRef<?>> gemmInputs = Arrays.asList(weightColumn, biasInit);
            standardized.apply(ONNXOperators.GEMM, gemmInputs).apply(ONNXOperators.SIGMOID).assignTo(probability);

            OnnxMl.ModelProto.Builder model =
                    OnnxMl.ModelProto.newBuilder()
                            .setIrVersion(8)
                            .setProducerName("vigil-tests")
                            .setGraph(ctx.buildGraph())
                            .addOpsetImport(ONNXOperators.getOpsetProto());
            metadataProps.forEach(
                    (k, v) ->
                            model.addMetadataProps(
                                    OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
            return model.build().toByteArray();
        }
    }
}
