package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackgroundSampleTest {

    @Test
    void keepsTheFirstRowsUntilFullThenSeesEveryRow() {
        BackgroundSample sample = new BackgroundSample(3, 2, 1L);
        sample.offer(new float[] {1, 10});
        sample.offer(new float[] {2, 20});

        assertThat(sample.size()).isEqualTo(2);
        assertThat(sample.seen()).isEqualTo(2);
        assertThat(sample.row(1)).containsExactly(2, 20);
        assertThat(sample.mean()).containsExactly(1.5, 15.0);

        for (int i = 3; i <= 100; i++) {
            sample.offer(new float[] {i, 10 * i});
        }
        assertThat(sample.size()).isEqualTo(3);
        assertThat(sample.seen()).isEqualTo(100);
        for (int i = 0; i < 3; i++) {
            float[] row = sample.row(i);
            assertThat(row[1]).isEqualTo(10 * row[0]);
        }
    }

    @Test
    void offeredRowsAreCopied() {
        BackgroundSample sample = new BackgroundSample(2, 2, 1L);
        float[] row = {1, 2};
        sample.offer(row);
        row[0] = 99;

        assertThat(sample.row(0)).containsExactly(1, 2);
        sample.row(0)[1] = 77;
        assertThat(sample.row(0)).containsExactly(1, 2);
    }

    /**
     * Algorithm R keeps each of n items with probability k / n: over 2000 seeded runs, each item's inclusion count is
     * binomial(2000, 0.1), mean 200 and standard deviation 13.4; all of them lie within 5 standard deviations.
     */
    @Test
    void everyItemIsKeptWithProbabilityCapacityOverSeen() {
        int n = 50;
        int capacity = 5;
        int runs = 2000;
        int[] kept = new int[n];
        for (long seed = 0; seed < runs; seed++) {
            BackgroundSample sample = new BackgroundSample(capacity, 1, seed);
            for (int i = 0; i < n; i++) {
                sample.offer(new float[] {i});
            }
            for (int j = 0; j < capacity; j++) {
                kept[(int) sample.row(j)[0]]++;
            }
        }
        double mean = runs * (double) capacity / n;
        double sd = Math.sqrt(runs * (capacity / (double) n) * (1 - capacity / (double) n));
        for (int i = 0; i < n; i++) {
            assertThat((double) kept[i]).as("item %d", i).isBetween(mean - 5 * sd, mean + 5 * sd);
        }
    }

    @Test
    void aRestoredSampleContinuesExactlyAsTheOriginal() {
        BackgroundSample original = new BackgroundSample(4, 3, 42L);
        BackgroundSample uninterrupted = new BackgroundSample(4, 3, 42L);
        for (int i = 0; i < 30; i++) {
            original.offer(row(i));
            uninterrupted.offer(row(i));
        }
        BackgroundSample.Snapshot snapshot = original.snapshot();
        BackgroundSample restored = BackgroundSample.restore(snapshot);

        assertThat(restored.snapshot()).isEqualTo(snapshot);
        for (int i = 30; i < 200; i++) {
            restored.offer(row(i));
            uninterrupted.offer(row(i));
        }
        assertThat(restored.snapshot()).isEqualTo(uninterrupted.snapshot());
        assertThat(restored.seen()).isEqualTo(200);
    }

    @Test
    void snapshotOfAPartlyFilledSampleRestores() {
        BackgroundSample sample = new BackgroundSample(10, 2, 7L);
        sample.offer(new float[] {1, 2});
        sample.offer(new float[] {3, 4});

        BackgroundSample.Snapshot snapshot = sample.snapshot();
        BackgroundSample restored = BackgroundSample.restore(snapshot);

        assertThat(snapshot.values()).containsExactly(1, 2, 3, 4);
        assertThat(restored.size()).isEqualTo(2);
        assertThat(restored.row(1)).containsExactly(3, 4);
        assertThat(restored.capacity()).isEqualTo(10);
    }

    @Test
    void theVersionChangesExactlyWhenTheContentsDo() {
        BackgroundSample sample = new BackgroundSample(1, 1, 3L);
        sample.offer(new float[] {0});
        long versions = 1;
        assertThat(sample.version()).isEqualTo(versions);
        for (int i = 1; i < 200; i++) {
            float before = sample.row(0)[0];
            long version = sample.version();
            sample.offer(new float[] {i});
            boolean changed = sample.row(0)[0] != before;
            assertThat(sample.version() != version).isEqualTo(changed);
        }
    }

    @Test
    void fromFixedRows() {
        BackgroundSample sample = BackgroundSample.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});

        assertThat(sample.size()).isEqualTo(3);
        assertThat(sample.capacity()).isEqualTo(3);
        assertThat(sample.featureCount()).isEqualTo(2);
        assertThat(sample.row(2)).containsExactly(5, 6);
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> new BackgroundSample(0, 2, 1L)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new BackgroundSample(2, 0, 1L)).hasMessageContaining("featureCount");
        assertThatThrownBy(() -> BackgroundSample.of(new float[0][])).hasMessageContaining("at least one row");
        assertThatThrownBy(() -> BackgroundSample.of(new float[][] {{1, 2}, {3}})).hasMessageContaining("features");
        BackgroundSample sample = new BackgroundSample(2, 2, 1L);
        assertThatThrownBy(() -> sample.offer(new float[3])).hasMessageContaining("features");
        assertThatThrownBy(() -> sample.row(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new BackgroundSample.Snapshot(2, 2, 3, 0L, new float[2]))
                .hasMessageContaining("values");
    }

    private static float[] row(int i) {
        return new float[] {i, -i, i * 0.5f};
    }
}
