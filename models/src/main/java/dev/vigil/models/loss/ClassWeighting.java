package dev.vigil.models.loss;

import static dev.vigil.models.util.Checks.checkNotNull;

import java.io.Serializable;

/**
 * How a trainer derives {@link ClassWeights} from the labels of its training set: {@link #none()},
 * {@link #balanced()} or {@link #fixed(ClassWeights)}.
 */
@FunctionalInterface
public interface ClassWeighting extends Serializable {

    /** The class weights for a training set with these labels (each 0 or 1). */
    ClassWeights weightsFor(int[] labels);

    /** Every example weighs 1. */
    static ClassWeighting none() {
        return labels -> ClassWeights.UNIT;
    }

    /** {@link ClassWeights#balanced(int[])}: {@code n / (2 n_c)}. */
    static ClassWeighting balanced() {
        return ClassWeights::balanced;
    }

    /** The given weights, whatever the labels. */
    static ClassWeighting fixed(ClassWeights weights) {
        checkNotNull(weights, "weights");
        return labels -> weights;
    }
}
