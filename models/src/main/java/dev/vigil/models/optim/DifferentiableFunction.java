package dev.vigil.models.optim;

/**
 * A smooth objective for batch minimizers such as {@link Lbfgs}: its value and gradient at a point. For windowed
 * batch training this is the mean loss over the window's examples plus the regularization, e.g. for a logistic
 * regression {@code (x, g) -> { System.arraycopy(x, 0, model.parameters(), 0, x.length); return
 * model.batchLossAndGradient(rows, labels, n, classWeights, l2, g); }}.
 */
@FunctionalInterface
public interface DifferentiableFunction {

    /**
     * Returns {@code f(x)} and overwrites {@code grad} (same length as {@code x}) with the gradient at {@code x}. Must
     * not modify or retain {@code x}. A non-finite value means "outside the domain" and makes a line search back off.
     */
    double valueAndGradient(double[] x, double[] grad);
}
