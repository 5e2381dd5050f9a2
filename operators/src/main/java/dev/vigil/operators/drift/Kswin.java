package dev.vigil.operators.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * KSWIN, the Kolmogorov–Smirnov windowing drift detector of Raab, Heusinger & Schleif (2020), "Reactive Soft
 * Prototype Computing for Concept Drift Streams", Neurocomputing 416, ported from River's {@code drift.KSWIN}.
 *
 * <p>The detector keeps the last {@code window-size} values. Once the window is full, every update compares the most
 * recent {@code stat-size} values with {@code stat-size} values drawn without replacement (seeded) from the older
 * {@code window-size - stat-size} ones, by a two-sample KS test ({@link KsTest}; exact p-value for these sizes). A
 * drift is signalled when {@code p <= alpha} and {@code D > 0.1} (River's semantics); the window is then cut down to
 * the {@code stat-size} most recent values, which become the start of the new concept. No warning zone.
 *
 * <p>The random sampler is a SplitMix64 generator whose state is part of {@link #snapshot()}, so a restored detector
 * continues bit-for-bit. Indices therefore differ from River's (Python's Mersenne Twister draws other samples), not the
 * behaviour.
 */
public final class Kswin implements DriftDetector {

    public static final String NAME = "kswin";
    public static final double DEFAULT_ALPHA = 0.005;
    public static final int DEFAULT_WINDOW_SIZE = 100;
    public static final int DEFAULT_STAT_SIZE = 30;
    public static final long DEFAULT_SEED = 42L;

    /** River's second condition: the statistic must exceed this too. */
    static final double MIN_STATISTIC = 0.1;

    private final double alpha;
    private final int windowSize;
    private final int statSize;
    private final long seed;

    private final double[] window; // ring buffer
    private int count;
    private int head; // index of the oldest value
    private long rngState;
    private boolean drift;
    private double lastStatistic;
    private double lastPValue = 1.0;

    // scratch, reused on every update
    private final int[] indices;
    private final double[] sample;
    private final double[] recent;
    private final double[] row;

    /**
     * @param alpha significance level of the KS test, in (0, 1)
     * @param windowSize values kept, >= 2 * statSize
     * @param statSize values in each of the two tested samples, >= 1
     * @param seed seed of the sampler
     */
    public Kswin(double alpha, int windowSize, int statSize, long seed) {
        if (!(alpha > 0.0 && alpha < 1.0)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        if (statSize < 1) {
            throw new IllegalArgumentException("stat-size must be >= 1, got " + statSize);
        }
        if (windowSize < 2 * statSize) {
            throw new IllegalArgumentException("window-size must be >= 2 * stat-size (" + 2 * statSize + "), got "
                    + windowSize);
        }
        this.alpha = alpha;
        this.windowSize = windowSize;
        this.statSize = statSize;
        this.seed = seed;
        this.window = new double[windowSize];
        this.indices = new int[windowSize - statSize];
        this.sample = new double[statSize];
        this.recent = new double[statSize];
        this.row = new double[statSize + 1];
        this.rngState = seed;
    }

    /** With the published defaults: alpha 0.005, window 100, stat size 30, seed 42. */
    public Kswin() {
        this(DEFAULT_ALPHA, DEFAULT_WINDOW_SIZE, DEFAULT_STAT_SIZE, DEFAULT_SEED);
    }

    public double alpha() {
        return alpha;
    }

    public int windowSize() {
        return windowSize;
    }

    public int statSize() {
        return statSize;
    }

    public long seed() {
        return seed;
    }

    /** The KS statistic of the last test (0 before the window first fills). */
    public double statistic() {
        return lastStatistic;
    }

    /** The p-value of the last test (1 before the window first fills). */
    public double pValue() {
        return lastPValue;
    }

    @Override
    public boolean update(double x) {
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("kswin cannot take NaN");
        }
        if (drift) {
            // keep the stat-size most recent values as the start of the new concept
            int keep = Math.min(statSize, count);
            for (int i = 0; i < keep; i++) {
                recent[i] = at(count - keep + i);
            }
            System.arraycopy(recent, 0, window, 0, keep);
            head = 0;
            count = keep;
            drift = false;
        }
        if (count < windowSize) {
            window[(head + count) % windowSize] = x;
            count++;
        } else {
            window[head] = x;
            head = (head + 1) % windowSize;
        }
        if (count < windowSize) {
            return false;
        }
        // stat-size distinct indices among the oldest window-size - stat-size values: partial Fisher-Yates
        int older = windowSize - statSize;
        for (int i = 0; i < older; i++) {
            indices[i] = i;
        }
        for (int i = 0; i < statSize; i++) {
            int r = i + nextInt(older - i);
            int t = indices[i];
            indices[i] = indices[r];
            indices[r] = t;
            sample[i] = at(indices[i]);
        }
        for (int i = 0; i < statSize; i++) {
            recent[i] = at(older + i);
        }
        Arrays.sort(sample);
        Arrays.sort(recent);
        lastStatistic = KsTest.statisticSorted(sample, statSize, recent, statSize);
        lastPValue = lastStatistic <= 0.0 ? 1.0 : KsTest.exactPValue(lastStatistic, statSize, statSize, row);
        drift = lastPValue <= alpha && lastStatistic > MIN_STATISTIC;
        return drift;
    }

    /** The i-th oldest value in the window. */
    private double at(int i) {
        return window[(head + i) % windowSize];
    }

    /** SplitMix64 (Steele, Lea & Flood 2014). */
    private long nextLong() {
        long z = (rngState += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound). */
    private int nextInt(int bound) {
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
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
        double[] ordered = new double[count];
        for (int i = 0; i < count; i++) {
            ordered[i] = at(i);
        }
        Map<String, double[]> slots = new LinkedHashMap<>();
        slots.put("window", ordered);
        // the 64-bit generator state as two exact 32-bit halves
        slots.put("rng", new double[] {(double) (rngState >>> 32), (double) (rngState & 0xFFFFFFFFL)});
        slots.put("last", new double[] {lastStatistic, lastPValue, drift ? 1.0 : 0.0});
        return new DetectorState(NAME, slots);
    }

    @Override
    public void restore(DetectorState state) {
        KsTest.checkState(state, NAME);
        double[] win = state.slot("window");
        double[] rng = state.slot("rng");
        double[] last = state.slot("last");
        if (win.length > windowSize || rng.length != 2 || last.length != 3) {
            throw new IllegalArgumentException("kswin state does not fit window-size " + windowSize);
        }
        System.arraycopy(win, 0, window, 0, win.length);
        count = win.length;
        head = 0;
        rngState = ((long) rng[0] << 32) | ((long) rng[1] & 0xFFFFFFFFL);
        lastStatistic = last[0];
        lastPValue = last[1];
        drift = last[2] != 0.0;
    }
}
