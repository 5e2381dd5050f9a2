package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NesterovTest {

    /**
     * Sutskever et al. (2013) eq. (3)-(4), evaluated on (theta, v): v_t = mu v_{t-1} - eta_t grad f(theta_{t-1} + mu
     * v_{t-1}), theta_t = theta_{t-1} + v_t. The optimizer holds the look-ahead point phi_t = theta_t + mu v_t and is
     * given the gradient at its own parameters.
     */
    @Test
    void firstThreeUpdatesFollowSutskeverEquationsThreeAndFour() {
        LearningRateSchedule schedule = LearningRateSchedule.inverseScaling(0.1, 0.5);
        double mu = 0.9;
        Nesterov nesterov = new Nesterov(schedule, mu);
        double[] phi = TinyQuadratic.start();

        double[] theta = TinyQuadratic.start();
        double[] v = {0.0, 0.0, 0.0};
        for (int t = 1; t <= 3; t++) {
            nesterov.step(phi, TinyQuadratic.gradient(phi));

            double eta = 0.1 / Math.sqrt(t);
            for (int i = 0; i < 3; i++) {
                double lookAhead = theta[i] + mu * v[i];
                double g = TinyQuadratic.A[i] * lookAhead - TinyQuadratic.C[i];
                v[i] = mu * v[i] - eta * g;
                theta[i] = theta[i] + v[i];
            }
            for (int i = 0; i < 3; i++) {
                assertThat(phi[i]).as("phi_%s[%s]", t, i).isCloseTo(theta[i] + mu * v[i], within(1e-15));
            }
            double[] velocity = nesterov.snapshot().slot("velocity");
            for (int i = 0; i < 3; i++) {
                assertThat(velocity[i]).isCloseTo(v[i], within(1e-15));
            }
        }
    }

    /** The same iteration as PyTorch's SGD(nesterov=True): b = mu b + g; p -= lr (g + mu b). */
    @Test
    void matchesThePyTorchFormWithAConstantLearningRate() {
        double lr = 0.05;
        double mu = 0.9;
        Nesterov nesterov = new Nesterov(lr, mu);
        double[] p = TinyQuadratic.start();
        double[] q = TinyQuadratic.start();
        double[] b = new double[3];
        for (int t = 0; t < 20; t++) {
            double[] g = TinyQuadratic.gradient(q);
            for (int i = 0; i < 3; i++) {
                b[i] = mu * b[i] + g[i];
                q[i] -= lr * (g[i] + mu * b[i]);
            }
            nesterov.step(p, TinyQuadratic.gradient(p));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(p[i]).isCloseTo(q[i], within(1e-13));
        }
    }

    @Test
    void validatesHyperParameters() {
        assertThatThrownBy(() -> new Nesterov(-1.0, 0.9)).hasMessageContaining("eta0");
        assertThatThrownBy(() -> new Nesterov(0.1, 1.0)).hasMessageContaining("mu");
        assertThatThrownBy(() -> new Nesterov(0.1, Double.NaN)).hasMessageContaining("mu");
    }
}
