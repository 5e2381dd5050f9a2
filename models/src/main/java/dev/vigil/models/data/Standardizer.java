package dev.vigil.models.data;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.util.Arrays;

/**
 * Per-feature online mean and variance, for z-score standardization {@code (x - mean) / std}.
 *
 * <p>Rows are folded in one at a time with Welford's update (B. P. Welford, "Note on a method for calculating
 * corrected sums of squares and products", Technometrics 4(3), 1962), and two partial accumulators combine with the
 * pairwise formula of Chan, Golub and LeVeque ("Updating formulae and a pairwise algorithm for computing sample
 * variances", Stanford CS Tech. Report STAN-CS-79-773, 1979). Both are numerically stable where the textbook
 * {@code E[x^2] - E[x]^2} loses all precision for features with a large mean and a small spread (e.g. temperature in
 * Kelvin).
 *
 * <p>{@link #variance()} and {@link #std()} are population statistics (divide by {@code n}), as in scikit-learn's
 * {@code StandardScaler}. A feature whose standard deviation is below {@link #MIN_STD} (constant on the data seen,
 * or never seen) gets a standard deviation of exactly {@code 1}, so standardizing never divides by zero or blows up a
 * value by {@code 1e12}: such a feature is only centred.
 *
 * <p>The state is three plain values ({@link State}: count, means, and sums of squared deviations {@code M2}), so a
 * streaming job can checkpoint it and a batch job can merge shards. Not thread-safe.
 *
 * <pre>{@code
 * Standardizer s = new Standardizer(numFeatures);
 * for (double[] row : rows) s.update(row);
 * double[] z = s.transform(row);          // (row - mean) / std
 * Standardizer.State saved = s.state();   // checkpoint
 * Standardizer back = Standardizer.fromState(saved);
 * }</pre>
 */
public final class Standardizer {

    /** Standard deviations below this are replaced by {@code 1} in {@link #std()} and {@link #transform}. */
    public static final double MIN_STD = 1e-8;

    private final int dimension;
    private long count;
    private final double[] mean;
    private final double[] m2;

    /** Creates an empty standardizer for rows of {@code dimension} features. */
    public Standardizer(int dimension) {
        this.dimension = checkPositive(dimension, "dimension");
        this.mean = new double[dimension];
        this.m2 = new double[dimension];
    }

    /** Restores a standardizer from a {@link State} (for example a checkpoint). */
    public static Standardizer fromState(State state) {
        checkNotNull(state, "state");
        Standardizer s = new Standardizer(state.mean.length);
        s.count = state.count;
        System.arraycopy(state.mean, 0, s.mean, 0, s.dimension);
        System.arraycopy(state.m2, 0, s.m2, 0, s.dimension);
        return s;
    }

    /** A standardizer fitted on all rows of {@code rows}. */
    public static Standardizer fit(double[][] rows) {
        checkNotNull(rows, "rows");
        checkArgument(rows.length > 0, "rows must not be empty");
        Standardizer s = new Standardizer(checkNotNull(rows[0], "rows[0]").length);
        s.updateAll(rows);
        return s;
    }

    /** Folds one row into the statistics (Welford's update). Rejects rows of the wrong length or with NaN/infinity. */
    public void update(double[] x) {
        checkRow(x);
        long n = count + 1;
        double invN = 1.0 / n;
        for (int i = 0; i < dimension; i++) {
            double delta = x[i] - mean[i];
            mean[i] += delta * invN;
            m2[i] += delta * (x[i] - mean[i]);
        }
        count = n;
    }

    /** Folds every row of {@code rows} into the statistics. */
    public void updateAll(double[][] rows) {
        checkNotNull(rows, "rows");
        for (double[] row : rows) {
            update(row);
        }
    }

