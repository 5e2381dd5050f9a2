package dev.vigil.models.continual;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.optim.OptimizerState;
import java.util.Arrays;
import java.util.Objects;

/**
 * Everything mutable in an {@link OnlineLearner}, as plain arrays and records: what a streaming operator checkpoints.
 * {@link OnlineLearner#restore} of a state taken by {@link OnlineLearner#snapshot()} into a learner built with the same
 * configuration continues bit-for-bit as if training had never stopped. {@link LearnerStateSerializer} writes it
 * compactly.
 *
 * <p>The configuration (model architecture, optimizer hyper-parameters, minibatch size, replay and EWC settings, seed)
 * is not part of the state: it comes from the job's options on restore.
 *
 * <p>Arrays are copied in and out, so a state is immutable; {@code equals} compares contents bit for bit.
 *
 * @param examplesSeen examples passed to {@link OnlineLearner#evaluateThenTrain}
 * @param updates optimizer steps taken
 * @param skippedUpdates steps skipped because the gradient was not finite
 * @param rngState the learner's random state (replay draws and the seeds of dropout masks)
 * @param parameters the model's parameter vector
 * @param optimizer the optimizer's step count and moments
 * @param standardizer the feature statistics
 * @param pending the examples of the minibatch not yet stepped on (fewer than the minibatch size)
 * @param reservoir the memory of past examples, or {@code null} when the learner keeps none
 * @param ewc the EWC anchor and Fisher information, or {@code null} when EWC is off
 * @param evaluation the prequential counters and the metrics window
 */
