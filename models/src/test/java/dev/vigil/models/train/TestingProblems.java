package dev.vigil.models.train;

import java.util.Random;

/** Seeded synthetic binary problems with features on very different scales (as vitals are). */
final class TestingProblems {

    final double[][] x;
    final int[] y;

    private TestingProblems(double[][] x, int[] y) {
        this.x = x;
        this.y = y;
    }

    /**
     * Rows with {@code features} Gaussian features of random mean and scale; the label is 1 where a hidden linear
     * score of the first {@code informative} standardized features plus logistic noise of scale {@code noise}
     * exceeds {@code threshold} ({@code noise = 0}: linearly separable).
     */
    static TestingProblems linear(
            int rows, int features, int informative, double noise, double threshold, long seed) {
        Random random = new Random(seed);
        double[] mean = new double[features];
        double[] scale = new double[features];
        double[] w = new double[features];
        for (int j = 0; j < features; j++) {
            mean[j] = -50 + 150 * random.nextDouble();
            scale[j] = Math.pow(10, -1 + 2.5 * random.nextDouble());
            w[j] = j < informative ? random.nextGaussian() : 0.0;
        }
        double[][] x = new double[rows][features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            double score = 0;
            for (int j = 0; j < features; j++) {
                double z = random.nextGaussian();
                x[i][j] = mean[j] + scale[j] * z;
                score += w[j] * z;
            }
            if (noise > 0) {
                double u = random.nextDouble();
                score += noise * Math.log(u / (1 - u));
            }
            y[i] = score > threshold ? 1 : 0;
        }
        return new TestingProblems(x, y);
    }

    double[][] x(int from, int to) {
        double[][] out = new double[to - from][];
        System.arraycopy(x, from, out, 0, to - from);
        return out;
    }

    int[] y(int from, int to) {
        int[] out = new int[to - from];
        System.arraycopy(y, from, out, 0, to - from);
        return out;
    }
}
