package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.util.List;
import java.util.Set;

/**
 * Builds optimizers from an {@link OptimizerSpec}: the single place that maps the names used by the CLI and the
 * learner options ({@code sgd | momentum | nesterov | adagrad | rmsprop | adam | adamw | ftrl}) to classes.
 *
 * <pre>{@code
 * Optimizer adam = Optimizers.create(OptimizerSpec.of("adam", 0.001));
 * }</pre>
 */
public final class Optimizers {

    /** The algorithm names, as in {@link OptimizerState#algorithm()} of the optimizer each one builds. */
    public static final List<String> NAMES = List.of(
            Sgd.NAME, Momentum.NAME, Nesterov.NAME, AdaGrad.NAME, RMSprop.NAME, Adam.NAME, AdamW.NAME, Ftrl.NAME);

    private Optimizers() {}

    /** {@link #create(OptimizerSpec, ParameterMask)} with every parameter penalized. */
    public static Optimizer create(OptimizerSpec spec) {
        return create(spec, ParameterMask.all());
    }

    /**
     * A fresh optimizer (no state) as {@code spec} describes.
     *
     * @param penalized the parameters that AdamW's weight decay and FTRL's {@code lambda1}/{@code lambda2} apply to
     *     (typically all but the biases); the other algorithms have no built-in penalty and ignore it
     */
    public static Optimizer create(OptimizerSpec spec, ParameterMask penalized) {
        checkNotNull(spec, "spec");
        checkNotNull(penalized, "penalized");
        LearningRateSchedule lr = spec.learningRate();
        return switch (spec.name()) {
            case Sgd.NAME -> new Sgd(lr);
            case Momentum.NAME -> new Momentum(lr, spec.momentum());
            case Nesterov.NAME -> new Nesterov(lr, spec.momentum());
            case AdaGrad.NAME -> new AdaGrad(lr, spec.epsilon(), spec.initialAccumulator());
            case RMSprop.NAME -> new RMSprop(lr, spec.rho(), spec.epsilon(), spec.centered());
            case Adam.NAME -> new Adam(lr, spec.beta1(), spec.beta2(), spec.epsilon());
            case AdamW.NAME -> new AdamW(lr, spec.weightDecay(), spec.beta1(), spec.beta2(), spec.epsilon(), penalized);
            case Ftrl.NAME -> new Ftrl(
                    lr.learningRate(1), spec.ftrlBeta(), spec.lambda1(), spec.lambda2(), penalized);
            default -> throw new IllegalArgumentException("unknown optimizer " + spec.name());
        };
    }

    /** Checks that {@code params} and {@code grad} are non-null and of one length. */
    static void checkStepArguments(double[] params, double[] grad) {
        if (params == null || grad == null) {
            throw new NullPointerException("params and grad must not be null");
        }
        if (params.length != grad.length) {
            throw new IllegalArgumentException(
                    "params and grad lengths differ: " + params.length + " vs " + grad.length);
        }
    }

    /** Checks that {@code params} and {@code grad} are non-null and of length {@code expected}. */
    static void checkStepArguments(double[] params, double[] grad, int expected) {
        if (params == null || grad == null) {
            throw new NullPointerException("params and grad must not be null");
        }
        if (params.length != grad.length) {
            throw new IllegalArgumentException(
                    "params and grad lengths differ: " + params.length + " vs " + grad.length);
        }
        if (params.length != expected) {
            throw new IllegalArgumentException(
                    "optimizer state is sized for " + expected + " parameters, got " + params.length);
        }
    }

    /**
     * Checks that {@code state} belongs to {@code algorithm} and holds either no slots (taken before the first step)
     * or exactly {@code slots}.
     *
     * @return whether the state has slots to restore
     */
    static boolean restoreSlots(OptimizerState state, String algorithm, Set<String> slots) {
        checkNotNull(state, "state");
        state.checkAlgorithm(algorithm);
        if (state.slotNames().isEmpty()) {
            return false;
        }
        checkArgument(
                state.slotNames().equals(slots),
                "%s state needs slots %s, got %s",
                algorithm,
                slots,
                state.slotNames());
        return true;
    }
}
