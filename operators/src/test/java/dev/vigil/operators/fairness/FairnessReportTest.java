package dev.vigil.operators.fairness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-computed reports on small tables, minimum counts, and significance on seeded samples. */
class FairnessReportTest {

    private static final double EPS = 1e-12;

    /** Adds a 2×2 table at threshold 0.5: predicted positives score 0.9, predicted negatives 0.1. */
    private static void table(GroupFairness g, String group, int tp, int fp, int tn, int fn) {
        for (int i = 0; i < tp; i++) {
            g.add(group, 0.9, 1);
        }
        for (int i = 0; i < fp; i++) {
            g.add(group, 0.9, 0);
        }
        for (int i = 0; i < tn; i++) {
            g.add(group, 0.1, 0);
        }
        for (int i = 0; i < fn; i++) {
            g.add(group, 0.1, 1);
        }
    }

    @Test
    void twoGroupsByHand() {
        GroupFairness g = new GroupFairness(0.5);
        table(g, "A", 20, 10, 60, 10); // n 100, positives 30, selected 30
        table(g, "B", 15, 5, 70, 10); // n 100, positives 25, selected 20
        FairnessReport r = FairnessReport.of(g);

        FairnessReport.GroupStats a = r.group("A");
        assertThat(a.selectionRate().estimate()).isCloseTo(0.30, within(EPS));
        assertThat(a.truePositiveRate().estimate()).isCloseTo(20.0 / 30, within(EPS));
        assertThat(a.falsePositiveRate().estimate()).isCloseTo(10.0 / 70, within(EPS));
        assertThat(a.precision().estimate()).isCloseTo(20.0 / 30, within(EPS));
        assertThat(a.eventRate().estimate()).isCloseTo(0.30, within(EPS));
        assertThat(a.meanScore()).isCloseTo(0.34, within(EPS)); // (30·0.9 + 70·0.1) / 100
        assertThat(a.calibrationInTheLarge()).isCloseTo(0.04, within(EPS));
        assertThat(a.miscalibrated()).isFalse(); // 0.34 inside [0.219, 0.396]
        assertThat(a.selectionRate().lower()).isCloseTo(0.2189, within(5e-4));
        assertThat(a.selectionRate().upper()).isCloseTo(0.3958, within(5e-4));

        FairnessReport.GroupStats b = r.group("B");
        assertThat(b.selectionRate().estimate()).isCloseTo(0.20, within(EPS));
        assertThat(b.truePositiveRate().estimate()).isCloseTo(0.60, within(EPS));
        assertThat(b.falsePositiveRate().estimate()).isCloseTo(5.0 / 75, within(EPS));
        assertThat(b.precision().estimate()).isCloseTo(0.75, within(EPS));
        assertThat(b.meanScore()).isCloseTo(0.26, within(EPS));
        assertThat(b.calibrationInTheLarge()).isCloseTo(0.01, within(EPS));

        assertThat(r.demographicParity().difference()).isCloseTo(0.10, within(EPS));
        assertThat(r.demographicParity().lowGroup()).isEqualTo("B");
        assertThat(r.demographicParity().highGroup()).isEqualTo("A");
        assertThat(r.demographicParityRatio()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(r.fourFifthsViolated()).isTrue();
        assertThat(r.equalOpportunity().difference()).isCloseTo(20.0 / 30 - 0.6, within(EPS));
        assertThat(r.falsePositiveRateGap().difference()).isCloseTo(10.0 / 70 - 5.0 / 75, within(EPS));
        assertThat(r.equalizedOddsDifference()).isCloseTo(10.0 / 70 - 5.0 / 75, within(EPS));
        // [0.219, 0.396] and [0.133, 0.289] overlap: a 10-point gap on 100 each is not significant
        assertThat(r.demographicParity().significant()).isFalse();
        assertThat(r.anySignificant()).isFalse();
    }

    @Test
    void equalGroupsHaveZeroGapsAndRatioOne() {
        GroupFairness g = new GroupFairness(0.5);
        table(g, "A", 20, 10, 60, 10);
        table(g, "B", 20, 10, 60, 10);
        FairnessReport r = FairnessReport.of(g);
        assertThat(r.demographicParity().difference()).isZero();
        assertThat(r.demographicParityRatio()).isEqualTo(1.0);
        assertThat(r.fourFifthsViolated()).isFalse();
        assertThat(r.equalizedOddsDifference()).isZero();
        assertThat(r.anySignificant()).isFalse();
    }

    @Test
    void largeGapOnLargeTablesIsSignificant() {
        GroupFairness g = new GroupFairness(0.5);
        table(g, "A", 400, 100, 400, 100); // selection 0.5, TPR 0.8, FPR 0.2
        table(g, "B", 200, 100, 400, 300); // selection 0.3, TPR 0.4, FPR 0.2
        FairnessReport r = FairnessReport.of(g);
        assertThat(r.demographicParity().difference()).isCloseTo(0.2, within(EPS));
        assertThat(r.demographicParity().significant()).isTrue();
        assertThat(r.demographicParityRatio()).isCloseTo(0.6, within(EPS));
        assertThat(r.equalOpportunity().difference()).isCloseTo(0.4, within(EPS));
        assertThat(r.equalOpportunity().significant()).isTrue();
        assertThat(r.falsePositiveRateGap().difference()).isCloseTo(0.0, within(EPS));
        assertThat(r.falsePositiveRateGap().significant()).isFalse();
        assertThat(r.equalizedOddsDifference()).isCloseTo(0.4, within(EPS));
        assertThat(r.equalizedOddsSignificant()).isTrue();
    }

    @Test
    void smallGroupsAreReportedButExcludedFromGaps() {
        GroupFairness g = new GroupFairness(0.5);
        table(g, "A", 20, 10, 60, 10); // eligible everywhere
        table(g, "B", 15, 5, 70, 10); // eligible everywhere
        table(g, "tiny", 10, 0, 0, 0); // 10 examples: selection 1.0, would dominate every gap
        table(g, "fewPositives", 5, 30, 5, 0); // 40 examples but 5 positives: in selection gap, not in TPR gap
        FairnessReport r = FairnessReport.of(g);

        assertThat(r.groups()).extracting(FairnessReport.GroupStats::group)
                .containsExactly("A", "B", "fewPositives", "tiny");
        FairnessReport.GroupStats tiny = r.group("tiny");
        assertThat(tiny.selectionRate().estimate()).isEqualTo(1.0);
        assertThat(tiny.inSelectionGap()).isFalse();
        assertThat(tiny.inTprGap()).isFalse();
        assertThat(tiny.inFprGap()).isFalse();
        assertThat(tiny.falsePositiveRate().defined()).isFalse();
        FairnessReport.GroupStats few = r.group("fewPositives");
        assertThat(few.inSelectionGap()).isTrue();
        assertThat(few.inTprGap()).isFalse();
        assertThat(few.inFprGap()).isTrue();

        // selection: A 0.3, B 0.2, fewPositives 35/40 = 0.875
        assertThat(r.demographicParity().eligibleGroups()).isEqualTo(3);
        assertThat(r.demographicParity().highGroup()).isEqualTo("fewPositives");
        assertThat(r.demographicParity().difference()).isCloseTo(0.875 - 0.2, within(EPS));
        // TPR: only A and B (fewPositives' TPR of 1.0 is excluded)
        assertThat(r.equalOpportunity().eligibleGroups()).isEqualTo(2);
        assertThat(r.equalOpportunity().difference()).isCloseTo(20.0 / 30 - 0.6, within(EPS));
        // FPR: A 1/7, B 1/15, fewPositives 30/35
        assertThat(r.falsePositiveRateGap().eligibleGroups()).isEqualTo(3);
        assertThat(r.falsePositiveRateGap().difference()).isCloseTo(30.0 / 35 - 5.0 / 75, within(EPS));
    }

    @Test
    void fewerThanTwoEligibleGroupsGiveUndefinedGaps() {
        GroupFairness g = new GroupFairness(0.5);
        table(g, "A", 20, 10, 60, 10);
        table(g, "tiny", 3, 0, 0, 0);
        FairnessReport r = FairnessReport.of(g);
        assertThat(r.demographicParity().difference()).isNaN();
        assertThat(r.demographicParity().eligibleGroups()).isEqualTo(1);
        assertThat(r.demographicParityRatio()).isNaN();
        assertThat(r.fourFifthsViolated()).isFalse();
        assertThat(r.equalizedOddsDifference()).isNaN();
        assertThat(r.anySignificant()).isFalse();
        assertThat(FairnessReport.of(new GroupFairness(0.5)).groups()).isEmpty();
    }

    @Test
    void customMinimumsIncludeSmallGroups() {
        GroupFairness g = new GroupFairness(0.5);
        table(g, "A", 20, 10, 60, 10);
        table(g, "tiny", 10, 0, 0, 0);
        FairnessReport r = FairnessReport.of(g, new FairnessReport.Options(5, 5, 5, WilsonInterval.Z_95, 0.8));
        assertThat(r.demographicParity().difference()).isCloseTo(0.7, within(EPS));
        assertThat(r.equalOpportunity().difference()).isCloseTo(1.0 - 20.0 / 30, within(EPS));
        assertThat(r.falsePositiveRateGap().eligibleGroups()).isEqualTo(1);
    }

    @Test
    void aMinimumGapKeepsLargeSampleTrivialGapsFromBeingSignificant() {
        // 100,000 examples per group: selection rates 0.50 and 0.52 have disjoint Wilson intervals (half-width ~0.003),
        // so the 2-point gap is statistically significant, but below a 5-point practical floor.
        GroupFairness g = new GroupFairness(0.5);
        for (int i = 0; i < 100_000; i++) {
            g.add("a", i < 50_000 ? 0.9 : 0.1, i % 2);
            g.add("b", i < 52_000 ? 0.9 : 0.1, i % 2);
        }
        FairnessReport statistical = FairnessReport.of(g);
        assertThat(statistical.demographicParity().difference()).isCloseTo(0.02, within(EPS));
        assertThat(statistical.demographicParity().significant()).isTrue();

        FairnessReport practical = FairnessReport.of(g, new FairnessReport.Options(30, 10, 10, WilsonInterval.Z_95,
                0.8, 0.05));
        assertThat(practical.demographicParity().difference()).isCloseTo(0.02, within(EPS));
        assertThat(practical.demographicParity().significant()).isFalse();
        assertThat(practical.anySignificant()).isFalse();

        FairnessReport lowFloor = FairnessReport.of(g, new FairnessReport.Options(30, 10, 10, WilsonInterval.Z_95,
                0.8, 0.01));
        assertThat(lowFloor.demographicParity().significant()).isTrue();
        assertThatThrownBy(() -> new FairnessReport.Options(30, 10, 10, WilsonInterval.Z_95, 0.8, -0.1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Two groups of 2000 with true risk p ~ U(0, 1) and label ~ Bernoulli(p). Unbiased: both groups are scored p.
     * Biased: group "b"'s score is 0.6·p (systematically under-scored), so it is selected less and its positives are
     * missed more often.
     */
    private static GroupFairness sample(long seed, boolean biased) {
        Random r = new Random(seed);
        GroupFairness g = new GroupFairness(0.5);
        for (String group : new String[] {"a", "b"}) {
            for (int i = 0; i < 2000; i++) {
                double p = r.nextDouble();
                int label = r.nextDouble() < p ? 1 : 0;
                double score = biased && group.equals("b") ? 0.6 * p : p;
                g.add(group, score, label);
            }
        }
        return g;
    }

    @Test
    void unbiasedSampleRaisesNoSignificantGap() {
        for (long seed = 1; seed <= 5; seed++) {
            FairnessReport r = FairnessReport.of(sample(seed, false));
            assertThat(r.anySignificant()).as("seed %s", seed).isFalse();
            assertThat(r.fourFifthsViolated()).as("seed %s", seed).isFalse();
            assertThat(r.demographicParity().difference()).as("seed %s", seed).isLessThan(0.05);
            // the per-group calibration flag is a plain 95% check (about 5% false alarms per group), so only the
            // size of calibration-in-the-large is asserted here
            assertThat(Math.abs(r.group("a").calibrationInTheLarge())).as("seed %s", seed).isLessThan(0.03);
            assertThat(Math.abs(r.group("b").calibrationInTheLarge())).as("seed %s", seed).isLessThan(0.03);
        }
    }

    @Test
    void biasedSampleRaisesSignificantGaps() {
        for (long seed = 1; seed <= 5; seed++) {
            FairnessReport r = FairnessReport.of(sample(seed, true));
            assertThat(r.demographicParity().significant()).as("seed %s", seed).isTrue();
            assertThat(r.demographicParity().lowGroup()).isEqualTo("b");
            assertThat(r.fourFifthsViolated()).as("seed %s", seed).isTrue();
            assertThat(r.equalOpportunity().significant()).as("seed %s", seed).isTrue();
            assertThat(r.equalizedOddsSignificant()).as("seed %s", seed).isTrue();
            assertThat(r.group("b").miscalibrated()).as("seed %s", seed).isTrue(); // mean score ~0.3 vs rate ~0.5
            assertThat(r.group("b").calibrationInTheLarge()).as("seed %s", seed).isLessThan(-0.15);
        }
    }

    /**
     * Two calibrated groups with different base rates: A's risk is 0.4 (scores 0.4, 40% events), B's 0.1 (scores
     * 0.1, 10% events). At threshold 0.3 every A is selected and no B: TPR, FPR and selection gaps of 1, yet the
     * score means the same risk in both groups: observed over expected is 1 for both, a calibration gap of 0. A third
     * group C, scored 0.1 but with 40% events (its risk understated fourfold), opens a significant gap of 4 - 1 = 3.
     */
    @Test
    void calibrationGapSeparatesBaseRatesFromAnUnderstatedGroup() {
        GroupFairness g = new GroupFairness(0.3);
        for (int i = 0; i < 1000; i++) {
            g.add("A", 0.4, i % 10 < 4 ? 1 : 0);
            g.add("B", 0.1, i % 10 < 1 ? 1 : 0);
        }
        FairnessReport calibrated = FairnessReport.of(g);
        assertThat(calibrated.equalOpportunity().difference()).isEqualTo(1.0);
        assertThat(calibrated.equalOpportunity().significant()).isTrue();
        assertThat(calibrated.calibrationGap().difference()).isCloseTo(0.0, within(1e-9));
        assertThat(calibrated.calibrationGap().significant()).isFalse();
        assertThat(FairnessCriterion.CALIBRATION.significantIn(calibrated)).isFalse();
        assertThat(calibrated.anySignificant(java.util.EnumSet.of(FairnessCriterion.CALIBRATION))).isFalse();
        assertThat(calibrated.anySignificant(java.util.EnumSet.of(FairnessCriterion.EQUAL_OPPORTUNITY))).isTrue();

        for (int i = 0; i < 1000; i++) {
            g.add("C", 0.1, i % 10 < 4 ? 1 : 0);
        }
        FairnessReport understated = FairnessReport.of(g);
        FairnessReport.Gap gap = understated.calibrationGap();
        assertThat(gap.difference()).isCloseTo(3.0, within(1e-9));
        assertThat(gap.lowGroup()).isIn("A", "B");
        assertThat(gap.highGroup()).isEqualTo("C");
        assertThat(gap.significant()).isTrue();
        assertThat(gap.eligibleGroups()).isEqualTo(3);
        assertThat(FairnessCriterion.CALIBRATION.significantIn(understated)).isTrue();
    }
}
