package dev.vigil.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class BinaryClassificationMetricsTest {

    private static final double EXACT = 1e-15;

    @Test
    void scikitLearnDocumentationExample() {
        // sklearn: roc_auc_score -> 0.75, average_precision_score -> 0.8333333333333333
        int[] y = {0, 0, 1, 1};
        double[] s = {0.1, 0.4, 0.35, 0.8};
        assertThat(BinaryClassificationMetrics.auroc(s, y)).isCloseTo(0.75, within(EXACT));
        assertThat(BinaryClassificationMetrics.averagePrecision(s, y)).isCloseTo(5.0 / 6.0, within(EXACT));
    }

    /**
     * Positives score (0.9, 0.5, 0.5), negatives (0.9, 0.5, 0.1).
     *
     * <p>AUROC by pairs: the 0.9 positive beats two negatives and ties one (2.5); each 0.5 positive beats one and ties
     * one (1.5 each): U = 5.5, AUROC = 5.5 / 9.
     *
     * <p>AP: threshold 0.9 -> TP 1, FP 1, P = 1/2, R = 1/3; threshold 0.5 -> TP 3, FP 2, P = 3/5, R = 1.
     * AP = 1/3 * 1/2 + 2/3 * 3/5 = 17/30.
     */
    @Test
    void tiesCountHalfAndEnterTogether() {
        int[] y = {1, 0, 1, 0, 1, 0};
        double[] s = {0.9, 0.9, 0.5, 0.5, 0.5, 0.1};
        assertThat(BinaryClassificationMetrics.auroc(s, y)).isCloseTo(5.5 / 9.0, within(EXACT));
        assertThat(BinaryClassificationMetrics.averagePrecision(s, y)).isCloseTo(17.0 / 30.0, within(EXACT));
    }

    @Test
    void degenerateRankings() {
        int[] y = {0, 1, 0, 1};
        double[] tied = {0.5, 0.5, 0.5, 0.5};
        assertThat(BinaryClassificationMetrics.auroc(tied, y)).isEqualTo(0.5);
        assertThat(BinaryClassificationMetrics.averagePrecision(tied, y)).isEqualTo(0.5); // prevalence

        double[] perfect = {0.1, 0.8, 0.2, 0.9};
        assertThat(BinaryClassificationMetrics.auroc(perfect, y)).isEqualTo(1.0);
        assertThat(BinaryClassificationMetrics.averagePrecision(perfect, y)).isEqualTo(1.0);

        // Reversed: the positive ranks last, so P = 1/2 when it enters.
        assertThat(BinaryClassificationMetrics.auroc(new double[] {0.1, 0.9}, new int[] {1, 0})).isEqualTo(0.0);
        assertThat(BinaryClassificationMetrics.averagePrecision(new double[] {0.1, 0.9}, new int[] {1, 0}))
                .isEqualTo(0.5);

        // -0.0 and 0.0 are one score.
        assertThat(BinaryClassificationMetrics.auroc(new double[] {-0.0, 0.0}, new int[] {1, 0})).isEqualTo(0.5);

        assertThat(BinaryClassificationMetrics.auroc(new double[] {0.2, 0.4}, new int[] {0, 0})).isNaN();
        assertThat(BinaryClassificationMetrics.averagePrecision(new double[] {0.2, 0.4}, new int[] {0, 0})).isNaN();
        assertThat(BinaryClassificationMetrics.averagePrecision(new double[] {0.2, 0.4}, new int[] {1, 1}))
                .isEqualTo(1.0);
    }

    @Test
    void rankingMetricsEqualBruteForceOnRandomTiedScores() {
        Random random = new Random(17);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + random.nextInt(60);
            double[] s = new double[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                s[i] = random.nextInt(8) / 8.0; // many ties
                y[i] = random.nextDouble() < 0.3 ? 1 : 0;
            }
            y[0] = 1;
            y[1] = 0;
            assertThat(BinaryClassificationMetrics.auroc(s, y)).isCloseTo(pairwiseAuroc(s, y), within(1e-12));
            assertThat(BinaryClassificationMetrics.averagePrecision(s, y))
                    .isCloseTo(thresholdSweepAp(s, y), within(1e-12));
        }
    }

    private static double pairwiseAuroc(double[] s, int[] y) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (y[i] == 1 && y[j] == 0) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
            }
        }
        return wins / pairs;
    }

    /** The definition: for each distinct threshold, descending, (R_k - R_{k-1}) * P_k. */
    private static double thresholdSweepAp(double[] s, int[] y) {
        TreeSet<Double> thresholds = new TreeSet<>();
        int positives = 0;
        for (int i = 0; i < s.length; i++) {
            thresholds.add(s[i]);
            positives += y[i];
        }
        double ap = 0;
        double previousRecall = 0;
        for (double t : thresholds.descendingSet()) {
            int tp = 0;
            int predicted = 0;
            for (int i = 0; i < s.length; i++) {
                if (s[i] >= t) {
                    predicted++;
                    tp += y[i];
                }
            }
            double recall = (double) tp / positives;
            ap += (recall - previousRecall) * tp / predicted;
            previousRecall = recall;
        }
        return ap;
    }

    @Test
    void brierScoreAndLogLossMatchScikitLearn() {
        // sklearn brier_score_loss([0, 1, 1, 0], [0.1, 0.9, 0.8, 0.3]) -> 0.0375
        assertThat(BinaryClassificationMetrics.brierScore(new double[] {0.1, 0.9, 0.8, 0.3}, new int[] {0, 1, 1, 0}))
                .isCloseTo(0.0375, within(EXACT));
        // sklearn log_loss(["spam","ham","ham","spam"], [[.1,.9],[.9,.1],[.8,.2],[.35,.65]]) -> 0.21616187468057912
        assertThat(BinaryClassificationMetrics.logLoss(new double[] {0.9, 0.1, 0.2, 0.65}, new int[] {1, 0, 0, 1}))
                .isCloseTo(0.21616187468057912, within(1e-15));
        // Clipping keeps a confident mistake finite: -log(1e-15).
        assertThat(BinaryClassificationMetrics.logLoss(new double[] {0.0}, new int[] {1}))
                .isCloseTo(-Math.log(1e-15), within(1e-12));
    }

    @Test
    void confusionMatrixAtThreshold() {
        double[] p = {0.9, 0.6, 0.5, 0.4, 0.2, 0.1, 0.7, 0.3};
        int[] y = {1, 1, 0, 1, 0, 0, 0, 0};
        // >= 0.5 predicts 1: TP = {0.9, 0.6}, FP = {0.5, 0.7}, FN = {0.4}, TN = {0.2, 0.1, 0.3}
        BinaryClassificationMetrics m = BinaryClassificationMetrics.compute(p, y, 0.5);
        assertThat(m.confusion()).isEqualTo(new ConfusionMatrix(2, 2, 3, 1));
        assertThat(m.sensitivity()).isEqualTo(2.0 / 3.0);
        assertThat(m.specificity()).isEqualTo(3.0 / 5.0);
        assertThat(m.ppv()).isEqualTo(0.5);
        assertThat(m.confusion().npv()).isEqualTo(0.75);
        assertThat(m.confusion().f1()).isEqualTo(4.0 / 7.0);
        assertThat(m.count()).isEqualTo(8);
        assertThat(m.positives()).isEqualTo(3);
        assertThat(m.toMap()).containsKeys("auroc", "average_precision", "brier_score", "log_loss", "sensitivity");
        assertThat(new ConfusionMatrix(0, 0, 4, 0).sensitivity()).isNaN();
    }

    @Test
    void rejectsInvalidInput() {
        assertThatThrownBy(() -> BinaryClassificationMetrics.auroc(new double[] {0.1}, new int[] {1, 0}))
                .hasMessageContaining("labels");
        assertThatThrownBy(() -> BinaryClassificationMetrics.auroc(new double[] {0.1, Double.NaN}, new int[] {1, 0}))
                .hasMessageContaining("scores[1]");
        assertThatThrownBy(() -> BinaryClassificationMetrics.brierScore(new double[] {1.5}, new int[] {1}))
                .hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> BinaryClassificationMetrics.auroc(new double[] {0.1, 0.2}, new int[] {1, 3}))
                .hasMessageContaining("labels[1]");
    }
}
