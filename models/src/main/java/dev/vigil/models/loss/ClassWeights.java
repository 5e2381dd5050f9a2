package dev.vigil.models.loss;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

/**
 * Per-class multipliers of the loss of a binary classifier: an example with label {@code 1} counts {@code positive}
 * times, one with label {@code 0} counts {@code negative} times. Deterioration is rare (a few percent of ICU
 * windows), and weighting the rare class up keeps the model from learning "never".
 *
 * @param negative weight of label-0 examples, finite and {@code > 0}
 * @param positive weight of label-1 examples, finite and {@code > 0}
 */
public record ClassWeights(double negative, double positive) implements LabelWeights {

    /** Both classes weigh 1: the plain, unweighted loss. */
    public static final ClassWeights UNIT = new ClassWeights(1.0, 1.0);

    public ClassWeights {
        checkPositive(negative, "negative");
        checkPositive(positive, "positive");
    }

    /**
     * scikit-learn's {@code class_weight="balanced"}: {@code n / (2 n_c)} for class {@code c}, so that both classes
     * carry the same total weight and the mean weight over the data set is 1.
     *
     * @throws IllegalArgumentException if {@code labels} is empty, holds a value other than 0 or 1, or lacks a class
     */
    public static ClassWeights balanced(int[] labels) {
        checkNotNull(labels, "labels");
        long positives = countPositives(labels);
        long negatives = labels.length - positives;
        checkArgument(
                positives > 0 && negatives > 0,
                "balanced class weights need both classes, got %s positives and %s negatives",
                positives,
                negatives);
        double n = labels.length;
        return new ClassWeights(n / (2.0 * negatives), n / (2.0 * positives));
    }

    /** Two classes: labels 0 and 1. */
    @Override
    public int numClasses() {
        return 2;
    }

    /** The weight of an example with label {@code y}: {@code positive} for 1, {@code negative} otherwise. */
    @Override
    public double of(int y) {
        return y == 1 ? positive : negative;
    }

    /** Number of 1s in {@code labels}; throws if any label is neither 0 nor 1. */
    static long countPositives(int[] labels) {
        long positives = 0;
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y != 0 && y != 1) {
                throw new IllegalArgumentException("labels[" + i + "] must be 0 or 1, got " + y);
            }
            positives += y;
        }
        return positives;
    }
}
