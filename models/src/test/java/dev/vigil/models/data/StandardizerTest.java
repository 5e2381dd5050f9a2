package dev.vigil.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class StandardizerTest {

    /** Rows with a large offset and a small spread, where E[x^2] - E[x]^2 would cancel catastrophically. */
    private static double[][] rows(int n, long seed) {
        Random random = new Random(seed);
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            x[i][0] = 1e6 + random.nextGaussian() * 0.01;
            x[i][1] = -3.0 + 2.0 * random.nextGaussian();
            x[i][2] = random.nextInt(5);
        }
        return x;
    }

    private static double[][] twoPass(double[][] x) {
        int d = x[0].length;
        double[] mean = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= x.length;
        }
        double[] var = new double[d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                double dev = row[j] - mean[j];
                var[j] += dev * dev;
            }
        }
        for (int j = 0; j < d; j++) {
            var[j] /= x.length;
        }
        return new double[][] {mean, var};
    }

    @Test
    void welfordEqualsTwoPassMeanAndVariance() {
        double[][] x = rows(10_000, 1);
        Standardizer s = Standardizer.fit(x);
        double[][] expected = twoPass(x);

        assertThat(s.count()).isEqualTo(10_000);
        for (int j = 0; j < 3; j++) {
            assertThat(s.mean()[j]).isCloseTo(expected[0][j], within(1e-9 * Math.max(1, Math.abs(expected[0][j]))));
            // x itself carries ~1e-10 of rounding at 1e6, i.e. ~1e-8 relative to a std of 0.01.
            assertThat(s.variance()[j]).isCloseTo(expected[1][j], within(1e-6 * expected[1][j]));
            assertThat(s.std()[j]).isCloseTo(Math.sqrt(expected[1][j]), within(1e-6 * Math.sqrt(expected[1][j])));
        }
        assertThat(s.variance()[0]).isCloseTo(1e-4, within(1e-5));
    }

    @Test
    void mergeEqualsSequentialUpdates() {
        double[][] x = rows(1_000, 2);
        Standardizer sequential = Standardizer.fit(x);

        int[] cuts = {0, 1, 137, 500, 999, 1000};
        for (int cut : cuts) {
            Standardizer left = new Standardizer(3);
            Standardizer right = new Standardizer(3);
            for (int i = 0; i < x.length; i++) {
                (i < cut ? left : right).update(x[i]);
            }
            left.merge(right);
            assertThat(left.count()).isEqualTo(sequential.count());
            for (int j = 0; j < 3; j++) {
                assertThat(left.mean()[j]).isCloseTo(sequential.mean()[j], within(1e-9));
                assertThat(left.variance()[j])
                        .isCloseTo(sequential.variance()[j], within(1e-6 * sequential.variance()[j]));
            }
        }
    }

    @Test
    void constantOrUnseenFeaturesGetUnitStd() {
        Standardizer empty = new Standardizer(2);
        assertThat(empty.std()).containsExactly(1.0, 1.0);

        Standardizer s = Standardizer.fit(new double[][] {{5.0, 1.0}, {5.0, 3.0}});
        assertThat(s.std()).containsExactly(1.0, 1.0); // constant: floored; {1, 3}: population std 1
        assertThat(s.mean()).containsExactly(5.0, 2.0);
        assertThat(s.transform(new double[] {7.0, 4.0})).containsExactly(2.0, 2.0);
    }

    @Test
    void stateRoundTripsAndIsIndependentOfLaterUpdates() {
        Standardizer s = Standardizer.fit(rows(100, 3));
        Standardizer.State state = s.state();
        Standardizer restored = Standardizer.fromState(state);
        assertThat(restored.state()).isEqualTo(state);

        s.update(new double[] {1, 2, 3});
        assertThat(s.state()).isNotEqualTo(state);
        assertThat(restored.state()).isEqualTo(state);

        double[] row = {1e6, 0, 2};
        double[] out = new double[3];
        restored.transform(row, out);
        assertThat(out).containsExactly(Standardizer.fromState(state).transform(row));
    }

    @Test
    void rejectsBadRows() {
        Standardizer s = new Standardizer(2);
        assertThatThrownBy(() -> s.update(new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length 2");
        assertThatThrownBy(() -> s.update(new double[] {1, Double.NaN}))
                .hasMessageContaining("row[1]");
        assertThatThrownBy(() -> s.merge(new Standardizer(3))).isInstanceOf(IllegalArgumentException.class);
        assertThat(s.count()).isZero();
    }
}
