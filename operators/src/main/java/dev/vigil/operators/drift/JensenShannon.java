package dev.vigil.operators.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Jensen–Shannon distance between categorical distributions (Lin 1991, "Divergence Measures Based on the Shannon
 * Entropy", IEEE Trans. Inf. Theory 37(1); Endres & Schindelin 2003 for its square root being a metric), as a utility
 * and as a detector ({@code js}) for categorical features.
 *
 * <p>{@code JS(P, Q) = sqrt( (KL(P || M) + KL(Q || M)) / 2 )} with {@code M = (P + Q) / 2} and base-2 logarithms, so
 * it lies in {@code [0, 1]}: 0 for equal distributions, 1 for disjoint supports. Symmetric; empty categories need no
 * smoothing.
 *
 * <p><b>Detector.</b> Values are category codes, integers in {@code [0, categories)}. The first {@code
 * reference-size} values give the reference distribution; afterwards each update computes the distance of the last
 * {@code window-size} values to it and signals a warning at {@code >= warning-threshold} and a drift at {@code >=
 * threshold}. After a drift the next {@code reference-size} values form a new reference. Under no drift the distance
 * is about {@code sqrt((K-1)(1/n_ref + 1/n_win) / (8 ln 2))} for {@code K} equally likely categories — about 0.07 for
 * 8 categories and 0.10 for 16 with the default 500 + 500 — so the defaults (0.15 warning, 0.2 drift) suit up to
 * about 16 categories; for more, enlarge the windows or raise the thresholds. A shift of one binary feature from 50 %
 * to 70 % gives about 0.17.
 */
public final class JensenShannon implements DriftDetector {

    public static final String NAME = "js";
    public static final int DEFAULT_CATEGORIES = 16;
    public static final int DEFAULT_REFERENCE_SIZE = 500;
    public static final int DEFAULT_WINDOW_SIZE = 500;
    public static final double DEFAULT_THRESHOLD = 0.2;
    public static final double DEFAULT_WARNING_THRESHOLD = 0.15;

    // ---------------------------------------------------------------- utility

    /**
     * The base-2 Jensen–Shannon distance of two distributions given as non-negative weights (counts or
     * probabilities; each is normalised by its own sum) over the same categories.
     */
    public static double distance(double[] p, double[] q) {
        if (p.length != q.length || p.length == 0) {
            throw new IllegalArgumentException(
                    "distributions must have the same, non-zero length, got " + p.length + " and " + q.length);
        }
        return distance(p, total(p, "p"), q, total(q, "q"));
    }

    private static double total(double[] w, String label) {
        double sum = 0.0;
        for (double v : w) {
            if (!(v >= 0.0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(label + " must hold finite non-negative weights, got " + v);
            }
            sum += v;
        }
        if (sum <= 0.0) {
            throw new IllegalArgumentException(label + " must have a positive total");
        }
        return sum;
    }

    static double distance(double[] p, double pTotal, double[] q, double qTotal) {
        double divergence = 0.0; // (KL(P||M) + KL(Q||M)) / 2, in nats
        for (int i = 0; i < p.length; i++) {
            double a = p[i] / pTotal;
            double b = q[i] / qTotal;
            double m = 0.5 * (a + b);
            double ta = a > 0.0 ? a * Math.log(a / m) : 0.0;
            double tb = b > 0.0 ? b * Math.log(b / m) : 0.0;
            divergence += 0.5 * (ta + tb); // commutative, so JS(P, Q) == JS(Q, P) exactly
        }
        double bits = divergence / Math.log(2.0);
        return Math.sqrt(Math.min(1.0, Math.max(0.0, bits)));
    }

    // ---------------------------------------------------------------- detector

    private final int categories;
    private final int referenceSize;
    private final int windowSize;
    private final double threshold;
    private final double warningThreshold;

    private final double[] refCounts;
    private int referenceCount;
    private final SlidingWindow window; // category codes
    private final double[] winCounts;
    private double lastDistance;
    private boolean drift;
    private boolean warning;

    /**
     * @param categories number of categories K; values must be integers in [0, K) (>= 2)
     * @param referenceSize values in the reference (>= 1)
     * @param windowSize values in the sliding window (>= 1)
     * @param threshold drift when the distance reaches it, in (0, 1]
     * @param warningThreshold warning when the distance reaches it, in (0, threshold]
     */
    public JensenShannon(int categories, int referenceSize, int windowSize, double threshold,
            double warningThreshold) {
        if (categories < 2) {
            throw new IllegalArgumentException("categories must be >= 2, got " + categories);
        }
        if (referenceSize < 1) {
            throw new IllegalArgumentException("reference-size must be >= 1, got " + referenceSize);
        }
        if (windowSize < 1) {
            throw new IllegalArgumentException("window-size must be >= 1, got " + windowSize);
        }
        if (!(threshold > 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], got " + threshold);
        }
        if (!(warningThreshold > 0.0 && warningThreshold <= threshold)) {
            throw new IllegalArgumentException(
                    "warning-threshold must be in (0, threshold=" + threshold + "], got " + warningThreshold);
        }
        this.categories = categories;
        this.referenceSize = referenceSize;
        this.windowSize = windowSize;
        this.threshold = threshold;
        this.warningThreshold = warningThreshold;
        this.refCounts = new double[categories];
        this.window = new SlidingWindow(windowSize);
        this.winCounts = new double[categories];
    }

    /** With the defaults: 16 categories, reference 500, window 500, threshold 0.2, warning 0.15. */
    public JensenShannon() {
        this(DEFAULT_CATEGORIES, DEFAULT_REFERENCE_SIZE, DEFAULT_WINDOW_SIZE, DEFAULT_THRESHOLD,
                DEFAULT_WARNING_THRESHOLD);
    }

    /** The distance of the last full window (0 before). */
    public double distance() {
        return lastDistance;
    }

    @Override
    public boolean update(double x) {
        int c = category(x);
        if (drift) {
            reset();
        }
        warning = false;
        if (referenceCount < referenceSize) {
            refCounts[c]++;
            referenceCount++;
            return false;
        }
        boolean wasFull = window.isFull();
        double evicted = window.add(c);
        if (wasFull) {
            winCounts[(int) evicted]--;
        }
        winCounts[c]++;
        if (!window.isFull()) {
            return false;
        }
        lastDistance = distance(refCounts, referenceSize, winCounts, windowSize);
        drift = lastDistance >= threshold;
        warning = !drift && lastDistance >= warningThreshold;
        return drift;
    }

    private int category(double x) {
        if (!(x >= 0.0 && x < categories) || x != Math.rint(x)) {
            throw new IllegalArgumentException(
                    "js takes category codes, integers in [0, " + categories + "), got " + x);
        }
        return (int) x;
    }

    private void reset() {
        Arrays.fill(refCounts, 0.0);
        Arrays.fill(winCounts, 0.0);
        referenceCount = 0;
        window.clear();
        lastDistance = 0.0;
        drift = false;
        warning = false;
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
        double[] ordered = window.toArray();
        Map<String, double[]> slots = new LinkedHashMap<>();
        slots.put("reference", refCounts.clone());
        slots.put("window", ordered);
        slots.put("last", new double[] {lastDistance, drift ? 1.0 : 0.0, warning ? 1.0 : 0.0});
        return new DetectorState(NAME, slots);
    }

    @Override
    public void restore(DetectorState state) {
        KsTest.checkState(state, NAME);
        double[] ref = state.slot("reference");
        double[] win = state.slot("window");
        double[] last = state.slot("last");
        if (ref.length != categories || win.length > windowSize || last.length != 3) {
            throw new IllegalArgumentException("js state does not fit categories " + categories
                    + " / window-size " + windowSize);
        }
        reset();
        double n = 0.0;
        for (int i = 0; i < categories; i++) {
            refCounts[i] = ref[i];
            n += ref[i];
        }
        referenceCount = (int) n;
        double[] codes = new double[win.length];
        for (int i = 0; i < win.length; i++) {
            int c = category(win[i]);
            codes[i] = c;
            winCounts[c]++;
        }
        window.load(codes);
        lastDistance = last[0];
        drift = last[1] != 0.0;
        warning = last[2] != 0.0;
    }
}
