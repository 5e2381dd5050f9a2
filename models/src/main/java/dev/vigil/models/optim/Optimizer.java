package dev.vigil.models.optim;

import java.io.Serializable;

/**
 * A first-order optimizer: given parameters and the gradient of the objective at them, moves the parameters in
 * place.
 *
 * <p>Contract for implementations (so momentum, Nesterov, AdaGrad, RMSprop, AdamW, FTRL fit the same shape):
 *
 * <ul>
 *   <li>Hyper-parameters are final, validated in the constructor, and the object is usable right away.
 *   <li>Per-parameter state (moments, accumulators) is sized on the first {@link #step} (or at construction, when
 *       the size is given there); every later step must pass arrays of that size.
 *   <li>{@link #steps()} counts completed steps; the step being taken is number {@code steps() + 1}, which is the
 *       {@code t} of bias corrections and learning-rate schedules.
 *   <li>{@link #snapshot()} returns everything mutable as plain arrays ({@link OptimizerState}), and
 *       {@link #restore} puts it back, so a streaming learner can checkpoint mid-training and resume bit-for-bit.
 * </ul>
 *
 * <p>Optimizers are {@link Serializable} so a Flink function may hold one as a field, and not thread-safe.
 */
public interface Optimizer extends Serializable {

    /**
     * Updates {@code params} in place from {@code grad} (the gradient of the objective to minimize). Neither array is
     * retained; {@code grad} is not modified.
     *
     * @throws IllegalArgumentException if the arrays' lengths differ, or differ from the size of the state
     */
    void step(double[] params, double[] grad);

    /** Number of steps taken so far. */
    long steps();

    /** A deep copy of the mutable state: step count and per-parameter slots. */
    OptimizerState snapshot();

    /**
     * Replaces the mutable state with {@code state} (deep-copied), as taken by {@link #snapshot()} of an optimizer of
     * the same kind.
     *
     * @throws IllegalArgumentException if the state belongs to another algorithm or its slots are inconsistent
     */
    void restore(OptimizerState state);
}
