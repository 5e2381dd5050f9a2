package dev.vigil.operators.fairness;

import dev.vigil.models.metrics.ConfusionMatrix;

/**
 * The counts of one group at the decision threshold, plus the sum of its scores for calibration-in-the-large. The
 * sum of labels equals {@link #positives()} because labels are 0 or 1.
 *
 * @param truePositives label 1, score >= threshold
 * @param falsePositives label 0, score >= threshold
 * @param trueNegatives label 0, score < threshold
 * @param falseNegatives label 1, score < threshold
 * @param sumScores sum of the scores of the group's examples
 */
public record GroupCounts(
        long truePositives, long falsePositives, long trueNegatives, long falseNegatives, double sumScores) {

    public GroupCounts {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
    }

    /** Number of examples. */
    public long count() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    /** Examples with label 1 (also the sum of labels). */
    public long positives() {
        return truePositives + falseNegatives;
    }

    /** Examples with label 0. */
    public long negatives() {
        return falsePositives + trueNegatives;
    }

    /** Examples predicted 1 (score >= threshold). */
    public long predictedPositives() {
        return truePositives + falsePositives;
    }

    /** Mean score, {@code NaN} for an empty group. */
    public double meanScore() {
        long n = count();
        return n == 0 ? Double.NaN : sumScores / n;
    }

    public ConfusionMatrix confusionMatrix() {
        return new ConfusionMatrix(truePositives, falsePositives, trueNegatives, falseNegatives);
    }
}
