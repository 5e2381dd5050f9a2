package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RMSpropTest {

    /** Tieleman, Hinton (2012): r_t = rho r_{t-1} + (1 - rho) g^2; theta_t = theta - eta g / (sqrt(r_t) + eps). */
    @Test
    void firstThreeUpdatesFollowTheLecture() {
        double eta = 0.01;
        double rho = 0.9;
        double eps = 1e-6;
        RMSprop rmsprop = new RMSprop(LearningRateSchedule.constant(eta), rho, eps, false);
        double[] params = TinyQuadratic.start();

        double[] theta = TinyQuadratic.start();
        double[] r = {0.0, 0.0, 0.0};
        for (int t = 1; t <= 3; t++) {
            rmsprop.step(params, TinyQuadratic.gradient(params));

            for (int i = 0; i < 3; i++) {
                double g = TinyQuadratic.A[i] * theta[i] - TinyQuadratic.C[i];
                r[i] = rho * r[i] + (1 - rho) * g * g;
                theta[i] = theta[i] - eta * g / (Math.sqrt(r[i]) + eps);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(params[i]).as("theta_%s[%s]", t, i).isCloseTo(theta[i], within(1e-15));
            }
        }
        assertThat(rmsprop.snapshot().slotNames()).containsExactly("mean_square");
        assertThat(rmsprop.snapshot().slot("mean_square")).containsExactly(r);
    }

    /**
     * Centered (Graves 2013, eq. 38-41 without momentum): also a_t = rho a_{t-1} + (1 - rho) g; divide by
     * sqrt(r_t - a_t^2) + eps.
     */
    @Test
    void firstThreeUpdatesOfTheCenteredVariant() {
        double eta = 0.01;
        double rho = 0.95;
        double eps = 1e-6;
        RMSprop rmsprop = new RMSprop(LearningRateSchedule.constant(eta), rho, eps, true);
        double[] params = TinyQuadratic.start();

        double[] theta = TinyQuadratic.start();
        double[] r = {0.0, 0.0, 0.0};
        double[] a = {0.0, 0.0, 0.0};
        for (int t = 1; t <= 3; t++) {
            rmsprop.step(params, TinyQuadratic.gradient(params));

            for (int i = 0; i < 3; i++) {
                double g = TinyQuadratic.A[i] * theta[i] - TinyQuadratic.C[i];
                r[i] = rho * r[i] + (1 - rho) * g * g;
                a[i] = rho * a[i] + (1 - rho) * g;
                theta[i] = theta[i] - eta * g / (Math.sqrt(r[i] - a[i] * a[i]) + eps);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(params[i]).as("theta_%s[%s]", t, i).isCloseTo(theta[i], within(1e-15));
            }
        }
        assertThat(rmsprop.snapshot().slotNames()).containsExactlyInAnyOrder("mean_square", "mean_grad");
        assertThat(rmsprop.snapshot().slot("mean_grad")).containsExactly(a);
    }

    @Test
    void centeredAndPlainStatesDoNotMix() {
        RMSprop plain = new RMSprop(LearningRateSchedule.constant(0.01), 0.9, 1e-8, false);
        plain.step(new double[2], new double[] {1, 2});
        RMSprop centered = new RMSprop(LearningRateSchedule.constant(0.01), 0.9, 1e-8, true);
        assertThatThrownBy(() -> centered.restore(plain.snapshot())).hasMessageContaining("mean_grad");
    }

    @Test
    void validatesHyperParameters() {
        assertThatThrownBy(() -> new RMSprop(0.0)).hasMessageContaining("eta0");
        assertThatThrownBy(() -> new RMSprop(LearningRateSchedule.constant(0.1), 1.0, 1e-8, false))
                .hasMessageContaining("rho");
        assertThatThrownBy(() -> new RMSprop(LearningRateSchedule.constant(0.1), 0.9, 0.0, false))
                .hasMessageContaining("epsilon");
    }
}
