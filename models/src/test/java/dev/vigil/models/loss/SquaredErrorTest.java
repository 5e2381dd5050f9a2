package dev.vigil.models.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SquaredErrorTest {

    @Test
    void lossIsHalfTheSquaredResidualAndItsDerivativeTheResidual() {
        assertThat(SquaredError.loss(3.0, 1.0)).isEqualTo(2.0);
        assertThat(SquaredError.derivative(3.0, 1.0)).isEqualTo(2.0);
        double h = 1e-6;
        for (double p : new double[] {-2.5, 0.0, 0.7, 40.0}) {
            double t = 0.3;
            double numeric = (SquaredError.loss(p + h, t) - SquaredError.loss(p - h, t)) / (2 * h);
            assertThat(SquaredError.derivative(p, t)).isCloseTo(numeric, within(1e-6));
        }
    }

    @Test
    void vectorLossAndScaledGradientReadOnlyTheFirstNEntries() {
        double[] prediction = {1.0, -2.0, 0.5, 99.0};
        double[] target = {0.0, 1.0, 0.5, 0.0};
        assertThat(SquaredError.loss(prediction, target, 3)).isEqualTo(0.5 * (1 + 9));
        double[] grad = {7, 7, 7, 7};
        double loss = SquaredError.lossAndGradient(prediction, target, 3, 2.0, grad);
        assertThat(loss).isEqualTo(10.0);
        assertThat(grad).containsExactly(2.0, -6.0, 0.0, 7.0);

        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            double saved = prediction[i];
            prediction[i] = saved + h;
            double plus = 2.0 * SquaredError.loss(prediction, target, 3);
            prediction[i] = saved - h;
            double minus = 2.0 * SquaredError.loss(prediction, target, 3);
            prediction[i] = saved;
            assertThat(grad[i]).isCloseTo((plus - minus) / (2 * h), within(1e-6));
        }
    }
}