public record LearnerState(
        long examplesSeen,
        long updates,
        long skippedUpdates,
        long rngState,
        double[] parameters,
        OptimizerState optimizer,
        Standardizer.State standardizer,
        Examples pending,
        Reservoir reservoir,
        Ewc ewc,
        Evaluation evaluation) {

    public LearnerState {
        checkArgument(examplesSeen >= 0, "examplesSeen must be >= 0, got %s", examplesSeen);
        checkArgument(updates >= 0, "updates must be >= 0, got %s", updates);
        checkArgument(skippedUpdates >= 0, "skippedUpdates must be >= 0, got %s", skippedUpdates);
        parameters = checkNotNull(parameters, "parameters").clone();
        checkNotNull(optimizer, "optimizer");
        checkNotNull(standardizer, "standardizer");
        checkNotNull(pending, "pending");
        checkNotNull(evaluation, "evaluation");
        checkArgument(ewc == null || ewc.anchor.length == 0 || ewc.anchor.length == parameters.length,
                "ewc anchor has %s values for %s parameters", ewc == null ? 0 : ewc.anchor.length, parameters.length);
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnerState s
                && examplesSeen == s.examplesSeen
                && updates == s.updates
                && skippedUpdates == s.skippedUpdates
                && rngState == s.rngState
                && Arrays.equals(parameters, s.parameters)
                && optimizer.equals(s.optimizer)
                && standardizer.equals(s.standardizer)
                && pending.equals(s.pending)
                && Objects.equals(reservoir, s.reservoir)
                && Objects.equals(ewc, s.ewc)
                && evaluation.equals(s.evaluation);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(examplesSeen);
        h = 31 * h + Long.hashCode(updates);
        h = 31 * h + Long.hashCode(rngState);
        h = 31 * h + Arrays.hashCode(parameters);
        h = 31 * h + optimizer.hashCode();
        h = 31 * h + Objects.hashCode(reservoir);
        return 31 * h + Objects.hashCode(ewc);
    }

    @Override
    public String toString() {
        return "LearnerState[examplesSeen=" + examplesSeen + ", updates=" + updates + ", skippedUpdates="
                + skippedUpdates + ", parameters=" + parameters.length + ", optimizer=" + optimizer + ", pending="
                + pending.size() + ", reservoir=" + (reservoir == null ? "none" : reservoir.contents.size()) + ", ewc="
                + (ewc == null ? "off" : ewc.consolidations + " consolidations") + ", evaluation=" + evaluation.count
                + " examples]";
    }

    /**
     * Labelled examples with their weights, raw (not standardized: rows are standardized with the statistics current
     * when they are trained on).
     *
     * @param rows raw feature rows, all of one length
     * @param labels class indices, one per row
     * @param weights example weights (before class weighting), one per row
     */
    public record Examples(double[][] rows, int[] labels, double[] weights) {

        /** No examples. */
        public static final Examples EMPTY = new Examples(new double[0][], new int[0], new double[0]);

        public Examples {
            checkNotNull(rows, "rows");
            checkNotNull(labels, "labels");
            checkNotNull(weights, "weights");
            checkArgument(rows.length == labels.length && rows.length == weights.length,
                    "%s rows, %s labels and %s weights", rows.length, labels.length, weights.length);
            rows = deepCopy(rows);
            labels = labels.clone();
            weights = weights.clone();
        }

        public int size() {
            return rows.length;
        }

        @Override
        public double[][] rows() {
            return deepCopy(rows);
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        /** Row {@code i} without copying, for the package's restore paths. */
        double[] rowView(int i) {
            return rows[i];
        }

        int label(int i) {
            return labels[i];
        }

        double weight(int i) {
            return weights[i];
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Examples e
                    && Arrays.deepEquals(rows, e.rows)
                    && Arrays.equals(labels, e.labels)
                    && Arrays.equals(weights, e.weights);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.deepHashCode(rows) + Arrays.hashCode(labels)) + Arrays.hashCode(weights);
        }

        @Override
        public String toString() {
            return "Examples[" + rows.length + "]";
        }

        private static double[][] deepCopy(double[][] rows) {
            double[][] copy = new double[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                copy[i] = checkNotNull(rows[i], "rows[" + i + "]").clone();
            }
            return copy;
        }
    }

    /**
     * A reservoir sample of the stream (Vitter's Algorithm R).
     *
     * @param capacity the most examples kept
     * @param offered examples offered so far (the {@code t} of Algorithm R)
     * @param rngState the reservoir's own random state
     * @param contents the examples kept, at most {@code capacity}, in slot order
     */
    public record Reservoir(int capacity, long offered, long rngState, Examples contents) {

        public Reservoir {
            checkArgument(capacity > 0, "capacity must be > 0, got %s", capacity);
            checkArgument(offered >= 0, "offered must be >= 0, got %s", offered);
            checkNotNull(contents, "contents");
            checkArgument(contents.size() == Math.min(capacity, offered),
                    "a reservoir of capacity %s offered %s examples holds %s, not %s",
                    capacity, offered, Math.min(capacity, offered), contents.size());
        }
    }

    /**
     * Elastic weight consolidation: the anchor parameters {@code theta*} and the diagonal Fisher information {@code F}
     * of the quadratic penalty; both empty before the first consolidation.
     *
     * @param consolidations consolidations done so far
     * @param anchor {@code theta*}
     * @param fisher the (accumulated) diagonal Fisher information, each value {@code >= 0}
     */
    public record Ewc(long consolidations, double[] anchor, double[] fisher) {

        public Ewc {
            checkArgument(consolidations >= 0, "consolidations must be >= 0, got %s", consolidations);
            anchor = checkNotNull(anchor, "anchor").clone();
            fisher = checkNotNull(fisher, "fisher").clone();
            checkArgument(anchor.length == fisher.length, "anchor has %s values, fisher %s",
                    anchor.length, fisher.length);
            checkArgument((consolidations == 0) == (anchor.length == 0),
                    "anchor and fisher are empty exactly before the first consolidation");
            for (int i = 0; i < fisher.length; i++) {
                checkArgument(fisher[i] >= 0.0 && Double.isFinite(fisher[i]), "fisher[%s] must be finite and >= 0", i);
            }
        }

        @Override
        public double[] anchor() {
            return anchor.clone();
        }

        @Override
        public double[] fisher() {
            return fisher.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ewc e
                    && consolidations == e.consolidations
                    && Arrays.equals(anchor, e.anchor)
                    && Arrays.equals(fisher, e.fisher);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Long.hashCode(consolidations) + Arrays.hashCode(anchor)) + Arrays.hashCode(fisher);
        }

        @Override
        public String toString() {
            return "Ewc[consolidations=" + consolidations + ", parameters=" + anchor.length + "]";
        }
    }

    /**
     * Prequential counters since the start and the window of the latest predictions, oldest first.
     *
     * @param count examples evaluated
     * @param sumLogLoss the sum of their log losses
     * @param correct how many had the label as the predicted class
     * @param windowCapacity the window's length {@code N}
     * @param scores {@code P(y = 1)} of each prediction in the window ({@code NaN} for a multiclass model)
     * @param predicted the predicted class of each
     * @param labels the label of each
     * @param logLosses the log loss of each
     */
    public record Evaluation(
            long count,
            double sumLogLoss,
            long correct,
            int windowCapacity,
            double[] scores,
            int[] predicted,
            int[] labels,
            double[] logLosses) {

        public Evaluation {
            checkArgument(count >= 0 && correct >= 0 && correct <= count, "need 0 <= correct (%s) <= count (%s)",
                    correct, count);
            checkArgument(windowCapacity > 0, "windowCapacity must be > 0, got %s", windowCapacity);
            scores = checkNotNull(scores, "scores").clone();
            predicted = checkNotNull(predicted, "predicted").clone();
            labels = checkNotNull(labels, "labels").clone();
            logLosses = checkNotNull(logLosses, "logLosses").clone();
            int n = scores.length;
            checkArgument(predicted.length == n && labels.length == n && logLosses.length == n,
                    "window arrays must have one length");
            checkArgument(n == Math.min(windowCapacity, count), "window holds %s predictions, expected %s",
                    n, Math.min(windowCapacity, count));
        }

        @Override
        public double[] scores() {
            return scores.clone();
        }

        @Override
        public int[] predicted() {
            return predicted.clone();
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }

        @Override
        public double[] logLosses() {
            return logLosses.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Evaluation e
                    && count == e.count
                    && Double.doubleToLongBits(sumLogLoss) == Double.doubleToLongBits(e.sumLogLoss)
                    && correct == e.correct
                    && windowCapacity == e.windowCapacity
                    && Arrays.equals(scores, e.scores)
                    && Arrays.equals(predicted, e.predicted)
                    && Arrays.equals(labels, e.labels)
                    && Arrays.equals(logLosses, e.logLosses);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Long.hashCode(count) + Double.hashCode(sumLogLoss)) + Arrays.hashCode(logLosses);
        }

        @Override
        public String toString() {
            return "Evaluation[count=" + count + ", window=" + scores.length + "/" + windowCapacity + "]";
        }
    }
}
