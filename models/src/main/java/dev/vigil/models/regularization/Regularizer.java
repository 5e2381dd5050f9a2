package dev.vigil.models.regularization;

import dev.vigil.models.optim.ParameterMask;
import java.io.Serializable;

/**
 * A penalty {@code R(theta)} added to a training objective, split into a smooth part, which enters the gradient
 * before the optimizer step, and a non-smooth part, applied by its proximal operator after the step:
 *
 * <pre>
 *   g'      = g + grad R_smooth(theta_{t-1})                      ({@link #addGradient})
 *   theta'  = optimizer step from theta_{t-1} with g'
 *   theta_t = prox_{eta_t R_nonsmooth}(theta')                    ({@link #proximalStep})
 * </pre>
 *
 * This is proximal (forward-backward) gradient descent (J. Duchi and Y. Singer, "Efficient Online and Batch Learning
 * Using Forward Backward Splitting", JMLR 10, 2009; A. Beck and M. Teboulle's ISTA, SIAM J. Imaging Sci. 2(1), 2009).
 * Unlike a subgradient of {@code |w|}, the proximal step sets weights to exactly zero. {@link RegularizedOptimizer}
 * does the three steps around any {@link dev.vigil.models.optim.Optimizer}.
 *
 * <p>Implementations are immutable and stateless (nothing to checkpoint), and leave the parameters outside their
 * {@link ParameterMask} alone.
 */
public interface Regularizer extends Serializable {

    /** The penalty {@code R(params)}. */
    double penalty(double[] params);

    /** Adds the gradient of the smooth part at {@code params} to {@code grad}. */
    void addGradient(double[] params, double[] grad);

    /**
     * Replaces {@code params} in place by the proximal operator of {@code stepSize} times the non-smooth part. A no-op
     * when {@link #hasProximalStep()} is false.
     *
     * @param stepSize the learning rate of the step just taken, {@code >= 0}
     */
    void proximalStep(double[] params, double stepSize);

    /** Whether {@link #proximalStep} does anything (there is a non-smooth part). */
    boolean hasProximalStep();

    /** No penalty. */
    static Regularizer none() {
        return ElasticNet.NONE;
    }

    /** {@code lambda * ||w||_1} over every parameter. */
    static Regularizer l1(double lambda) {
        return new ElasticNet(lambda, 0.0, ParameterMask.all());
    }

    /** {@code (lambda / 2) * ||w||_2^2} over every parameter: adds {@code lambda * w} to the gradient. */
    static Regularizer l2(double lambda) {
        return new ElasticNet(0.0, lambda, ParameterMask.all());
    }

    /** {@code lambda1 ||w||_1 + (lambda2 / 2) ||w||_2^2} over the parameters in {@code mask}. */
    static Regularizer elasticNet(double lambda1, double lambda2, ParameterMask mask) {
        return new ElasticNet(lambda1, lambda2, mask);
    }
}
