package dev.vigil.operators.fraud.decision;

import dev.vigil.schema.common.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reasons of a fraud decision: the features with the largest contributions of one scored row, as {@link Reason}s
 * (feature, its value, its signed contribution), largest magnitude first. Plain Java, no Flink.
 *
 * <p>Which contributions: those of the model that decided ({@link FraudDecisionPolicy.Outcome#anomalyDecided()}).
 * The classifier's are the logistic model's closed-form contributions to the logit, {@code w_i (x_i - mu_i) /
 * sigma_i} (exact Shapley values against the training mean; the graph's {@code contributions} output), so a positive
 * one pushes towards fraud and a negative one away from it. The autoencoder's are each feature's squared
 * reconstruction error divided by F (they sum to the anomaly score), never negative: the features the model found
 * hardest to reconstruct. Ties keep feature order; zero contributions are never reasons.
 *
 * <pre>{@code
 * List<Reason> reasons = FraudReasons.top(FraudFeatures.NAMES, snapshot.features(), scores.contributions(i), 5);
 * }</pre>
 */
public final class FraudReasons {

    private FraudReasons() {}

    /**
     * The at most {@code max} features of largest {@code |contribution|}, largest first.
     *
     * @param names feature names, in the order of {@code values} and {@code contributions}
     * @param values the row's feature values
     * @param contributions the row's contributions, or {@code null} (no reasons)
     * @param max how many reasons at most, {@code >= 0}
     */
    public static List<Reason> top(List<String> names, float[] values, float[] contributions, int max) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(values, "values");
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        if (contributions == null || max == 0) {
            return new ArrayList<>(0);
        }
        int n = names.size();
        if (values.length != n || contributions.length != n) {
            throw new IllegalArgumentException("expected " + n + " values and contributions, got " + values.length
                    + " and " + contributions.length);
        }
        // Selection of the top k by magnitude: k and F are small (5 of 20), so k passes beat sorting.
        int k = Math.min(max, n);
        boolean[] taken = new boolean[n];
        List<Reason> reasons = new ArrayList<>(k);
        for (int r = 0; r < k; r++) {
            int best = -1;
            float bestMagnitude = 0f;
            for (int i = 0; i < n; i++) {
                float magnitude = Math.abs(contributions[i]);
                // NaN never wins (comparisons with NaN are false); strict > keeps feature order among ties.
                if (!taken[i] && magnitude > bestMagnitude) {
                    best = i;
                    bestMagnitude = magnitude;
                }
            }
            if (best < 0) {
                break;
            }
            taken[best] = true;
            reasons.add(new Reason(names.get(best), (double) values[best], (double) contributions[best]));
        }
        return reasons;
    }
}
