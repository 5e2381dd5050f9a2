package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MomentumTest {

    /** Sutskever et al. (2013) eq. (1)-(2): v_t = mu v_{t-1} - eta_t g(theta_{t-1}); theta_t = theta_{t-1} + v_t. */
    @Test
    void firstThreeUpdatesFollowTheHeavyBallEquations() {
        LearningRateSchedule schedule = LearningRateSchedule.inverseTimeDecay(0.1, 0.5);
        double mu = 0.8;
        Momentum momentum = new Momentum(schedule, mu);
        double[] params = TinyQuadratic.start();

        double[] theta = TinyQuadratic.start();
        double[] v = {0.0, 0.0, 0.0};
        for (int t = 1; t <= 3; t++) {
            momentum.step(params, TinyQuadratic.gradient(params));

            double eta = 0.1 / (1.0 + 0.5 * (t - 1));
            for (int i = 0; i < 3; i++) {
                double g = TinyQuadratic.A[i] * theta[i] - TinyQuadratic.C[i];
                v[i] = mu * v[i] - eta * g;
                theta[i] = theta[i] + v[i];
            }
            for (int i = 0; i < 3; i++) {
                assertThat(params[i]).as("theta_%s[%s]", t, i).isCloseTo(theta[i], within(1e-15));
            }
        }
        // Step 1 from v = 0 is plain SGD: theta_1[1] = -2 - 0.1 * (4 * -2 + 0.2) = -1.22.
        assertThat(momentum.steps()).isEqualTo(3);
        assertThat(momentum.snapshot().slot("velocity")).containsExactly(v);
    }

    @Test
    void firstStepIsGradientDescent() {
        Momentum momentum = new Momentum(0.1, 0.9);
        double[] params = TinyQuadratic.start();
        momentum.step(params, TinyQuadratic.gradient(params));
        assertThat(params[1]).isCloseTo(-1.22, within(1e-15));
    }

    @Test
    void zeroMomentumIsSgd() {
        Momentum momentum = new Momentum(0.1, 0.0);
        Sgd sgd = new Sgd(0.1);
        double[] a = TinyQuadratic.start();
        double[] b = TinyQuadratic.start();
        for (int t = 0; t < 5; t++) {
            momentum.step(a, TinyQuadratic.gradient(a));
            sgd.step(b, TinyQuadratic.gradient(b));
        }
        assertThat(a).containsExactly(b);
    }

    @Test
    void validatesHyperParameters() {
        assertThatThrownBy(() -> new Momentum(0.0, 0.9)).hasMessageContaining("eta0");
        assertThatThrownBy(() -> new Momentum(0.1, 1.0)).hasMessageContaining("mu");
        assertThatThrownBy(() -> new Momentum(0.1, -0.1)).hasMessageContaining("mu");
        assertThatThrownBy(() -> new Momentum(0.1, Double.NaN)).hasMessageContaining("mu");
        assertThatThrownBy(() -> new Momentum(null, 0.9)).isInstanceOf(NullPointerException.class);
    }
}
