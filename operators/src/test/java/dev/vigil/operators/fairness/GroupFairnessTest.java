package dev.vigil.operators.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

    /** {@code clusters} clusters of {@code size} identical examples each; the first {@code selected} are predicted 1. */
    private static GroupFairness identicalClusters(int clusters, int size, int selected) {
        GroupFairness g = GroupFairness.clustered(0.5);
        for (int c = 0; c < clusters; c++) {
            for (int i = 0; i < size; i++) {
                g.add("a", c < selected ? 0.9 : 0.1, c % 2, 1000L + c);
            }
        }
        return g;
    }

    @Test
    void identicalExamplesOfAClusterCountAsAboutOneTrial() {
        GroupFairness g = identicalClusters(10, 100, 5);
        // r = 0.5, y_i - r n_i = ±50: V = 10/9 · 10 · 2500 / 1000² = 1/36, n* = 0.25 · 36 = 9
        assertThat(g.effectiveTrials("a", GroupFairness.Rate.SELECTION_RATE)).isCloseTo(9.0, within(1e-9));
        assertThat(g.clusterCount("a")).isEqualTo(10);
        WilsonInterval clustered = FairnessReport.of(g).groups().get(0).selectionRate();
        WilsonInterval independent = WilsonInterval.of(500, 1000);
        assertThat(clustered).isEqualTo(WilsonInterval.of(500, 1000, 9.0, WilsonInterval.Z_95));
        assertThat(clustered.estimate()).isEqualTo(0.5);
        assertThat(clustered.upper() - clustered.lower()).isGreaterThan(5 * (independent.upper() - independent.lower()));
    }

    @Test
    void singletonClustersGiveAboutTheIndependentSampleSize() {
        GroupFairness g = GroupFairness.clustered(0.5);
        GroupFairness plain = new GroupFairness(0.5);
        Random r = new Random(7);
        for (int i = 0; i < 400; i++) {
            double score = r.nextDouble();
            int label = r.nextDouble() < 0.3 ? 1 : 0;
            g.add("a", score, label, i);
            plain.add("a", score, label);
        }
        // each cluster one trial: V = r(1-r)/(N-1), so n* = N - 1
        assertThat(g.effectiveTrials("a", GroupFairness.Rate.SELECTION_RATE)).isCloseTo(399.0, within(1e-6));
        long positives = g.counts("a").positives();
        assertThat(g.effectiveTrials("a", GroupFairness.Rate.TRUE_POSITIVE_RATE))
                .isCloseTo(positives - 1.0, within(1e-6));
        assertThat(plain.effectiveTrials("a", GroupFairness.Rate.SELECTION_RATE)).isEqualTo(400.0);
        assertThat(g.effectiveTrials("missing", GroupFairness.Rate.SELECTION_RATE)).isZero();
    }

    @Test
    void aRateOfZeroOrOneHasOneTrialPerCluster() {
        GroupFairness g = identicalClusters(6, 50, 0);
        assertThat(g.effectiveTrials("a", GroupFairness.Rate.SELECTION_RATE)).isEqualTo(6.0);
        assertThat(identicalClusters(1, 50, 1).effectiveTrials("a", GroupFairness.Rate.SELECTION_RATE))
                .isEqualTo(1.0);
    }

    @Test
    void clustersMergeAndRoundTripThroughSnapshots() {
        GroupFairness a = identicalClusters(4, 10, 2);
        GroupFairness b = identicalClusters(6, 10, 3); // clusters 1000..1005: four shared with a
        GroupFairness merged = GroupFairness.restore(a.snapshot());
        merged.merge(b);
        assertThat(merged.clusterCount("a")).isEqualTo(6);
        assertThat(merged.counts("a").count()).isEqualTo(100);
        GroupFairness.Snapshot snap = merged.snapshot();
        assertThat(snap.clusters().get("a").get(1000L)).containsExactly(0, 20, 0, 0); // label 0, selected: FP
        GroupFairness back = GroupFairness.restore(snap);
        assertThat(back.isClustered()).isTrue();
        assertThat(back.effectiveTrials("a", GroupFairness.Rate.SELECTION_RATE))
                .isEqualTo(merged.effectiveTrials("a", GroupFairness.Rate.SELECTION_RATE));
        assertSameState(back.snapshot(), snap);

        GroupFairness plain = new GroupFairness(0.5);
        plain.merge(a); // an unclustered accumulator takes the counts only
        assertThat(plain.counts("a")).isEqualTo(a.counts("a"));
        assertThatThrownBy(() -> a.merge(new GroupFairness(0.5))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.add("a", 0.5, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> plain.add("a", 0.5, 1, 3L)).isInstanceOf(IllegalStateException.class);
        Map<String, Map<Long, long[]>> wrong = Map.of("a", Map.of(1L, new long[] {1, 0, 0, 0}));
        assertThatThrownBy(() -> GroupFairness.restore(new GroupFairness.Snapshot(
                        0.5, Map.of("a", new long[] {2, 0, 0, 0}), Map.of("a", 1.8), wrong)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not add up");
    }
}
