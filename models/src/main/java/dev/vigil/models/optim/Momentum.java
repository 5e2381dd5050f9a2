package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.util.Map;
import java.util.Set;

/**
 * Classical momentum, Polyak's heavy ball (B. T. Polyak, "Some methods of speeding up the convergence of iteration
 * methods", USSR Comput. Math. Math. Phys. 4(5), 1964), in the formulation of I. Sutskever, J. Martens, G. Dahl and
 * G. Hinton, "On the importance of initialization and momentum in deep learning", ICML 2013, eq. (1)–(2):
 *
 * <pre>
 *   v_t     = mu * v_{t-1} - eta_t * g_t          (g_t = gradient at theta_{t-1})
 *   theta_t = theta_{t-1} + v_t
 * </pre>
 *
 * <p>The velocity {@code v} starts at zero and is checkpointed as slot {@code "velocity"}. The learning rate sits
 * inside the velocity, so a change of {@code eta_t} only scales the new gradient. With a constant learning rate this
 * is the same iteration as PyTorch's {@code SGD(momentum=mu)} ({@code b = mu b + g; theta -= eta b}, with
 * {@code v = -eta b}); with a schedule the two differ.
 */
public final class Momentum implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "momentum";

    public static final double DEFAULT_MOMENTUM = 0.9;

    static final String VELOCITY = "velocity";

    private static final long serialVersionUID = 1L;

    private final LearningRateSchedule schedule;
    private final double mu;

    private long steps;
    /** Velocity; null until the first step sizes it. */
    private double[] velocity;

    /** Momentum with a constant learning rate and {@code mu = 0.9}. */
    public Momentum(double learningRate) {
        this(learningRate, DEFAULT_MOMENTUM);
    }

    /** Momentum with a constant learning rate {@code eta > 0} and momentum coefficient {@code mu}. */
    public Momentum(double learningRate, double mu) {
        this(LearningRateSchedule.constant(learningRate), mu);
    }

    /**
     * Momentum with a learning-rate schedule {@code eta_t}.
     *
     * @param mu the momentum coefficient, in {@code [0, 1)} ({@code 0} is plain SGD)
     */
    public Momentum(LearningRateSchedule schedule, double mu) {
        this.schedule = checkNotNull(schedule, "schedule");
        checkArgument(mu >= 0.0 && mu < 1.0, "mu must be in [0, 1), got %s", mu);
        this.mu = mu;
    }

    @Override
    public void step(double[] params, double[] grad) {
        if (velocity == null) {
            checkNotNull(params, "params");
            velocity = new double[params.length];
        }
        Optimizers.checkStepArguments(params, grad, velocity.length);
        double eta = schedule.learningRate(steps + 1);
        for (int i = 0; i < params.length; i++) {
            double vi = mu * velocity[i] - eta * grad[i];
            velocity[i] = vi;
            params[i] += vi;
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** The momentum coefficient {@code mu}. */
    public double mu() {
        return mu;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    @Override
    public OptimizerState snapshot() {
        if (velocity == null) {
            return OptimizerState.of(NAME, steps);
        }
        return new OptimizerState(NAME, steps, Map.of(VELOCITY, velocity));
    }

    @Override
    public void restore(OptimizerState state) {
        velocity = Optimizers.restoreSlots(state, NAME, Set.of(VELOCITY)) ? state.slot(VELOCITY) : null;
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "Momentum[schedule=" + schedule + ", mu=" + mu + ", steps=" + steps + "]";
    }
}
