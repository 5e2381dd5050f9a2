package dev.vigil.models.optim;

import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.loss.ClassWeights;
import java.util.Random;

/**
 * A seeded binary problem on standardized Gaussian features: {@code y = 1} iff {@code w* . x + b* > 0} plus, when
 * {@code noise > 0}, logistic noise. Features beyond {@code trueWeights.length} are irrelevant (weight 0).
 */
public final class TestingLogisticProblem {

    public final double[][] x;
    public final int[] y;

    private TestingLogisticProblem(double[][] x, int[] y) {
        this.x = x;
        this.y = y;
    }

    public static TestingLogisticProblem create(
            int rows, int features, double[] trueWeights, double trueBias, double noise, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[rows][features];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            double score = trueBias;
            for (int j = 0; j < features; j++) {
                x[i][j] = random.nextGaussian();
                score += j < trueWeights.length ? trueWeights[j] * x[i][j] : 0.0;
            }
            if (noise > 0) {
                double u = random.nextDouble();
                score += noise * Math.log(u / (1 - u));
            }
            y[i] = score > 0 ? 1 : 0;
        }
        return new TestingLogisticProblem(x, y);
    }

    /** A linearly separable problem with three features. */
    public static TestingLogisticProblem separable(long seed) {
        return create(400, 3, new double[] {2.0, -1.0, 0.5}, 0.3, 0.0, seed);
    }

    public int features() {
        return x[0].length;
    }

    /** Trains {@code model} with {@code optimizer}: {@code epochs} passes over minibatches of {@code batch} rows. */
    public void train(LogisticRegression model, Optimizer optimizer, int epochs, int batch, double l2) {
        double[] grad = new double[model.numParameters()];
        double[][] xb = new double[batch][];
        int[] yb = new int[batch];
        for (int e = 0; e < epochs; e++) {
            for (int from = 0; from + batch <= x.length; from += batch) {
                System.arraycopy(x, from, xb, 0, batch);
                System.arraycopy(y, from, yb, 0, batch);
                model.batchLossAndGradient(xb, yb, batch, ClassWeights.UNIT, l2, grad);
                optimizer.step(model.parameters(), grad);
            }
        }
    }

    /** Mean log loss of {@code model} on all rows. */
    public double loss(LogisticRegression model) {
        return model.batchLoss(x, y, x.length, ClassWeights.UNIT, 0.0);
    }

    /** Fraction of rows classified correctly at threshold 0.5. */
    public double accuracy(LogisticRegression model) {
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            correct += (model.predict(x[i]) >= 0.5 ? 1 : 0) == y[i] ? 1 : 0;
        }
        return (double) correct / x.length;
    }
}
