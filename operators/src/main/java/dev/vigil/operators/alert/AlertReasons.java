package dev.vigil.operators.alert;

import dev.vigil.schema.common.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Picks an alert's reasons: from a Shapley explanation of the score over clinical feature groups when the scorer
 * attached one ({@code dev.vigil.operators.explain.ScoringExplainer}), else from the model's per-feature contributions
 * (exact Shapley values of the linear model against the training mean). See {@code docs/CONTRACTS.md}.
 *
 * <p>Features that push the risk up come first, largest contribution first; if fewer than {@code k} do, the rest are
 * filled with the features that push it down, largest magnitude first. Zero and non-finite contributions are skipped;
 * ties go to the feature earlier in the vector. No contributions (model unavailable) give no reasons.
 */
public final class AlertReasons {

    private AlertReasons() {}

    /**
     * @param names feature names, in vector order
     * @param features feature values, parallel to {@code names}
     * @param contributions contributions, parallel to {@code names}; null gives an empty list
     * @param k maximum number of reasons
     */
    public static List<Reason> top(List<String> names, float[] features, float[] contributions, int k) {
        if (contributions == null || features == null || k <= 0) {
            return Collections.emptyList();
        }
        int n = Math.min(names.size(), Math.min(features.length, contributions.length));
        int[] chosen = new int[k];
        int count = choose(contributions, n, chosen);
        List<Reason> reasons = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            int i = chosen[j];
            reasons.add(new Reason(names.get(i), (double) features[i], (double) contributions[i]));
        }
        return reasons;
    }

    /**
     * The reasons of a Shapley explanation attached to a score ({@code ScoredSnapshot#reasonAttributions}), chosen and
     * ordered as {@link #top(List, float[], float[], int)} does: {@code Reason.feature} is the player's name (a
     * clinical group such as {@code "respiratory rate"}), {@code Reason.value} its value (the group's representative
     * feature), {@code Reason.contribution} its attribution, whose sign is the direction.
     *
     * @param names player names
     * @param values player values, parallel to {@code names}
     * @param attributions attributions, parallel to {@code names}; null gives an empty list
     * @param k maximum number of reasons
     */
    public static List<Reason> top(String[] names, float[] values, float[] attributions, int k) {
        if (attributions == null || names == null || values == null || k <= 0) {
            return Collections.emptyList();
        }
        return top(Arrays.asList(names), values, attributions, k);
    }

    /** Writes to {@code chosen} the indices of the best {@code chosen.length} contributions; returns how many. */
    private static int choose(float[] contributions, int n, int[] chosen) {
        int count = 0;
        while (count < chosen.length) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                float c = contributions[i];
                if (c == 0f || !Float.isFinite(c) || contains(chosen, count, i)) {
                    continue;
                }
                if (best < 0 || better(c, contributions[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            chosen[count++] = best;
        }
        return count;
    }

    /** Positive before negative; among positives the larger, among negatives the larger magnitude. */
    private static boolean better(float c, float incumbent) {
        boolean cPositive = c > 0;
        boolean incumbentPositive = incumbent > 0;
        if (cPositive != incumbentPositive) {
            return cPositive;
        }
        return Math.abs(c) > Math.abs(incumbent);
    }

    private static boolean contains(int[] chosen, int count, int i) {
        for (int j = 0; j < count; j++) {
            if (chosen[j] == i) {
                return true;
            }
        }
        return false;
    }
}
