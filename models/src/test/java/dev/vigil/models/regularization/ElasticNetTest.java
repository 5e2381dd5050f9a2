package dev.vigil.models.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.optim.ParameterMask;
import org.junit.jupiter.api.Test;

class ElasticNetTest {

    @Test
    void penaltyIsL1PlusHalfL2OverTheMask() {
        Regularizer r = Regularizer.elasticNet(0.5, 2.0, ParameterMask.excluding(3, 2));
        // 0.5 * (1 + 2) + 0.5 * 2 * (1 + 4); the bias (index 2) is left out
        assertThat(r.penalty(new double[] {1.0, -2.0, 100.0})).isCloseTo(6.5, within(1e-15));
        assertThat(Regularizer.none().penalty(new double[] {3.0})).isZero();
        assertThat(Regularizer.l1(0.1).penalty(new double[] {-3.0, 1.0})).isCloseTo(0.4, within(1e-15));
        assertThat(Regularizer.l2(0.1).penalty(new double[] {-3.0, 1.0})).isCloseTo(0.5, within(1e-15));
    }

    @Test
    void l2AddsLambdaTimesTheWeightToTheGradient() {
        Regularizer r = Regularizer.elasticNet(0.5, 0.1, ParameterMask.excluding(3, 2));
        double[] grad = {1.0, 1.0, 1.0};
        r.addGradient(new double[] {2.0, -3.0, 4.0}, grad);
        assertThat(grad).containsExactly(1.0 + 0.1 * 2.0, 1.0 + 0.1 * -3.0, 1.0);

        double[] untouched = {1.0};
        Regularizer.l1(1.0).addGradient(new double[] {5.0}, untouched);
        assertThat(untouched).containsExactly(1.0);
    }

    @Test
    void proximalStepSoftThresholdsToExactZeros() {
        Regularizer r = Regularizer.elasticNet(2.0, 0.0, ParameterMask.excluding(6, 5));
        double[] w = {0.5, -0.5, 0.05, -0.05, 0.1, 0.01};
        r.proximalStep(w, 0.05); // threshold 0.1
        assertThat(w).containsExactly(0.4, -0.4, 0.0, 0.0, 0.0, 0.01);
        assertThat(r.hasProximalStep()).isTrue();
        assertThat(Regularizer.l2(1.0).hasProximalStep()).isFalse();

        double[] nan = {Double.NaN};
        Regularizer.l1(1.0).proximalStep(nan, 1.0);
        assertThat(nan[0]).isNaN();
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> Regularizer.l1(-1.0)).hasMessageContaining("lambda1");
        assertThatThrownBy(() -> Regularizer.l2(Double.NaN)).hasMessageContaining("lambda2");
        assertThatThrownBy(() -> Regularizer.elasticNet(0.1, 0.1, null)).isInstanceOf(NullPointerException.class);
        Regularizer masked = Regularizer.elasticNet(0.1, 0.1, ParameterMask.excluding(3, 2));
        assertThatThrownBy(() -> masked.penalty(new double[4])).hasMessageContaining("mask");
        assertThatThrownBy(() -> masked.proximalStep(new double[3], -1.0)).hasMessageContaining("stepSize");
        assertThatThrownBy(() -> masked.addGradient(new double[3], new double[2])).hasMessageContaining("differ");
    }
}
