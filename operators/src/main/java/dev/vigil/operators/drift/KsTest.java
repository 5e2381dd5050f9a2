package dev.vigil.operators.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two-sample Kolmogorov–Smirnov test (Kolmogorov 1933; Smirnov 1948), as a utility and as a detector ({@code
 * ks-window}) that compares a sliding window of recent values with a fixed reference window.
 *
 * <p><b>Statistic.</b> {@code D = sup_x |F_a(x) - F_b(x)|} over the two empirical distribution functions, computed on
 * the merged sorted samples (ties advance both samples together, as {@code scipy.stats.ks_2samp} does).
 *
 * <p><b>p-value</b> (two-sided, {@code P(D >= d)} under the null that both samples come from one continuous
 * distribution):
 *
 * <ul>
 *   <li>exact when {@code n * m <= }{@value #EXACT_LIMIT}: the fraction of the {@code C(n+m, n)} monotone lattice paths
 *       from {@code (0,0)} to {@code (n,m)} that touch the band {@code |i/n - j/m| >= d} (Hodges 1958). It is computed
 *       directly as a probability by the recursion {@code w(i,j) = i/(i+j) w(i-1,j) + j/(i+j) w(i,j-1)} with {@code
 *       w = 1} outside the band, so small p-values keep full relative precision. This matches {@code
 *       ks_2samp(..., method="exact")} for samples without ties (with ties the test is conservative);
 *   <li>otherwise asymptotic: {@code Q_KS((sqrt(N) + 0.12 + 0.11/sqrt(N)) d)} with {@code N = nm/(n+m)} and the
 *       Kolmogorov distribution {@code Q_KS(t) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 t^2)} — Stephens' (1970)
 *       small-sample correction, as in Numerical Recipes ({@code probks}).
 * </ul>
 *
 * <p><b>Detector.</b> The first {@code reference-size} values form the reference; afterwards each update tests the
 * last {@code window-size} values against it and signals a drift when {@code p <= alpha}. After a drift the detector
 * starts over: the next {@code reference-size} values form a new reference.
 */
public final class KsTest implements DriftDetector {

    /** Largest {@code n * m} for which {@link #pValue} is exact. */
    public static final long EXACT_LIMIT = 250_000L;

    public static final String NAME = "ks-window";
    public static final int DEFAULT_REFERENCE_SIZE = 100;
    public static final int DEFAULT_WINDOW_SIZE = 100;
    public static final double DEFAULT_ALPHA = 0.001;

    /** Result of a test. */
    public record Result(double statistic, double pValue) {}

    // ---------------------------------------------------------------- utility

