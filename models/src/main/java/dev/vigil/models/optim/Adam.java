package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.util.Map;
import java.util.Set;

/**
 * Adam (D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1), with bias
 * correction of both moment estimates:
 *
 * <pre>
 *   m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
 *   v_t = beta2 * v_{t-1} + (1 - beta2) * g_t^2
 *   m^_t = m_t / (1 - beta1^t)
 *   v^_t = v_t / (1 - beta2^t)
 *   theta_t = theta_{t-1} - alpha_t * m^_t / (sqrt(v^_t) + epsilon)
 * </pre>
 *
 * <p>Defaults are the paper's: {@code beta1 = 0.9}, {@code beta2 = 0.999}, {@code epsilon = 1e-8}. The moment vectors
 * are allocated on the first {@link #step} (sized to the parameters) and checkpointed as slots {@code "m"} and
 * {@code "v"}. Weight decay belongs in the gradient here (L2); decoupled decay is AdamW's job.
 */
public final class Adam implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "adam";

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private static final long serialVersionUID = 1L;

    private final LearningRateSchedule schedule;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private long steps;
    /** First and second raw moment estimates; null until the first step sizes them. */
    private double[] m;

    private double[] v;

    /** Adam with step size {@code learningRate} and the paper's default betas and epsilon. */
    public Adam(double learningRate) {
        this(learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
    }

    /** Adam with a constant step size. */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(LearningRateSchedule.constant(learningRate), beta1, beta2, epsilon);
    }

    /**
     * Adam with a step-size schedule {@code alpha_t}.
     *
     * @param beta1 decay of the first moment, in {@code [0, 1)}
     * @param beta2 decay of the second moment, in {@code [0, 1)}
     * @param epsilon added to {@code sqrt(v^)} for stability, {@code > 0}
     */
    public Adam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon) {
        this.schedule = checkNotNull(schedule, "schedule");
        checkArgument(beta1 >= 0.0 && beta1 < 1.0, "beta1 must be in [0, 1), got %s", beta1);
        checkArgument(beta2 >= 0.0 && beta2 < 1.0, "beta2 must be in [0, 1), got %s", beta2);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = checkPositive(epsilon, "epsilon");
    }

    @Override
    public void step(double[] params, double[] grad) {
        if (m == null) {
            checkNotNull(params, "params");
            m = new double[params.length];
            v = new double[params.length];
        }
        Optimizers.checkStepArguments(params, grad, m.length);
        long t = steps + 1;
        double alpha = schedule.learningRate(t);
        double invBiasCorrection1 = 1.0 / (1.0 - Math.pow(beta1, t));
        double invBiasCorrection2 = 1.0 / (1.0 - Math.pow(beta2, t));
        double oneMinusBeta1 = 1.0 - beta1;
        double oneMinusBeta2 = 1.0 - beta2;
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            double mi = beta1 * m[i] + oneMinusBeta1 * g;
            double vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            double mHat = mi * invBiasCorrection1;
            double vHat = vi * invBiasCorrection2;
            params[i] -= alpha * mHat / (Math.sqrt(vHat) + epsilon);
        }
        steps = t;
    }

    @Override
    public long steps() {
        return steps;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    @Override
    public OptimizerState snapshot() {
        if (m == null) {
            return OptimizerState.of(NAME, steps);
        }
        return new OptimizerState(NAME, steps, Map.of("m", m, "v", v));
    }

    @Override
    public void restore(OptimizerState state) {
        checkNotNull(state, "state");
        state.checkAlgorithm(NAME);
        if (state.slotNames().isEmpty()) {
            m = null;
            v = null;
        } else {
            checkArgument(
                    state.slotNames().equals(Set.of("m", "v")),
                    "adam state needs slots m and v, got %s",
                    state.slotNames());
            m = state.slot("m");
            v = state.slot("v");
        }
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "Adam[schedule=" + schedule + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon
                + ", steps=" + steps + "]";
    }
}
