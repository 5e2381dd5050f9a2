package dev.vigil.operators.drift.calibration;

/**
 * An estimate of the expected run length without drift (ERT): the mean number of observations up to and including a
 * detector's first (false) alarm on a stream without change, from {@code runs} independent simulated runs, each cut
 * off ("censored") after {@code maxRunLength} observations.
 *
 * <p><b>Estimator.</b> With {@code x_i = min(T_i, L)} the observed length of run {@code i} and {@code d_i} = 1 if it
 * alarmed, {@code ERT = Σx_i / Σd_i}: total observed exposure per alarm. It is the sample mean when no run is censored
 * and the maximum-likelihood estimate when run lengths are geometric (memoryless detectors); with a cut-off of a few
 * ERTs few runs are censored and the estimate is nearly unbiased for any run-length distribution.
 *
 * <p><b>Interval.</b> A ratio estimator's delta-method (sandwich) standard error, {@code se = sqrt(Σ(x_i − ERT·d_i)² /
 * (n(n−1))) / d̄}, distribution-free; the interval is taken on the log scale, {@code ERT·exp(±z·se/ERT)}, because run
 * lengths are right-skewed. Without any alarm the estimate is infinite and the lower bound is the exposure divided by
 * {@code −ln(1 − confidence)} (the "rule of three" at 95%).
 *
 * @param ert the estimate (infinite when no run alarmed)
 * @param lower lower confidence bound
 * @param upper upper confidence bound (infinite when fewer than two runs alarmed)
 * @param confidence the two-sided confidence level of the bounds
 * @param runs simulated runs
 * @param alarms runs that alarmed within {@code maxRunLength}
 * @param maxRunLength the censoring length {@code L}
 * @param observations detector updates simulated in total
 */
public record ErtEstimate(double ert, double lower, double upper, double confidence, int runs, int alarms,
        long maxRunLength, long observations) {

    /**
     * The estimate from run lengths. {@code lengths[i]} is the 1-based index of run {@code i}'s first alarm, or
     * {@code maxRunLength} if {@code alarmed[i]} is false.
     */
    public static ErtEstimate of(long[] lengths, boolean[] alarmed, long maxRunLength, double confidence) {
        if (lengths.length != alarmed.length || lengths.length < 2) {
            throw new IllegalArgumentException("need at least 2 runs with one alarm flag each");
        }
        if (maxRunLength < 1) {
            throw new IllegalArgumentException("maxRunLength must be >= 1, got " + maxRunLength);
        }
        double z = NormalQuantile.twoSided(confidence);
        int n = lengths.length;
        double exposure = 0;
        int alarms = 0;
        long observations = 0;
        for (int i = 0; i < n; i++) {
            long x = lengths[i];
            if (x < 1 || x > maxRunLength || (!alarmed[i] && x != maxRunLength)) {
                throw new IllegalArgumentException("run " + i + " has length " + x + " (alarmed " + alarmed[i]
                        + ") with maxRunLength " + maxRunLength);
            }
            exposure += x;
            observations += x;
            if (alarmed[i]) {
                alarms++;
            }
        }
        if (alarms == 0) {
            double lower = exposure / -Math.log(1 - confidence);
            return new ErtEstimate(Double.POSITIVE_INFINITY, lower, Double.POSITIVE_INFINITY, confidence, n, 0,
                    maxRunLength, observations);
        }
        double ert = exposure / alarms;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double e = lengths[i] - (alarmed[i] ? ert : 0.0);
            sumSq += e * e;
        }
        double meanAlarms = (double) alarms / n;
        double se = Math.sqrt(sumSq / ((double) n * (n - 1))) / meanAlarms;
        double spread = Math.exp(z * se / ert);
        double upper = alarms < 2 ? Double.POSITIVE_INFINITY : ert * spread;
        return new ErtEstimate(ert, ert / spread, upper, confidence, n, alarms, maxRunLength, observations);
    }

    /** Runs that reached {@code maxRunLength} without an alarm. */
    public int censored() {
        return runs - alarms;
    }

    /** Whether {@code value} lies in {@code [lower, upper]}. */
    public boolean contains(double value) {
        return lower <= value && value <= upper;
    }

    /** The estimate's relative standard error, recovered from the interval ({@code NaN} when unbounded). */
    public double relativeStandardError() {
        if (!Double.isFinite(ert) || !Double.isFinite(upper)) {
            return Double.NaN;
        }
        return Math.log(upper / ert) / NormalQuantile.twoSided(confidence);
    }
}
