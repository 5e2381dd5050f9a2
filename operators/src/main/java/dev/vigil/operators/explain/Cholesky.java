package dev.vigil.operators.explain;

/**
 * Solves the small symmetric positive (semi-)definite systems of {@link KernelShap}'s normal equations by Cholesky
 * factorization in place. A design with fewer distinct coalitions than players is singular; then a ridge of {@code
 * 1e-10} times the mean diagonal (raised a hundredfold per retry) makes it solvable, which picks the smallest-norm
 * attributions among those that fit equally well.
 */
final class Cholesky {

    private static final double FIRST_RIDGE = 1e-10;
    private static final int RETRIES = 6;

    private Cholesky() {}

    /**
     * Solves {@code A x = b} for the leading {@code n x n} block of {@code a} (symmetric, both triangles filled);
     * overwrites {@code a} with the factor and {@code b} with {@code x}.
     */
    static void solveInPlace(double[][] a, double[] b, int n) {
        double[] diagonal = new double[n];
        double trace = 0;
        for (int i = 0; i < n; i++) {
            diagonal[i] = a[i][i];
            trace += a[i][i];
        }
        double ridge = 0;
        for (int attempt = 0; attempt <= RETRIES; attempt++) {
            if (factor(a, n, ridge)) {
                substitute(a, b, n);
                return;
            }
            // Restore the lower triangle and diagonal from the upper triangle and the saved diagonal.
            for (int i = 0; i < n; i++) {
                a[i][i] = diagonal[i];
                for (int j = 0; j < i; j++) {
                    a[i][j] = a[j][i];
                }
            }
            ridge = ridge == 0 ? FIRST_RIDGE * Math.max(trace / n, Double.MIN_NORMAL) : ridge * 100;
        }
        throw new ArithmeticException("the Kernel SHAP normal equations are not positive definite");
    }

    /** Lower-triangular factor {@code L} of {@code A + ridge I} in the lower triangle of {@code a}, or false. */
    private static boolean factor(double[][] a, int n, double ridge) {
        for (int j = 0; j < n; j++) {
            double d = a[j][j] + ridge;
            double[] rowJ = a[j];
            for (int k = 0; k < j; k++) {
                d -= rowJ[k] * rowJ[k];
            }
            if (!(d > 1e-13 * (a[j][j] + ridge)) || !(d > 0)) {
                return false;
            }
            double l = Math.sqrt(d);
            rowJ[j] = l;
            for (int i = j + 1; i < n; i++) {
                double[] rowI = a[i];
                double s = a[j][i]; // upper triangle still holds A
                for (int k = 0; k < j; k++) {
                    s -= rowI[k] * rowJ[k];
                }
                rowI[j] = s / l;
            }
        }
        return true;
    }

    private static void substitute(double[][] l, double[] b, int n) {
        for (int i = 0; i < n; i++) {
            double s = b[i];
            double[] row = l[i];
            for (int k = 0; k < i; k++) {
                s -= row[k] * b[k];
            }
            b[i] = s / row[i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * b[k];
            }
            b[i] = s / l[i][i];
        }
    }
}
