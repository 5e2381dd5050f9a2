package dev.vigil.models.metrics;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Discrimination and calibration of a binary classifier's scores on a labelled set, plus the confusion matrix at an
 * operating threshold. {@link #compute} gives all of them; the static methods give each alone.
 *
 * <ul>
 *   <li><b>AUROC</b> — the probability that a random positive scores above a random negative, ties counting one
 *       half: the Mann–Whitney {@code U} statistic divided by {@code n1 * n0} (H. B. Mann and D. R. Whitney, Ann.
 *       Math. Statist. 18(1), 1947; J. A. Hanley and B. J. McNeil, Radiology 143(1), 1982). Equal to the trapezoidal
 *       area under the ROC curve and to scikit-learn's {@code roc_auc_score}.
 *   <li><b>Average precision</b> — {@code AP = sum_k (R_k - R_{k-1}) P_k} over the distinct score thresholds in
 *       decreasing order, the step-wise (not interpolated) area under the precision–recall curve, equal to
 *       scikit-learn's {@code average_precision_score}. Better than AUROC at telling models apart when positives
 *       are rare (T. Saito and M. Rehmsmeier, PLoS ONE 10(3), 2015).
 *   <li><b>Brier score</b> — {@code mean (p - y)^2} (G. W. Brier, Monthly Weather Review 78(1), 1950).
 *   <li><b>Log loss</b> — {@code -mean [y log p + (1 - y) log(1 - p)]}, with {@code p} clipped to
 *       {@code [1e-15, 1 - 1e-15]}.
 * </ul>
 *
 * <p>Ranking metrics are {@code NaN} when undefined (AUROC without both classes, AP without positives), so a
 * monitor over a short window can skip them instead of failing. They sort the positive and the negative scores
 * separately ({@code O(n log n)}, primitive arrays, no boxing) and walk both in step.
 *
 * @param count rows
 * @param positives rows with label 1
 * @param auroc area under the ROC curve
 * @param averagePrecision average precision (PR-AUC)
 * @param brierScore Brier score
 * @param logLoss log loss
 * @param threshold the operating threshold of {@code confusion}
 * @param confusion the confusion matrix of {@code probability >= threshold}
 */
public record BinaryClassificationMetrics(
        long count,
        long positives,
        double auroc,
        double averagePrecision,
        double brierScore,
        double logLoss,
        double threshold,
        ConfusionMatrix confusion) {

    /** Probabilities are clipped to {@code [LOG_LOSS_EPSILON, 1 - LOG_LOSS_EPSILON]} in {@link #logLoss}. */
    public static final double LOG_LOSS_EPSILON = 1e-15;

    public BinaryClassificationMetrics {
        checkNotNull(confusion, "confusion");
    }

    /** All metrics of {@code probabilities} (each in [0, 1]) against {@code labels} (each 0 or 1). */
    public static BinaryClassificationMetrics compute(double[] probabilities, int[] labels, double threshold) {
        checkInputs(probabilities, labels);
        checkProbabilities(probabilities);
        ConfusionMatrix confusion = ConfusionMatrix.atThreshold(probabilities, labels, threshold);
        return new BinaryClassificationMetrics(
                labels.length,
                confusion.positives(),
                auroc(probabilities, labels),
                averagePrecision(probabilities, labels),
                brierScore(probabilities, labels),
                logLoss(probabilities, labels),
                threshold,
                confusion);
    }

    /** Sensitivity at {@link #threshold()}. */
    public double sensitivity() {
        return confusion.sensitivity();
    }

    /** Specificity at {@link #threshold()}. */
    public double specificity() {
        return confusion.specificity();
    }

    /** Positive predictive value at {@link #threshold()}. */
    public double ppv() {
        return confusion.ppv();
    }

    /**
     * The metrics as a flat map with snake_case keys ({@code auroc}, {@code average_precision}, {@code brier_score},
     * {@code log_loss}, {@code threshold}, {@code sensitivity}, {@code specificity}, {@code ppv}, {@code npv}), the
     * form model provenance records them in.
     */
    public Map<String, Double> toMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        map.put("auroc", auroc);
        map.put("average_precision", averagePrecision);
        map.put("brier_score", brierScore);
        map.put("log_loss", logLoss);
        map.put("threshold", threshold);
        map.put("sensitivity", confusion.sensitivity());
        map.put("specificity", confusion.specificity());
        map.put("ppv", confusion.ppv());
        map.put("npv", confusion.npv());
        return map;
    }

    /**
     * Area under the ROC curve of {@code scores} (any finite values, higher meaning more likely positive): the
     * Mann–Whitney {@code U / (n1 n0)} with tied scores counted as one half (average ranks). {@code NaN} unless both
     * classes are present.
     */
    public static double auroc(double[] scores, int[] labels) {
        checkInputs(scores, labels);
        double[][] split = splitByLabel(scores, labels);
        double[] pos = split[1];
        double[] neg = split[0];
        if (pos.length == 0 || neg.length == 0) {
            return Double.NaN;
        }
        // U = sum over positives of (#negatives below + 0.5 * #negatives tied).
        double u = 0.0;
        int below = 0;
        int i = 0;
        while (i < pos.length) {
            double s = pos[i];
            int groupEnd = i;
            while (groupEnd < pos.length && pos[groupEnd] == s) {
                groupEnd++;
            }
            while (below < neg.length && neg[below] < s) {
                below++;
            }
            int tiedEnd = below;
            while (tiedEnd < neg.length && neg[tiedEnd] == s) {
                tiedEnd++;
            }
            u += (double) (groupEnd - i) * (below + 0.5 * (tiedEnd - below));
            i = groupEnd;
        }
        return u / ((double) pos.length * neg.length);
    }

    /**
     * Average precision of {@code scores}: {@code sum_k (R_k - R_{k-1}) P_k} over the distinct thresholds in
     * decreasing order, rows with tied scores entering together. {@code NaN} without positives.
     */
    public static double averagePrecision(double[] scores, int[] labels) {
        checkInputs(scores, labels);
        double[][] split = splitByLabel(scores, labels);
        double[] pos = split[1];
        double[] neg = split[0];
        if (pos.length == 0) {
            return Double.NaN;
        }
        // Walk both ascending arrays from the top: at each distinct score s, tp and fp count the rows >= s.
        int i = pos.length - 1;
        int j = neg.length - 1;
        long tp = 0;
        long fp = 0;
        double sum = 0.0;
        while (i >= 0) {
            double s = j >= 0 ? Math.max(pos[i], neg[j]) : pos[i];
            long newTp = 0;
            while (i >= 0 && pos[i] == s) {
                newTp++;
                i--;
            }
            while (j >= 0 && neg[j] == s) {
                fp++;
                j--;
            }
            if (newTp > 0) {
                tp += newTp;
                sum += newTp * ((double) tp / (tp + fp));
            }
        }
        return sum / pos.length;
    }

    /** Brier score {@code mean (p - y)^2} of probabilities in [0, 1]. */
    public static double brierScore(double[] probabilities, int[] labels) {
        checkInputs(probabilities, labels);
        checkProbabilities(probabilities);
        double sum = 0.0;
        for (int i = 0; i < probabilities.length; i++) {
            double d = probabilities[i] - checkLabel(labels, i);
            sum += d * d;
        }
        return sum / probabilities.length;
    }

    /** Mean log loss of probabilities in [0, 1], each clipped to {@code [1e-15, 1 - 1e-15]}. */
    public static double logLoss(double[] probabilities, int[] labels) {
        checkInputs(probabilities, labels);
        checkProbabilities(probabilities);
        double sum = 0.0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = Math.min(Math.max(probabilities[i], LOG_LOSS_EPSILON), 1.0 - LOG_LOSS_EPSILON);
            sum -= checkLabel(labels, i) == 1 ? Math.log(p) : Math.log1p(-p);
        }
        return sum / probabilities.length;
    }

    /** {@code [negatives, positives]}, each sorted ascending, with -0.0 folded into 0.0. */
    private static double[][] splitByLabel(double[] scores, int[] labels) {
        int positives = 0;
        for (int i = 0; i < labels.length; i++) {
            positives += checkLabel(labels, i);
        }
        double[] pos = new double[positives];
        double[] neg = new double[labels.length - positives];
        int p = 0;
        int q = 0;
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i];
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("scores[" + i + "] is not finite: " + s);
            }
            s += 0.0; // -0.0 + 0.0 == +0.0, so Arrays.sort keeps equal scores adjacent
            if (labels[i] == 1) {
                pos[p++] = s;
            } else {
                neg[q++] = s;
            }
        }
        Arrays.sort(pos);
        Arrays.sort(neg);
        return new double[][] {neg, pos};
    }

    private static void checkInputs(double[] scores, int[] labels) {
        checkNotNull(scores, "scores");
        checkNotNull(labels, "labels");
        checkArgument(scores.length == labels.length, "%s scores but %s labels", scores.length, labels.length);
        checkArgument(scores.length > 0, "no scores");
    }

    private static void checkProbabilities(double[] probabilities) {
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            if (!(p >= 0.0 && p <= 1.0)) {
                throw new IllegalArgumentException("probabilities[" + i + "] must be in [0, 1], got " + p);
            }
        }
    }

    private static int checkLabel(int[] labels, int i) {
        int y = labels[i];
        if (y != 0 && y != 1) {
            throw new IllegalArgumentException("labels[" + i + "] must be 0 or 1, got " + y);
        }
        return y;
    }
}
