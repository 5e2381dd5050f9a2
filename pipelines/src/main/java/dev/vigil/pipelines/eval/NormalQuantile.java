package dev.vigil.pipelines.eval;

/**
 * The standard normal distribution function and the two-sided quantile of a confidence level, for turning {@code
 * --confidence 0.95} into the {@code z} of the Wilson intervals.
 *
 * <p>{@link #cdf} is G. Marsaglia's series, "Evaluating the normal distribution", Journal of Statistical Software
 * 11(4), 2004: {@code Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3 5) + ...)}, whose terms are all positive, so it keeps
 * about 15 correct digits for {@code |x| <= 8} without cancellation. {@link #twoSided} inverts it by bisection, which
 * is monotone and exact to the last bit that matters for an interval's width.
 */
public final class NormalQuantile {

    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private NormalQuantile() {}

    /** {@code Phi(x) = P(Z <= x)} for a standard normal {@code Z}; exact to about 1e-15 for {@code |x| <= 8}. */
    public static double cdf(double x) {
        if (x < -8) {
            return 0.0;
        }
        if (x > 8) {
            return 1.0;
        }
        double sum = x;
        double term = x;
        double x2 = x * x;
        for (int i = 3; sum + term != sum; i += 2) {
            term = term * x2 / i;
            sum += term;
        }
        return 0.5 + sum * Math.exp(-0.5 * x2 - LOG_SQRT_2PI);
    }

    /**
     * The {@code z} with {@code P(-z <= Z <= z) = confidence}, e.g. 1.959964 for 0.95; {@code confidence} in (0, 1).
     */
    public static double twoSided(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
        }
        double target = 0.5 + confidence / 2;
        double lo = 0.0;
        double hi = 8.0;
        for (int i = 0; i < 100 && hi - lo > 1e-15; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }
}
