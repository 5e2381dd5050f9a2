package dev.vigil.models.loss;

/**
 * Numerically stable logistic functions shared by every binary model.
 *
 * <p>The naive forms overflow or lose precision for large {@code |z|}: {@code 1 / (1 + exp(-z))} is fine for
 * {@code z >= 0} but {@code exp(-z)} overflows for {@code z << 0}, and {@code -log(sigmoid(z))} becomes
 * {@code -log(0) = inf} once the sigmoid rounds to zero. Here the log loss is computed from the logit as
 * {@code softplus(z) - y z} with {@code softplus(z) = max(z, 0) + log1p(exp(-|z|))}, which is exact to rounding for
 * every finite {@code z}.
 */
public final class Logistic {

    private Logistic() {}

    /** The logistic sigmoid {@code 1 / (1 + exp(-z))}, evaluated without overflow for any {@code z}. */
    public static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@code log(1 + exp(z))} without overflow or cancellation. */
    public static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /**
     * Binary cross-entropy of label {@code y} (0 or 1) against the probability {@code sigmoid(z)}, computed from the
     * logit {@code z}: {@code -[y log p + (1 - y) log(1 - p)] = softplus(z) - y z}. Its derivative with respect to
     * {@code z} is {@code sigmoid(z) - y}.
     */
    public static double logLossFromLogit(double z, int y) {
        return y == 1 ? softplus(-z) : softplus(z);
    }
}
