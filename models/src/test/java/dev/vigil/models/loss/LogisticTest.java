package dev.vigil.models.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogisticTest {

    @Test
    void sigmoidIsStableAtExtremes() {
        assertThat(Logistic.sigmoid(0)).isEqualTo(0.5);
        assertThat(Logistic.sigmoid(800)).isEqualTo(1.0);
        assertThat(Logistic.sigmoid(-800)).isEqualTo(0.0);
        assertThat(Logistic.sigmoid(-30)).isCloseTo(Math.exp(-30), within(1e-25));
        for (double z = -20; z <= 20; z += 0.25) {
            assertThat(Logistic.sigmoid(z) + Logistic.sigmoid(-z)).isCloseTo(1.0, within(1e-15));
        }
    }

    @Test
    void logLossFromLogitIsFiniteAndExact() {
        // Naive -log(sigmoid(z)) is -log(0) = inf at z = -800; the stable form is |z|.
        assertThat(Logistic.logLossFromLogit(-800, 1)).isEqualTo(800.0);
        assertThat(Logistic.logLossFromLogit(800, 0)).isEqualTo(800.0);
        assertThat(Logistic.logLossFromLogit(800, 1)).isEqualTo(0.0);
        assertThat(Logistic.logLossFromLogit(0, 1)).isCloseTo(Math.log(2), within(1e-15));
        double z = 1.3;
        double p = 1 / (1 + Math.exp(-z));
        assertThat(Logistic.logLossFromLogit(z, 1)).isCloseTo(-Math.log(p), within(1e-14));
        assertThat(Logistic.logLossFromLogit(z, 0)).isCloseTo(-Math.log(1 - p), within(1e-14));
        assertThat(Logistic.softplus(-50)).isCloseTo(Math.exp(-50), within(1e-30));
    }

    @Test
    void balancedClassWeightsAreNOverTwoNc() {
        ClassWeights w = ClassWeights.balanced(new int[] {0, 0, 0, 0, 0, 0, 1, 1});
        assertThat(w.negative()).isEqualTo(8.0 / 12.0);
        assertThat(w.positive()).isEqualTo(8.0 / 4.0);
        assertThat(w.of(1)).isEqualTo(2.0);
        // Both classes carry the same total weight and the mean weight is 1.
        assertThat(6 * w.negative()).isCloseTo(2 * w.positive(), within(1e-12));
        assertThat(ClassWeighting.none().weightsFor(new int[] {1})).isEqualTo(ClassWeights.UNIT);

        assertThatThrownBy(() -> ClassWeights.balanced(new int[] {0, 0})).hasMessageContaining("both classes");
        assertThatThrownBy(() -> ClassWeights.balanced(new int[] {0, 2})).hasMessageContaining("labels[1]");
        assertThatThrownBy(() -> new ClassWeights(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
