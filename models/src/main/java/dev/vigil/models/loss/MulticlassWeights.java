package dev.vigil.models.loss;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.util.Arrays;

/**
 * Per-class multipliers of the loss of a {@code K}-class classifier: an example of class {@code k} counts {@code
 * weights[k]} times. The multiclass counterpart of {@link ClassWeights}.
 *
 * @param weights the weight of each class {@code 0 .. K-1}, each finite and {@code > 0}; at least two classes
 */
public record MulticlassWeights(double[] weights) implements LabelWeights {

    private static final long serialVersionUID = 1L;

    public MulticlassWeights {
        checkNotNull(weights, "weights");
        checkArgument(weights.length >= 2, "need at least two classes, got %s", weights.length);
        for (int k = 0; k < weights.length; k++) {
            checkPositive(weights[k], "weights[" + k + "]");
        }
        weights = weights.clone();
    }

    /** Every one of the {@code numClasses} classes weighs 1: the plain, unweighted loss. */
    public static MulticlassWeights uniform(int numClasses) {
        checkArgument(numClasses >= 2, "need at least two classes, got %s", numClasses);
        double[] w = new double[numClasses];
        Arrays.fill(w, 1.0);
        return new MulticlassWeights(w);
    }

    /**
     * scikit-learn's {@code class_weight="balanced"}: {@code n / (K n_k)} for class {@code k}, so that every class
     * carries the same total weight and the mean weight over the data set is 1. For {@code K = 2} this equals
     * {@link ClassWeights#balanced(int[])}.
     *
     * @throws IllegalArgumentException if {@code labels} is empty, holds a value outside {@code 0 .. K-1}, or lacks a
     *     class
     */
    public static MulticlassWeights balanced(int[] labels, int numClasses) {
        checkNotNull(labels, "labels");
        checkArgument(numClasses >= 2, "need at least two classes, got %s", numClasses);
        long[] counts = new long[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y < 0 || y >= numClasses) {
                throw new IllegalArgumentException(
                        "labels[" + i + "] must be in [0, " + numClasses + "), got " + y);
            }
            counts[y]++;
        }
        double n = labels.length;
        double[] w = new double[numClasses];
        for (int k = 0; k < numClasses; k++) {
            checkArgument(counts[k] > 0, "balanced class weights need every class, class %s has no example", k);
            w[k] = n / (numClasses * (double) counts[k]);
        }
        return new MulticlassWeights(w);
    }

    /** The weights (a copy). */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    @Override
    public int numClasses() {
        return weights.length;
    }

    /** The weight of an example of class {@code label}. */
    @Override
    public double of(int label) {
        if (label < 0 || label >= weights.length) {
            throw new IllegalArgumentException("label must be in [0, " + weights.length + "), got " + label);
        }
        return weights[label];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MulticlassWeights other && Arrays.equals(weights, other.weights);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "MulticlassWeights" + Arrays.toString(weights);
    }
}
