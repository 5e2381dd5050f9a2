package dev.vigil.models.loss;

import java.io.Serializable;

/**
 * Per-class multipliers of the loss, looked up by label: the {@code weight} a learner passes to {@link
 * dev.vigil.models.core.DifferentiableModel#lossAndGradient} for an example of that class. {@link ClassWeights} is the
 * binary case, {@link MulticlassWeights} the {@code K}-class one.
 */
public interface LabelWeights extends Serializable {

    /** Number of classes the weights cover; labels are {@code 0 .. numClasses() - 1}. */
    int numClasses();

    /** The weight of an example with class index {@code label}. */
    double of(int label);
}
