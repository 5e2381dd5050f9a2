package dev.vigil.models.loss;

/**
 * Numerically stable softmax functions shared by every multiclass model.
 *
 * <p>{@code softmax(z)_k = exp(z_k) / sum_j exp(z_j)} overflows for large logits if evaluated as written. Every
 * function here shifts the logits by their maximum first ({@code softmax(z) = softmax(z - max z)}), so each
 * exponential is at most 1 and the denominator at least 1. The multiclass log loss (cross-entropy) of class {@code y}
 * is evaluated from the logits as {@code logSumExp(z) - z_y}, never as {@code -log(p_y)} of a probability that may
 * have rounded to zero, so it is finite for every finite logit vector. Its gradient with respect to {@code z_k} is
 * {@code p_k - [k = y]}.
 *
 * <p>All functions read the first {@code k} entries of their arrays only and allocate nothing.
 */
public final class Softmax {

    private Softmax() {}

    /** {@code log(sum_{j<k} exp(z_j))}, shifted by the maximum so it neither overflows nor underflows. */
    public static double logSumExp(double[] z, int k) {
        double max = max(z, k);
        if (max == Double.NEGATIVE_INFINITY || max == Double.POSITIVE_INFINITY) {
            return max;
        }
        double sum = 0.0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(z[j] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Writes {@code softmax(z[0 .. k-1])} into {@code out[0 .. k-1]}; {@code out} may be {@code z} itself (in-place).
     */
    public static void softmax(double[] z, int k, double[] out) {
        double max = max(z, k);
        double sum = 0.0;
        for (int j = 0; j < k; j++) {
            double e = Math.exp(z[j] - max);
            out[j] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int j = 0; j < k; j++) {
            out[j] *= inv;
        }
    }

    /**
     * Cross-entropy of class {@code y} against {@code softmax(z[0 .. k-1])}, computed from the logits:
     * {@code -log softmax(z)_y = logSumExp(z) - z_y}.
     */
    public static double logLossFromLogits(double[] z, int k, int y) {
        return logSumExp(z, k) - z[y];
    }

    private static double max(double[] z, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (z[j] > max) {
                max = z[j];
            }
        }
        return max;
    }
}
