package dev.vigil.models.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Central finite-difference check of {@link DifferentiableModel#lossAndGradient}: every partial derivative must
 * match {@code (L(theta + h e_k) - L(theta - h e_k)) / 2h}. Every loss evaluation gets a fresh {@link
 * SplittableRandom} with the same seed, so a model with dropout draws the same masks each time and the check is of
 * the gradient of that one thinned network.
 */
public final class GradientCheck {

    private static final double H = 1e-6;

    private GradientCheck() {}

    /**
     * Asserts that the analytic gradient of {@code sum_i weight_i * loss(x_i, y_i)} matches central differences to
     * within {@code tolerance * max(1, |analytic| + |numeric|)} for every parameter.
     */
    public static void assertGradientMatches(
            DifferentiableModel model, double[][] x, int[] y, double[] weights, long rngSeed, double tolerance) {
        double[] params = model.parameters();
        double[] analytic = new double[params.length];
        loss(model, x, y, weights, rngSeed, analytic);
        double[] scratch = new double[params.length];
        for (int k = 0; k < params.length; k++) {
            double saved = params[k];
            params[k] = saved + H;
            double plus = loss(model, x, y, weights, rngSeed, scratch);
            params[k] = saved - H;
            double minus = loss(model, x, y, weights, rngSeed, scratch);
            params[k] = saved;
            double numeric = (plus - minus) / (2 * H);
            double scale = Math.max(1.0, Math.abs(analytic[k]) + Math.abs(numeric));
            assertThat(Math.abs(analytic[k] - numeric) / scale)
                    .as("d loss / d param[%s]: analytic %s, numeric %s", k, analytic[k], numeric)
                    .isLessThan(tolerance);
        }
    }

    /** The summed loss, accumulating the gradient into {@code grad} (zeroed first). */
    public static double loss(
            DifferentiableModel model, double[][] x, int[] y, double[] weights, long rngSeed, double[] grad) {
        Arrays.fill(grad, 0.0);
        SplittableRandom rng = new SplittableRandom(rngSeed);
        double sum = 0.0;
        for (int i = 0; i < x.length; i++) {
            sum += model.lossAndGradient(x[i], y[i], weights[i], grad, rng);
        }
        return sum;
    }
}
