package dev.vigil.models.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void logSumExpIsExactForModerateLogitsAndFiniteForExtremeOnes() {
        double[] z = {0.5, -1.0, 2.0, 99.0};
        assertThat(Softmax.logSumExp(z, 3)) // only the first three count
                .isCloseTo(Math.log(Math.exp(0.5) + Math.exp(-1.0) + Math.exp(2.0)), within(1e-14));
        assertThat(Softmax.logSumExp(new double[] {1000, 1000}, 2)).isCloseTo(1000 + Math.log(2), within(1e-12));
        assertThat(Softmax.logSumExp(new double[] {-1000, -1000, -1000}, 3))
                .isCloseTo(-1000 + Math.log(3), within(1e-12));
        assertThat(Softmax.logSumExp(new double[] {Double.NEGATIVE_INFINITY, 0}, 2)).isZero();
    }

    @Test
    void softmaxSumsToOneAndWorksInPlace() {
        double[] z = {800, 799, -5};
        double[] p = new double[3];
        Softmax.softmax(z, 3, p);
        assertThat(p[0] + p[1] + p[2]).isCloseTo(1.0, within(1e-15));
        assertThat(p[0] / p[1]).isCloseTo(Math.E, within(1e-12));
        Softmax.softmax(z, 3, z);
        assertThat(z).containsExactly(p);
    }

    @Test
    void logLossFromLogitsIsTheCrossEntropyAndItsGradientIsPMinusOneHot() {
        SplittableRandom random = new SplittableRandom(4);
        int k = 5;
        double[] z = new double[k];
        double[] p = new double[k];
        for (int trial = 0; trial < 20; trial++) {
            for (int j = 0; j < k; j++) {
                z[j] = 3 * random.nextGaussian();
            }
            int y = random.nextInt(k);
            Softmax.softmax(z, k, p);
            assertThat(Softmax.logLossFromLogits(z, k, y)).isCloseTo(-Math.log(p[y]), within(1e-12));
            double h = 1e-6;
            for (int j = 0; j < k; j++) {
                double saved = z[j];
                z[j] = saved + h;
                double plus = Softmax.logLossFromLogits(z, k, y);
                z[j] = saved - h;
                double minus = Softmax.logLossFromLogits(z, k, y);
                z[j] = saved;
                assertThat((plus - minus) / (2 * h)).isCloseTo(p[j] - (j == y ? 1 : 0), within(1e-8));
            }
        }
        // A confidently wrong prediction: -log(p_y) would be -log(0) = inf; the logit form is exact.
        assertThat(Softmax.logLossFromLogits(new double[] {0, 1000}, 2, 0)).isCloseTo(1000, within(1e-9));
    }
}
