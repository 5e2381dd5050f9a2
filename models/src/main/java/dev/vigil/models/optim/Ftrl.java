package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.util.Map;
import java.util.Set;

/**
 * FTRL-Proximal with per-coordinate learning rates and L1/L2 regularization (H. B. McMahan, G. Holt, D. Sculley et
 * al., "Ad Click Prediction: a View from the Trenches", KDD 2013, Algorithm 1), the standard online learner for sparse
 * CTR and fraud models. Per coordinate {@code i}, with state {@code z_i} and {@code n_i} (both 0 at the start):
 *
 * <pre>
 *   w_{t,i} = 0                                                           if |z_i| &lt;= lambda1
 *           = -(z_i - sgn(z_i) lambda1) / ((beta + sqrt(n_i)) / alpha + lambda2)   otherwise
 *   (predict with w_t, observe the gradient g_t at w_t)
 *   sigma_i = (sqrt(n_i + g_i^2) - sqrt(n_i)) / alpha
 *   z_i     = z_i + g_i - sigma_i * w_{t,i}
 *   n_i     = n_i + g_i^2
 * </pre>
 *
 * <p>The per-coordinate learning rate is {@code eta_{t,i} = alpha / (beta + sqrt(n_i))} (Section 3.1 of the paper;
 * "{@code beta = 1} is usually good enough"). Coordinates with {@code |z_i| <= lambda1} are set to exactly
 * {@code 0.0}: the L1 term gives true sparsity, not merely small weights, which is why no separate L1
 * {@link dev.vigil.models.regularization.Regularizer} should be stacked on this optimizer.
 *
 * <p><b>How it maps onto {@link #step}.</b> The parameters handed to {@code step} are {@code w_t} (the weights the
 * gradient was computed at) and are used as such in {@code sigma_i * w_{t,i}}; after updating {@code z} and {@code n}
 * the step writes {@code w_{t+1}} from the closed form above. While the caller does not change the parameters between
 * steps this is Algorithm 1 exactly. The weights are a function of {@code (z, n)}, so a model continues training by
 * restoring its FTRL state ({@link #restore}), not from its parameters alone; parameters given to the first step are
 * only the centre of the first proximal term (the published algorithm starts from {@code w = 0}).
 *
 * <p>The paper regularizes every coordinate; a {@link ParameterMask} can leave some (the bias) out of {@code lambda1}
 * and {@code lambda2}. The state is checkpointed as slots {@code "z"} and {@code "n"}.
 */
public final class Ftrl implements Optimizer {

    /** The algorithm name in {@link OptimizerState#algorithm()}. */
    public static final String NAME = "ftrl";

    public static final double DEFAULT_BETA = 1.0;

    static final String Z = "z";
    static final String N = "n";

    private static final long serialVersionUID = 1L;

    private final double alpha;
    private final double beta;
    private final double lambda1;
    private final double lambda2;
    private final ParameterMask regularizedMask;
    private final double invAlpha;

    private long steps;
    /** Per-coordinate z and n of Algorithm 1; null until the first step sizes them. */
    private double[] z;

    private double[] n;
    /**
     * {@code sqrt(n)}, cached to save one square root per coordinate and step. Derived state: not checkpointed, rebuilt
     * from {@code n} after a restore or deserialization (a square root is correctly rounded, so the rebuilt values are
     * the same bits).
     */
    private transient double[] sqrtN;

    /** FTRL-Proximal with {@code beta = 1} and no regularization. */
    public Ftrl(double alpha) {
        this(alpha, DEFAULT_BETA, 0.0, 0.0);
    }

    /** FTRL-Proximal regularizing every coordinate. */
    public Ftrl(double alpha, double beta, double lambda1, double lambda2) {
        this(alpha, beta, lambda1, lambda2, ParameterMask.all());
    }

