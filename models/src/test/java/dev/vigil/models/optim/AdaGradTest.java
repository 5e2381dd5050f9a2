package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdaGradTest {

    /** Duchi et al. (2011), diagonal: G_t = G_{t-1} + g_t^2; theta_t = theta_{t-1} - eta g_t / (delta + sqrt(G_t)). */
    @Test
    void firstThreeUpdatesFollowTheDiagonalAdaGradUpdate() {
        double eta = 0.5;
        double delta = 1e-3;
        double g0 = 0.1;
        AdaGrad adaGrad = new AdaGrad(LearningRateSchedule.constant(eta), delta, g0);
        double[] params = TinyQuadratic.start();

        double[] theta = TinyQuadratic.start();
        double[] sumSq = {g0, g0, g0};
        for (int t = 1; t <= 3; t++) {
            adaGrad.step(params, TinyQuadratic.gradient(params));

            for (int i = 0; i < 3; i++) {
                double g = TinyQuadratic.A[i] * theta[i] - TinyQuadratic.C[i];
                sumSq[i] = sumSq[i] + g * g;
                theta[i] = theta[i] - eta * g / (delta + Math.sqrt(sumSq[i]));
            }
            for (int i = 0; i < 3; i++) {
                assertThat(params[i]).as("theta_%s[%s]", t, i).isCloseTo(theta[i], within(1e-15));
            }
        }
        assertThat(adaGrad.snapshot().slot("sum_sq")).containsExactly(sumSq);
    }

    @Test
    void firstStepWithoutInitialAccumulatorMovesEachCoordinateByTheLearningRate() {
        AdaGrad adaGrad = new AdaGrad(0.1);
        double[] params = new double[3];
        adaGrad.step(params, new double[] {5.0, -0.01, 300.0});
        assertThat(params[0]).isCloseTo(-0.1, within(1e-11));
        assertThat(params[1]).isCloseTo(0.1, within(1e-9));
        assertThat(params[2]).isCloseTo(-0.1, within(1e-12));
    }

    @Test
    void validatesHyperParameters() {
        assertThatThrownBy(() -> new AdaGrad(0.0)).hasMessageContaining("eta0");
        assertThatThrownBy(() -> new AdaGrad(LearningRateSchedule.constant(0.1), 0.0, 0.0))
                .hasMessageContaining("delta");
        assertThatThrownBy(() -> new AdaGrad(LearningRateSchedule.constant(0.1), 1e-10, -1.0))
                .hasMessageContaining("initialAccumulator");
        assertThatThrownBy(() -> new AdaGrad(LearningRateSchedule.constant(0.1), Double.NaN, 0.0))
                .hasMessageContaining("delta");
    }
}
