package dev.vigil.operators.explain;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.util.Preconditions;

/**
 * A uniform random sample of at most {@code capacity} feature vectors from a stream, the background distribution an
 * explanation integrates missing features over: J. S. Vitter, "Random Sampling with a Reservoir", ACM Transactions on
 * Mathematical Software 11(1), 1985, Algorithm R. After {@code n} offers every offered vector is in the sample with
 * probability {@code min(1, capacity / n)}.
 *
 * <p>Seeded and checkpointable: the random generator is SplitMix64 (G. L. Steele Jr., D. Lea and C. H. Flood, "Fast
 * splittable pseudorandom number generators", OOPSLA 2014) with its one-word state in the {@link #snapshot()}, so a
 * sample restored from a snapshot takes exactly the same decisions as the original would have: an operator can keep
 * it in Flink state as plain arrays. {@link #of(float[][])} builds a full sample from fixed rows (a training sample).
 *
 * <pre>{@code
 * BackgroundSample background = new BackgroundSample(64, IcuFeatures.SIZE, 42L);
 * background.offer(features);                       // every scored row, or a thinned stream of them
 * BackgroundSample.Snapshot state = background.snapshot();
 * BackgroundSample restored = BackgroundSample.restore(state);
 * }</pre>
 *
 * <p>Offered vectors are copied. Not thread-safe.
 */
public final class BackgroundSample {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final int capacity;
    private final int featureCount;
    private final float[][] rows;
    private int size;
    private long seen;
    private long randomState;
    /** Incremented on every change of the contents, so explainers can tell when cached values are stale. */
    private long version;

    /**
     * An empty sample.
     *
     * @param capacity the most vectors kept, {@code >= 1}
     * @param featureCount the width of every vector, {@code >= 1}
     * @param seed the seed of the sampling decisions
     */
    public BackgroundSample(int capacity, int featureCount, long seed) {
        Preconditions.checkArgument(capacity >= 1, "capacity must be at least 1, got %s", capacity);
        Preconditions.checkArgument(featureCount >= 1, "featureCount must be at least 1, got %s", featureCount);
        this.capacity = capacity;
        this.featureCount = featureCount;
        this.rows = new float[capacity][];
        this.randomState = seed;
    }

    /** A full sample holding copies of {@code rows} (capacity {@code rows.length}), as if they had been offered. */
    public static BackgroundSample of(float[][] rows) {
        Preconditions.checkNotNull(rows, "rows");
        Preconditions.checkArgument(rows.length >= 1, "a background needs at least one row");
        BackgroundSample sample = new BackgroundSample(rows.length, rows[0].length, 0L);
        for (float[] row : rows) {
            sample.offer(row);
        }
        return sample;
    }

    /** A sample in the state {@code snapshot} recorded. */
    public static BackgroundSample restore(Snapshot snapshot) {
        Preconditions.checkNotNull(snapshot, "snapshot");
        BackgroundSample sample =
                new BackgroundSample(snapshot.capacity(), snapshot.featureCount(), snapshot.randomState());
        int size = snapshot.values().length / snapshot.featureCount();
        for (int i = 0; i < size; i++) {
            sample.rows[i] = Arrays.copyOfRange(
                    snapshot.values(), i * snapshot.featureCount(), (i + 1) * snapshot.featureCount());
        }
        sample.size = size;
        sample.seen = snapshot.seen();
        return sample;
    }

    /**
     * Offers one vector (copied): kept while the sample is not full, afterwards kept with probability {@code capacity /
     * seen}, replacing a uniformly chosen one.
     */
    public void offer(float[] x) {
        Preconditions.checkNotNull(x, "x");
        Preconditions.checkArgument(
                x.length == featureCount, "x has %s features, the sample %s", x.length, featureCount);
        long t = seen++;
        if (t < capacity) {
            rows[size++] = x.clone();
            version++;
            return;
        }
        long j = nextBounded(t + 1);
        if (j < capacity) {
            System.arraycopy(x, 0, rows[(int) j], 0, featureCount);
            version++;
        }
    }

    /** The number of vectors held, {@code min(capacity, seen)}. */
    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public int featureCount() {
        return featureCount;
    }

    /** The number of vectors offered so far. */
    public long seen() {
        return seen;
    }

    /** A counter that changes whenever the contents change (not part of the snapshot). */
    public long version() {
        return version;
    }

    /** A copy of vector {@code i}, {@code 0 <= i < size()}. */
    public float[] row(int i) {
        Preconditions.checkElementIndex(i, size);
        return rows[i].clone();
    }

    /** Copies vector {@code i} into {@code target}, which must be at least {@link #featureCount()} long. */
    public void copyRow(int i, float[] target) {
        Preconditions.checkElementIndex(i, size);
        System.arraycopy(rows[i], 0, target, 0, featureCount);
    }

    /** The per-feature mean of the held vectors (in double), all zeros when empty. */
    public double[] mean() {
        double[] mean = new double[featureCount];
        for (int i = 0; i < size; i++) {
            float[] row = rows[i];
            for (int f = 0; f < featureCount; f++) {
                mean[f] += row[f];
            }
        }
        for (int f = 0; f < featureCount && size > 0; f++) {
            mean[f] /= size;
        }
        return mean;
    }

    /** The state as plain arrays and numbers, for Flink state. */
    public Snapshot snapshot() {
        float[] values = new float[size * featureCount];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows[i], 0, values, i * featureCount, featureCount);
        }
        return new Snapshot(capacity, featureCount, seen, randomState, values);
    }

    @Override
    public String toString() {
        return "BackgroundSample{size=" + size + ", capacity=" + capacity + ", seen=" + seen + '}';
    }

    /** Uniform in {@code [0, bound)}, by rejection (no modulo bias). */
    private long nextBounded(long bound) {
        long m = bound - 1;
        long r = nextLong() >>> 1;
        for (long u = r; u + m - (r = u % bound) < 0L; u = nextLong() >>> 1) {
            // Reject the top partial interval of [0, 2^63).
        }
        return r;
    }

    private long nextLong() {
        long z = (randomState += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The state of a {@link BackgroundSample}.
     *
     * @param capacity the most vectors kept
     * @param featureCount the width of a vector
     * @param seen the vectors offered so far
     * @param randomState the SplitMix64 state
     * @param values the held vectors, row-major: {@code min(capacity, seen) * featureCount} values
     */
    public record Snapshot(int capacity, int featureCount, long seen, long randomState, float[] values) {

        public Snapshot {
            Preconditions.checkArgument(capacity >= 1, "capacity must be at least 1, got %s", capacity);
            Preconditions.checkArgument(featureCount >= 1, "featureCount must be at least 1, got %s", featureCount);
            Preconditions.checkArgument(seen >= 0, "seen must not be negative, got %s", seen);
            Preconditions.checkNotNull(values, "values");
            long held = Math.min(capacity, seen);
            Preconditions.checkArgument(
                    values.length == held * featureCount,
                    "values must hold %s x %s floats, has %s",
                    held,
                    featureCount,
                    values.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Snapshot s
                    && capacity == s.capacity
                    && featureCount == s.featureCount
                    && seen == s.seen
                    && randomState == s.randomState
                    && Arrays.equals(values, s.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(capacity, featureCount, seen, randomState) * 31 + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Snapshot{capacity=" + capacity + ", featureCount=" + featureCount + ", seen=" + seen
                    + ", rows=" + values.length / featureCount + '}';
        }
    }
}
