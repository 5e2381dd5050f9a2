package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdamWTest {

    /**
     * Loshchilov and Hutter (2019), Algorithm 2 with decoupled decay: m, v and the bias corrections as in Adam; eta_t
     * the schedule multiplier; theta_t = theta_{t-1} - eta_t (alpha m^ / (sqrt(v^) + eps) + lambda theta_{t-1}).
     * Coordinate 2 is masked out of the decay (as a bias would be).
     */
    @Test
    void firstThreeUpdatesFollowAlgorithmTwo() {
        double alpha = 0.1;
        double lambda = 0.05;
        double beta1 = 0.8;
        double beta2 = 0.99;
        double eps = 1e-6;
        LearningRateSchedule schedule = LearningRateSchedule.exponentialDecay(alpha, 0.5, 1);
        AdamW adamW = new AdamW(schedule, lambda, beta1, beta2, eps, ParameterMask.excluding(3, 2));
        double[] params = TinyQuadratic.start();

        double[] theta = TinyQuadratic.start();
        double[] m = {0.0, 0.0, 0.0};
        double[] v = {0.0, 0.0, 0.0};
        boolean[] decays = {true, true, false};
        for (int t = 1; t <= 3; t++) {
            adamW.step(params, TinyQuadratic.gradient(params));

            double eta = Math.pow(0.5, t - 1); // SetScheduleMultiplier(t): alpha_t / alpha
            for (int i = 0; i < 3; i++) {
                double g = TinyQuadratic.A[i] * theta[i] - TinyQuadratic.C[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.pow(beta1, t));
                double vHat = v[i] / (1 - Math.pow(beta2, t));
                double decay = decays[i] ? lambda * theta[i] : 0.0;
                theta[i] = theta[i] - eta * (alpha * mHat / (Math.sqrt(vHat) + eps) + decay);
            }
            for (int i = 0; i < 3; i++) {
                assertThat(params[i]).as("theta_%s[%s]", t, i).isCloseTo(theta[i], within(1e-15));
            }
        }
        assertThat(adamW.snapshot().slot("m")).containsExactly(m);
        assertThat(adamW.snapshot().slot("v")).containsExactly(v);
    }

    @Test
    void withoutDecayItIsAdamBitForBit() {
        AdamW adamW = new AdamW(0.05, 0.0);
        Adam adam = new Adam(0.05);
        double[] a = TinyQuadratic.start();
        double[] b = TinyQuadratic.start();
        for (int t = 0; t < 10; t++) {
            adamW.step(a, TinyQuadratic.gradient(a));
            adam.step(b, TinyQuadratic.gradient(b));
        }
        assertThat(a).containsExactly(b);
    }

    @Test
    void decayIsNotScaledByTheGradientHistory() {
        // With a zero gradient the Adam part is zero and every decayed weight shrinks by exactly (1 - lambda).
        AdamW adamW = new AdamW(0.1, 0.01);
        double[] params = {2.0, -4.0};
        adamW.step(params, new double[] {0.0, 0.0});
        assertThat(params).containsExactly(2.0 - 1.0 * (0.0 + 0.01 * 2.0), -4.0 - 1.0 * (0.0 + 0.01 * -4.0));
    }

    @Test
    void maskMustFitTheParameters() {
        AdamW adamW = new AdamW(
                LearningRateSchedule.constant(0.1), 0.01, 0.9, 0.999, 1e-8, ParameterMask.excluding(4, 3));
        assertThatThrownBy(() -> adamW.step(new double[3], new double[3])).hasMessageContaining("mask");
    }

    @Test
    void validatesHyperParameters() {
        assertThatThrownBy(() -> new AdamW(0.0, 0.01)).hasMessageContaining("eta0");
        assertThatThrownBy(() -> new AdamW(0.1, -0.01)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> new AdamW(0.1, 1.0)).hasMessageContaining("lambda");
        assertThatThrownBy(() -> new AdamW(
                        LearningRateSchedule.constant(0.1), 0.01, 1.0, 0.999, 1e-8, ParameterMask.all()))
                .hasMessageContaining("beta1");
        assertThatThrownBy(() -> new AdamW(
                        LearningRateSchedule.constant(0.1), 0.01, 0.9, 1.5, 1e-8, ParameterMask.all()))
                .hasMessageContaining("beta2");
        assertThatThrownBy(() -> new AdamW(
                        LearningRateSchedule.constant(0.1), 0.01, 0.9, 0.999, 0.0, ParameterMask.all()))
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new AdamW(LearningRateSchedule.constant(0.1), 0.01, 0.9, 0.999, 1e-8, null))
                .isInstanceOf(NullPointerException.class);
    }
}
