package dev.vigil.models.core;

import dev.vigil.models.loss.LabelWeights;
import dev.vigil.models.optim.Optimizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/** The smallest minibatch training loop over {@link DifferentiableModel}, and accuracy. */
public final class TestingTrainer {

    private TestingTrainer() {}

    /**
     * Shuffled minibatches of the mean class-weighted loss, stepped by {@code optimizer}, for {@code epochs} passes;
     * {@code weights} may be null (every example weighs 1). Returns the mean loss of the last epoch.
     */
    public static double train(
            DifferentiableModel model,
            TestingDatasets.Dataset data,
            LabelWeights weights,
            Optimizer optimizer,
            int epochs,
            int batch,
            long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] grad = new double[model.parameters().length];
        double epochLoss = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            epochLoss = 0;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Arrays.fill(grad, 0.0);
                for (int k = from; k < to; k++) {
                    int i = order[k];
                    int label = data.y()[i];
                    double w = weights == null ? 1.0 : weights.of(label);
                    epochLoss += model.lossAndGradient(data.x()[i], label, w, grad, rng);
                }
                double inv = 1.0 / (to - from);
                for (int p = 0; p < grad.length; p++) {
                    grad[p] *= inv;
                }
                optimizer.step(model.parameters(), grad);
            }
            epochLoss /= n;
        }
        return epochLoss;
    }

    /** The predicted class of one row: argmax of the probabilities, or {@code P(1) >= 0.5} for a binary model. */
    public static int predictClass(DifferentiableModel model, double[] x) {
        double[] out = new double[model.numClasses()];
        model.predict(x, out);
        if (model.numClasses() == 2) {
            return out[0] >= 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int k = 1; k < out.length; k++) {
            if (out[k] > out[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Fraction of rows whose predicted class is the label. */
    public static double accuracy(DifferentiableModel model, TestingDatasets.Dataset data) {
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            correct += predictClass(model, data.x()[i]) == data.y()[i] ? 1 : 0;
        }
        return (double) correct / data.size();
    }

    /** Fraction of the rows of class {@code k} predicted as {@code k}. */
    public static double recall(DifferentiableModel model, TestingDatasets.Dataset data, int k) {
        int hits = 0;
        int total = 0;
        for (int i = 0; i < data.size(); i++) {
            if (data.y()[i] == k) {
                total++;
                hits += predictClass(model, data.x()[i]) == k ? 1 : 0;
            }
        }
        return (double) hits / total;
    }
}
