package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void clippingBoundsTheGlobalNormAndKeepsTheDirection() {
        Random random = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            double[] a = new double[1 + random.nextInt(10)];
            double[] b = new double[1 + random.nextInt(10)];
            double scale = Math.pow(10, random.nextInt(7) - 3);
            for (int i = 0; i < a.length; i++) {
                a[i] = scale * random.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = scale * random.nextGaussian();
            }
            double[] a0 = a.clone();
            double maxNorm = 1.0;

            double before = GradientClipping.clipByGlobalNorm(maxNorm, a, b);
            double after = GradientClipping.globalNorm(a, b);

            assertThat(after).isLessThanOrEqualTo(maxNorm * (1 + 1e-12));
            if (before <= maxNorm) {
                assertThat(a).containsExactly(a0);
            } else {
                assertThat(after).isCloseTo(maxNorm, within(1e-12));
                double factor = maxNorm / before;
                for (int i = 0; i < a.length; i++) {
                    assertThat(a[i]).isCloseTo(a0[i] * factor, within(1e-15 * Math.abs(a0[i]) + 1e-300));
                }
            }
        }
    }

    @Test
    void singleArrayClippingAndNorm() {
        double[] g = {3.0, 4.0};
        assertThat(GradientClipping.norm(g)).isEqualTo(5.0);
        assertThat(GradientClipping.clipByNorm(g, 1.0)).isEqualTo(5.0);
        assertThat(g[0]).isCloseTo(0.6, within(1e-15));
        assertThat(g[1]).isCloseTo(0.8, within(1e-15));
        assertThat(GradientClipping.clipByNorm(g, 10.0)).isCloseTo(1.0, within(1e-15));
        assertThat(g[1]).isCloseTo(0.8, within(1e-15));
    }

    @Test
    void nonFiniteGradientsAreLeftForTheCallerToSkip() {
        double[] g = {1.0, Double.NaN, 100.0};
        assertThat(GradientClipping.clipByNorm(g, 1.0)).isNaN();
        assertThat(g[2]).isEqualTo(100.0);
    }

    @Test
    void clipByValueClampsEachComponent() {
        double[] g = {-5, 0.5, 5};
        GradientClipping.clipByValue(g, 1.0);
        assertThat(g).containsExactly(-1, 0.5, 1);
    }
}
