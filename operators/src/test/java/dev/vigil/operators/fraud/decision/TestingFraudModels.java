package dev.vigil.operators.fraud.decision;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.nn.Autoencoder;
import dev.vigil.models.onnx.AutoencoderOnnxExporter;
import dev.vigil.models.onnx.LogisticRegressionOnnxExporter;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.inference.ModelRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test support: small fraud models over {@link FraudFeatures#NAMES} with the interfaces of docs/CONTRACTS.md, built
 * in the test instead of read from the bundle: a logistic classifier whose fraud-like features (velocity, new device
 * or country, card not present, merchant risk) raise the probability, and an untrained autoencoder (random weights,
 * standardization fitted on seeded rows) whose metadata carries the score quantiles of those rows.
 */
public final class TestingFraudModels {

    public static final String CLASSIFIER = "fraud-classifier";
    public static final String AUTOENCODER = "fraud-autoencoder";

    private static final Map<String, Double> WEIGHTS = Map.of(
            "count_1h", 0.8,
            "log_sum_1h", 0.3,
            "distinct_cards_24h", 0.4,
            "amount_robust_z", 0.5,
            "new_device", 1.2,
            "new_country", 1.0,
            "foreign_country", 0.8,
            "card_not_present", 0.7,
            "mcc_risk", 1.5,
            "first_transaction", 0.3);

    private TestingFraudModels() {}

    /** The classifier's ONNX bytes, version {@code version}, with the bias {@code bias} (more negative: fewer alerts). */
    public static byte[] classifier(String version, double bias) {
        int f = FraudFeatures.SIZE;
        double[] weights = new double[f];
        double[] mean = new double[f];
        double[] std = new double[f];
        for (int i = 0; i < f; i++) {
            weights[i] = WEIGHTS.getOrDefault(FraudFeatures.NAMES.get(i), 0.0);
            std[i] = 1.0;
        }
        return LogisticRegressionOnnxExporter.export(
                LogisticRegression.of(weights, bias), mean, std, provenance(CLASSIFIER, version));
    }

    /** The autoencoder's ONNX bytes: random weights, standardization and score quantiles from seeded rows. */
    public static byte[] autoencoder(String version, long seed) {
        int f = FraudFeatures.SIZE;
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[500][f];
        for (double[] row : rows) {
            for (int j = 0; j < f; j++) {
                row[j] = j + random.nextDouble() * (1 + j % 3);
            }
        }
        Standardizer standardizer = Standardizer.fit(rows);
        Autoencoder model = Autoencoder.builder().numFeatures(f).encoderLayers(6).seed(seed).build();
        double[] scores = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            scores[i] = model.anomalyScore(standardizer.transform(rows[i]));
        }
        return AutoencoderOnnxExporter.export(model, standardizer, provenance(AUTOENCODER, version), scores);
    }

    /**
     * Writes {@code onnx} to {@code dir/fileName} with its {@code .sha256} sidecar and returns its reference (name and
     * version as given).
     */
    public static ModelRef write(Path dir, String fileName, byte[] onnx, String name, String version)
            throws IOException {
        Path file = dir.resolve(fileName);
        Files.write(file, onnx);
        String sha = Sha256.hex(onnx);
        Files.writeString(dir.resolve(fileName + ".sha256"), sha + "\n", StandardCharsets.UTF_8);
        return new ModelRef(name, version, file.toUri().toString(), sha);
    }

    private static ModelProvenance provenance(String name, String version) {
        return ModelProvenance.builder()
                .modelName(name)
                .modelVersion(version)
                .featureNames(FraudFeatures.NAMES)
                .trainingWindow(Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-15T00:00:00Z"))
                .seed(1)
                .trainingCounts(500, 5)
                .codeVersion("test")
                .build();
    }
}
