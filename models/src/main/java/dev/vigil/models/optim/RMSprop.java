package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.util.Map;
import java.util.Set;

/**
 * RMSprop (T. Tieleman and G. Hinton, "Lecture 6.5 — rmsprop: Divide the gradient by a running average of its recent
 * magnitude", COURSERA: Neural Networks for Machine Learning, 2012): each coordinate's step is divided by the root
 * of a moving average of its squared gradients.
 *
 * <pre>
 *   r_t     = rho * r_{t-1} + (1 - rho) * g_t^2                 (r_0 = 0)
 *   theta_t = theta_{t-1} - eta_t * g_t / (sqrt(r_t) + epsilon)
 * </pre>
 *
 * <p><b>Centered</b> (A. Graves, "Generating Sequences With Recurrent Neural Networks", arXiv:1308.0850, 2013,
 * eq. (38)–(41), without its momentum term) also tracks the mean gradient and divides by an estimate of the
 * gradient's standard deviation instead of its root mean square:
 *
 * <pre>
 *   a_t     = rho * a_{t-1} + (1 - rho) * g_t                    (a_0 = 0)
 *   theta_t = theta_{t-1} - eta_t * g_t / (sqrt(max(r_t - a_t^2, 0)) + epsilon)
 * </pre>
 *
 * ({@code r_t - a_t^2 >= 0} in exact arithmetic; the {@code max} only guards rounding.) The lecture has no epsilon
 * and Graves adds his inside the root; here, as in PyTorch's {@code RMSprop}, {@code epsilon} is added outside the
 * root in both variants. There is no bias correction, so the first step
 * is about {@code eta / sqrt(1 - rho)} per coordinate. Defaults: {@code rho = 0.9} (the lecture's), {@code epsilon =
 * 1e-8}. Slots: {@code "mean_square"} ({@code r}) and, when centered, {@code "mean_grad"} ({@code a}).
 */
public final class RMSprop implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "rmsprop";

    public static final double DEFAULT_RHO = 0.9;
    public static final double DEFAULT_EPSILON = 1e-8;

    static final String MEAN_SQUARE = "mean_square";
    static final String MEAN_GRAD = "mean_grad";

    private static final long serialVersionUID = 1L;

    private final LearningRateSchedule schedule;
    private final double rho;
    private final double epsilon;
    private final boolean centered;

    private long steps;
    /** Moving averages of g^2 and (centered only) g; null until the first step sizes them. */
    private double[] meanSquare;

    private double[] meanGrad;

    /** Plain (uncentered) RMSprop with a constant learning rate, {@code rho = 0.9} and {@code epsilon = 1e-8}. */
    public RMSprop(double learningRate) {
        this(LearningRateSchedule.constant(learningRate), DEFAULT_RHO, DEFAULT_EPSILON, false);
    }

    /**
     * RMSprop with a learning-rate schedule {@code eta_t}.
     *
     * @param rho decay of the moving averages, in {@code [0, 1)}
     * @param epsilon added to the root, {@code > 0}
     * @param centered divide by the estimated standard deviation instead of the root mean square
     */
    public RMSprop(LearningRateSchedule schedule, double rho, double epsilon, boolean centered) {
        this.schedule = checkNotNull(schedule, "schedule");
        checkArgument(rho >= 0.0 && rho < 1.0, "rho must be in [0, 1), got %s", rho);
        this.rho = rho;
        this.epsilon = checkPositive(epsilon, "epsilon");
        this.centered = centered;
    }

    @Override
    public void step(double[] params, double[] grad) {
        if (meanSquare == null) {
            checkNotNull(params, "params");
            meanSquare = new double[params.length];
            meanGrad = centered ? new double[params.length] : null;
        }
        Optimizers.checkStepArguments(params, grad, meanSquare.length);
        double eta = schedule.learningRate(steps + 1);
        double oneMinusRho = 1.0 - rho;
        if (centered) {
            for (int i = 0; i < params.length; i++) {
                double g = grad[i];
                double r = rho * meanSquare[i] + oneMinusRho * g * g;
                double a = rho * meanGrad[i] + oneMinusRho * g;
                meanSquare[i] = r;
                meanGrad[i] = a;
                params[i] -= eta * g / (Math.sqrt(Math.max(r - a * a, 0.0)) + epsilon);
            }
        } else {
            for (int i = 0; i < params.length; i++) {
                double g = grad[i];
                double r = rho * meanSquare[i] + oneMinusRho * g * g;
                meanSquare[i] = r;
                params[i] -= eta * g / (Math.sqrt(r) + epsilon);
            }
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    public double rho() {
        return rho;
    }

    public double epsilon() {
        return epsilon;
    }

    public boolean centered() {
        return centered;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    @Override
    public OptimizerState snapshot() {
        if (meanSquare == null) {
            return OptimizerState.of(NAME, steps);
        }
        return centered
                ? new OptimizerState(NAME, steps, Map.of(MEAN_SQUARE, meanSquare, MEAN_GRAD, meanGrad))
                : new OptimizerState(NAME, steps, Map.of(MEAN_SQUARE, meanSquare));
    }

    @Override
    public void restore(OptimizerState state) {
        Set<String> expected = centered ? Set.of(MEAN_SQUARE, MEAN_GRAD) : Set.of(MEAN_SQUARE);
        if (Optimizers.restoreSlots(state, NAME, expected)) {
            meanSquare = state.slot(MEAN_SQUARE);
            meanGrad = centered ? state.slot(MEAN_GRAD) : null;
        } else {
            meanSquare = null;
            meanGrad = null;
        }
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "RMSprop[schedule=" + schedule + ", rho=" + rho + ", epsilon=" + epsilon + ", centered=" + centered
                + ", steps=" + steps + "]";
    }
}
