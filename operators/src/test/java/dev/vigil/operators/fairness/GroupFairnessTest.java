package dev.vigil.operators.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Accumulation, merge and snapshot/restore of {@link GroupFairness}. */
class GroupFairnessTest {

    /** Scores are multiples of 1/1024 so that sums are exact in any order. */
    private static void fill(GroupFairness g, long seed, int n) {
        Random r = new Random(seed);
        String[] groups = {"a", "b", "c"};
        for (int i = 0; i < n; i++) {
            double score = r.nextInt(1025) / 1024.0;
            g.add(groups[r.nextInt(3)], score, r.nextDouble() < score ? 1 : 0);
        }
    }

    private static void assertSameState(GroupFairness.Snapshot a, GroupFairness.Snapshot b) {
        assertThat(a.threshold()).isEqualTo(b.threshold());
        assertThat(a.counts().keySet()).isEqualTo(b.counts().keySet());
        for (String g : a.counts().keySet()) {
            assertThat(a.counts().get(g)).as(g).containsExactly(b.counts().get(g));
        }
        assertThat(a.sumScores()).isEqualTo(b.sumScores());
    }

    @Test
    void countsCells() {
        GroupFairness g = new GroupFairness(0.5);
        g.add("x", 0.9, 1); // TP
        g.add("x", 0.5, 0); // FP: score == threshold predicts 1
        g.add("x", 0.2, 0); // TN
        g.add("x", 0.4, 1); // FN
        g.add("y", 0.7, 1);
        GroupCounts c = g.counts("x");
        assertThat(new long[] {c.truePositives(), c.falsePositives(), c.trueNegatives(), c.falseNegatives()})
                .containsExactly(1, 1, 1, 1);
        assertThat(c.count()).isEqualTo(4);
        assertThat(c.positives()).isEqualTo(2);
        assertThat(c.predictedPositives()).isEqualTo(2);
        assertThat(c.meanScore()).isEqualTo(2.0 / 4);
        assertThat(c.confusionMatrix().sensitivity()).isEqualTo(0.5);
        assertThat(g.groups()).containsExactly("x", "y");
        assertThat(g.counts("z").count()).isZero();
    }

    @Test
    void rejectsInvalidInput() {
        GroupFairness g = new GroupFairness(0.5);
        assertThatThrownBy(() -> g.add("x", 0.5, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.add("x", Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.add(null, 0.5, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> g.merge(new GroupFairness(0.4))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GroupFairness(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergeEqualsSequential() {
        GroupFairness sequential = new GroupFairness(0.5);
        fill(sequential, 1, 500);
        fill(sequential, 2, 300);
        fill(sequential, 3, 200);
        GroupFairness p1 = new GroupFairness(0.5);
        fill(p1, 1, 500);
        GroupFairness p2 = new GroupFairness(0.5);
        fill(p2, 2, 300);
        GroupFairness p3 = new GroupFairness(0.5);
        fill(p3, 3, 200);
        GroupFairness empty = new GroupFairness(0.5);
        p3.merge(empty);
        p2.merge(p3);
        p1.merge(p2);
        assertSameState(p1.snapshot(), sequential.snapshot());
        assertThat(FairnessReport.of(p1)).isEqualTo(FairnessReport.of(sequential));
    }

    @Test
    void restoreIsExact() {
        GroupFairness g = new GroupFairness(0.3);
        Random r = new Random(7);
        for (int i = 0; i < 1000; i++) {
            double score = r.nextDouble(); // arbitrary doubles: the sum must round-trip bit for bit
            g.add(r.nextBoolean() ? "f" : "m", score, r.nextDouble() < score ? 1 : 0);
        }
        GroupFairness.Snapshot snapshot = g.snapshot();
        GroupFairness restored = GroupFairness.restore(snapshot);
        assertSameState(restored.snapshot(), snapshot);
        for (String group : g.groups()) {
            assertThat(Double.doubleToLongBits(restored.counts(group).sumScores()))
                    .isEqualTo(Double.doubleToLongBits(g.counts(group).sumScores()));
        }
        // the two evolve identically afterwards
        g.add("f", 0.81, 1);
        restored.add("f", 0.81, 1);
        assertSameState(restored.snapshot(), g.snapshot());
        assertThat(FairnessReport.of(restored)).isEqualTo(FairnessReport.of(g));
    }

    @Test
    void snapshotIsACopy() {
        GroupFairness g = new GroupFairness(0.5);
        g.add("a", 0.9, 1);
        GroupFairness.Snapshot s = g.snapshot();
        g.add("a", 0.9, 1);
        assertThat(s.counts().get("a")).containsExactly(1, 0, 0, 0);
        s.counts().get("a")[0] = 99;
        assertThat(g.counts("a").truePositives()).isEqualTo(2);
    }

    @Test
    void restoreValidates() {
        assertThatThrownBy(() -> GroupFairness.restore(
                        new GroupFairness.Snapshot(0.5, Map.of("a", new long[3]), Map.of("a", 0.0))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GroupFairness.restore(
                        new GroupFairness.Snapshot(0.5, Map.of("a", new long[4]), Map.of("b", 0.0))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
