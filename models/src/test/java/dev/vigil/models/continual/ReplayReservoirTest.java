package dev.vigil.models.continual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReplayReservoirTest {

    @Test
    void keepsEveryExampleUntilFull() {
        ReplayReservoir reservoir = new ReplayReservoir(5, 1, 1L);
        for (int i = 0; i < 5; i++) {
            reservoir.offer(new double[] {i}, i % 2, i);
        }
        assertThat(reservoir.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(reservoir.row(i)[0]).isEqualTo(i);
            assertThat(reservoir.label(i)).isEqualTo(i % 2);
            assertThat(reservoir.weight(i)).isEqualTo(i);
        }
    }

    @Test
    void staysBoundedAndCopiesRows() {
        ReplayReservoir reservoir = new ReplayReservoir(50, 2, 7L);
        double[] row = new double[2];
        for (int i = 0; i < 10_000; i++) {
            row[0] = i;
            row[1] = -i;
            reservoir.offer(row, 0, 1.0);
        }
        assertThat(reservoir.size()).isEqualTo(50);
        assertThat(reservoir.offered()).isEqualTo(10_000);
        for (int i = 0; i < 50; i++) {
            double[] kept = reservoir.row(i);
            assertThat(kept).isNotSameAs(row);
            assertThat(kept[1]).isEqualTo(-kept[0]);
        }
        assertThat(reservoir.state().contents().size()).isEqualTo(50);
    }

    /**
     * Algorithm R keeps each of {@code n} items with probability {@code k / n}. Over {@code T} independent reservoirs
     * the count of item {@code i} is Binomial(T, k/n): standard deviation {@code sqrt(T p (1 - p))} = 42.4 here, so
     * every count must lie within 6 standard deviations of 2,000 and the chi-square statistic over the 100 items
     * (about 89 in expectation: the counts sum to exactly {@code T k}) must stay well below 160.
     */
    @Test
    void inclusionIsUniformOverTheStream() {
        int k = 10;
        int n = 100;
        int trials = 20_000;
        long[] counts = new long[n];
        double[] row = new double[1];
        for (int t = 0; t < trials; t++) {
            ReplayReservoir reservoir = new ReplayReservoir(k, 1, SplitMix64.mix64(t));
            for (int i = 0; i < n; i++) {
                row[0] = i;
                reservoir.offer(row, 0, 1.0);
            }
            for (int j = 0; j < k; j++) {
                counts[(int) reservoir.row(j)[0]]++;
            }
        }
        double expected = (double) trials * k / n;
        double sd = Math.sqrt(trials * (k / (double) n) * (1 - k / (double) n));
        double chiSquare = 0.0;
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(counts[i] - expected)).as("count of item %s", i).isLessThan(6 * sd);
            chiSquare += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        assertThat(chiSquare).isLessThan(160.0);
        // Early and late items alike: the first half of the stream holds half the reservoir.
        long firstHalf = 0;
        for (int i = 0; i < n / 2; i++) {
            firstHalf += counts[i];
        }
        assertThat(firstHalf / (double) (trials * k)).isBetween(0.49, 0.51);
    }

    @Test
    void restoredReservoirContinuesIdentically() {
        ReplayReservoir original = new ReplayReservoir(8, 1, 99L);
        double[] row = new double[1];
        for (int i = 0; i < 40; i++) {
            row[0] = i;
            original.offer(row, i % 2, 1.0);
        }
        ReplayReservoir restored = new ReplayReservoir(8, 1, 12345L);
        restored.restore(original.state());
        for (int i = 40; i < 400; i++) {
            row[0] = i;
            original.offer(row, i % 2, 1.0);
            restored.offer(row, i % 2, 1.0);
        }
        assertThat(restored.state()).isEqualTo(original.state());
    }

    @Test
    void rejectsAStateOfAnotherCapacity() {
        ReplayReservoir a = new ReplayReservoir(4, 1, 1L);
        ReplayReservoir b = new ReplayReservoir(5, 1, 1L);
        assertThatThrownBy(() -> b.restore(a.state())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void boundedDrawsAreUniformAndInRange() {
        SplitMix64 rng = new SplitMix64(3);
        int[] counts = new int[7];
        for (int i = 0; i < 70_000; i++) {
            counts[rng.nextInt(7)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
        assertThat(rng.nextLong(1)).isZero();
        assertThatThrownBy(() -> rng.nextLong(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
