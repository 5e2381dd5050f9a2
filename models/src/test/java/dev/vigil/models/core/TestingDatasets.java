package dev.vigil.models.core;

import java.util.SplittableRandom;

/** Seeded synthetic classification problems on roughly standardized inputs. */
public final class TestingDatasets {

    /** Rows and class indices. */
    public record Dataset(double[][] x, int[] y) {

        public int size() {
            return y.length;
        }

        /** Rows {@code [from, to)} as a new dataset (the rows themselves are shared). */
        public Dataset slice(int from, int to) {
            double[][] xs = new double[to - from][];
            int[] ys = new int[to - from];
            System.arraycopy(x, from, xs, 0, to - from);
            System.arraycopy(y, from, ys, 0, to - from);
            return new Dataset(xs, ys);
        }
    }

    private TestingDatasets() {}

    /** Gaussian rows of {@code features} features, N(0, 1.5^2), with uniformly random labels in {@code [0, K)}. */
    public static Dataset random(int rows, int features, int numClasses, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[rows][features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < features; j++) {
                x[i][j] = 1.5 * random.nextGaussian();
            }
            y[i] = random.nextInt(numClasses);
        }
        return new Dataset(x, y);
    }

    /**
     * {@code K} isotropic Gaussian blobs (std {@code spread}) in 2-D, centred on a circle of radius 2; class {@code
     * k} is blob {@code k}. {@code fractions[k]} of the rows (all equal if null) belong to class {@code k}.
     */
    public static Dataset blobs(int rows, int numClasses, double spread, double[] fractions, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[rows][2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            int k = fractions == null ? random.nextInt(numClasses) : pick(fractions, random.nextDouble());
            double angle = 2 * Math.PI * k / numClasses;
            x[i][0] = 2 * Math.cos(angle) + spread * random.nextGaussian();
            x[i][1] = 2 * Math.sin(angle) + spread * random.nextGaussian();
            y[i] = k;
        }
        return new Dataset(x, y);
    }

    /** XOR: uniform in {@code [-1, 1]^2} away from the axes ({@code |x_j| > 0.1}); label 1 where the signs differ. */
    public static Dataset xor(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[rows][2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < 2; j++) {
                double u = 0.1 + 0.9 * random.nextDouble();
                x[i][j] = random.nextBoolean() ? u : -u;
            }
            y[i] = (x[i][0] > 0) != (x[i][1] > 0) ? 1 : 0;
        }
        return new Dataset(x, y);
    }

    /**
     * scikit-learn's {@code make_moons}: two interleaving half circles with Gaussian noise of std {@code noise},
     * centred on the origin.
     */
    public static Dataset twoMoons(int rows, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[rows][2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            double t = Math.PI * random.nextDouble();
            int label = random.nextInt(2);
            double a = label == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double b = label == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            x[i][0] = 2 * (a - 0.5 + noise * random.nextGaussian());
            x[i][1] = 2 * (b - 0.25 + noise * random.nextGaussian());
            y[i] = label;
        }
        return new Dataset(x, y);
    }

    private static int pick(double[] fractions, double u) {
        double cumulative = 0;
        for (int k = 0; k < fractions.length - 1; k++) {
            cumulative += fractions[k];
            if (u < cumulative) {
                return k;
            }
        }
        return fractions.length - 1;
    }
}
