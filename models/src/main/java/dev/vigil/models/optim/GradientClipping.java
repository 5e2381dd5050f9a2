package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

/**
 * Gradient clipping, applied to a gradient before {@link Optimizer#step}.
 *
 * <p>Clipping by global norm rescales all gradient arrays together so their joint L2 norm is at most
 * {@code maxNorm}, keeping the direction (R. Pascanu, T. Mikolov and Y. Bengio, "On the difficulty of training
 * recurrent neural networks", ICML 2013, Algorithm 1; the "global" form over several tensors is TensorFlow's
 * {@code clip_by_global_norm}). It stops one outlying example or a burst of mislabeled data from throwing an online
 * learner far off.
 *
 * <p>If the norm is not finite (a NaN or infinite component), the gradient is left untouched and the non-finite norm
 * is returned, so the caller can decide to skip the step rather than spread NaN over every parameter.
 */
public final class GradientClipping {

    private GradientClipping() {}

    /** The L2 norm of {@code grad}. */
    public static double norm(double[] grad) {
        checkNotNull(grad, "grad");
        return Math.sqrt(sumOfSquares(grad));
    }

    /** The joint L2 norm of all arrays, {@code sqrt(sum_k ||g_k||^2)}. */
    public static double globalNorm(double[]... grads) {
        checkNotNull(grads, "grads");
        double sumSq = 0.0;
        for (double[] g : grads) {
            sumSq += sumOfSquares(checkNotNull(g, "grad"));
        }
        return Math.sqrt(sumSq);
    }

    /**
     * Scales {@code grad} in place by {@code maxNorm / norm} if its norm exceeds {@code maxNorm}.
     *
     * @return the norm before clipping
     */
    public static double clipByNorm(double[] grad, double maxNorm) {
        checkPositive(maxNorm, "maxNorm");
        double norm = norm(grad);
        if (norm > maxNorm && Double.isFinite(norm)) {
            scale(grad, maxNorm / norm);
        }
        return norm;
    }

    /**
     * Scales every array in place by {@code maxNorm / globalNorm} if their joint norm exceeds {@code maxNorm}.
     *
     * @return the global norm before clipping
     */
    public static double clipByGlobalNorm(double maxNorm, double[]... grads) {
        checkPositive(maxNorm, "maxNorm");
        double norm = globalNorm(grads);
        if (norm > maxNorm && Double.isFinite(norm)) {
            double factor = maxNorm / norm;
            for (double[] g : grads) {
                scale(g, factor);
            }
        }
        return norm;
    }

    /** Clamps every component of {@code grad} in place to {@code [-limit, limit]}. Changes the direction. */
    public static void clipByValue(double[] grad, double limit) {
        checkNotNull(grad, "grad");
        checkPositive(limit, "limit");
        for (int i = 0; i < grad.length; i++) {
            double g = grad[i];
            if (g > limit) {
                grad[i] = limit;
            } else if (g < -limit) {
                grad[i] = -limit;
            }
        }
    }

    private static double sumOfSquares(double[] g) {
        double s = 0.0;
        for (int i = 0; i < g.length; i++) {
            s += g[i] * g[i];
        }
        return s;
    }

    private static void scale(double[] g, double factor) {
        for (int i = 0; i < g.length; i++) {
            g[i] *= factor;
        }
    }
}
