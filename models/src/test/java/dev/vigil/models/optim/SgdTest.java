package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SgdTest {

    @Test
    void constantRateStepsAgainstTheGradient() {
        Sgd sgd = new Sgd(0.1);
        double[] theta = {1.0, -2.0};
        sgd.step(theta, new double[] {0.5, -1.0});
        assertThat(theta).containsExactly(0.95, -1.9);
        sgd.step(theta, new double[] {0.0, 10.0});
        assertThat(theta[0]).isEqualTo(0.95);
        assertThat(theta[1]).isCloseTo(-2.9, within(1e-15));
    }

    /**
     * f(theta) = ||theta||^2 / 2 from (1, -2, 0.5) with eta_t = 0.5 / sqrt(t): theta_t = theta_{t-1} (1 - eta_t), so
     * theta_1 = theta_0 / 2, theta_2 = theta_1 (1 - 0.5 / sqrt 2), theta_3 = theta_2 (1 - 0.5 / sqrt 3).
     */
    @Test
    void firstThreeUpdatesWithInverseScalingSchedule() {
        Sgd sgd = new Sgd(LearningRateSchedule.inverseScaling(0.5, 0.5));
        double[] theta = {1.0, -2.0, 0.5};
        double[][] expected = {
            {0.5, -1.0, 0.25},
            {0.32322330470336313, -0.6464466094067263, 0.16161165235168157},
            {0.22991677371393954, -0.4598335474278791, 0.11495838685696977},
        };
        for (int t = 0; t < 3; t++) {
            sgd.step(theta, theta.clone());
            for (int i = 0; i < 3; i++) {
                assertThat(theta[i]).isCloseTo(expected[t][i], within(1e-15));
            }
        }
        assertThat(sgd.steps()).isEqualTo(3);
    }

    @Test
    void restoreResumesTheSchedule() {
        Sgd sgd = new Sgd(LearningRateSchedule.inverseTimeDecay(1.0, 1.0));
        sgd.step(new double[1], new double[1]);
        sgd.step(new double[1], new double[1]);
        Sgd resumed = new Sgd(LearningRateSchedule.inverseTimeDecay(1.0, 1.0));
        resumed.restore(sgd.snapshot());
        double[] theta = {0.0};
        resumed.step(theta, new double[] {1.0});
        assertThat(theta[0]).isCloseTo(-1.0 / 3.0, within(1e-15)); // step 3: eta = 1 / (1 + 2)
    }

    @Test
    void schedulesStartAtTheBaseRate() {
        assertThat(LearningRateSchedule.constant(0.3).learningRate(1000)).isEqualTo(0.3);
        assertThat(LearningRateSchedule.inverseScaling(0.3, 0.5).learningRate(1)).isEqualTo(0.3);
        assertThat(LearningRateSchedule.inverseScaling(0.3, 0.5).learningRate(4)).isEqualTo(0.15);
        assertThat(LearningRateSchedule.inverseTimeDecay(0.3, 0.5).learningRate(3)).isCloseTo(0.15, within(1e-15));
        assertThat(LearningRateSchedule.exponentialDecay(0.3, 0.5, 10).learningRate(1)).isEqualTo(0.3);
        assertThat(LearningRateSchedule.exponentialDecay(0.3, 0.5, 10).learningRate(21))
                .isCloseTo(0.075, within(1e-15));
    }
}
