package dev.vigil.operators.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Population Stability Index (Karakoulas 2004, "Empirical Validation of Retail Credit-Scoring Models"; Siddiqi 2006,
 * "Credit Risk Scorecards"; Yurdakul 2018, "Statistical Properties of Population Stability Index"), as a utility and
 * as a detector ({@code psi}).
 *
 * <p>{@code PSI = sum_i (a_i - r_i) ln(a_i / r_i)} over bins whose edges are the reference's {@code k/bins} quantiles
 * (linear interpolation, numpy's default; equal edges are merged, so discrete features get fewer bins). A bin holds
 * {@code (e_{i-1}, e_i]}; the outer bins are open. Proportions are floored at {@code epsilon} so empty bins stay
 * finite. Rule of thumb (Siddiqi): below 0.1 stable, 0.1–0.2 moderate shift, above 0.2 significant shift.
 *
 * <p><b>Detector.</b> The first {@code reference-size} values form the reference and fix the bins; afterwards each
 * update computes the PSI of the last {@code window-size} values (bin counts kept incrementally) and signals a warning
 * at {@code psi >= warning-threshold} and a drift at {@code psi >= threshold}. After a drift the next {@code
 * reference-size} values form a new reference. Under no drift the PSI is roughly {@code (B-1)(1/n_ref + 1/n_win)}
 * (Yurdakul 2018), about 0.036 for the defaults (10 bins, 500 + 500), well below the warning threshold; small windows
 * make PSI noisy, so keep them in the hundreds.
 */
public final class Psi implements DriftDetector {

    public static final String NAME = "psi";
    public static final int DEFAULT_REFERENCE_SIZE = 500;
    public static final int DEFAULT_WINDOW_SIZE = 500;
    public static final int DEFAULT_BINS = 10;
    public static final double DEFAULT_THRESHOLD = 0.2;
    public static final double DEFAULT_WARNING_THRESHOLD = 0.1;
    public static final double DEFAULT_EPSILON = 1e-4;

    // ---------------------------------------------------------------- utility

    /** PSI of {@code actual} against {@code reference} with {@code bins} reference-quantile bins. */
    public static double psi(double[] reference, double[] actual, int bins, double epsilon) {
        checkBins(bins);
        checkEpsilon(epsilon);
        if (reference.length == 0 || actual.length == 0) {
            throw new IllegalArgumentException("samples must not be empty");
        }
        double[] sorted = reference.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1]) || hasNaN(actual)) {
            throw new IllegalArgumentException("samples must not contain NaN");
        }
        double[] edges = edges(sorted, sorted.length, bins);
        double[] ref = new double[edges.length + 1];
        double[] act = new double[edges.length + 1];
        for (double v : reference) {
            ref[bin(edges, v)]++;
        }
        for (double v : actual) {
            act[bin(edges, v)]++;
        }
        return psi(ref, reference.length, act, actual.length, epsilon);
    }

    /** The reference-quantile edges of the first {@code n} values of {@code sorted}, duplicates merged. */
    static double[] edges(double[] sorted, int n, int bins) {
        double[] edges = new double[bins - 1];
        int k = 0;
        for (int q = 1; q < bins; q++) {
            double pos = (double) q * (n - 1) / bins;
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, n - 1);
            double e = sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
            if (k == 0 || e > edges[k - 1]) {
                edges[k++] = e;
            }
        }
        return Arrays.copyOf(edges, k);
    }

    /** The bin of {@code x}: the number of edges strictly below it. */
    static int bin(double[] edges, double x) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double psi(double[] refCounts, double refTotal, double[] actCounts, double actTotal, double epsilon) {
        double sum = 0.0;
        for (int i = 0; i < refCounts.length; i++) {
            double r = Math.max(refCounts[i] / refTotal, epsilon);
            double a = Math.max(actCounts[i] / actTotal, epsilon);
            sum += (a - r) * Math.log(a / r);
        }
        return sum;
    }

    private static boolean hasNaN(double[] values) {
        for (double v : values) {
            if (Double.isNaN(v)) {
                return true;
            }
        }
        return false;
    }

    private static void checkBins(int bins) {
        if (bins < 2) {
            throw new IllegalArgumentException("bins must be >= 2, got " + bins);
        }
    }

    private static void checkEpsilon(double epsilon) {
        if (!(epsilon > 0.0 && epsilon < 1.0)) {
            throw new IllegalArgumentException("epsilon must be in (0, 1), got " + epsilon);
        }
    }

    // ---------------------------------------------------------------- detector

    private final int referenceSize;
    private final int windowSize;
    private final int bins;
    private final double threshold;
    private final double warningThreshold;
    private final double epsilon;

    private final double[] reference; // arrival order, sorted once full
    private int referenceCount;
    private double[] edges = new double[0];
    private final double[] refCounts;
    private final SlidingWindow window;
    private final double[] winCounts;
    private double lastPsi;
    private boolean drift;
    private boolean warning;

    /**
     * @param referenceSize values in the reference (>= bins)
     * @param windowSize values in the sliding window (>= 1)
     * @param bins quantile bins (>= 2)
     * @param threshold drift when PSI reaches it (> 0)
     * @param warningThreshold warning when PSI reaches it (0 < warning-threshold <= threshold)
     * @param epsilon floor of each bin's proportion, in (0, 1)
     */
    public Psi(int referenceSize, int windowSize, int bins, double threshold, double warningThreshold,
            double epsilon) {
        checkBins(bins);
        checkEpsilon(epsilon);
        if (referenceSize < bins) {
            throw new IllegalArgumentException(
                    "reference-size must be >= bins (" + bins + "), got " + referenceSize);
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException("window-size must be >= 1, got " + windowSize);
        }
        if (!(threshold > 0.0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("threshold must be > 0, got " + threshold);
        }
        if (!(warningThreshold > 0.0 && warningThreshold <= threshold)) {
            throw new IllegalArgumentException(
                    "warning-threshold must be in (0, threshold=" + threshold + "], got " + warningThreshold);
        }
        this.referenceSize = referenceSize;
        this.windowSize = windowSize;
        this.bins = bins;
        this.threshold = threshold;
        this.warningThreshold = warningThreshold;
        this.epsilon = epsilon;
        this.reference = new double[referenceSize];
        this.refCounts = new double[bins];
        this.window = new SlidingWindow(windowSize);
        this.winCounts = new double[bins];
    }

    /** With the defaults: reference 500, window 500, 10 bins, threshold 0.2, warning 0.1, epsilon 1e-4. */
    public Psi() {
        this(DEFAULT_REFERENCE_SIZE, DEFAULT_WINDOW_SIZE, DEFAULT_BINS, DEFAULT_THRESHOLD, DEFAULT_WARNING_THRESHOLD,
                DEFAULT_EPSILON);
    }

    /** The PSI of the last full window (0 before). */
    public double psi() {
        return lastPsi;
    }

    @Override
    public boolean update(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("psi cannot take NaN");
        }
        if (drift) {
            reset();
        }
        warning = false;
        if (referenceCount < referenceSize) {
            reference[referenceCount++] = x;
            if (referenceCount == referenceSize) {
                fixReference();
            }
            return false;
        }
        boolean wasFull = window.isFull();
        double evicted = window.add(x);
        if (wasFull) {
            winCounts[bin(edges, evicted)]--;
        }
        winCounts[bin(edges, x)]++;
        if (!window.isFull()) {
            return false;
        }
        lastPsi = psi(refCounts, referenceSize, winCounts, windowSize, epsilon);
        drift = lastPsi >= threshold;
        warning = !drift && lastPsi >= warningThreshold;
        return drift;
    }

    private void fixReference() {
        Arrays.sort(reference);
        edges = edges(reference, referenceSize, bins);
        Arrays.fill(refCounts, 0.0);
        for (double v : reference) {
            refCounts[bin(edges, v)]++;
        }
    }

    private void reset() {
        referenceCount = 0;
        window.clear();
        edges = new double[0];
        Arrays.fill(refCounts, 0.0);
        Arrays.fill(winCounts, 0.0);
        drift = false;
        warning = false;
        lastPsi = 0.0;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public boolean warningDetected() {
        return warning;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public DetectorState snapshot() {
        Map<String, double[]> slots = new LinkedHashMap<>();
        slots.put("reference", Arrays.copyOf(reference, referenceCount));
        slots.put("window", window.toArray());
        slots.put("last", new double[] {lastPsi, drift ? 1.0 : 0.0, warning ? 1.0 : 0.0});
        return new DetectorState(NAME, slots);
    }

    @Override
    public void restore(DetectorState state) {
        KsTest.checkState(state, NAME);
        double[] ref = state.slot("reference");
        double[] win = state.slot("window");
        double[] last = state.slot("last");
        if (ref.length > referenceSize || win.length > windowSize || last.length != 3
                || (win.length > 0 && ref.length < referenceSize)) {
            throw new IllegalArgumentException("psi state does not fit reference-size " + referenceSize
                    + " / window-size " + windowSize);
        }
        reset();
        System.arraycopy(ref, 0, reference, 0, ref.length);
        referenceCount = ref.length;
        if (referenceCount == referenceSize) {
            fixReference();
        }
        window.load(win);
        for (double v : win) {
            winCounts[bin(edges, v)]++;
        }
        lastPsi = last[0];
        drift = last[1] != 0.0;
        warning = last[2] != 0.0;
    }
}
