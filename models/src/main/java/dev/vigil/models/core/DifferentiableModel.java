package dev.vigil.models.core;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A classifier trained by first-order optimizers on standardized inputs: logistic regression, softmax regression, the
 * MLP. Parameters are one flat, live {@code double[]} so that any {@link dev.vigil.models.optim.Optimizer} can step it
 * in place and a learner can checkpoint it as a plain array.
 *
 * <p>Labels are class indices: {@code 0/1} for binary models ({@link #numClasses()} {@code == 2}, one output =
 * P(class 1)), {@code 0..K-1} for multiclass ones. Inputs are already standardized (the {@link
 * dev.vigil.models.data.Standardizer} lives beside the model and is baked into the exported ONNX graph).
 */
public interface DifferentiableModel extends Serializable {

    /** Input width. */
    int numFeatures();

    /** Number of classes: 2 for a binary model. */
    int numClasses();

    /** The live parameter vector (weights and biases, in the model's documented layout). */
    double[] parameters();

    /**
     * Inference-mode forward pass (no dropout). Writes class probabilities into {@code out}: for a binary model
     * {@code out[0]} = P(class 1) ({@code out.length >= 1}); otherwise {@code out[k]} = P(class k).
     */
    void predict(double[] x, double[] out);

    /**
     * Loss of one example (the model's training loss, weighted, without regularization) and its gradient with respect
     * to the parameters, ADDED into {@code grad} (so minibatches accumulate). Training mode: dropout, if the model
     * has any, draws its masks from {@code rng}.
     *
     * @param label class index
     * @param weight example weight (class weighting), finite and non-negative
     * @param rng source of dropout masks; models without dropout ignore it, and it may then be null
     */
    double lossAndGradient(double[] x, int label, double weight, double[] grad, SplittableRandom rng);

    /** A deep copy (parameters included). */
    DifferentiableModel copy();
}
