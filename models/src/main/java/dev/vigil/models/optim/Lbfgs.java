package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkFinite;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.io.Serializable;

/**
 * Limited-memory BFGS (D. C. Liu and J. Nocedal, "On the limited memory BFGS method for large scale optimization",
 * Math. Programming 45, 1989) for minimizing a smooth {@link DifferentiableFunction}: windowed batch training, where
 * the whole window's objective is available at once. The streaming optimizers ({@link Optimizer}) are for
 * per-example updates.
 *
 * <p><b>Direction.</b> The two-loop recursion (J. Nocedal and S. J. Wright, <i>Numerical Optimization</i>, 2nd ed.,
 * 2006, Algorithm 7.4) applies the inverse-Hessian approximation built from the last {@code m} pairs {@code s_k =
 * x_{k+1} - x_k}, {@code y_k = g_{k+1} - g_k}, starting from {@code H_0 = gamma I} with {@code gamma = s'y / y'y}
 * of the newest pair (eq. 7.20). A pair is stored only if {@code s'y > 1e-10 * y'y}, which keeps the approximation
 * positive definite; if the direction is still not a descent direction (rounding), the history is dropped and the
 * step falls back to steepest descent.
 *
 * <p><b>Line search.</b> Strong Wolfe conditions, {@code f(x + a d) <= f(x) + c1 a g'd} and {@code |g(x + a d)'d|
 * <= c2 |g'd|} ({@code c1 = 1e-4}, {@code c2 = 0.9} by default), found by Nocedal and Wright's Algorithm 3.5
 * (bracketing, doubling the step) and 3.6 (zoom, with the safeguarded cubic interpolation of eq. 3.59 and bisection
 * as fallback). Strong Wolfe, rather than backtracking Armijo, guarantees {@code s'y > 0} so every pair can update
 * the approximation. The first trial step is {@code 1} ({@code 1 / ||g||} on the first iteration, when the
 * direction is the raw gradient).
 *
 * <p><b>Stopping.</b> At the first of: {@code max_i |g_i| <= gradientTolerance}; a relative decrease
 * {@code (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) <= valueTolerance}; {@code maxIterations}; or a line search that
 * finds no acceptable point in {@code maxLineSearchEvaluations} evaluations, even from the steepest-descent
 * direction (the last accepted point is returned).
 *
 * <pre>{@code
 * Lbfgs.Result result = Lbfgs.builder().historySize(10).gradientTolerance(1e-8).build().minimize(f, x0);
 * }</pre>
 *
 * <p>Holds only configuration: thread-safe, and {@link #minimize} allocates its buffers per call.
 */
