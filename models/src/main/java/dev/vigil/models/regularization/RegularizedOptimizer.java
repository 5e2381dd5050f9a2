package dev.vigil.models.regularization;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import dev.vigil.models.optim.Ftrl;
import dev.vigil.models.optim.GradientClipping;
import dev.vigil.models.optim.LearningRateSchedule;
import dev.vigil.models.optim.Optimizer;
import dev.vigil.models.optim.OptimizerState;

/**
 * An {@link Optimizer} that wraps another with gradient clipping and a {@link Regularizer}: what an online learner
 * steps with. Each {@link #step} does, on a copy of the loss gradient (the caller's array is not modified):
 *
 * <ol>
 *   <li>skip the step if the gradient has a NaN or infinite component (counted in {@link #skippedSteps()}), so one
 *       bad example cannot poison the parameters and the optimizer's moments;
 *   <li>clip each component to {@code [-clipValue, clipValue]}, then the whole gradient to norm {@code clipNorm}
 *       ({@link GradientClipping}; both optional) — clipping sees only the loss gradient, as in PyTorch, where
 *       {@code clip_grad_norm_} runs before the optimizer adds its weight decay;
 *   <li>add the regularizer's smooth (L2) gradient;
 *   <li>take the wrapped optimizer's step;
 *   <li>apply the regularizer's proximal (L1) step with step size {@code eta_t = proximalStepSize.learningRate(t)}.
 * </ol>
 *
 * <pre>{@code
 * Optimizer optimizer = RegularizedOptimizer.builder(new Sgd(0.05))
 *         .clipNorm(5.0)
 *         .regularizer(Regularizer.elasticNet(1e-4, 1e-3, ParameterMask.excluding(n, biasIndex)))
 *         .proximalStepSize(LearningRateSchedule.constant(0.05))
 *         .build();
 * }</pre>
 *
 * <p>For SGD the proximal step size is its learning rate and this is exactly FOBOS; for momentum methods and the
 * adaptive ones (AdaGrad, RMSprop, Adam), whose effective step differs per coordinate, thresholding with the base
 * learning rate is the usual approximation. FTRL has L1 and L2 built in and rejects an L1 regularizer here. The
 * regularizer is stateless, so {@link #snapshot()} and {@link #restore} are the wrapped optimizer's.
 */
public final class RegularizedOptimizer implements Optimizer {

    private static final long serialVersionUID = 1L;

    private final Optimizer optimizer;
    private final Regularizer regularizer;
    private final LearningRateSchedule proximalStepSize;
    private final double clipNorm;
    private final double clipValue;

    private long skippedSteps;
    private double lastGradientNorm = Double.NaN;
    /** The working copy of the gradient; rebuilt after deserialization. */
    private transient double[] scratch;

    private RegularizedOptimizer(Builder b) {
        this.optimizer = b.optimizer;
        this.regularizer = b.regularizer;
        this.proximalStepSize = b.proximalStepSize;
        this.clipNorm = b.clipNorm;
        this.clipValue = b.clipValue;
    }

    /** A builder around {@code optimizer}, which this wrapper then owns (do not step it directly). */
    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    @Override
    public void step(double[] params, double[] grad) {
        checkNotNull(params, "params");
        checkNotNull(grad, "grad");
        if (params.length != grad.length) {
            throw new IllegalArgumentException(
                    "params and grad lengths differ: " + params.length + " vs " + grad.length);
        }
        double[] g = scratch;
        if (g == null || g.length != grad.length) {
            g = new double[grad.length];
            scratch = g;
        }
        double sumSq = 0.0;
        for (int i = 0; i < g.length; i++) {
            double gi = grad[i];
            g[i] = gi;
            sumSq += gi * gi;
        }
        double norm = Math.sqrt(sumSq);
        lastGradientNorm = norm;
        if (!Double.isFinite(norm)) {
            skippedSteps++;
            return;
        }
        if (clipValue < Double.POSITIVE_INFINITY) {
            GradientClipping.clipByValue(g, clipValue);
        }
        if (clipNorm < Double.POSITIVE_INFINITY) {
            GradientClipping.clipByNorm(g, clipNorm);
        }
        regularizer.addGradient(params, g);
        optimizer.step(params, g);
        if (proximalStepSize != null) {
            regularizer.proximalStep(params, proximalStepSize.learningRate(optimizer.steps()));
        }
    }

    @Override
    public long steps() {
        return optimizer.steps();
    }

    /** Steps skipped because the gradient was not finite (not part of the snapshot). */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** The L2 norm of the last gradient passed to {@link #step}, before clipping; NaN before the first step. */
    public double lastGradientNorm() {
        return lastGradientNorm;
    }

    /** The wrapped optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    public Regularizer regularizer() {
        return regularizer;
    }

    @Override
    public OptimizerState snapshot() {
        return optimizer.snapshot();
    }

    @Override
    public void restore(OptimizerState state) {
        optimizer.restore(state);
    }

    @Override
    public String toString() {
        return "RegularizedOptimizer[optimizer=" + optimizer + ", regularizer=" + regularizer + ", clipNorm="
                + clipNorm + ", clipValue=" + clipValue + "]";
    }

    /** Builds a {@link RegularizedOptimizer}; by default no clipping and no penalty. */
    public static final class Builder {

        private final Optimizer optimizer;
        private Regularizer regularizer = Regularizer.none();
        private LearningRateSchedule proximalStepSize;
        private double clipNorm = Double.POSITIVE_INFINITY;
        private double clipValue = Double.POSITIVE_INFINITY;

        private Builder(Optimizer optimizer) {
            this.optimizer = checkNotNull(optimizer, "optimizer");
        }

        public Builder regularizer(Regularizer regularizer) {
            this.regularizer = checkNotNull(regularizer, "regularizer");
            return this;
        }

        /** The step size {@code eta_t} of the proximal (L1) step; required when the regularizer has an L1 part. */
        public Builder proximalStepSize(LearningRateSchedule proximalStepSize) {
            this.proximalStepSize = checkNotNull(proximalStepSize, "proximalStepSize");
            return this;
        }

        /** Clip the gradient to L2 norm {@code maxNorm > 0}. */
        public Builder clipNorm(double maxNorm) {
            this.clipNorm = checkPositive(maxNorm, "clipNorm");
            return this;
        }

        /** Clip each gradient component to {@code [-limit, limit]}, {@code limit > 0}. */
        public Builder clipValue(double limit) {
            this.clipValue = checkPositive(limit, "clipValue");
            return this;
        }

        public RegularizedOptimizer build() {
            if (regularizer.hasProximalStep()) {
                checkArgument(
                        !(optimizer instanceof Ftrl),
                        "ftrl has its own lambda1; do not add an L1 regularizer to it");
                checkArgument(
                        proximalStepSize != null,
                        "a regularizer with an L1 part needs proximalStepSize (the optimizer's learning rate)");
            }
            return new RegularizedOptimizer(this);
        }
    }
}
