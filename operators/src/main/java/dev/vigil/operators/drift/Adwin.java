package dev.vigil.operators.drift;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ADWIN, adaptive windowing over an exponential histogram.
 *
 * <p>A. Bifet and R. Gavaldà, "Learning from Time-Changing Data with Adaptive Windowing", Proceedings of the 2007
 * SIAM International Conference on Data Mining, pp. 443–448 (ADWIN2, with the exponential-histogram compression).
 *
 * <p>The window {@code W} is kept as rows of buckets, row {@code i} holding at most {@code M} buckets of
 * {@code 2^i} values (their sum and variance); one more triggers merging the two oldest into the next row. Every
 * {@code clock} values, once {@code |W|} exceeds the grace period, each split {@code W = W₀·W₁} at a bucket boundary
 * (oldest first) with both parts of at least {@code minWindowLength} values is tested:
 * {@code |μ̂₀ − μ̂₁| > ε_cut = sqrt(2/m · σ²_W · δ') + 2/(3m) · δ'} with {@code δ' = ln(2·ln|W| / δ)} and
 * {@code 1/m = 1/(n₀ − minWindowLength + 1) + 1/(n₁ − minWindowLength + 1)} (River's form of the paper's harmonic
 * mean); on a cut the oldest bucket is dropped and the test repeats. A cut is a drift; as every detector here, ADWIN
 * then resets on the next update (as River's {@code ADWIN} does). No warning zone.
 *
 * <p>{@code new Adwin()} uses the published defaults: {@code δ = 0.002}, {@code M = 5}, clock 32,
 * {@code minWindowLength = 5}, grace period 10 (River's {@code adwin_c.pyx}).
 */
public final class Adwin implements DriftDetector {

    public static final String NAME = "adwin";

    private final double delta;
    private final int clock;
    private final int m;
    private final int minWindowLength;
    private final int gracePeriod;

    // row i: counts[i] buckets of 2^i values; index 0 is the oldest bucket of the row. Row 0 is the newest row.
    private int rows;
    private int[] counts;
    private double[][] totals;
    private double[][] variances;
    private double width;
    private double total;
    private double variance;
    private long tick;
    private boolean drift;

    /** Published defaults: δ = 0.002, clock 32, M = 5, min window length 5, grace period 10. */
    public Adwin() {
        this(0.002);
    }

    /** δ with the other defaults. */
    public Adwin(double delta) {
        this(delta, 32, 5, 5, 10);
    }

    /**
     * @param delta confidence δ, in (0, 1)
     * @param clock test for a cut every this many values (≥ 1)
     * @param m M, the maximum number of buckets per row (≥ 2)
     * @param minWindowLength minimum length of each sub-window W₀, W₁ (≥ 1)
     * @param gracePeriod no test until the window holds more than this many values (≥ 0)
     */
    public Adwin(double delta, int clock, int m, int minWindowLength, int gracePeriod) {
        check(delta > 0 && delta < 1, "delta must be in (0, 1), got %s", delta);
        check(clock >= 1, "clock must be >= 1, got %s", clock);
        check(m >= 2, "M (max buckets per row) must be >= 2, got %s", m);
        check(minWindowLength >= 1, "minWindowLength must be >= 1, got %s", minWindowLength);
        check(gracePeriod >= 0, "gracePeriod must be >= 0, got %s", gracePeriod);
        this.delta = delta;
        this.clock = clock;
        this.m = m;
        this.minWindowLength = minWindowLength;
        this.gracePeriod = gracePeriod;
        reset();
    }

    private void reset() {
        rows = 1;
        counts = new int[8];
        totals = new double[8][m + 1];
        variances = new double[8][m + 1];
        width = 0;
        total = 0;
        variance = 0;
        tick = 0;
        drift = false;
    }

    @Override
    public boolean update(double x) {
        if (drift) {
            reset();
        }
        insert(x);
        drift = detectChange();
        return drift;
    }

    private void insert(double x) {
        append(0, x, 0.0);
        width += 1;
        if (width > 1) {
            double d = x - total / (width - 1);
            variance += (width - 1) * d * d / width;
        }
        total += x;
        compress();
    }

    private void append(int row, double sum, double var) {
        if (row == rows) {
            if (rows == counts.length) {
                int cap = rows * 2;
                counts = Arrays.copyOf(counts, cap);
                totals = Arrays.copyOf(totals, cap);
                variances = Arrays.copyOf(variances, cap);
                for (int i = rows; i < cap; i++) {
                    totals[i] = new double[m + 1];
                    variances[i] = new double[m + 1];
                }
            }
            counts[rows] = 0;
            rows++;
        }
        int k = counts[row]++;
        totals[row][k] = sum;
        variances[row][k] = var;
    }

    /** Removes the first {@code c} (oldest) buckets of a row. */
    private void shift(int row, int c) {
        double[] t = totals[row];
        double[] v = variances[row];
        int n = counts[row];
        System.arraycopy(t, c, t, 0, n - c);
        System.arraycopy(v, c, v, 0, n - c);
        for (int i = n - c; i < n; i++) {
            t[i] = 0;
            v[i] = 0;
        }
        counts[row] = n - c;
    }

    private void compress() {
        for (int row = 0; row < rows && counts[row] == m + 1; row++) {
            double size = Math.pow(2, row);
            double u1 = totals[row][0];
            double u2 = totals[row][1];
            double d = u1 / size - u2 / size;
            double v12 = variances[row][0] + variances[row][1] + size * size * d * d / (2 * size);
            append(row + 1, u1 + u2, v12);
            shift(row, 2);
        }
    }

    /** Drops the oldest bucket; returns its size. */
    private double deleteOldest() {
        int row = rows - 1;
        double n = Math.pow(2, row);
        double u = totals[row][0];
        double v = variances[row][0];
        width -= n;
        total -= u;
        if (width > 0) {
            double d = u / n - total / width;
            variance -= v + n * width * d * d / (n + width);
        } else {
            variance = 0;
        }
        shift(row, 1);
        if (counts[row] == 0 && rows > 1) {
            rows--;
        }
        return n;
    }

    private boolean detectChange() {
        boolean change = false;
        tick++;
        if (tick % clock != 0 || width <= gracePeriod) {
            return false;
        }
        boolean reduce = true;
        while (reduce) {
            reduce = false;
            double n0 = 0;
            double n1 = width;
            double u0 = 0;
            double u1 = total;
            search:
            for (int row = rows - 1; row >= 0; row--) {
                double size = Math.pow(2, row);
                for (int k = 0; k < counts[row]; k++) {
                    n0 += size;
                    n1 -= size;
                    u0 += totals[row][k];
                    u1 -= totals[row][k];
                    if (row == 0 && k == counts[row] - 1) {
                        break search; // W₁ would be empty
                    }
                    if (n0 >= minWindowLength && n1 >= minWindowLength && cut(n0, n1, u0 / n0 - u1 / n1)) {
                        change = true;
                        if (width > 0) {
                            deleteOldest();
                            reduce = width > 0;
                        }
                        break search;
                    }
                }
            }
        }
        return change;
    }

    private boolean cut(double n0, double n1, double deltaMean) {
        double deltaPrime = Math.log(2 * Math.log(width) / delta);
        double mRecip = 1.0 / (n0 - minWindowLength + 1) + 1.0 / (n1 - minWindowLength + 1);
        double epsilon = Math.sqrt(2 * mRecip * (variance / width) * deltaPrime) + 2.0 / 3.0 * deltaPrime * mRecip;
        return Math.abs(deltaMean) > epsilon;
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

    public double delta() {
        return delta;
    }

    public int clock() {
        return clock;
    }

    public int m() {
        return m;
    }

    public int minWindowLength() {
        return minWindowLength;
    }

    public int gracePeriod() {
        return gracePeriod;
    }

    /** Current window length |W|. */
    public double width() {
        return width;
    }

    /** Mean of the current window (0 when empty). */
    public double estimation() {
        return width == 0 ? 0.0 : total / width;
    }

    @Override
    public DetectorState snapshot() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("window", new double[] {width, total, variance, tick, drift ? 1 : 0});
        double[] c = new double[rows];
        double[] t = new double[rows * (m + 1)];
        double[] v = new double[rows * (m + 1)];
        for (int i = 0; i < rows; i++) {
            c[i] = counts[i];
            System.arraycopy(totals[i], 0, t, i * (m + 1), m + 1);
            System.arraycopy(variances[i], 0, v, i * (m + 1), m + 1);
        }
        s.put("counts", c);
        s.put("totals", t);
        s.put("variances", v);
        return new DetectorState(NAME, s);
    }

    @Override
    public void restore(DetectorState state) {
        check(NAME.equals(state.detector()), "cannot restore %s state into " + NAME, state.detector());
        double[] w = state.slot("window");
        double[] c = state.slot("counts");
        double[] t = state.slot("totals");
        double[] v = state.slot("variances");
        check(w.length == 5 && c.length >= 1, "malformed %s state", NAME);
        check(t.length == c.length * (m + 1) && v.length == t.length,
                "%s state was taken with a different M", NAME);
        int r = c.length;
        int cap = Math.max(8, Integer.highestOneBit(r) * 2);
        counts = new int[cap];
        totals = new double[cap][m + 1];
        variances = new double[cap][m + 1];
        for (int i = 0; i < r; i++) {
            counts[i] = (int) c[i];
            check(counts[i] >= 0 && counts[i] <= m, "malformed %s state: bucket count", NAME);
            System.arraycopy(t, i * (m + 1), totals[i], 0, m + 1);
            System.arraycopy(v, i * (m + 1), variances[i], 0, m + 1);
        }
        rows = r;
        width = w[0];
        total = w[1];
        variance = w[2];
        tick = (long) w[3];
        drift = w[4] != 0;
    }

    private static void check(boolean cond, String msg, Object arg) {
        if (!cond) {
            throw new IllegalArgumentException(String.format(msg, arg));
        }
    }
}
