package dev.vigil.models.linear;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkFinite;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.loss.ClassWeights;
import dev.vigil.models.loss.Logistic;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Binary logistic regression on standardized inputs: {@code P(y = 1 | z) = sigmoid(w . z + b)} (D. R. Cox, "The
 * regression analysis of binary sequences", JRSS B 20(2), 1958).
 *
 * <p>Inputs are already standardized ({@code z = (x - mean) / std}, see {@link dev.vigil.models.data.Standardizer});
 * the ONNX export bakes the standardization into the graph. Because the model is linear in {@code z}, the exact
 * Shapley value of feature {@code i} against the training mean is {@code w_i z_i} ({@link #contributions}), and the
 * logit is {@code b + sum_i w_i z_i}.
 *
 * <p><b>Parameters.</b> All parameters live in one vector {@link #parameters()} of length {@code F + 1}: the weights
 * at indices {@code 0 .. F-1} and the bias at index {@code F} ({@link #biasIndex()}). Gradients use the same layout,
 * so an {@link dev.vigil.models.optim.Optimizer} updates the model in place with
 * {@code optimizer.step(model.parameters(), grad)}.
 *
 * <p><b>Objective.</b> For a minibatch of {@code n} examples with class weights {@code c_y} and L2 strength
 * {@code lambda}:
 *
 * <pre>
 *   J(w, b) = (1/n) sum_k c_{y_k} * logloss(w . z_k + b, y_k)  +  (lambda / 2) * ||w||^2
 *   dJ/dw   = (1/n) sum_k c_{y_k} * (p_k - y_k) * z_k  +  lambda * w
 *   dJ/db   = (1/n) sum_k c_{y_k} * (p_k - y_k)
 * </pre>
 *
 * The bias is not regularized (shrinking it would bias the predicted base rate). The log loss is evaluated from the
 * logit with {@link Logistic#logLossFromLogit}, so it is finite for every finite logit.
 *
 * <p><b>As a {@link DifferentiableModel}</b> ({@link #numClasses()} {@code = 2}): {@link #predict(double[], double[])}
 * writes {@code P(y = 1)} into {@code out[0]}, and {@link #lossAndGradient(double[], int, double, double[],
 * SplittableRandom)} adds {@code weight * d logloss / d params} into the gradient without regularization (the online
 * learner applies its own); the random source is not used.
 *
 * <p>Not thread-safe; all methods but the training ones are allocation-free or document their allocation.
 */
public final class LogisticRegression implements DifferentiableModel {

    private static final long serialVersionUID = 1L;

    private final int numFeatures;
    private final double[] params;

    /** A model with {@code numFeatures} weights and a bias, all zero (predicts 0.5 everywhere). */
    public LogisticRegression(int numFeatures) {
        this.numFeatures = checkPositive(numFeatures, "numFeatures");
        this.params = new double[numFeatures + 1];
    }

    /** A model with the given weights (copied) and bias. */
    public static LogisticRegression of(double[] weights, double bias) {
        checkNotNull(weights, "weights");
        checkFinite(weights, "weights");
        checkArgument(Double.isFinite(bias), "bias must be finite, got %s", bias);
        LogisticRegression model = new LogisticRegression(weights.length);
        System.arraycopy(weights, 0, model.params, 0, weights.length);
        model.params[weights.length] = bias;
        return model;
    }

    /** A model from a parameter vector {@code [w_0, ..., w_{F-1}, b]} (copied), as {@link #parameters()} lays out. */
    public static LogisticRegression fromParameters(double[] parameters) {
        checkNotNull(parameters, "parameters");
        checkArgument(parameters.length >= 2, "parameters need at least one weight and a bias");
        checkFinite(parameters, "parameters");
        LogisticRegression model = new LogisticRegression(parameters.length - 1);
        System.arraycopy(parameters, 0, model.params, 0, parameters.length);
        return model;
    }

    /** Number of input features {@code F}. */
    @Override
    public int numFeatures() {
        return numFeatures;
    }

    /** Two classes: a binary model with one output, {@code P(y = 1)}. */
    @Override
    public int numClasses() {
        return 2;
    }

    /** Number of parameters, {@code F + 1}. */
    public int numParameters() {
        return numFeatures + 1;
    }

    /** Index of the bias in {@link #parameters()} and in gradients: {@code F}. */
    public int biasIndex() {
        return numFeatures;
    }

    /**
     * The live parameter vector {@code [w_0, ..., w_{F-1}, b]}; writes change the model. This is what optimizers
     * step in place. Use {@link #copy()} or {@link #weights()} for a snapshot.
     */
    @Override
    public double[] parameters() {
        return params;
    }

    /** The weights {@code w_0 .. w_{F-1}} (a copy). */
    public double[] weights() {
        double[] w = new double[numFeatures];
        System.arraycopy(params, 0, w, 0, numFeatures);
        return w;
    }

    /** The bias {@code b}. */
    public double bias() {
        return params[numFeatures];
    }

    /** An independent copy of this model. */
    @Override
    public LogisticRegression copy() {
        return fromParameters(params);
    }

    /** The logit {@code w . z + b} of one standardized row. */
    public double logit(double[] xStd) {
        checkRow(xStd);
        return dot(xStd);
    }

    /** {@code P(y = 1)} for one standardized row: {@code sigmoid(logit(xStd))}. */
    public double predict(double[] xStd) {
        return Logistic.sigmoid(logit(xStd));
    }

    /** Writes {@code P(y = 1)} for one standardized row into {@code out[0]}; allocation-free. */
    @Override
    public void predict(double[] xStd, double[] out) {
        checkArgument(out != null && out.length >= 1, "out must have length >= 1");
        out[0] = predict(xStd);
    }

    /**
     * Writes the per-feature contributions to the logit, {@code w_i * z_i}, into {@code out}. They sum to
     * {@code logit(xStd) - bias()}: the exact Shapley values of this linear model against the all-zero (training
     * mean) baseline.
     */
    public void contributions(double[] xStd, double[] out) {
        checkRow(xStd);
        checkArgument(out != null && out.length == numFeatures, "out must have length %s", numFeatures);
        for (int i = 0; i < numFeatures; i++) {
            out[i] = params[i] * xStd[i];
        }
    }

    /** {@link #contributions(double[], double[])} into a new array. */
    public double[] contributions(double[] xStd) {
        double[] out = new double[numFeatures];
        contributions(xStd, out);
        return out;
    }

    /**
     * Loss and gradient for a single example, as an online learner steps on: {@code J = weight * logloss +
     * (l2 / 2) ||w||^2}. Overwrites {@code grad} (length {@code F + 1}) with {@code dJ/d(params)} and returns
     * {@code J}.
     *
     * @param xStd the standardized features
     * @param y the label, 0 or 1
     * @param weight the example's weight (e.g. its class weight), {@code >= 0}
     * @param l2 the L2 strength {@code lambda >= 0} (not applied to the bias)
     * @param grad the output gradient, length {@link #numParameters()}
     */
    public double lossAndGradient(double[] xStd, int y, double weight, double l2, double[] grad) {
        checkRow(xStd);
        checkLabel(y);
        checkNonNegative(weight, "weight");
        checkNonNegative(l2, "l2");
        checkGradient(grad);
        Arrays.fill(grad, 0.0);
        double loss = accumulate(xStd, y, weight, grad);
        addL2Gradient(l2, grad);
        return loss + l2Penalty(l2);
    }

    /**
     * The {@link DifferentiableModel} step: {@code weight * logloss} of one standardized example, with its gradient
     * {@code weight * (p - y) * [z, 1]} ADDED into {@code grad} (length {@code F + 1}). No regularization; {@code rng}
     * is not used (may be null). Allocation-free.
     */
    @Override
    public double lossAndGradient(double[] xStd, int label, double weight, double[] grad, SplittableRandom rng) {
        checkRow(xStd);
        checkLabel(label);
        checkNonNegative(weight, "weight");
        checkGradient(grad);
        return accumulate(xStd, label, weight, grad);
    }

    /**
     * Mean class-weighted loss and its gradient over the first {@code count} rows of a minibatch (see the class
     * Javadoc for the objective). Overwrites {@code grad} and returns {@code J}. Allocation-free.
     *
     * @param xStd standardized rows; only {@code xStd[0 .. count-1]} are read
     * @param y labels (0 or 1) aligned with {@code xStd}
     * @param count the minibatch size {@code n > 0}
     * @param classWeights the per-class loss multipliers
     * @param l2 the L2 strength {@code lambda >= 0} (not applied to the bias)
     * @param grad the output gradient, length {@link #numParameters()}
     */
    public double batchLossAndGradient(
            double[][] xStd, int[] y, int count, ClassWeights classWeights, double l2, double[] grad) {
        checkBatch(xStd, y, count, classWeights, l2);
        checkGradient(grad);
        Arrays.fill(grad, 0.0);
        double loss = 0.0;
        for (int k = 0; k < count; k++) {
            int label = y[k];
            checkRow(xStd[k]);
            checkLabel(label);
            loss += accumulate(xStd[k], label, classWeights.of(label), grad);
        }
        double invN = 1.0 / count;
        for (int j = 0; j < grad.length; j++) {
            grad[j] *= invN;
        }
        addL2Gradient(l2, grad);
        return loss * invN + l2Penalty(l2);
    }

    /** The objective {@code J} of {@link #batchLossAndGradient} without the gradient. */
    public double batchLoss(double[][] xStd, int[] y, int count, ClassWeights classWeights, double l2) {
        checkBatch(xStd, y, count, classWeights, l2);
        double loss = 0.0;
        for (int k = 0; k < count; k++) {
            int label = y[k];
            checkRow(xStd[k]);
            checkLabel(label);
            loss += classWeights.of(label) * Logistic.logLossFromLogit(dot(xStd[k]), label);
        }
        return loss / count + l2Penalty(l2);
    }

    /** Adds {@code weight * d logloss / d params} to {@code grad}; returns {@code weight * logloss}. */
    private double accumulate(double[] z, int y, double weight, double[] grad) {
        double logit = dot(z);
        double residual = weight * (Logistic.sigmoid(logit) - y);
        for (int i = 0; i < numFeatures; i++) {
            grad[i] += residual * z[i];
        }
        grad[numFeatures] += residual;
        return weight * Logistic.logLossFromLogit(logit, y);
    }

    /** The regularization term {@code (l2 / 2) ||w||^2} of the objective; the bias is not penalized. */
    public double l2Penalty(double l2) {
        checkNonNegative(l2, "l2");
        if (l2 == 0.0) {
            return 0.0;
        }
        double sumSq = 0.0;
        for (int i = 0; i < numFeatures; i++) {
            sumSq += params[i] * params[i];
        }
        return 0.5 * l2 * sumSq;
    }

    /** Adds {@code l2 * w} to the weight part of {@code grad}; the bias is not penalized. */
    private void addL2Gradient(double l2, double[] grad) {
        if (l2 == 0.0) {
            return;
        }
        for (int i = 0; i < numFeatures; i++) {
            grad[i] += l2 * params[i];
        }
    }

    /** {@code b + w . z}, with four partial sums so the loop is not bound by the latency of one add chain. */
    private double dot(double[] z) {
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        int i = 0;
        int unrolled = numFeatures & ~3;
        for (; i < unrolled; i += 4) {
            s0 += params[i] * z[i];
            s1 += params[i + 1] * z[i + 1];
            s2 += params[i + 2] * z[i + 2];
            s3 += params[i + 3] * z[i + 3];
        }
        for (; i < numFeatures; i++) {
            s0 += params[i] * z[i];
        }
        return params[numFeatures] + ((s0 + s1) + (s2 + s3));
    }

    private void checkRow(double[] xStd) {
        if (xStd == null || xStd.length != numFeatures) {
            throw new IllegalArgumentException(
                    "row must have " + numFeatures + " features, got " + (xStd == null ? "null" : xStd.length));
        }
    }

    private static void checkLabel(int y) {
        if (y != 0 && y != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + y);
        }
    }

    private void checkGradient(double[] grad) {
        checkArgument(
                grad != null && grad.length == numFeatures + 1, "grad must have length %s", numFeatures + 1);
    }

    private static void checkBatch(double[][] xStd, int[] y, int count, ClassWeights classWeights, double l2) {
        checkNotNull(xStd, "xStd");
        checkNotNull(y, "y");
        checkNotNull(classWeights, "classWeights");
        checkPositive(count, "count");
        checkArgument(
                count <= xStd.length && count <= y.length,
                "count %s exceeds the rows (%s) or labels (%s) given",
                count,
                xStd.length,
                y.length);
        checkNonNegative(l2, "l2");
    }
}
