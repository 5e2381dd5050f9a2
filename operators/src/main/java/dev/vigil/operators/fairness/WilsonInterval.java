package dev.vigil.operators.fairness;

/**
 * A proportion {@code successes / trials} with its Wilson score confidence interval (E. B. Wilson, "Probable
 * inference, the law of succession, and statistical inference", JASA 22(158):209–212, 1927).
 *
 * <p>With {@code p = k / n} and the normal quantile {@code z}: centre {@code (p + z²/2n) / (1 + z²/n)}, half-width
 * {@code z / (1 + z²/n) · sqrt(p(1 − p)/n + z²/4n²)}. Unlike the Wald interval it stays inside [0, 1] and keeps
 * sensible coverage at small {@code n} and at {@code p} near 0 or 1. With {@code n = 0} every field is {@code NaN}.
 *
 * @param successes k
 * @param trials n
 * @param estimate k / n ({@code NaN} when n = 0)
 * @param lower lower bound
 * @param upper upper bound
 */
public record WilsonInterval(long successes, long trials, double estimate, double lower, double upper) {

    /** The two-sided 95% normal quantile, {@code Φ⁻¹(0.975)}. */
    public static final double Z_95 = 1.959963984540054;

    public static WilsonInterval of(long successes, long trials) {
        return of(successes, trials, Z_95);
    }

    public static WilsonInterval of(long successes, long trials, double z) {
        return of(successes, trials, trials, z);
    }

    /**
     * The interval of {@code successes / trials} computed with an effective sample size {@code effectiveTrials} in
     * place of {@code trials} (the estimate stays {@code successes / trials}): Wilson's interval for clustered or
     * otherwise dependent trials, whose proportion varies as if from fewer independent trials (Korn & Graubard 1998;
     * see {@link GroupFairness#effectiveTrials}).
     *
     * @param effectiveTrials in {@code (0, trials]}; ignored when {@code trials} is 0
     */
    public static WilsonInterval of(long successes, long trials, double effectiveTrials, double z) {
        if (successes < 0 || trials < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + "/" + trials);
        }
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("z must be positive and finite, got " + z);
        }
        if (trials == 0) {
            return new WilsonInterval(successes, trials, Double.NaN, Double.NaN, Double.NaN);
        }
        if (!(effectiveTrials > 0 && effectiveTrials <= trials)) {
            throw new IllegalArgumentException(
                    "effective trials must be in (0, " + trials + "], got " + effectiveTrials);
        }
        double n = effectiveTrials;
        double p = (double) successes / trials;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        // at k = 0 (k = n) the bound is exactly 0 (1) in exact arithmetic; pin it against rounding
        double lower = successes == 0 ? 0.0 : Math.max(0, centre - half);
        double upper = successes == trials ? 1.0 : Math.min(1, centre + half);
        return new WilsonInterval(successes, trials, p, lower, upper);
    }

    /** Whether the interval is defined (at least one trial). */
    public boolean defined() {
        return trials > 0;
    }

    /** Whether the two (defined) intervals share at least one point. */
    public boolean overlaps(WilsonInterval other) {
        return lower <= other.upper && other.lower <= upper;
    }

    /** Whether {@code value} lies inside the closed interval. */
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }
}
