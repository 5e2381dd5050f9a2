package dev.vigil.operators.chat;

import dev.vigil.operators.drift.KsTest;
import java.util.SplittableRandom;

/**
 * A label-free drift test on sentence embeddings: windowed two-sample Kolmogorov–Smirnov tests on random
 * one-dimensional projections, after S. Rabanser, S. Günnemann and Z. C. Lipton, "Failing loudly: an empirical study
 * of methods for detecting dataset shift" (NeurIPS 2019), who found univariate KS tests on a low-dimensional
 * projection of the representation, Bonferroni-aggregated, among the most reliable shift detectors; random Gaussian
 * projections preserve distances (W. B. Johnson and J. Lindenstrauss, 1984).
 *
 * <p>Each embedding is projected on {@code projections} fixed unit directions drawn from {@code seed}. The first
 * {@code window} embeddings form the reference; every following block of {@code window} embeddings (tumbling) is
 * compared with it, one KS test per direction ({@link KsTest#test}). Drift is signalled when the smallest p-value is
 * at most {@code alpha / projections} (Bonferroni); the drifted block then becomes the new reference, so a lasting
 * shift is reported once. Pure Java; the Flink shell is {@link EmbeddingDriftFunction}.
 */
public final class EmbeddingDrift {

    /** Detector name written to DriftEvent.detector. */
    public static final String NAME = "ks-random-projections";

    /** Outcome of a completed window. */
    public record Test(long windowIndex, double maxStatistic, double minPValue, double threshold, boolean drift) {}

    private final int dimension;
    private final int projections;
    private final int window;
    private final double alpha;
    private final long seed;
    private final double[][] directions;

    /** Mutable state (a Flink POJO, checkpointed by the function). */
    public static final class State {
        public double[][] reference;
        public double[][] current;
        public int size;
        public boolean hasReference;
        public long windows;
        /** Event time of the first embedding of the current window (kept by the caller). */
        public long windowStartMillis;

        public State() {}
    }

    public EmbeddingDrift(int dimension, int projections, int window, double alpha, long seed) {
        checkArgument(dimension >= 1, "dimension must be >= 1, got %s", dimension);
        checkArgument(projections >= 1, "projections must be >= 1, got %s", projections);
        checkArgument(window >= 10, "window must be >= 10, got %s", window);
        checkArgument(alpha > 0 && alpha < 1, "alpha must be in (0, 1), got %s", alpha);
        this.dimension = dimension;
        this.projections = projections;
        this.window = window;
        this.alpha = alpha;
        this.seed = seed;
        this.directions = new double[projections][dimension];
        SplittableRandom rng = new SplittableRandom(seed);
        for (double[] d : directions) {
            double norm = 0;
            for (int i = 0; i < dimension; i++) {
                d[i] = gaussian(rng);
                norm += d[i] * d[i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < dimension; i++) {
                d[i] /= norm;
            }
        }
    }

    /** A fresh state for this detector. */
    public State newState() {
        State s = new State();
        s.reference = new double[projections][window];
        s.current = new double[projections][window];
        return s;
    }

    /** Adds one embedding; returns the window's test when it completes a window after the reference, else null. */
    public Test update(State s, float[] embedding) {
        checkArgument(embedding.length == dimension, "embedding has %s values, expected %s",
                embedding.length, dimension);
        for (int p = 0; p < projections; p++) {
            double[] d = directions[p];
            double v = 0;
            for (int i = 0; i < dimension; i++) {
                v += d[i] * embedding[i];
            }
            s.current[p][s.size] = v;
        }
        s.size++;
        if (s.size < window) {
            return null;
        }
        s.size = 0;
        if (!s.hasReference) {
            swap(s);
            s.hasReference = true;
            return null;
        }
        double maxD = 0;
        double minP = 1;
        for (int p = 0; p < projections; p++) {
            KsTest.Result r = KsTest.test(s.reference[p], s.current[p]);
            maxD = Math.max(maxD, r.statistic());
            minP = Math.min(minP, r.pValue());
        }
        double threshold = alpha / projections;
        boolean drift = minP <= threshold;
        if (drift) {
            swap(s);
        }
        return new Test(s.windows++, maxD, minP, threshold, drift);
    }

    private static void swap(State s) {
        double[][] t = s.reference;
        s.reference = s.current;
        s.current = t;
    }

    public int projections() {
        return projections;
    }

    public int window() {
        return window;
    }

    public double alpha() {
        return alpha;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return NAME + "{projections=" + projections + ", window=" + window + ", alpha=" + alpha + ", seed=" + seed
                + ", d=" + dimension + "}";
    }

    private static void checkArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
