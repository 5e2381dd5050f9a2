package dev.vigil.operators.drift;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Page-Hinkley test for a change in the mean of a numeric stream.
 *
 * <p>E. S. Page, "Continuous Inspection Schemes", Biometrika 41(1/2):100–115, 1954; in the form with a forgetting
 * factor of H. Mouss, D. Mouss, N. Mouss and L. Sefouhi, "Test of Page-Hinkley, an approach for fault detection in an
 * agro-alimentary production system", Asian Control Conference 2004, as implemented by River's {@code PageHinkley}.
 *
 * <p>With the running mean {@code x̄_t} of the current reference, the cumulative deviations
 * {@code m_t = α·m_{t-1} + (x_t − x̄_t − δ)} (increase) and {@code M_t = α·M_{t-1} + (x_t − x̄_t + δ)} (decrease) are
 * tracked with their running minimum / maximum; a drift is signalled once at least {@code minInstances} values were
 * seen and {@code m_t − min m > λ} (mode {@link Mode#UP}), {@code max M − M_t > λ} ({@link Mode#DOWN}) or either
 * ({@link Mode#BOTH}). No warning zone. The detector resets on the update after a drift.
 *
 * <p>{@code new PageHinkley()} uses the published defaults: {@code minInstances=30, δ=0.005, λ=50, α=0.9999, BOTH}.
 */
public final class PageHinkley implements DriftDetector {

    public static final String NAME = "page-hinkley";

    /** Which direction of change is tested. */
    public enum Mode {
        UP,
        DOWN,
        BOTH;

        /** Parses {@code up}, {@code down} or {@code both} (case-insensitive). */
        public static Mode parse(String s) {
            return Mode.valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final int minInstances;
    private final double delta;
    private final double lambda;
    private final double alpha;
    private final Mode mode;

    private long n;
    private double mean;
    private double sumIncrease;
    private double sumDecrease;
    private double minIncrease;
    private double maxDecrease;
    private boolean drift;

    /** Published defaults: min instances 30, δ 0.005, λ 50, α 0.9999, both directions. */
    public PageHinkley() {
        this(30, 0.005, 50.0, 1 - 0.0001, Mode.BOTH);
    }

    /**
     * @param minInstances values needed in the current reference before a drift may be signalled (≥ 1)
     * @param delta δ, the magnitude of change tolerated (≥ 0)
     * @param lambda λ, the detection threshold (&gt; 0)
     * @param alpha α, the forgetting factor of the cumulative sums, in (0, 1]
     * @param mode direction of change to test
     */
    public PageHinkley(int minInstances, double delta, double lambda, double alpha, Mode mode) {
        check(minInstances >= 1, "minInstances must be >= 1, got %s", minInstances);
        check(delta >= 0 && Double.isFinite(delta), "delta must be finite and >= 0, got %s", delta);
        check(lambda > 0 && Double.isFinite(lambda), "lambda (threshold) must be finite and > 0, got %s", lambda);
        check(alpha > 0 && alpha <= 1, "alpha must be in (0, 1], got %s", alpha);
        check(mode != null, "mode must not be null%s", "");
        this.minInstances = minInstances;
        this.delta = delta;
        this.lambda = lambda;
        this.alpha = alpha;
        this.mode = mode;
        reset();
    }

    private void reset() {
        n = 0;
        mean = 0.0;
        sumIncrease = 0.0;
        sumDecrease = 0.0;
        minIncrease = Double.POSITIVE_INFINITY;
        maxDecrease = Double.NEGATIVE_INFINITY;
        drift = false;
    }

    @Override
    public boolean update(double x) {
        if (drift) {
            reset();
        }
        n++;
        mean += (x - mean) / n;
        double dev = x - mean;
        sumIncrease = alpha * sumIncrease + dev - delta;
        sumDecrease = alpha * sumDecrease + dev + delta;
        if (sumIncrease < minIncrease) {
            minIncrease = sumIncrease;
        }
        if (sumDecrease > maxDecrease) {
            maxDecrease = sumDecrease;
        }
        if (n >= minInstances) {
            boolean up = sumIncrease - minIncrease > lambda;
            boolean down = maxDecrease - sumDecrease > lambda;
            drift = switch (mode) {
                case UP -> up;
                case DOWN -> down;
                case BOTH -> up || down;
            };
        }
        return drift;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public boolean warningDetected() {
        return false;
    }

    @Override
    public String name() {
        return NAME;
    }

    public int minInstances() {
        return minInstances;
    }

    public double delta() {
        return delta;
    }

    public double lambda() {
        return lambda;
    }

    public double alpha() {
        return alpha;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public DetectorState snapshot() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("n", new double[] {n});
        s.put("mean", new double[] {mean});
        s.put("sums", new double[] {sumIncrease, sumDecrease, minIncrease, maxDecrease});
        s.put("drift", new double[] {drift ? 1 : 0});
        return new DetectorState(NAME, s);
    }

    @Override
    public void restore(DetectorState state) {
        check(NAME.equals(state.detector()), "cannot restore %s state into " + NAME, state.detector());
        double[] sums = state.slot("sums");
        check(sums.length == 4, "bad sums slot length %s", sums.length);
        n = (long) state.slot("n")[0];
        mean = state.slot("mean")[0];
        sumIncrease = sums[0];
        sumDecrease = sums[1];
        minIncrease = sums[2];
        maxDecrease = sums[3];
        drift = state.slot("drift")[0] != 0;
    }

    private static void check(boolean cond, String msg, Object arg) {
        if (!cond) {
            throw new IllegalArgumentException(String.format(msg, arg));
        }
    }
}
