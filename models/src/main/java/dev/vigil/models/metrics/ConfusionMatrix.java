package dev.vigil.models.metrics;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

/**
 * Counts of a binary decision rule against labels. Rates whose denominator is zero are {@code NaN} (undefined), not
 * 0 or 1: a window without positives has no sensitivity.
 *
 * @param truePositives label 1, predicted 1
 * @param falsePositives label 0, predicted 1
 * @param trueNegatives label 0, predicted 0
 * @param falseNegatives label 1, predicted 0
 */
public record ConfusionMatrix(long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

    public ConfusionMatrix {
        checkArgument(
                truePositives >= 0 && falsePositives >= 0 && trueNegatives >= 0 && falseNegatives >= 0,
                "counts must be >= 0");
    }

    /**
     * The confusion matrix of the rule "predict 1 when {@code score >= threshold}" (the convention of
     * scikit-learn's threshold curves).
     */
    public static ConfusionMatrix atThreshold(double[] scores, int[] labels, double threshold) {
        checkNotNull(scores, "scores");
        checkNotNull(labels, "labels");
        checkArgument(
                scores.length == labels.length, "%s scores but %s labels", scores.length, labels.length);
        checkArgument(!Double.isNaN(threshold), "threshold must not be NaN");
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            int y = labels[i];
            if (y == 1) {
                if (predicted) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (y == 0) {
                if (predicted) {
                    fp++;
                } else {
                    tn++;
                }
            } else {
                throw new IllegalArgumentException("labels[" + i + "] must be 0 or 1, got " + y);
            }
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    public long total() {
        return truePositives + falsePositives + trueNegatives + falseNegatives;
    }

    public long positives() {
        return truePositives + falseNegatives;
    }

    public long negatives() {
        return trueNegatives + falsePositives;
    }

    /** Sensitivity (recall, true-positive rate): {@code TP / (TP + FN)}. */
    public double sensitivity() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** Specificity (true-negative rate): {@code TN / (TN + FP)}. */
    public double specificity() {
        return ratio(trueNegatives, trueNegatives + falsePositives);
    }

    /** Positive predictive value (precision): {@code TP / (TP + FP)}. */
    public double ppv() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** Negative predictive value: {@code TN / (TN + FN)}. */
    public double npv() {
        return ratio(trueNegatives, trueNegatives + falseNegatives);
    }

    /** {@code (TP + TN) / total}. */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** F1, the harmonic mean of PPV and sensitivity: {@code 2 TP / (2 TP + FP + FN)}. */
    public double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