public final class Lbfgs implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Curvature pairs with {@code s'y <= CURVATURE_EPSILON * y'y} are skipped. */
    private static final double CURVATURE_EPSILON = 1e-10;

    private final int historySize;
    private final int maxIterations;
    private final double gradientTolerance;
    private final double valueTolerance;
    private final double c1;
    private final double c2;
    private final int maxLineSearchEvaluations;

    private Lbfgs(Builder b) {
        this.historySize = b.historySize;
        this.maxIterations = b.maxIterations;
        this.gradientTolerance = b.gradientTolerance;
        this.valueTolerance = b.valueTolerance;
        this.c1 = b.c1;
        this.c2 = b.c2;
        this.maxLineSearchEvaluations = b.maxLineSearchEvaluations;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Why {@link #minimize} stopped. */
    public enum Status {
        /** {@code max_i |g_i| <= gradientTolerance}. */
        GRADIENT_TOLERANCE,
        /** The relative decrease of {@code f} fell to {@code valueTolerance} or below. */
        VALUE_TOLERANCE,
        /** {@code maxIterations} iterations were taken. */
        MAX_ITERATIONS,
        /** No point satisfying the strong Wolfe conditions was found along a descent direction. */
        LINE_SEARCH_FAILED;

        /** Whether a tolerance was met. */
        public boolean converged() {
            return this == GRADIENT_TOLERANCE || this == VALUE_TOLERANCE;
        }
    }

    /**
     * The outcome of {@link #minimize}.
     *
     * @param x the final point
     * @param value {@code f(x)}
     * @param gradientNorm {@code max_i |g_i(x)|}
     * @param iterations the number of iterations (line searches that succeeded)
     * @param evaluations the number of calls to the function
     * @param status why it stopped
     */
    public record Result(
            double[] x, double value, double gradientNorm, int iterations, int evaluations, Status status) {}

    /**
     * Minimizes {@code f} from {@code x0} (not modified).
     *
     * @throws IllegalArgumentException if {@code x0} is empty or not finite, or {@code f} is not finite at it
     */
    public Result minimize(DifferentiableFunction f, double[] x0) {
        checkNotNull(f, "f");
        checkNotNull(x0, "x0");
        checkArgument(x0.length > 0, "x0 must not be empty");
        checkFinite(x0, "x0");
        int n = x0.length;
        double[] x = x0.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        checkArgument(Double.isFinite(fx), "f(x0) must be finite, got %s", fx);
        checkFinite(g, "gradient at x0");

        double[][] s = new double[historySize][n];
        double[][] y = new double[historySize][n];
        double[] sNext = new double[n];
        double[] yNext = new double[n];
        double[] rho = new double[historySize];
        double[] alpha = new double[historySize];
        int stored = 0;
        int newest = -1;

        double[] d = new double[n];
        LineSearch search = new LineSearch(f, n);
        int iterations = 0;
        Status status;
        while (true) {
            if (maxAbs(g) <= gradientTolerance) {
                status = Status.GRADIENT_TOLERANCE;
                break;
            }
            if (iterations >= maxIterations) {
                status = Status.MAX_ITERATIONS;
                break;
            }
            twoLoopDirection(g, s, y, rho, alpha, stored, newest, d);
            double slope = dot(g, d);
            if (!(slope < 0.0) && stored > 0) {
                stored = 0;
                newest = -1;
                twoLoopDirection(g, s, y, rho, alpha, 0, -1, d);
                slope = dot(g, d);
            }
            double initialStep = stored == 0 ? 1.0 / Math.sqrt(dot(g, g)) : 1.0;
            boolean found = search.search(x, fx, g, d, slope, initialStep);
            evaluations += search.evaluations;
            if (!found && stored > 0) {
                // Restart from steepest descent once before giving up.
                stored = 0;
                newest = -1;
                twoLoopDirection(g, s, y, rho, alpha, 0, -1, d);
                slope = dot(g, d);
                found = search.search(x, fx, g, d, slope, 1.0 / Math.sqrt(dot(g, g)));
                evaluations += search.evaluations;
            }
            if (!found) {
                status = Status.LINE_SEARCH_FAILED;
                break;
            }
            iterations++;
            double fNew = search.value;
            double[] xNew = search.x;
            double[] gNew = search.grad;

            double[] sk = sNext;
            double[] yk = yNext;
            double sy = 0.0;
            double yy = 0.0;
            for (int i = 0; i < n; i++) {
                sk[i] = xNew[i] - x[i];
                yk[i] = gNew[i] - g[i];
                sy += sk[i] * yk[i];
                yy += yk[i] * yk[i];
            }
            if (sy > CURVATURE_EPSILON * yy) {
                // Store the pair in the slot after the newest (the oldest once full) and recycle that slot's arrays.
                int slot = (newest + 1) % historySize;
                sNext = s[slot];
                yNext = y[slot];
                s[slot] = sk;
                y[slot] = yk;
                rho[slot] = 1.0 / sy;
                newest = slot;
                stored = Math.min(stored + 1, historySize);
            }
            double fOld = fx;
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if ((fOld - fNew) <= valueTolerance * Math.max(Math.max(Math.abs(fOld), Math.abs(fNew)), 1.0)) {
                status = maxAbs(g) <= gradientTolerance ? Status.GRADIENT_TOLERANCE : Status.VALUE_TOLERANCE;
                break;
            }
        }
        return new Result(x, fx, maxAbs(g), iterations, evaluations, status);
    }

    /**
     * {@code d = -H g} by the two-loop recursion over the {@code stored} newest pairs (ring buffer ending at
     * {@code newest}); {@code d = -g} when there are none.
     */
    private void twoLoopDirection(
            double[] g, double[][] s, double[][] y, double[] rho, double[] alpha, int stored, int newest, double[] d) {
        int n = g.length;
        for (int i = 0; i < n; i++) {
            d[i] = -g[i];
        }
        if (stored == 0) {
            return;
        }
        int k = newest;
        for (int j = 0; j < stored; j++) {
            double a = rho[k] * dot(s[k], d);
            alpha[k] = a;
            axpy(-a, y[k], d);
            k = k == 0 ? historySize - 1 : k - 1;
        }
        double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
        for (int i = 0; i < n; i++) {
            d[i] *= gamma;
        }
        k = (newest - stored + 1 + historySize) % historySize;
        for (int j = 0; j < stored; j++) {
            double b = rho[k] * dot(y[k], d);
            axpy(alpha[k] - b, s[k], d);
            k = (k + 1) % historySize;
        }
    }

    /** Strong-Wolfe line search along {@code d}; the accepted point stays in {@code x}, {@code grad}, {@code value}. */
    private final class LineSearch {
        private final DifferentiableFunction f;
        final double[] x;
        final double[] grad;
        double value;
        int evaluations;

        private double[] origin;
        private double[] direction;

        LineSearch(DifferentiableFunction f, int n) {
            this.f = f;
            this.x = new double[n];
            this.grad = new double[n];
        }

        /** Evaluates {@code f} at {@code origin + a * direction}; returns the directional derivative. */
        private double evaluate(double a) {
            for (int i = 0; i < x.length; i++) {
                x[i] = origin[i] + a * direction[i];
            }
            value = f.valueAndGradient(x, grad);
            evaluations++;
            return dot(grad, direction);
        }

        /** Nocedal and Wright, Algorithm 3.5. */
        boolean search(double[] x0, double f0, double[] g0, double[] d, double slope0, double initialStep) {
            this.origin = x0;
            this.direction = d;
            this.evaluations = 0;
            if (!(slope0 < 0.0) || !Double.isFinite(initialStep)) {
                return false;
            }
            double prevA = 0.0;
            double prevF = f0;
            double prevSlope = slope0;
            double a = initialStep;
            while (evaluations < maxLineSearchEvaluations) {
                double slope = evaluate(a);
                double fa = value;
                if (!(fa <= f0 + c1 * a * slope0) || (evaluations > 1 && fa >= prevF)) {
                    return zoom(f0, slope0, prevA, prevF, prevSlope, a, fa, slope);
                }
                if (Math.abs(slope) <= -c2 * slope0) {
                    return true;
                }
                if (slope >= 0.0) {
                    return zoom(f0, slope0, a, fa, slope, prevA, prevF, prevSlope);
                }
                prevA = a;
                prevF = fa;
                prevSlope = slope;
                a *= 2.0;
            }
            return false;
        }

        /**
         * Nocedal and Wright, Algorithm 3.6: {@code lo} satisfies sufficient decrease and has the lowest value seen;
         * the interval between {@code lo} and {@code hi} contains strong-Wolfe points.
         */
        private boolean zoom(
                double f0,
                double slope0,
                double lo,
                double fLo,
                double slopeLo,
                double hi,
                double fHi,
                double slopeHi) {
            while (evaluations < maxLineSearchEvaluations) {
                double a = interpolate(lo, fLo, slopeLo, hi, fHi, slopeHi);
                if (a == lo || a == hi) {
                    return false; // the interval has collapsed to rounding
                }
                double slope = evaluate(a);
                double fa = value;
                if (!(fa <= f0 + c1 * a * slope0) || fa >= fLo) {
                    hi = a;
                    fHi = fa;
                    slopeHi = slope;
                } else {
                    if (Math.abs(slope) <= -c2 * slope0) {
                        return true;
                    }
                    if (slope * (hi - lo) >= 0.0) {
                        hi = lo;
                        fHi = fLo;
                        slopeHi = slopeLo;
                    }
                    lo = a;
                    fLo = fa;
                    slopeLo = slope;
                }
            }
            return false;
        }
    }

    /**
     * The minimizer of the cubic through {@code (a, fa, da)} and {@code (b, fb, db)} (Nocedal and Wright eq. 3.59),
     * kept at least 10 % of the interval away from both ends; the midpoint when the cubic is not usable.
     */
    static double interpolate(double a, double fa, double da, double b, double fb, double db) {
        double lower = Math.min(a, b);
        double width = Math.abs(b - a);
        double mid = 0.5 * (a + b);
        if (!(Double.isFinite(fa) && Double.isFinite(fb) && Double.isFinite(da) && Double.isFinite(db))) {
            return mid;
        }
        double d1 = da + db - 3.0 * (fa - fb) / (a - b);
        double disc = d1 * d1 - da * db;
        if (!(disc >= 0.0)) {
            return mid;
        }
        double d2 = Math.signum(b - a) * Math.sqrt(disc);
        double denom = db - da + 2.0 * d2;
        if (denom == 0.0) {
            return mid;
        }
        double c = b - (b - a) * (db + d2 - d1) / denom;
        double margin = 0.1 * width;
        if (!(c >= lower + margin && c <= lower + width - margin)) {
            return mid;
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0.0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double max = 0.0;
        for (int i = 0; i < v.length; i++) {
            double a = Math.abs(v[i]);
            if (!(a <= max)) {
                max = a; // also propagates NaN
            }
        }
        return max;
    }

    public int historySize() {
        return historySize;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public double gradientTolerance() {
        return gradientTolerance;
    }

    public double valueTolerance() {
        return valueTolerance;
    }

    @Override
    public String toString() {
        return "Lbfgs[m=" + historySize + ", maxIterations=" + maxIterations + ", gradientTolerance="
                + gradientTolerance + ", valueTolerance=" + valueTolerance + ", c1=" + c1 + ", c2=" + c2
                + ", maxLineSearchEvaluations=" + maxLineSearchEvaluations + "]";
    }

    /** Settings of {@link Lbfgs}, validated in {@link #build()}. */
    public static final class Builder {
        private int historySize = 10;
        private int maxIterations = 1_000;
        private double gradientTolerance = 1e-6;
        private double valueTolerance = 1e-12;
        private double c1 = 1e-4;
        private double c2 = 0.9;
        private int maxLineSearchEvaluations = 40;

        private Builder() {}

        /** The number {@code m > 0} of correction pairs kept; default 10 (Liu and Nocedal suggest 3 to 7 and more). */
        public Builder historySize(int historySize) {
            this.historySize = historySize;
            return this;
        }

        /** Default 1000. */
        public Builder maxIterations(int maxIterations) {
            this.maxIterations = maxIterations;
            return this;
        }

        /** Stop once {@code max_i |g_i| <= gradientTolerance}, {@code >= 0}; default {@code 1e-6}. */
        public Builder gradientTolerance(double gradientTolerance) {
            this.gradientTolerance = gradientTolerance;
            return this;
        }

        /** Stop once the relative decrease of {@code f} is at most this, {@code >= 0}; default {@code 1e-12}. */
        public Builder valueTolerance(double valueTolerance) {
            this.valueTolerance = valueTolerance;
            return this;
        }

        /** The Wolfe constants, {@code 0 < c1 < c2 < 1}; default {@code 1e-4} and {@code 0.9}. */
        public Builder wolfe(double c1, double c2) {
            this.c1 = c1;
            this.c2 = c2;
            return this;
        }

        /** Function evaluations allowed per line search, {@code > 0}; default 40. */
        public Builder maxLineSearchEvaluations(int maxLineSearchEvaluations) {
            this.maxLineSearchEvaluations = maxLineSearchEvaluations;
            return this;
        }

        public Lbfgs build() {
            checkPositive(historySize, "historySize");
            checkPositive(maxIterations, "maxIterations");
            checkNonNegative(gradientTolerance, "gradientTolerance");
            checkNonNegative(valueTolerance, "valueTolerance");
            checkArgument(
                    0.0 < c1 && c1 < c2 && c2 < 1.0, "Wolfe constants need 0 < c1 < c2 < 1, got %s and %s", c1, c2);
            checkPositive(maxLineSearchEvaluations, "maxLineSearchEvaluations");
            return new Lbfgs(this);
        }
    }
}
