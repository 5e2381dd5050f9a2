package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkNotNull;

/**
 * Plain stochastic gradient descent, {@code theta <- theta - eta_t * g} (H. Robbins and S. Monro, "A stochastic
 * approximation method", Ann. Math. Statist. 22(3), 1951), with an optional {@link LearningRateSchedule}.
 *
 * <p>SGD keeps no per-parameter state; its snapshot is the step count (which drives the schedule).
 */
public final class Sgd implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "sgd";

    private static final long serialVersionUID = 1L;

    private final LearningRateSchedule schedule;
    private long steps;

    /** SGD with a constant learning rate {@code learningRate > 0}. */
    public Sgd(double learningRate) {
        this(LearningRateSchedule.constant(learningRate));
    }

    /** SGD whose learning rate at step {@code t} is {@code schedule.learningRate(t)}. */
    public Sgd(LearningRateSchedule schedule) {
        this.schedule = checkNotNull(schedule, "schedule");
    }

    @Override
    public void step(double[] params, double[] grad) {
        Optimizers.checkStepArguments(params, grad);
        double eta = schedule.learningRate(steps + 1);
        for (int i = 0; i < params.length; i++) {
            params[i] -= eta * grad[i];
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** The learning-rate schedule. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    @Override
    public OptimizerState snapshot() {
        return OptimizerState.of(NAME, steps);
    }

    @Override
    public void restore(OptimizerState state) {
        checkNotNull(state, "state");
        state.checkAlgorithm(NAME);
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "Sgd[schedule=" + schedule + ", steps=" + steps + "]";
    }
}
