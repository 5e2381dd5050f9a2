package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.loss.ClassWeights;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LbfgsTest {

    /** The (chained) Rosenbrock function, sum_i 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2; minimum 0 at (1, ..., 1). */
    private static final DifferentiableFunction ROSENBROCK = (x, g) -> {
        Arrays.fill(g, 0.0);
        double f = 0.0;
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1.0 - x[i];
            f += 100.0 * a * a + b * b;
            g[i] += -400.0 * a * x[i] - 2.0 * b;
            g[i + 1] += 200.0 * a;
        }
        return f;
    };

    private static final Lbfgs TIGHT =
            Lbfgs.builder().gradientTolerance(1e-10).valueTolerance(0.0).maxIterations(500).build();

    @Test
    void minimizesTheRosenbrockFunctionFromTheClassicStart() {
        double[] x0 = {-1.2, 1.0};
        Lbfgs.Result result = TIGHT.minimize(ROSENBROCK, x0);

        assertThat(result.status()).isEqualTo(Lbfgs.Status.GRADIENT_TOLERANCE);
        assertThat(result.x()[0]).isCloseTo(1.0, within(1e-9));
        assertThat(result.x()[1]).isCloseTo(1.0, within(1e-9));
        assertThat(result.value()).isLessThan(1e-18);
        assertThat(result.iterations()).isBetween(20, 100);
        assertThat(x0).containsExactly(-1.2, 1.0);
    }

    @Test
    void minimizesTheChainedRosenbrockFunctionInTenDimensions() {
        double[] x0 = new double[10];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = i % 2 == 0 ? -1.2 : 1.0;
        }
        Lbfgs.Result result = TIGHT.minimize(ROSENBROCK, x0);

        assertThat(result.status().converged()).isTrue();
        for (double xi : result.x()) {
            assertThat(xi).isCloseTo(1.0, within(1e-8));
        }
    }

    @Test
    void logisticRegressionOptimumMatchesAdams() {
        TestingLogisticProblem data =
                TestingLogisticProblem.create(400, 5, new double[] {1.5, -2.0, 0.5}, -0.5, 1.0, 21);
        double l2 = 1e-2;
        LogisticRegression model = new LogisticRegression(5);
        DifferentiableFunction objective = (x, g) -> {
            System.arraycopy(x, 0, model.parameters(), 0, x.length);
            return model.batchLossAndGradient(data.x, data.y, data.x.length, ClassWeights.UNIT, l2, g);
        };

        Lbfgs.Result lbfgs = Lbfgs.builder()
                .gradientTolerance(1e-9)
                .valueTolerance(0.0)
                .build()
                .minimize(objective, new double[6]);

        // Full-batch Adam with a decaying step, run long.
        LogisticRegression adamModel = new LogisticRegression(5);
        Adam adam = new Adam(LearningRateSchedule.exponentialDecay(0.05, 0.5, 1_000), 0.9, 0.999, 1e-8);
        double[] grad = new double[6];
        for (int t = 0; t < 15_000; t++) {
            adamModel.batchLossAndGradient(data.x, data.y, data.x.length, ClassWeights.UNIT, l2, grad);
            adam.step(adamModel.parameters(), grad);
        }
        double adamValue = objective.valueAndGradient(adamModel.parameters().clone(), grad);

        assertThat(lbfgs.status()).isEqualTo(Lbfgs.Status.GRADIENT_TOLERANCE);
        assertThat(lbfgs.iterations()).isLessThan(50);
        for (int j = 0; j < 6; j++) {
            assertThat(lbfgs.x()[j]).as("parameter %s", j).isCloseTo(adamModel.parameters()[j], within(1e-5));
        }
        assertThat(lbfgs.value()).isLessThanOrEqualTo(adamValue + 1e-12);
        assertThat(lbfgs.x()[0]).isGreaterThan(0.5);
        assertThat(lbfgs.x()[1]).isLessThan(-0.5);
    }

    @Test
    void aStronglyConvexQuadraticConvergesInFewIterations() {
        double[] diag = {1.0, 10.0, 100.0, 1000.0};
        DifferentiableFunction quadratic = (x, g) -> {
            double f = 0.0;
            for (int i = 0; i < x.length; i++) {
                g[i] = diag[i] * (x[i] - i);
                f += 0.5 * diag[i] * (x[i] - i) * (x[i] - i);
            }
            return f;
        };
        for (int m : new int[] {1, 3, 10}) {
            Lbfgs.Result result = Lbfgs.builder()
                    .historySize(m)
                    .gradientTolerance(1e-9)
                    .valueTolerance(0.0)
                    .build()
                    .minimize(quadratic, new double[] {5, 5, 5, 5});
            assertThat(result.status()).as("m = %s", m).isEqualTo(Lbfgs.Status.GRADIENT_TOLERANCE);
            for (int i = 0; i < 4; i++) {
                assertThat(result.x()[i]).isCloseTo(i, within(1e-9));
            }
        }
    }

    @Test
    void reportsWhyItStopped() {
        Lbfgs.Result capped = Lbfgs.builder().maxIterations(3).build().minimize(ROSENBROCK, new double[] {-1.2, 1});
        assertThat(capped.status()).isEqualTo(Lbfgs.Status.MAX_ITERATIONS);
        assertThat(capped.iterations()).isEqualTo(3);
        assertThat(capped.status().converged()).isFalse();

        // A gradient with the wrong sign: no direction is a descent direction for the line search.
        DifferentiableFunction wrong = (x, g) -> {
            g[0] = -2 * x[0];
            return x[0] * x[0];
        };
        Lbfgs.Result failed = Lbfgs.builder().build().minimize(wrong, new double[] {1.0});
        assertThat(failed.status()).isEqualTo(Lbfgs.Status.LINE_SEARCH_FAILED);
        assertThat(failed.x()).containsExactly(1.0);

        Lbfgs.Result atOptimum = Lbfgs.builder().build().minimize(ROSENBROCK, new double[] {1, 1});
        assertThat(atOptimum.status()).isEqualTo(Lbfgs.Status.GRADIENT_TOLERANCE);
        assertThat(atOptimum.iterations()).isZero();
        assertThat(atOptimum.evaluations()).isEqualTo(1);
    }

    @Test
    void backsOffFromNonFiniteValues() {
        // f = x - log(x) has its minimum at 1 and is undefined for x <= 0, where a long first step would land.
        DifferentiableFunction f = (x, g) -> {
            g[0] = 1.0 - 1.0 / x[0];
            return x[0] > 0 ? x[0] - Math.log(x[0]) : Double.NaN;
        };
        Lbfgs.Result result = Lbfgs.builder().gradientTolerance(1e-10).build().minimize(f, new double[] {0.05});
        assertThat(result.status().converged()).isTrue();
        assertThat(result.x()[0]).isCloseTo(1.0, within(1e-8));
    }

    @Test
    void cubicInterpolationFindsTheMinimizerOfACubic() {
        // phi(a) = (a - 1)^3 - 3 (a - 1) has its local minimum at a = 2.
        double a = 1.5;
        double b = 3.0;
        double c = Lbfgs.interpolate(a, phi(a), dphi(a), b, phi(b), dphi(b));
        assertThat(c).isCloseTo(2.0, within(1e-12));
        // Unusable data falls back to bisection.
        assertThat(Lbfgs.interpolate(0, 1, Double.NaN, 1, 0, 1)).isEqualTo(0.5);
    }

    private static double phi(double a) {
        return Math.pow(a - 1, 3) - 3 * (a - 1);
    }

    private static double dphi(double a) {
        return 3 * (a - 1) * (a - 1) - 3;
    }

    @Test
    void validatesSettingsAndInputs() {
        assertThatThrownBy(() -> Lbfgs.builder().historySize(0).build()).hasMessageContaining("historySize");
        assertThatThrownBy(() -> Lbfgs.builder().maxIterations(0).build()).hasMessageContaining("maxIterations");
        assertThatThrownBy(() -> Lbfgs.builder().gradientTolerance(-1).build())
                .hasMessageContaining("gradientTolerance");
        assertThatThrownBy(() -> Lbfgs.builder().valueTolerance(Double.NaN).build())
                .hasMessageContaining("valueTolerance");
        assertThatThrownBy(() -> Lbfgs.builder().wolfe(0.9, 0.1).build()).hasMessageContaining("Wolfe");
        assertThatThrownBy(() -> Lbfgs.builder().wolfe(0.0, 0.9).build()).hasMessageContaining("Wolfe");
        assertThatThrownBy(() -> Lbfgs.builder().maxLineSearchEvaluations(0).build())
                .hasMessageContaining("maxLineSearchEvaluations");

        Lbfgs lbfgs = Lbfgs.builder().build();
        assertThatThrownBy(() -> lbfgs.minimize(ROSENBROCK, new double[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> lbfgs.minimize(ROSENBROCK, new double[] {Double.NaN, 0}))
                .hasMessageContaining("x0");
        assertThatThrownBy(() -> lbfgs.minimize((x, g) -> Double.POSITIVE_INFINITY, new double[] {0}))
                .hasMessageContaining("f(x0)");
    }
}
