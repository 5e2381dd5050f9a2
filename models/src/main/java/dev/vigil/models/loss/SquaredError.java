package dev.vigil.models.loss;

/**
 * The squared-error loss of regression heads and autoencoders: {@code L = (1/2) sum_i (p_i - t_i)^2}, whose gradient
 * with respect to the prediction is {@code p - t}. The factor {@code 1/2} makes the gradient the plain residual (and
 * the Gauss-Newton Hessian the identity), as in most textbooks; it does not change the minimizer.
 *
 * <p>All functions read the first {@code n} entries of their arrays only and allocate nothing.
 */
public final class SquaredError {

    private SquaredError() {}

    /** {@code (1/2) (prediction - target)^2}. */
    public static double loss(double prediction, double target) {
        double r = prediction - target;
        return 0.5 * r * r;
    }

    /** {@code dL/dprediction = prediction - target}. */
    public static double derivative(double prediction, double target) {
        return prediction - target;
    }

    /** {@code (1/2) sum_{i<n} (prediction_i - target_i)^2}. */
    public static double loss(double[] prediction, double[] target, int n) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double r = prediction[i] - target[i];
            sum += r * r;
        }
        return 0.5 * sum;
    }

    /**
     * Writes {@code scale * (prediction_i - target_i)} into {@code grad[i]} for {@code i < n} ({@code scale} is the
     * example weight) and returns {@code scale * loss(prediction, target, n)}.
     */
    public static double lossAndGradient(double[] prediction, double[] target, int n, double scale, double[] grad) {
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
            double r = prediction[i] - target[i];
            grad[i] = scale * r;
            sum += r * r;
        }
        return 0.5 * scale * sum;
    }
}
