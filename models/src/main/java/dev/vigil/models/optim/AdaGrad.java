package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * AdaGrad with diagonal matrices (J. Duchi, E. Hazan and Y. Singer, "Adaptive Subgradient Methods for Online Learning
 * and Stochastic Optimization", JMLR 12, 2011, Figure 1 "AdaGrad with diagonal matrices": the composite mirror
 * descent update with {@code H_t = delta I + diag(s_t)}, {@code s_{t,i} = ||g_{1:t,i}||_2}, and no regularizer
 * {@code phi}), which is per coordinate:
 *
 * <pre>
 *   G_t     = G_{t-1} + g_t^2                         (per coordinate; G_0 = initialAccumulator)
 *   theta_t = theta_{t-1} - eta_t * g_t / (delta + sqrt(G_t))
 * </pre>
 *
 * <p>Each coordinate's step shrinks with the gradient mass it has seen, so rare features keep large steps — why
 * AdaGrad suits sparse online problems. {@code delta > 0} (default {@code 1e-10}, PyTorch's) keeps the first steps
 * finite; it sits outside the square root as in the paper. {@code G_0 = 0} is the paper's start; TensorFlow starts
 * at {@code 0.1}. The sum of squares is checkpointed as slot {@code "sum_sq"}.
 */
public final class AdaGrad implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "adagrad";

    public static final double DEFAULT_DELTA = 1e-10;
    public static final double DEFAULT_INITIAL_ACCUMULATOR = 0.0;

    static final String SUM_SQ = "sum_sq";

    private static final long serialVersionUID = 1L;

    private final LearningRateSchedule schedule;
    private final double delta;
    private final double initialAccumulator;

    private long steps;
    /** Per-coordinate sum of squared gradients G; null until the first step sizes it. */
    private double[] sumSq;

    /** AdaGrad with a constant learning rate, {@code delta = 1e-10} and {@code G_0 = 0}. */
    public AdaGrad(double learningRate) {
        this(LearningRateSchedule.constant(learningRate), DEFAULT_DELTA, DEFAULT_INITIAL_ACCUMULATOR);
    }

    /**
     * AdaGrad with a learning-rate schedule {@code eta_t} (constant in the paper).
     *
     * @param delta added to {@code sqrt(G)}, {@code > 0}
     * @param initialAccumulator {@code G_0}, {@code >= 0}
     */
    public AdaGrad(LearningRateSchedule schedule, double delta, double initialAccumulator) {
        this.schedule = checkNotNull(schedule, "schedule");
        this.delta = checkPositive(delta, "delta");
        this.initialAccumulator = checkNonNegative(initialAccumulator, "initialAccumulator");
    }

    @Override
    public void step(double[] params, double[] grad) {
        if (sumSq == null) {
            checkNotNull(params, "params");
            sumSq = new double[params.length];
            Arrays.fill(sumSq, initialAccumulator);
        }
        Optimizers.checkStepArguments(params, grad, sumSq.length);
        double eta = schedule.learningRate(steps + 1);
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            double gi = sumSq[i] + g * g;
            sumSq[i] = gi;
            params[i] -= eta * g / (delta + Math.sqrt(gi));
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    public double delta() {
        return delta;
    }

    public double initialAccumulator() {
        return initialAccumulator;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    @Override
    public OptimizerState snapshot() {
        if (sumSq == null) {
            return OptimizerState.of(NAME, steps);
        }
        return new OptimizerState(NAME, steps, Map.of(SUM_SQ, sumSq));
    }

    @Override
    public void restore(OptimizerState state) {
        sumSq = Optimizers.restoreSlots(state, NAME, Set.of(SUM_SQ)) ? state.slot(SUM_SQ) : null;
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "AdaGrad[schedule=" + schedule + ", delta=" + delta + ", initialAccumulator=" + initialAccumulator
                + ", steps=" + steps + "]";
    }
}
