package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.util.Map;
import java.util.Set;

/**
 * AdamW, Adam with decoupled weight decay (I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR
 * 2019, Algorithm 2, the green terms). The decay shrinks the weights directly instead of being added to the gradient,
 * so it is not divided by {@code sqrt(v^)} as an L2 gradient would be under Adam:
 *
 * <pre>
 *   m_t     = beta1 * m_{t-1} + (1 - beta1) * g_t
 *   v_t     = beta2 * v_{t-1} + (1 - beta2) * g_t^2
 *   m^_t    = m_t / (1 - beta1^t),   v^_t = v_t / (1 - beta2^t)
 *   theta_t = theta_{t-1} - eta_t * (alpha * m^_t / (sqrt(v^_t) + epsilon) + lambda * theta_{t-1})
 * </pre>
 *
 * <p><b>Schedule.</b> The paper separates the step size {@code alpha} from the schedule multiplier {@code eta_t},
 * which scales the decay too. Here the {@link LearningRateSchedule} gives {@code alpha * eta_t}: {@code alpha =
 * schedule.learningRate(1)} and {@code eta_t = schedule.learningRate(t) / alpha} (so {@code eta_1 = 1}; with a constant
 * schedule {@code eta_t = 1} and the step is {@code alpha m^/(sqrt(v^)+eps) + lambda theta}).
 *
 * <p><b>{@code lambda} is the paper's</b>: the fraction of each weight removed per step at {@code eta_t = 1}, in
 * {@code [0, 1)}. PyTorch's {@code AdamW(lr, weight_decay=wd)} removes {@code lr * wd} per step, so it matches
 * {@code lambda = lr * wd} (e.g. {@code lr = 1e-3, wd = 1e-2} is {@code lambda = 1e-5}).
 *
 * <p><b>Which parameters decay.</b> Algorithm 2 decays the whole vector {@code theta}, and so does the default
 * {@link ParameterMask#all()}. For models with biases, pass a mask that leaves them out (as PyTorch and Keras users
 * commonly do, and as this project's logistic regression leaves its bias out of L2): shrinking a bias only moves the
 * predicted base rate. The moments are checkpointed as slots {@code "m"} and {@code "v"}, as for {@link Adam}; with
 * {@code lambda = 0} the updates equal {@link Adam}'s bit for bit under a constant schedule.
 */
public final class AdamW implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "adamw";

    private static final long serialVersionUID = 1L;

    private final LearningRateSchedule schedule;
    private final double alpha;
    private final double lambda;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final ParameterMask decayMask;

    private long steps;
    /** First and second raw moment estimates; null until the first step sizes them. */
    private double[] m;

    private double[] v;

    /** AdamW with constant step size {@code alpha}, decay {@code lambda} on every parameter, and Adam's defaults. */
    public AdamW(double alpha, double lambda) {
        this(
                LearningRateSchedule.constant(alpha),
                lambda,
                Adam.DEFAULT_BETA1,
                Adam.DEFAULT_BETA2,
                Adam.DEFAULT_EPSILON,
                ParameterMask.all());
    }

    /**
     * AdamW with a schedule of {@code alpha * eta_t}.
     *
     * @param lambda the paper's weight decay per step, in {@code [0, 1)}
     * @param beta1 decay of the first moment, in {@code [0, 1)}
     * @param beta2 decay of the second moment, in {@code [0, 1)}
     * @param epsilon added to {@code sqrt(v^)}, {@code > 0}
     * @param decayMask the parameters that decay (the others get the plain Adam step)
     */
    public AdamW(
            LearningRateSchedule schedule,
            double lambda,
            double beta1,
            double beta2,
            double epsilon,
            ParameterMask decayMask) {
        this.schedule = checkNotNull(schedule, "schedule");
        this.alpha = checkPositive(schedule.learningRate(1), "schedule.learningRate(1)");
        checkArgument(lambda >= 0.0 && lambda < 1.0, "lambda must be in [0, 1), got %s", lambda);
        checkArgument(beta1 >= 0.0 && beta1 < 1.0, "beta1 must be in [0, 1), got %s", beta1);
        checkArgument(beta2 >= 0.0 && beta2 < 1.0, "beta2 must be in [0, 1), got %s", beta2);
        this.lambda = lambda;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = checkPositive(epsilon, "epsilon");
        this.decayMask = checkNotNull(decayMask, "decayMask");
    }

    @Override
    public void step(double[] params, double[] grad) {
        if (m == null) {
            checkNotNull(params, "params");
            decayMask.checkSize(params.length);
            m = new double[params.length];
            v = new double[params.length];
        }
        Optimizers.checkStepArguments(params, grad, m.length);
        long t = steps + 1;
        double eta = schedule.learningRate(t) / alpha;
        double invBiasCorrection1 = 1.0 / (1.0 - Math.pow(beta1, t));
        double invBiasCorrection2 = 1.0 / (1.0 - Math.pow(beta2, t));
        double oneMinusBeta1 = 1.0 - beta1;
        double oneMinusBeta2 = 1.0 - beta2;
        boolean decayAll = decayMask.isAll();
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            double mi = beta1 * m[i] + oneMinusBeta1 * g;
            double vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            double mHat = mi * invBiasCorrection1;
            double vHat = vi * invBiasCorrection2;
            double theta = params[i];
            double decay = decayAll || decayMask.includes(i) ? lambda * theta : 0.0;
            params[i] = theta - eta * (alpha * mHat / (Math.sqrt(vHat) + epsilon) + decay);
        }
        steps = t;
    }

    @Override
    public long steps() {
        return steps;
    }

    /** The step size {@code alpha} (the schedule's first rate). */
    public double alpha() {
        return alpha;
    }

    /** The weight decay {@code lambda} per step. */
    public double lambda() {
        return lambda;
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

    public ParameterMask decayMask() {
        return decayMask;
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
        if (Optimizers.restoreSlots(state, NAME, Set.of("m", "v"))) {
            decayMask.checkSize(state.slotLength());
            m = state.slot("m");
            v = state.slot("v");
        } else {
            m = null;
            v = null;
        }
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "AdamW[schedule=" + schedule + ", lambda=" + lambda + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", epsilon=" + epsilon + ", decayMask=" + decayMask + ", steps=" + steps + "]";
    }
}
