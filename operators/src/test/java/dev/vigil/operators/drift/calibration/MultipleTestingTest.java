package dev.vigil.operators.drift.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.drift.calibration.MultipleTesting.Correction;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bonferroni, Holm and Benjamini-Hochberg against hand-computed adjusted p-values and the BH paper's example. */
class MultipleTestingTest {

    private static final double[] P = {0.01, 0.04, 0.03, 0.005};

    @Test
    void adjustedPValuesMatchTheClosedForms() {
        // sorted: 0.005, 0.01, 0.03, 0.04 (m = 4)
        assertThat(MultipleTesting.adjust(Correction.NONE, P)).containsExactly(P);
        assertThat(MultipleTesting.adjust(Correction.BONFERRONI, P))
                .containsExactly(new double[] {0.04, 0.16, 0.12, 0.02}, within(1e-15));
        // Holm: running max of 4*0.005, 3*0.01, 2*0.03, 1*0.04 = 0.02, 0.03, 0.06, 0.06
        assertThat(MultipleTesting.adjust(Correction.HOLM, P))
                .containsExactly(new double[] {0.03, 0.06, 0.06, 0.02}, within(1e-15));
        // BH: running min from the top of 4*0.005/1, 4*0.01/2, 4*0.03/3, 4*0.04/4 = 0.02, 0.02, 0.04, 0.04
        assertThat(MultipleTesting.adjust(Correction.BENJAMINI_HOCHBERG, P))
                .containsExactly(new double[] {0.02, 0.04, 0.04, 0.02}, within(1e-15));
    }

    @Test
    void decisionsAtFivePercent() {
        assertThat(MultipleTesting.reject(Correction.NONE, P, 0.05)).containsExactly(true, true, true, true);
        assertThat(MultipleTesting.reject(Correction.BONFERRONI, P, 0.05)).containsExactly(true, false, false, true);
        assertThat(MultipleTesting.reject(Correction.HOLM, P, 0.05)).containsExactly(true, false, false, true);
        assertThat(MultipleTesting.reject(Correction.BENJAMINI_HOCHBERG, P, 0.05))
                .containsExactly(true, true, true, true);
    }

    @Test
    void benjaminiHochbergPaperExample() {
        // the worked example of Benjamini & Hochberg (1995): 15 p-values at q = 0.05; BH rejects the four smallest,
        // Bonferroni (and Holm) the three smallest
        double[] p = {0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240, 0.4262,
            0.5719, 0.6528, 0.7590, 1.0};
        assertThat(count(MultipleTesting.reject(Correction.BENJAMINI_HOCHBERG, p, 0.05))).isEqualTo(4);
        assertThat(count(MultipleTesting.reject(Correction.BONFERRONI, p, 0.05))).isEqualTo(3);
        assertThat(count(MultipleTesting.reject(Correction.HOLM, p, 0.05))).isEqualTo(3);
        assertThat(MultipleTesting.reject(Correction.BENJAMINI_HOCHBERG, p, 0.05)[3]).isTrue();
        assertThat(MultipleTesting.reject(Correction.BENJAMINI_HOCHBERG, p, 0.05)[4]).isFalse();
    }

    @Test
    void bhRejectsAtLeastWhatHolmDoesAndHolmAtLeastWhatBonferroniDoes() {
        Random rng = new Random(3);
        for (int trial = 0; trial < 500; trial++) {
            int m = 1 + rng.nextInt(40);
            double[] p = new double[m];
            for (int i = 0; i < m; i++) {
                // a mixture of nulls and small p-values, with ties
                p[i] = rng.nextInt(4) == 0 ? Math.round(rng.nextDouble() * 1000) / 1e6 : rng.nextDouble();
            }
            boolean[] bonferroni = MultipleTesting.reject(Correction.BONFERRONI, p, 0.05);
            boolean[] holm = MultipleTesting.reject(Correction.HOLM, p, 0.05);
            boolean[] bh = MultipleTesting.reject(Correction.BENJAMINI_HOCHBERG, p, 0.05);
            for (int i = 0; i < m; i++) {
                assertThat(!bonferroni[i] || holm[i]).as("holm covers bonferroni").isTrue();
                assertThat(!holm[i] || bh[i]).as("bh covers holm").isTrue();
            }
            // BH step-up rule read directly: reject the k smallest for the largest k with p_(k) <= k q / m
            double[] sorted = p.clone();
            java.util.Arrays.sort(sorted);
            int k = 0;
            for (int j = m; j >= 1; j--) {
                if (sorted[j - 1] <= j * 0.05 / m) {
                    k = j;
                    break;
                }
            }
            assertThat(count(bh)).isEqualTo(k);
        }
    }

    @Test
    void sortsIndicesByPValue() {
        Random rng = new Random(5);
        double[] p = new double[257];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextDouble();
        }
        int[] order = new int[p.length];
        MultipleTesting.sortIndices(p, p.length, order);
        for (int r = 1; r < order.length; r++) {
            assertThat(p[order[r - 1]]).isLessThanOrEqualTo(p[order[r]]);
        }
        assertThat(java.util.Arrays.stream(order).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, p.length).toArray());
    }

    @Test
    void validatesInputs() {
        assertThatThrownBy(() -> MultipleTesting.adjust(Correction.HOLM, new double[] {0.1, 1.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("p-value 1");
        assertThatThrownBy(() -> MultipleTesting.adjust(Correction.HOLM, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultipleTesting.reject(Correction.HOLM, P, 0.0))
                .hasMessageContaining("level");
        assertThat(Correction.parse("BH")).isEqualTo(Correction.BENJAMINI_HOCHBERG);
        assertThat(Correction.parse("holm")).isEqualTo(Correction.HOLM);
        assertThatThrownBy(() -> Correction.parse("fdr")).hasMessageContaining("none, bonferroni, holm or bh");
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            if (v) {
                c++;
            }
        }
        return c;
    }
}