    /**
     * Merges the statistics of {@code other} into this one (Chan et al.'s pairwise update); afterwards this holds
     * the statistics of the union of both row sets. {@code other} is not changed.
     */
    public void merge(Standardizer other) {
        checkNotNull(other, "other");
        checkArgument(
                other.dimension == dimension,
                "cannot merge dimension %s into dimension %s",
                other.dimension,
                dimension);
        if (other.count == 0) {
            return;
        }
        if (count == 0) {
            count = other.count;
            System.arraycopy(other.mean, 0, mean, 0, dimension);
            System.arraycopy(other.m2, 0, m2, 0, dimension);
            return;
        }
        double na = count;
        double nb = other.count;
        double n = na + nb;
        for (int i = 0; i < dimension; i++) {
            double delta = other.mean[i] - mean[i];
            mean[i] += delta * (nb / n);
            m2[i] += other.m2[i] + delta * delta * (na * nb / n);
        }
        count += other.count;
    }

    /** Number of features per row. */
    public int dimension() {
        return dimension;
    }

    /** Number of rows folded in so far. */
    public long count() {
        return count;
    }

    /** Per-feature means (a copy); zeros before the first row. */
    public double[] mean() {
        return mean.clone();
    }

    /** Per-feature population variances {@code M2 / n} (a copy); zeros before the first row. */
    public double[] variance() {
        double[] var = new double[dimension];
        if (count > 0) {
            for (int i = 0; i < dimension; i++) {
                var[i] = m2[i] / count;
            }
        }
        return var;
    }

    /**
     * Per-feature population standard deviations (a copy), with every value below {@link #MIN_STD} replaced by
     * {@code 1}. These are the divisors {@link #transform} uses and the ONNX export bakes into the graph.
     */
    public double[] std() {
        double[] std = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            std[i] = stdAt(i);
        }
        return std;
    }

    /** Writes {@code (x - mean) / std} into {@code out} (which may be {@code x} itself); allocation-free. */
    public void transform(double[] x, double[] out) {
        checkArgument(x != null && x.length == dimension, "x must have length %s", dimension);
        checkArgument(out != null && out.length == dimension, "out must have length %s", dimension);
        for (int i = 0; i < dimension; i++) {
            out[i] = (x[i] - mean[i]) / stdAt(i);
        }
    }

    /** Returns {@code (x - mean) / std} as a new array. */
    public double[] transform(double[] x) {
        double[] out = new double[dimension];
        transform(x, out);
        return out;
    }

    /** A snapshot of the statistics, independent of later updates. */
    public State state() {
        return new State(count, mean, m2);
    }

    /** A copy of this standardizer. */
    public Standardizer copy() {
        return fromState(state());
    }

    private double stdAt(int i) {
        if (count == 0) {
            return 1.0;
        }
        double std = Math.sqrt(m2[i] / count);
        return std < MIN_STD ? 1.0 : std;
    }

    private void checkRow(double[] x) {
        if (x == null || x.length != dimension) {
            throw new IllegalArgumentException(
                    "row must have length " + dimension + ", got " + (x == null ? "null" : x.length));
        }
        for (int i = 0; i < dimension; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("row[" + i + "] is not finite: " + x[i]);
            }
        }
    }

    /**
     * The complete state of a {@link Standardizer}: row count, per-feature means and per-feature sums of squared
     * deviations from the mean ({@code M2}). Arrays are copied in and out, so a state is immutable.
     */
    public record State(long count, double[] mean, double[] m2) {

        public State {
            checkArgument(count >= 0, "count must be >= 0, got %s", count);
            checkNotNull(mean, "mean");
            checkNotNull(m2, "m2");
            checkArgument(mean.length > 0, "mean must not be empty");
            checkArgument(
                    mean.length == m2.length, "mean and m2 lengths differ: %s vs %s", mean.length, m2.length);
            for (int i = 0; i < m2.length; i++) {
                checkArgument(Double.isFinite(mean[i]), "mean[%s] is not finite", i);
                checkArgument(m2[i] >= 0 && Double.isFinite(m2[i]), "m2[%s] must be finite and >= 0", i);
            }
            mean = mean.clone();
            m2 = m2.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] m2() {
            return m2.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s
                    && count == s.count
                    && Arrays.equals(mean, s.mean)
                    && Arrays.equals(m2, s.m2);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Long.hashCode(count) + Arrays.hashCode(mean)) + Arrays.hashCode(m2);
        }

        @Override
        public String toString() {
            return "State[count=" + count + ", mean=" + Arrays.toString(mean) + ", m2=" + Arrays.toString(m2) + "]";
        }
    }
}
