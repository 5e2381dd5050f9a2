package dev.vigil.operators.explain;

import dev.vigil.schema.common.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.flink.util.Preconditions;

/**
 * The Shapley attributions of one row: one per player (feature, or {@link FeatureGroups group}), the base value
 * {@code E_b g(f(z_b))} over the background, the explained output {@code g(f(x))}, both in the {@link OutputSpace},
 * and what it cost. Shapley values are efficient: the attributions add up to {@code prediction - baseValue} (see
 * {@link #efficiencyGap()}).
 *
 * <p>{@link #topReasons(int)} turns it into the {@link Reason}s an alert or decline carries. Immutable.
 */
public final class Explanation {

    /** How the attributions were computed. */
    public enum Estimator {
        /** {@link KernelShap}. */
        KERNEL_SHAP,
        /** {@link SamplingShapley}. */
        SAMPLING_SHAPLEY,
        /** {@link LinearShapley}'s closed form. */
        LINEAR
    }

    private final List<String> names;
    private final double[] values;
    private final double[] attributions;
    private final double baseValue;
    private final double prediction;
    private final OutputSpace outputSpace;
    private final Estimator estimator;
    private final boolean exact;
    private final int samples;
    private final long modelRows;
    private final int modelCalls;

    Explanation(
            List<String> names,
            double[] values,
            double[] attributions,
            double baseValue,
            double prediction,
            OutputSpace outputSpace,
            Estimator estimator,
            boolean exact,
            int samples,
            long modelRows,
            int modelCalls) {
        Preconditions.checkArgument(
                names.size() == values.length && values.length == attributions.length,
                "names, values and attributions differ in length");
        this.names = names;
        this.values = values;
        this.attributions = attributions;
        this.baseValue = baseValue;
        this.prediction = prediction;
        this.outputSpace = outputSpace;
        this.estimator = estimator;
        this.exact = exact;
        this.samples = samples;
        this.modelRows = modelRows;
        this.modelCalls = modelCalls;
    }

    /** The number of players (features or groups). */
    public int size() {
        return attributions.length;
    }

    /** The players' names: feature names, or group names. */
    public List<String> names() {
        return names;
    }

    public String name(int player) {
        return names.get(player);
    }

    /** The value of player {@code player} in the explained row: the feature's, or its group representative's. */
    public double value(int player) {
        return values[player];
    }

    /** The attribution of {@code player}, in the output space. */
    public double attribution(int player) {
        return attributions[player];
    }

    /** The attribution of the player named {@code name}. */
    public double attribution(String name) {
        int i = names.indexOf(name);
        Preconditions.checkArgument(i >= 0, "no player named '%s' in %s", name, names);
        return attributions[i];
    }

    /** A copy of all attributions, in player order. */
    public double[] attributions() {
        return attributions.clone();
    }

    /** {@code E_b g(f(z_b))} over the background rows the estimator used. */
    public double baseValue() {
        return baseValue;
    }

    /** {@code g(f(x))}, the explained output. */
    public double prediction() {
        return prediction;
    }

    /** {@code prediction - baseValue - sum(attributions)}: zero up to rounding for every estimator here. */
    public double efficiencyGap() {
        double sum = 0;
        for (double a : attributions) {
            sum += a;
        }
        return prediction - baseValue - sum;
    }

    public OutputSpace outputSpace() {
        return outputSpace;
    }

    public Estimator estimator() {
        return estimator;
    }

    /** Whether these are the exact Shapley values for the background used (closed form or full enumeration). */
    public boolean exact() {
        return exact;
    }

    /** Distinct coalitions evaluated ({@link KernelShap}) or permutations walked ({@link SamplingShapley}); 0 for linear. */
    public int samples() {
        return samples;
    }

    /** Rows the model evaluated for this explanation: the cost. */
    public long modelRows() {
        return modelRows;
    }

    /** Model calls ({@link BatchPredictor#predict}) made for this explanation. */
    public int modelCalls() {
        return modelCalls;
    }

    /**
     * At most {@code k} reasons, ordered as {@link dev.vigil.operators.alert.AlertReasons} orders them: players that
     * push the output up first, largest attribution first; then, if fewer than {@code k} do, those that push it down,
     * largest magnitude first. The sign of {@code contribution} is the direction. Zero and non-finite attributions are
     * skipped; ties go to the earlier player. {@code Reason.feature} is the player's name (a group name when grouped),
     * {@code Reason.value} its {@link #value(int) value}, {@code Reason.contribution} its attribution.
     */
    public List<Reason> topReasons(int k) {
        if (k <= 0) {
            return Collections.emptyList();
        }
        int n = attributions.length;
        boolean[] chosen = new boolean[n];
        List<Reason> reasons = new ArrayList<>(Math.min(k, n));
        while (reasons.size() < k) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                double a = attributions[i];
                if (chosen[i] || a == 0 || !Double.isFinite(a)) {
                    continue;
                }
                if (best < 0 || better(a, attributions[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            chosen[best] = true;
            reasons.add(new Reason(names.get(best), values[best], attributions[best]));
        }
        return reasons;
    }

    /** Positive before negative; among positives the larger, among negatives the larger magnitude. */
    private static boolean better(double a, double incumbent) {
        if ((a > 0) != (incumbent > 0)) {
            return a > 0;
        }
        return Math.abs(a) > Math.abs(incumbent);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder()
                .append("Explanation{")
                .append(estimator)
                .append(exact ? " exact" : "")
                .append(", ")
                .append(outputSpace)
                .append(String.format(Locale.ROOT, ", base=%.4f, prediction=%.4f, rows=%d, ", baseValue, prediction,
                        modelRows));
        for (int i = 0; i < attributions.length; i++) {
            s.append(i == 0 ? "" : ", ").append(names.get(i)).append('=')
                    .append(String.format(Locale.ROOT, "%.4f", attributions[i]));
        }
        return s.append('}').toString();
    }
}
