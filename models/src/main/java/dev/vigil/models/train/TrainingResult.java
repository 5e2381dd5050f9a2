package dev.vigil.models.train;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;

/**
 * A trained model with the standardizer fitted on its training set (the pair the ONNX export needs) and the
 * training report.
 */
public record TrainingResult(LogisticRegression model, Standardizer standardizer, TrainingReport report) {

    public TrainingResult {
        checkNotNull(model, "model");
        checkNotNull(standardizer, "standardizer");
        checkNotNull(report, "report");
        checkArgument(
                model.numFeatures() == standardizer.dimension(),
                "model has %s features, standardizer %s",
                model.numFeatures(),
                standardizer.dimension());
    }

    /**
     * {@code P(y = 1)} for one raw (unstandardized) row: the Java forward pass equal to the exported graph.
     * Allocates one buffer per call; score many rows through {@link Standardizer#transform(double[], double[])} and
     * {@link LogisticRegression#predict} with a reused buffer instead.
     */
    public double predict(double[] rawFeatures) {
        return model.predict(standardizer.transform(rawFeatures));
    }

    /** Probabilities for raw rows. */
    public double[] predictAll(double[][] rawFeatures) {
        checkNotNull(rawFeatures, "rawFeatures");
        double[] out = new double[rawFeatures.length];
        double[] buffer = new double[standardizer.dimension()];
        for (int i = 0; i < rawFeatures.length; i++) {
            standardizer.transform(rawFeatures[i], buffer);
            out[i] = model.predict(buffer);
        }
        return out;
    }
}
