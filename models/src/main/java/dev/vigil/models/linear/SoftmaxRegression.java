package dev.vigil.models.linear;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkFinite;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.loss.Softmax;
import java.util.SplittableRandom;

/**
 * Multinomial logistic (softmax) regression on standardized inputs: {@code P(y = k | z) = softmax(W z + b)_k} for
 * {@code K >= 3} classes (J. S. Bridle, "Probabilistic interpretation of feedforward classification network outputs,
 * with relationships to statistical pattern recognition", Neurocomputing, NATO ASI Series F68, 1990; for two classes
 * use {@link LogisticRegression}, which is the same model with one logit).
 *
 * <p><b>Parameters.</b> One vector {@link #parameters()} of length {@code K (F + 1)}: the weight matrix {@code W}
 * ({@code K x F}) row by row, so {@code W[k][j]} is at {@link #weightIndex(int, int) k F + j}, followed by the {@code
 * K} biases, {@code b_k} at {@link #biasIndex(int) K F + k}. Gradients use the same layout. The parametrization is
 * the usual over-complete one (adding a vector to every row of {@code W} leaves the probabilities unchanged); the
 * optimizer's regularization, or simply starting from zero, picks a representative.
 *
 * <p><b>Loss.</b> For one example of class {@code y} with weight {@code c}: {@code c * (logSumExp(s) - s_y)} with
 * logits {@code s = W z + b} (the cross-entropy, evaluated stably by {@link Softmax#logLossFromLogits}); its gradient
 * is {@code dW[k] = c (p_k - [k = y]) z} and {@code db_k = c (p_k - [k = y])}.
 *
 * <p>Not thread-safe: {@link #lossAndGradient} reuses one scratch buffer of {@code K} doubles, so every method is
 * allocation-free.
 */
public final class SoftmaxRegression implements DifferentiableModel {

    private static final long serialVersionUID = 1L;

    private final int numFeatures;
    private final int numClasses;
    private final double[] params;
    /** Scratch for the probabilities of the example being trained on; rebuilt after deserialization. */
    private transient double[] scratch;

    /** A model with all-zero parameters (predicts {@code 1/K} for every class). */
    public SoftmaxRegression(int numFeatures, int numClasses) {
        this.numFeatures = checkPositive(numFeatures, "numFeatures");
        checkArgument(
                numClasses >= 3,
                "softmax regression needs at least 3 classes, got %s (use LogisticRegression for 2)",
                numClasses);
        this.numClasses = numClasses;
        this.params = new double[numClasses * (numFeatures + 1)];
    }

    /**
     * A model with the given weights {@code W} ({@code K x F}, copied) and biases ({@code K}).
     *
     * @throws IllegalArgumentException if the rows are ragged, the shapes disagree or a value is not finite
     */
    public static SoftmaxRegression of(double[][] weights, double[] biases) {
        checkNotNull(weights, "weights");
        checkNotNull(biases, "biases");
        checkArgument(weights.length > 0 && weights[0] != null, "weights must have at least one row");
        SoftmaxRegression model = new SoftmaxRegression(weights[0].length, weights.length);
        checkArgument(
                biases.length == weights.length, "%s biases for %s classes", biases.length, weights.length);
        for (int k = 0; k < weights.length; k++) {
            checkArgument(
                    weights[k] != null && weights[k].length == model.numFeatures,
                    "weights[%s] must have length %s",
                    k,
                    model.numFeatures);
            checkFinite(weights[k], "weights[" + k + "]");
            System.arraycopy(weights[k], 0, model.params, k * model.numFeatures, model.numFeatures);
        }
        checkFinite(biases, "biases");
        System.arraycopy(biases, 0, model.params, model.numClasses * model.numFeatures, model.numClasses);
        return model;
    }

