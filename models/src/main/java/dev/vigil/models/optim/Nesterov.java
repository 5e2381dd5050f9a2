package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.util.Map;
import java.util.Set;

/**
 * Nesterov's accelerated gradient as a momentum method (Y. Nesterov, "A method of solving a convex programming
 * problem with convergence rate O(1/k^2)", Soviet Math. Dokl. 27, 1983), in the form of I. Sutskever, J. Martens,
 * G. Dahl and G. Hinton, "On the importance of initialization and momentum in deep learning", ICML 2013, eq. (3)–(4):
 *
 * <pre>
 *   v_t     = mu * v_{t-1} - eta_t * grad f(theta_{t-1} + mu * v_{t-1})
 *   theta_t = theta_{t-1} + v_t
 * </pre>
 *
 * <p><b>Variant.</b> The gradient is taken at the look-ahead point {@code theta + mu v}, but {@link #step} is handed
 * the gradient at the parameters it updates. So, as in Y. Bengio, N. Boulanger-Lewandowski and R. Pascanu,
 * "Advances in optimizing recurrent networks", ICASSP 2013, the parameter vector this optimizer steps holds the
 * look-ahead point {@code phi_t = theta_t + mu v_t}, and the update above becomes
 *
 * <pre>
 *   v_t   = mu * v_{t-1} - eta_t * g_t            (g_t = gradient at phi_{t-1})
 *   phi_t = phi_{t-1} + mu * v_t - eta_t * g_t    (= phi_{t-1} + mu^2 v_{t-1} - (1 + mu) eta_t g_t)
 * </pre>
 *
 * which generates exactly the iterates of eq. (3)–(4), shifted by {@code mu v_t} (which vanishes at convergence). It
 * starts from {@code phi_0 = theta_0} ({@code v_0 = 0}). With a constant learning rate it is the same iteration as
 * PyTorch's {@code SGD(momentum=mu, nesterov=True)} and Keras' {@code SGD(nesterov=True)}. The velocity is
 * checkpointed as slot {@code "velocity"}.
 */
public final class Nesterov implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "nesterov";

    public static final double DEFAULT_MOMENTUM = 0.9;

    private static final long serialVersionUID = 1L;

    private final LearningRateSchedule schedule;
    private final double mu;

    private long steps;
    /** Sutskever's velocity v; null until the first step sizes it. */
    private double[] velocity;

    /** Nesterov momentum with a constant learning rate and {@code mu = 0.9}. */
    public Nesterov(double learningRate) {
        this(learningRate, DEFAULT_MOMENTUM);
    }

    /** Nesterov momentum with a constant learning rate {@code eta > 0} and momentum coefficient {@code mu}. */
    public Nesterov(double learningRate, double mu) {
        this(LearningRateSchedule.constant(learningRate), mu);
    }

    /**
     * Nesterov momentum with a learning-rate schedule {@code eta_t}.
     *
     * @param mu the momentum coefficient, in {@code [0, 1)}
     */
    public Nesterov(LearningRateSchedule schedule, double mu) {
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
            double scaledGrad = eta * grad[i];
            double vi = mu * velocity[i] - scaledGrad;
            velocity[i] = vi;
            params[i] += mu * vi - scaledGrad;
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
        return new OptimizerState(NAME, steps, Map.of(Momentum.VELOCITY, velocity));
    }

    @Override
    public void restore(OptimizerState state) {
        velocity = Optimizers.restoreSlots(state, NAME, Set.of(Momentum.VELOCITY))
                ? state.slot(Momentum.VELOCITY)
                : null;
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "Nesterov[schedule=" + schedule + ", mu=" + mu + ", steps=" + steps + "]";
    }
}
