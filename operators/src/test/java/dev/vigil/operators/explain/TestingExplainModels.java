package dev.vigil.operators.explain;

import ai.onnxruntime.OrtException;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.onnx.LogisticRegressionOnnxExporter;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;

/**
 * Real ONNX models for the explainer tests, exported by the models module's exporters and opened in ONNX Runtime, plus
 * rows and backgrounds drawn around their standardization means.
 */
final class TestingExplainModels {

    /** In the MLP, feature {@link #TWIN_A} and {@link #TWIN_B} have identical weights: symmetric players. */
    static final int TWIN_A = 0;

    static final int TWIN_B = 1;

    /** In the MLP, feature {@link #UNUSED} has zero weights: a dummy player. */
    static final int UNUSED = 2;

    private TestingExplainModels() {}

    /** A logistic model, its ONNX bytes and its parameters. */
    record Logistic(byte[] onnx, double[] weights, double bias, double[] mean, double[] std) {
        int featureCount() {
            return weights.length;
        }
    }

    /** An ONNX model with its standardization, to draw rows from. */
    record Model(byte[] onnx, double[] mean, double[] std) {
        int featureCount() {
            return mean.length;
        }
    }

    /** A logistic model and an MLP over the same features, each open in ONNX Runtime; the test class closes them. */
    record OpenModels(Logistic logistic, OnnxScorer logisticScorer, Model mlp, OnnxScorer mlpScorer)
            implements AutoCloseable {

        /** {@link TestingExplainModels#logistic} and a 16-unit {@link TestingExplainModels#mlp}, from their seeds. */
        static OpenModels open(int features, long logisticSeed, long mlpSeed) throws OrtException, IOException {
            Logistic logistic = TestingExplainModels.logistic(features, logisticSeed);
            Model mlp = TestingExplainModels.mlp(features, 16, mlpSeed);
            OnnxScorer logisticScorer = scorer(logistic.onnx());
            try {
                return new OpenModels(logistic, logisticScorer, mlp, scorer(mlp.onnx()));
            } catch (OrtException | IOException | RuntimeException e) {
                logisticScorer.close();
                throw e;
            }
        }

        @Override
        public void close() throws OrtException {
            try {
                logisticScorer.close();
            } finally {
                mlpScorer.close();
            }
        }
    }

    static Logistic logistic(int features, long seed) {
        Random random = new Random(seed);
        double[] weights = new double[features];
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int i = 0; i < features; i++) {
            weights[i] = random.nextGaussian() * 0.8;
            mean[i] = random.nextGaussian() * 10;
            std[i] = 0.5 + random.nextDouble() * 5;
        }
        double bias = random.nextGaussian() * 0.5;
        LogisticRegression model = LogisticRegression.of(weights, bias);
        byte[] onnx = LogisticRegressionOnnxExporter.export(model, mean, std, provenance("linear", features));
        // The graph stores float32 parameters: use those, so the closed form sees the model ORT runs.
        return new Logistic(onnx, toFloat(weights), (float) bias, toFloat(mean), toFloat(std));
    }

    /**
     * A binary MLP {@code features -> hidden -> 1} with random weights, except that features {@link #TWIN_A} and
     * {@link #TWIN_B} have the same weights and standardization and feature {@link #UNUSED} has zero weights.
     */
    static Model mlp(int features, int hidden, long seed) {
        Random random = new Random(seed);
        Mlp shape = Mlp.builder().numFeatures(features).hiddenLayers(hidden).numClasses(2).seed(seed).build();
        double[] p = shape.parameters();
        for (int o = 0; o < hidden; o++) {
            int row = shape.weightOffset(0) + o * features;
            for (int i = 0; i < features; i++) {
                p[row + i] = random.nextGaussian() * 0.5;
            }
            p[row + TWIN_B] = p[row + TWIN_A];
            p[row + UNUSED] = 0;
            p[shape.biasOffset(0) + o] = random.nextGaussian() * 0.3;
        }
        for (int o = 0; o < hidden; o++) {
            p[shape.weightOffset(1) + o] = random.nextGaussian() * 0.8;
        }
        Mlp mlp = Mlp.builder().numFeatures(features).hiddenLayers(hidden).numClasses(2).parameters(p).build();
        double[] mean = new double[features];
        double[] std = new double[features];
        for (int i = 0; i < features; i++) {
            mean[i] = random.nextGaussian() * 5;
            std[i] = 0.5 + random.nextDouble() * 3;
        }
        mean[TWIN_B] = mean[TWIN_A];
        std[TWIN_B] = std[TWIN_A];
        byte[] onnx = OnnxExport.export(mlp, mean, std, provenance("mlp", features));
        return new Model(onnx, toFloat(mean), toFloat(std));
    }

    static Model model(Logistic logistic) {
        return new Model(logistic.onnx(), logistic.mean(), logistic.std());
    }

    /** {@code n} rows around the means (about ±2 std), drawn from {@code seed}. */
    static float[][] rows(Model model, int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][model.featureCount()];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (model.mean()[j] + random.nextGaussian() * model.std()[j] * 1.2);
            }
        }
        return rows;
    }

    /** {@link #rows} with feature {@link #TWIN_B} equal to {@link #TWIN_A} in every row. */
    static float[][] twinRows(Model model, int n, long seed) {
        float[][] rows = rows(model, n, seed);
        for (float[] row : rows) {
            row[TWIN_B] = row[TWIN_A];
        }
        return rows;
    }

    /** A scorer on a fresh ONNX Runtime session of {@code onnx}; the caller closes it. */
    static OnnxScorer scorer(byte[] onnx) throws OrtException, IOException {
        ModelRef ref = new ModelRef("explain-test", "1", "memory:explain-test", ModelBytes.sha256Hex(onnx));
        return new OnnxScorer(ModelBytes.verify(ref, onnx), new Configuration());
    }

    static List<String> names(int features) {
        List<String> names = new ArrayList<>(features);
        for (int i = 0; i < features; i++) {
            names.add("f" + i);
        }
        return names;
    }

    private static ModelProvenance provenance(String name, int features) {
        return ModelProvenance.builder()
                .modelName(name)
                .modelVersion("1")
                .featureNames(names(features))
                .trainingWindow(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T00:00:00Z"))
                .seed(1)
                .trainingCounts(100, 10)
                .codeVersion("test")
                .build();
    }

    private static double[] toFloat(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
