package dev.vigil.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.linear.SoftmaxRegression;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link OnnxImport}: export, import, export gives the same model, checked in the real ONNX Runtime. */
class OnnxImportTest {

    private static final int F = 12;
    private static final int ROWS = 200;
    private static final String BUNDLED = "/dev/vigil/models/icu/icu-deterioration.onnx";

    private static OrtEnvironment env;

    @BeforeAll
    static void setUp() {
        env = OrtEnvironment.getEnvironment(); // one per JVM, never closed
    }

    @Test
    void exportImportExportGivesTheSameBytesAndPredictions() throws OrtException {
        LogisticRegression model = new LogisticRegression(F);
        SplittableRandom random = new SplittableRandom(7);
        double[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.7 * random.nextGaussian();
        }
        Standardizer standardizer = fitted(random);
        ModelProvenance provenance = OnnxExportTest.provenance(2);
        byte[] first = OnnxExport.export(model, standardizer, provenance);

        OnnxImport.ImportedLogistic imported = OnnxImport.logistic(first);
        assertThat(imported.provenance()).isEqualTo(provenance);
        assertThat(imported.numFeatures()).isEqualTo(F);
        for (int j = 0; j < F; j++) {
            // Imported values are the stored float32 values exactly.
            assertThat(imported.model().weights()[j]).isEqualTo((float) model.weights()[j]);
            assertThat(imported.mean()[j]).isEqualTo((float) standardizer.mean()[j]);
            assertThat(imported.std()[j]).isEqualTo((float) standardizer.std()[j]);
        }
        assertThat(imported.model().bias()).isEqualTo((float) model.bias());

        byte[] second = OnnxExport.export(imported.model(), imported.mean(), imported.std(), imported.provenance());
        assertThat(second).isEqualTo(first);
        assertThat(OnnxImport.logistic(second)).isEqualTo(imported);

        float[][] rows = rows(standardizer, random);
        assertThat(run(second, rows)).isDeepEqualTo(run(first, rows));
    }

    @Test
    void theBundledIcuModelReExportsWithIdenticalPredictions() throws Exception {
        byte[] bundled = resource(BUNDLED);
        OnnxImport.ImportedLogistic imported = OnnxImport.logistic(bundled);
        assertThat(imported.provenance().modelName()).isEqualTo("icu-deterioration");
        assertThat(imported.numFeatures()).isEqualTo(imported.provenance().featureNames().size());

        // The bundled file predates vigil.model.type, so the bytes differ; the model does not.
        byte[] again = OnnxExport.export(imported.model(), imported.mean(), imported.std(), imported.provenance());
        double[] mean = imported.mean();
        double[] std = imported.std();
        SplittableRandom random = new SplittableRandom(11);
        float[][] rows = new float[ROWS][imported.numFeatures()];
        for (float[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) (mean[j] + 2 * std[j] * random.nextGaussian());
            }
        }
        float[][] expected = run(bundled, rows);
        assertThat(run(again, rows)).isDeepEqualTo(expected);

        // The Java forward pass of the import agrees with the runtime on the original file.
        Standardizer statistics = Standardizer.fromState(imported.standardizerState(12_345));
        double[] x = new double[imported.numFeatures()];
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < x.length; j++) {
                x[j] = rows[i][j];
            }
            double probability = imported.model().predict(statistics.transform(x));
            assertThat(probability).isCloseTo(expected[i][0], within(1e-6));
        }
    }

    @Test
    void standardizerStateReproducesEveryStdAsTheSameFloat() {
        SplittableRandom random = new SplittableRandom(3);
        int n = 2_000;
        double[] mean = new double[n];
        double[] std = new double[n];
        for (int i = 0; i < n; i++) {
            mean[i] = (float) (100 * random.nextGaussian());
            std[i] = (float) Math.pow(10, -6 + 10 * random.nextDouble());
        }
        std[0] = 1.0;
        LogisticRegression model = new LogisticRegression(n);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("x" + i);
        }
        ModelProvenance provenance = ModelProvenance.builder()
                .modelName("m")
                .modelVersion("1")
                .featureNames(names)
                .trainingWindow(Instant.EPOCH, Instant.EPOCH)
                .codeVersion("test")
                .build();
        OnnxImport.ImportedLogistic imported = new OnnxImport.ImportedLogistic(model, mean, std, provenance);
        for (long count : new long[] {1, 3, 12_345, 153_016, 1L << 20, 1L << 40}) {
            Standardizer s = Standardizer.fromState(imported.standardizerState(count));
            double[] reproduced = s.std();
            boolean exact = Long.bitCount(count) == 1; // M2 / count is then exact, and sqrt(std^2) is std
            for (int i = 0; i < n; i++) {
                assertThat((float) reproduced[i]).as("count %s, std[%s]", count, i).isEqualTo((float) std[i]);
                assertThat(Math.abs(reproduced[i] - std[i])).isLessThanOrEqualTo(Math.ulp(std[i]));
                if (exact) {
                    assertThat(reproduced[i]).as("count %s, std[%s]", count, i).isEqualTo(std[i]);
                }
            }
            assertThat(s.mean()).isEqualTo(mean);
            assertThat(s.count()).isEqualTo(count);
        }
    }

    @Test
    void refusesWhatIsNotAVigilLogisticModel() {
        assertThatThrownBy(() -> OnnxImport.logistic(new byte[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
        SoftmaxRegression softmax = new SoftmaxRegression(F, 3);
        byte[] multiclass = OnnxExport.export(softmax, fitted(new SplittableRandom(1)), OnnxExportTest.provenance(3));
        assertThatThrownBy(() -> OnnxImport.logistic(multiclass))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only logistic models");
        // A logistic graph whose metadata lost its type still has to have the logistic structure.
        Standardizer statistics = fitted(new SplittableRandom(1));
        List<OnnxMl.StringStringEntryProto> logisticMetadata = OnnxExport
                .toModelProto(new LogisticRegression(F), statistics, OnnxExportTest.provenance(2))
                .getMetadataPropsList()
                .stream()
                .filter(e -> !e.getKey().equals(MetadataKeys.MODEL_TYPE))
                .toList();
        byte[] unlabeled = OnnxExport.toModelProto(softmax, statistics, OnnxExportTest.provenance(3))
                .toBuilder()
                .clearMetadataProps()
                .addAllMetadataProps(logisticMetadata)
                .build()
                .toByteArray();
        assertThatThrownBy(() -> OnnxImport.logistic(unlabeled))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Vigil logistic model");
    }

    private static Standardizer fitted(SplittableRandom random) {
        Standardizer standardizer = new Standardizer(F);
        double[] row = new double[F];
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < F; j++) {
                row[j] = 10 * j + (j + 1) * random.nextGaussian();
            }
            standardizer.update(row);
        }
        return standardizer;
    }

    private static float[][] rows(Standardizer standardizer, SplittableRandom random) {
        double[] mean = standardizer.mean();
        double[] std = standardizer.std();
        float[][] rows = new float[ROWS][F];
        for (float[] row : rows) {
            for (int j = 0; j < F; j++) {
                row[j] = (float) (mean[j] + 2 * std[j] * random.nextGaussian());
            }
        }
        return rows;
    }

    private static float[][] run(byte[] onnx, float[][] rows) throws OrtException {
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                OnnxTensor tensor = OnnxTensor.createTensor(env, rows);
                OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT_FEATURES, tensor))) {
            return (float[][]) result.get(OnnxExport.OUTPUT_PROBABILITY).orElseThrow().getValue();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OnnxImportTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
