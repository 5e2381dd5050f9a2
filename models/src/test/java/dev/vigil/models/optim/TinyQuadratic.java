package dev.vigil.models.optim;

/**
 * The tiny problem of the hand-computed update tests: {@code f(theta) = sum_i (a_i theta_i^2 / 2 - c_i theta_i)},
 * whose gradient {@code g_i = a_i theta_i - c_i} differs in scale and sign per coordinate.
 */
final class TinyQuadratic {

    static final double[] A = {1.0, 4.0, 0.25};
    static final double[] C = {0.3, -0.2, 0.05};

    private TinyQuadratic() {}

    static double[] start() {
        return new double[] {1.0, -2.0, 0.5};
    }

    /** {@code g_i = a_i theta_i - c_i}, in a new array. */
    static double[] gradient(double[] theta) {
        double[] g = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            g[i] = gradient(theta, i);
        }
        return g;
    }

    static double gradient(double[] theta, int i) {
        return A[i] * theta[i] - C[i];
    }
}