    /**
     * FTRL-Proximal.
     *
     * @param alpha the per-coordinate learning-rate scale, {@code > 0}
     * @param beta the per-coordinate learning-rate offset, {@code >= 0}
     * @param lambda1 the L1 strength, {@code >= 0}
     * @param lambda2 the L2 strength, {@code >= 0}
     * @param regularizedMask the coordinates {@code lambda1} and {@code lambda2} apply to
     */
    public Ftrl(double alpha, double beta, double lambda1, double lambda2, ParameterMask regularizedMask) {
        this.alpha = checkPositive(alpha, "alpha");
        this.invAlpha = 1.0 / alpha;
        this.beta = checkNonNegative(beta, "beta");
        this.lambda1 = checkNonNegative(lambda1, "lambda1");
        this.lambda2 = checkNonNegative(lambda2, "lambda2");
        this.regularizedMask = checkNotNull(regularizedMask, "regularizedMask");
    }

    @Override
    public void step(double[] params, double[] grad) {
        if (z == null) {
            checkNotNull(params, "params");
            regularizedMask.checkSize(params.length);
            z = new double[params.length];
            n = new double[params.length];
        }
        Optimizers.checkStepArguments(params, grad, z.length);
        double[] sqrtN = this.sqrtN;
        if (sqrtN == null) {
            sqrtN = new double[n.length];
            for (int i = 0; i < n.length; i++) {
                sqrtN[i] = Math.sqrt(n[i]);
            }
            this.sqrtN = sqrtN;
        }
        boolean regularizeAll = regularizedMask.isAll();
        for (int i = 0; i < params.length; i++) {
            double g = grad[i];
            double nNew = n[i] + g * g;
            double sqrtNNew = Math.sqrt(nNew);
            double sigma = (sqrtNNew - sqrtN[i]) * invAlpha;
            double zi = z[i] + g - sigma * params[i];
            z[i] = zi;
            n[i] = nNew;
            sqrtN[i] = sqrtNNew;
            double l1;
            double l2;
            if (regularizeAll || regularizedMask.includes(i)) {
                l1 = lambda1;
                l2 = lambda2;
            } else {
                l1 = 0.0;
                l2 = 0.0;
            }
            params[i] = weight(zi, sqrtNNew, l1, l2);
        }
        steps++;
    }

    /** The closed-form {@code w_i} from {@code z_i} and {@code sqrt(n_i)}. */
    private double weight(double zi, double sqrtN, double l1, double l2) {
        if (Math.abs(zi) <= l1) {
            return 0.0;
        }
        double shrunk = zi > 0 ? zi - l1 : zi + l1;
        return -shrunk / ((beta + sqrtN) * invAlpha + l2);
    }

    @Override
    public long steps() {
        return steps;
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    public double lambda1() {
        return lambda1;
    }

    public double lambda2() {
        return lambda2;
    }

    public ParameterMask regularizedMask() {
        return regularizedMask;
    }

    @Override
    public OptimizerState snapshot() {
        if (z == null) {
            return OptimizerState.of(NAME, steps);
        }
        return new OptimizerState(NAME, steps, Map.of(Z, z, N, n));
    }

    @Override
    public void restore(OptimizerState state) {
        if (Optimizers.restoreSlots(state, NAME, Set.of(Z, N))) {
            regularizedMask.checkSize(state.slotLength());
            double[] restoredN = state.slot(N);
            for (int i = 0; i < restoredN.length; i++) {
                if (!(restoredN[i] >= 0.0)) {
                    throw new IllegalArgumentException("ftrl state n[" + i + "] must be >= 0, got " + restoredN[i]);
                }
            }
            z = state.slot(Z);
            n = restoredN;
        } else {
            z = null;
            n = null;
        }
        sqrtN = null;
        steps = state.steps();
    }

    @Override
    public String toString() {
        return "Ftrl[alpha=" + alpha + ", beta=" + beta + ", lambda1=" + lambda1 + ", lambda2=" + lambda2
                + ", regularizedMask=" + regularizedMask + ", steps=" + steps + "]";
    }
}
