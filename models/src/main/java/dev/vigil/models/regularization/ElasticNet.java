package dev.vigil.models.regularization;

import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.optim.ParameterMask;

/**
 * The elastic-net penalty (H. Zou and T. Hastie, "Regularization and variable selection via the elastic net", JRSS B
 * 67(2), 2005), in glmnet's parametrization without the {@code alpha} mixing:
 *
 * <pre>
 *   R(w) = lambda1 * sum_i |w_i|  +  (lambda2 / 2) * sum_i w_i^2          (i in the mask)
 * </pre>
 *
 * L1 alone is {@code lambda2 = 0} (the lasso), L2 alone {@code lambda1 = 0} (ridge). The L2 part is smooth: it adds
 * {@code lambda2 * w_i} to the gradient, the same convention as {@link
 * dev.vigil.models.linear.LogisticRegression#lossAndGradient}'s {@code l2}. The L1 part is applied after the
 * optimizer step by soft-thresholding, the proximal operator of {@code eta * lambda1 * |w|}:
 *
 * <pre>
 *   w_i &lt;- sign(w_i) * max(|w_i| - eta * lambda1, 0)
 * </pre>
 *
 * which sets {@code w_i} to exactly {@code 0.0} once {@code |w_i| <= eta * lambda1}.
 *
 * <p><b>Plain proximal gradient, not the cumulative penalty.</b> Y. Tsuruoka, J. Tsujii and S. Ananiadou ("Stochastic
 * gradient descent training for L1-regularized log-linear models with cumulative penalty", ACL 2009) keep, per weight,
 * the total penalty received so far, which makes SGD's noisy iterates reach zero more reliably. That needs per-weight
 * state in the checkpoint; this penalty is stateless and exactly FOBOS (Duchi and Singer 2009) under SGD. For sparse
 * online models FTRL-Proximal ({@link dev.vigil.models.optim.Ftrl}) gives sparser solutions and is preferred.
 *
 * @param lambda1 the L1 strength, {@code >= 0}
 * @param lambda2 the L2 strength, {@code >= 0}
 * @param mask the parameters penalized; leave biases out
 */
public record ElasticNet(double lambda1, double lambda2, ParameterMask mask) implements Regularizer {

    static final ElasticNet NONE = new ElasticNet(0.0, 0.0, ParameterMask.all());

    public ElasticNet {
        checkNonNegative(lambda1, "lambda1");
        checkNonNegative(lambda2, "lambda2");
        checkNotNull(mask, "mask");
    }

    @Override
    public double penalty(double[] params) {
        checkNotNull(params, "params");
        mask.checkSize(params.length);
        double abs = 0.0;
        double sq = 0.0;
        for (int i = 0; i < params.length; i++) {
            if (mask.includes(i)) {
                double w = params[i];
                abs += Math.abs(w);
                sq += w * w;
            }
        }
        return lambda1 * abs + 0.5 * lambda2 * sq;
    }

    @Override
    public void addGradient(double[] params, double[] grad) {
        checkNotNull(params, "params");
        checkNotNull(grad, "grad");
        if (params.length != grad.length) {
            throw new IllegalArgumentException(
                    "params and grad lengths differ: " + params.length + " vs " + grad.length);
        }
        mask.checkSize(params.length);
        if (lambda2 == 0.0) {
            return;
        }
        for (int i = 0; i < params.length; i++) {
            if (mask.includes(i)) {
                grad[i] += lambda2 * params[i];
            }
        }
    }

    @Override
    public void proximalStep(double[] params, double stepSize) {
        checkNotNull(params, "params");
        checkNonNegative(stepSize, "stepSize");
        mask.checkSize(params.length);
        double threshold = stepSize * lambda1;
        if (threshold == 0.0) {
            return;
        }
        for (int i = 0; i < params.length; i++) {
            if (mask.includes(i)) {
                double w = params[i];
                if (w > threshold) {
                    params[i] = w - threshold;
                } else if (w < -threshold) {
                    params[i] = w + threshold;
                } else if (!Double.isNaN(w)) {
                    params[i] = 0.0;
                }
            }
        }
    }

    @Override
    public boolean hasProximalStep() {
        return lambda1 > 0.0;
    }
}
