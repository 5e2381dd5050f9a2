package dev.vigil.operators.inference;

import java.util.Arrays;
import org.apache.flink.util.Preconditions;

/**
 * The outputs of one {@link OnnxScorer#score} call: the primary output per row ({@link #score(int)}: a probability for
 * a classifier, an anomaly score for an anomaly model, see {@link OnnxScorer#scoreOutput()}) and, when the model has a
 * {@code contributions} output, the per-feature contributions (to the logit for a classifier, to the anomaly score for
 * an anomaly model; docs/CONTRACTS.md). Immutable once returned; its arrays belong to this object and are not reused by
 * the scorer.
 */
public final class ScoreBatch {

    private final int size;
    private final int featureCount;
    /** The primary output, one value per row. */
    private final float[] scores;
    /** Row-major {@code [size, featureCount]}, or {@code null} when the model has no contributions output. */
    private final float[] contributions;

    ScoreBatch(int size, int featureCount, float[] scores, float[] contributions) {
        this.size = size;
        this.featureCount = featureCount;
        this.scores = scores;
        this.contributions = contributions;
    }

    /** Number of scored rows. */
    public int size() {
        return size;
    }

    public int featureCount() {
        return featureCount;
    }

    /**
     * The primary output of row {@code row}: P(positive) for a classifier, the anomaly score for an anomaly model
     * ({@link OnnxScorer#scoreOutput()} names which).
     */
    public float score(int row) {
        Preconditions.checkElementIndex(row, size);
        return scores[row];
    }

    /** P(positive) of row {@code row}; the same value as {@link #score(int)} (for an anomaly model, its score). */
    public float probability(int row) {
        return score(row);
    }

    public boolean hasContributions() {
        return contributions != null;
    }

    /** Contribution of feature {@code feature} to the logit (or anomaly score) of row {@code row}. */
    public float contribution(int row, int feature) {
        Preconditions.checkState(contributions != null, "the model has no 'contributions' output");
        Preconditions.checkElementIndex(row, size);
        Preconditions.checkElementIndex(feature, featureCount);
        return contributions[row * featureCount + feature];
    }

    /** A copy of the contributions of row {@code row}, in the model's feature order. */
    public float[] contributions(int row) {
        Preconditions.checkState(contributions != null, "the model has no 'contributions' output");
        Preconditions.checkElementIndex(row, size);
        return Arrays.copyOfRange(contributions, row * featureCount, (row + 1) * featureCount);
    }

    @Override
    public String toString() {
        return "ScoreBatch{size=" + size + ", contributions=" + hasContributions() + '}';
    }
}