    /** A model from a parameter vector in the layout of {@link #parameters()} (copied). */
    public static SoftmaxRegression fromParameters(int numFeatures, int numClasses, double[] parameters) {
        SoftmaxRegression model = new SoftmaxRegression(numFeatures, numClasses);
        checkNotNull(parameters, "parameters");
        checkArgument(
                parameters.length == model.params.length,
                "parameters must have length K (F + 1) = %s, got %s",
                model.params.length,
                parameters.length);
        checkFinite(parameters, "parameters");
        System.arraycopy(parameters, 0, model.params, 0, parameters.length);
        return model;
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Number of parameters, {@code K (F + 1)}. */
    public int numParameters() {
        return params.length;
    }

    /** Index of {@code W[k][j]} in {@link #parameters()} and in gradients: {@code k F + j}. */
    public int weightIndex(int k, int j) {
        checkArgument(k >= 0 && k < numClasses, "class %s out of range", k);
        checkArgument(j >= 0 && j < numFeatures, "feature %s out of range", j);
        return k * numFeatures + j;
    }

    /** Index of {@code b_k} in {@link #parameters()} and in gradients: {@code K F + k}. */
    public int biasIndex(int k) {
        checkArgument(k >= 0 && k < numClasses, "class %s out of range", k);
        return numClasses * numFeatures + k;
    }

    /** The live parameter vector (see the class Javadoc for the layout); writes change the model. */
    @Override
    public double[] parameters() {
        return params;
    }

    /** The weight matrix {@code W}, {@code K x F} (a copy). */
    public double[][] weights() {
        double[][] w = new double[numClasses][numFeatures];
        for (int k = 0; k < numClasses; k++) {
            System.arraycopy(params, k * numFeatures, w[k], 0, numFeatures);
        }
        return w;
    }

    /** The biases {@code b}, length {@code K} (a copy). */
    public double[] biases() {
        double[] b = new double[numClasses];
        System.arraycopy(params, numClasses * numFeatures, b, 0, numClasses);
        return b;
    }

    /** Writes the logits {@code W z + b} of one standardized row into {@code out[0 .. K-1]}. */
    public void logits(double[] xStd, double[] out) {
        checkRow(xStd);
        checkOut(out);
        computeLogits(xStd, out);
    }

    /** Writes the class probabilities {@code softmax(W z + b)} into {@code out[0 .. K-1]}; allocation-free. */
    @Override
    public void predict(double[] xStd, double[] out) {
        checkRow(xStd);
        checkOut(out);
        computeLogits(xStd, out);
        Softmax.softmax(out, numClasses, out);
    }

    /**
     * Adds {@code weight * d crossEntropy / d params} of one standardized example into {@code grad} (length {@code
     * K (F + 1)}) and returns {@code weight * crossEntropy}. No regularization; {@code rng} is not used (may be
     * null).
     */
    @Override
    public double lossAndGradient(double[] xStd, int label, double weight, double[] grad, SplittableRandom rng) {
        checkRow(xStd);
        checkArgument(label >= 0 && label < numClasses, "label must be in [0, K), got %s", label);
        checkNonNegative(weight, "weight");
        checkArgument(
                grad != null && grad.length == params.length, "grad must have length %s", params.length);
        double[] p = scratch();
        computeLogits(xStd, p);
        double loss = Softmax.logLossFromLogits(p, numClasses, label);
        Softmax.softmax(p, numClasses, p);
        int biasOffset = numClasses * numFeatures;
        for (int k = 0; k < numClasses; k++) {
            double delta = weight * (k == label ? p[k] - 1.0 : p[k]);
            int row = k * numFeatures;
            for (int j = 0; j < numFeatures; j++) {
                grad[row + j] += delta * xStd[j];
            }
            grad[biasOffset + k] += delta;
        }
        return weight * loss;
    }

    /** An independent copy (parameters included). */
    @Override
    public SoftmaxRegression copy() {
        SoftmaxRegression copy = new SoftmaxRegression(numFeatures, numClasses);
        System.arraycopy(params, 0, copy.params, 0, params.length);
        return copy;
    }

    private void computeLogits(double[] z, double[] out) {
        int biasOffset = numClasses * numFeatures;
        for (int k = 0; k < numClasses; k++) {
            int row = k * numFeatures;
            double s = params[biasOffset + k];
            for (int j = 0; j < numFeatures; j++) {
                s += params[row + j] * z[j];
            }
            out[k] = s;
        }
    }

    private double[] scratch() {
        double[] s = scratch;
        if (s == null) {
            s = new double[numClasses];
            scratch = s;
        }
        return s;
    }

    private void checkRow(double[] xStd) {
        if (xStd == null || xStd.length != numFeatures) {
            throw new IllegalArgumentException(
                    "row must have " + numFeatures + " features, got " + (xStd == null ? "null" : xStd.length));
        }
    }

    private void checkOut(double[] out) {
        checkArgument(out != null && out.length >= numClasses, "out must have length >= %s", numClasses);
    }
}