    /** The two-sided two-sample test of {@code a} against {@code b} (inputs are not modified). */
    public static Result test(double[] a, double[] b) {
        checkSample(a, "a");
        checkSample(b, "b");
        double[] sa = a.clone();
        double[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        double d = statisticSorted(sa, sa.length, sb, sb.length);
        return new Result(d, pValue(d, sa.length, sb.length));
    }

    /** The statistic {@code D} of two samples (inputs are not modified). */
    public static double statistic(double[] a, double[] b) {
        checkSample(a, "a");
        checkSample(b, "b");
        double[] sa = a.clone();
        double[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        return statisticSorted(sa, sa.length, sb, sb.length);
    }

    /** {@code D} of the first {@code n} values of sorted {@code a} and the first {@code m} of sorted {@code b}. */
    static double statisticSorted(double[] a, int n, double[] b, int m) {
        int i = 0;
        int j = 0;
        double d = 0.0;
        while (i < n && j < m) {
            double x = Math.min(a[i], b[j]);
            while (i < n && a[i] <= x) {
                i++;
            }
            while (j < m && b[j] <= x) {
                j++;
            }
            double diff = Math.abs((double) i / n - (double) j / m);
            if (diff > d) {
                d = diff;
            }
        }
        return d;
    }

    /** Two-sided {@code P(D >= d)} for sample sizes {@code n} and {@code m}; exact or asymptotic as documented. */
    public static double pValue(double d, int n, int m) {
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("sample sizes must be >= 1, got " + n + " and " + m);
        }
        if (!(d >= 0.0 && d <= 1.0 + 1e-12)) {
            throw new IllegalArgumentException("statistic must be in [0, 1], got " + d);
        }
        if (d <= 0.0) {
            return 1.0;
        }
        if ((long) n * m <= EXACT_LIMIT) {
            return exactPValue(d, n, m, new double[m + 1]);
        }
        double en = Math.sqrt((double) n * m / (n + m));
        return kolmogorovQ((en + 0.12 + 0.11 / en) * d);
    }

    /** Exact p-value; {@code row} is a scratch buffer of length {@code m + 1}. */
    static double exactPValue(double d, int n, int m, double[] row) {
        // D is always a multiple of 1/(n m): |i m - j n| >= k  <=>  |i/n - j/m| >= d.
        long k = (long) Math.ceil(d * n * m - 1e-7);
        if (k <= 0) {
            return 1.0;
        }
        // row[j] holds w(i, j): the probability that a uniformly random path to (i, j) has touched the band.
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                double w;
                if (Math.abs((long) i * m - (long) j * n) >= k) {
                    w = 1.0;
                } else if (i == 0 && j == 0) {
                    w = 0.0;
                } else if (i == 0) {
                    w = row[j - 1];
                } else if (j == 0) {
                    w = row[0];
                } else {
                    w = ((double) i * row[j] + (double) j * row[j - 1]) / (i + j);
                }
                row[j] = w;
            }
        }
        return Math.min(1.0, row[m]);
    }

    /** The Kolmogorov distribution's upper tail {@code Q_KS(t) = P(K > t)}. */
    public static double kolmogorovQ(double t) {
        if (t < 0.2) {
            return 1.0; // the series converges slowly here and the value is 1 to double precision
        }
        double sum = 0.0;
        double sign = 1.0;
        double previous = 0.0;
        for (int k = 1; k <= 200; k++) {
            double term = sign * 2.0 * Math.exp(-2.0 * k * k * t * t);
            sum += term;
            if (Math.abs(term) <= 1e-12 * Math.abs(sum) || Math.abs(term) <= 1e-300 || Math.abs(term) == previous) {
                break;
            }
            previous = Math.abs(term);
            sign = -sign;
        }
        return Math.max(0.0, Math.min(1.0, sum));
    }

    private static void checkSample(double[] s, String label) {
        if (s == null || s.length == 0) {
            throw new IllegalArgumentException("sample " + label + " must not be empty");
        }
        for (double v : s) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException("sample " + label + " contains NaN");
            }
        }
    }

    // ---------------------------------------------------------------- detector

    private final int referenceSize;
    private final int windowSize;
    private final double alpha;

    private final double[] reference; // filled in arrival order, then sorted in place once full
    private int referenceCount;
    private final SlidingWindow window;
    private final double[] sorted; // scratch
    private final double[] scratchRow;
    private double lastStatistic;
    private double lastPValue = 1.0;
    private boolean drift;

    /**
     * @param referenceSize values in the reference window (>= 1)
     * @param windowSize values in the sliding test window (>= 1)
     * @param alpha significance level in (0, 1)
     */
    public KsTest(int referenceSize, int windowSize, double alpha) {
        if (referenceSize < 1) {
            throw new IllegalArgumentException("reference-size must be >= 1, got " + referenceSize);
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException("window-size must be >= 1, got " + windowSize);
        }
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        this.referenceSize = referenceSize;
        this.windowSize = windowSize;
        this.alpha = alpha;
        this.reference = new double[referenceSize];
        this.window = new SlidingWindow(windowSize);
        this.sorted = new double[windowSize];
        this.scratchRow = new double[windowSize + 1];
    }

    /** With the defaults: reference 100, window 100, alpha 0.001. */
    public KsTest() {
        this(DEFAULT_REFERENCE_SIZE, DEFAULT_WINDOW_SIZE, DEFAULT_ALPHA);
    }

    public int referenceSize() {
        return referenceSize;
    }

    public int windowSize() {
        return windowSize;
    }

    public double alpha() {
        return alpha;
    }

    /** The statistic of the last test (0 before the first one). */
    public double statistic() {
        return lastStatistic;
    }

    /** The p-value of the last test (1 before the first one). */
    public double pValue() {
        return lastPValue;
    }

    @Override
    public boolean update(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("ks-window cannot take NaN");
        }
        if (drift) {
            reset();
        }
        if (referenceCount < referenceSize) {
            reference[referenceCount++] = x;
            if (referenceCount == referenceSize) {
                Arrays.sort(reference);
            }
            return false;
        }
        window.add(x);
        if (!window.isFull()) {
            return false;
        }
        for (int i = 0; i < windowSize; i++) {
            sorted[i] = window.get(i);
        }
        Arrays.sort(sorted);
        lastStatistic = statisticSorted(reference, referenceSize, sorted, windowSize);
        lastPValue = (long) referenceSize * windowSize <= EXACT_LIMIT
                ? (lastStatistic <= 0.0 ? 1.0 : exactPValue(lastStatistic, referenceSize, windowSize, scratchRow))
                : pValue(lastStatistic, referenceSize, windowSize);
        drift = lastPValue <= alpha;
        return drift;
    }

    private void reset() {
        referenceCount = 0;
        window.clear();
        drift = false;
        lastStatistic = 0.0;
        lastPValue = 1.0;
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

    @Override
    public DetectorState snapshot() {
        double[] ordered = window.toArray();
        Map<String, double[]> slots = new LinkedHashMap<>();
        slots.put("reference", Arrays.copyOf(reference, referenceCount));
        slots.put("window", ordered);
        slots.put("last", new double[] {lastStatistic, lastPValue, drift ? 1.0 : 0.0});
        return new DetectorState(NAME, slots);
    }

    @Override
    public void restore(DetectorState state) {
        checkState(state, NAME);
        double[] ref = state.slot("reference");
        double[] win = state.slot("window");
        double[] last = state.slot("last");
        if (ref.length > referenceSize || win.length > windowSize || last.length != 3) {
            throw new IllegalArgumentException("ks-window state does not fit reference-size " + referenceSize
                    + " / window-size " + windowSize);
        }
        System.arraycopy(ref, 0, reference, 0, ref.length);
        referenceCount = ref.length;
        window.load(win);
        lastStatistic = last[0];
        lastPValue = last[1];
        drift = last[2] != 0.0;
    }

    static void checkState(DetectorState state, String name) {
        if (state == null || !name.equals(state.detector())) {
            throw new IllegalArgumentException(
                    "cannot restore " + name + " from state of " + (state == null ? null : state.detector()));
        }
    }
}
