package dev.vigil.models.continual;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.metrics.BinaryClassificationMetrics;

/**
 * Running prequential metrics: cumulative log loss and accuracy, and a ring buffer of the last {@code N} predictions
 * for windowed log loss, accuracy and AUROC. Recording is allocation-free; {@link #metrics()} sorts a copy of the
 * window for AUROC.
 */
final class PrequentialEvaluator {

    private final int windowCapacity;
    private final boolean binary;
    private final double[] scores;
    private final int[] predicted;
    private final int[] labels;
    private final double[] logLosses;
    /** Next slot to write; the oldest entry once the window is full. */
    private int head;

    private int filled;
    private long count;
    private double sumLogLoss;
    private long correct;

    PrequentialEvaluator(int windowCapacity, boolean binary) {
        this.windowCapacity = windowCapacity;
        this.binary = binary;
        this.scores = new double[windowCapacity];
        this.predicted = new int[windowCapacity];
        this.labels = new int[windowCapacity];
        this.logLosses = new double[windowCapacity];
    }

    int windowCapacity() {
        return windowCapacity;
    }

    /** Records one prediction: {@code score} is {@code P(y = 1)} for a binary model, ignored otherwise. */
    void record(double score, int predictedClass, int label, double logLoss) {
        scores[head] = binary ? score : Double.NaN;
        predicted[head] = predictedClass;
        labels[head] = label;
        logLosses[head] = logLoss;
        head = head + 1 == windowCapacity ? 0 : head + 1;
        if (filled < windowCapacity) {
            filled++;
        }
        count++;
        sumLogLoss += logLoss;
        if (predictedClass == label) {
            correct++;
        }
    }

    PrequentialMetrics metrics() {
        double windowLogLoss = Double.NaN;
        double windowAccuracy = Double.NaN;
        double windowAuroc = Double.NaN;
        if (filled > 0) {
            double loss = 0.0;
            int hits = 0;
            double[] s = new double[filled];
            int[] y = new int[filled];
            for (int k = 0; k < filled; k++) {
                int i = oldest(k);
                loss += logLosses[i];
                hits += predicted[i] == labels[i] ? 1 : 0;
                s[k] = scores[i];
                y[k] = labels[i];
            }
            windowLogLoss = loss / filled;
            windowAccuracy = (double) hits / filled;
            if (binary) {
                windowAuroc = BinaryClassificationMetrics.auroc(s, y);
            }
        }
        return new PrequentialMetrics(
                count,
                count == 0 ? Double.NaN : sumLogLoss / count,
                count == 0 ? Double.NaN : (double) correct / count,
                filled,
                windowCapacity,
                windowLogLoss,
                windowAccuracy,
                windowAuroc);
    }

    /** Slot of the {@code k}-th oldest entry in the window. */
    private int oldest(int k) {
        int start = filled < windowCapacity ? 0 : head;
        int i = start + k;
        return i >= windowCapacity ? i - windowCapacity : i;
    }

    LearnerState.Evaluation state() {
        double[] s = new double[filled];
        int[] p = new int[filled];
        int[] y = new int[filled];
        double[] l = new double[filled];
        for (int k = 0; k < filled; k++) {
            int i = oldest(k);
            s[k] = scores[i];
            p[k] = predicted[i];
            y[k] = labels[i];
            l[k] = logLosses[i];
        }
        return new LearnerState.Evaluation(count, sumLogLoss, correct, windowCapacity, s, p, y, l);
    }

    void restore(LearnerState.Evaluation state) {
        checkNotNull(state, "evaluation state");
        checkArgument(state.windowCapacity() == windowCapacity, "evaluation window is %s, the state has %s",
                windowCapacity, state.windowCapacity());
        double[] s = state.scores();
        int[] p = state.predicted();
        int[] y = state.labels();
        double[] l = state.logLosses();
        filled = s.length;
        System.arraycopy(s, 0, scores, 0, filled);
        System.arraycopy(p, 0, predicted, 0, filled);
        System.arraycopy(y, 0, labels, 0, filled);
        System.arraycopy(l, 0, logLosses, 0, filled);
        head = filled == windowCapacity ? 0 : filled;
        count = state.count();
        sumLogLoss = state.sumLogLoss();
        correct = state.correct();
    }
}
