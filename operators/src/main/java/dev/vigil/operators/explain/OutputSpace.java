package dev.vigil.operators.explain;

/**
 * The space attributions are computed in. The value function of a coalition is the background mean of the model
 * output <em>after</em> this link, {@code v(S) = mean_b g(f(x_S, z_b))}, so in {@link #LOGIT} space the Shapley values
 * of a logistic model are exactly its linear terms {@code w_i (x_i - E[x_i])} (see {@link LinearShapley}). (SHAP's
 * {@code link="logit"} instead applies the link to the mean, {@code g(mean_b f)}, which is not additive for a
 * logistic model.)
 */
public enum OutputSpace {
    /** The model output as is: attributions in probability points. */
    PROBABILITY,
    /**
     * {@code ln(p / (1 - p))}: attributions in log-odds, the unit of {@code Reason.contribution} for linear models. A
     * probability is clamped to {@code [2^-149, 1 - 2^-24]} first, the range of a float32 sigmoid, so a saturated
     * output of exactly 0 or 1 gives a finite logit (about -103.3 or 16.6).
     */
    LOGIT;

    /** The smallest positive float32, the least probability a float32 sigmoid below 1 can return but 0. */
    static final double MIN_PROBABILITY = Float.MIN_VALUE;

    /** The largest float32 below 1. */
    static final double MAX_PROBABILITY = 1.0 - 0x1p-24;

    /** {@code g(output)}. */
    public double apply(double output) {
        if (this == PROBABILITY) {
            return output;
        }
        double p = output;
        if (p < MIN_PROBABILITY) {
            p = MIN_PROBABILITY;
        } else if (p > MAX_PROBABILITY) {
            p = MAX_PROBABILITY;
        }
        // NaN passes through both comparisons and stays NaN. A float32 p makes 1 - p exact in double, so one
        // logarithm of the ratio is as accurate as log(p) - log1p(-p), at half the cost.
        return Math.log(p / (1.0 - p));
    }
}
