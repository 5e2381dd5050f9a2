package dev.vigil.operators.icu;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link PatientSnapshot} with the model's output, produced by the scoring stage and consumed by the alert stage. A
 * Flink POJO.
 */
public class ScoredSnapshot extends PatientSnapshot {

    /** Model version label used when no model produced the score. */
    public static final String NO_MODEL = "none";

    /** P(deterioration within the model's horizon); null when the model was unavailable. */
    public Double riskScore;

    public String modelName;

    /** Version that produced {@link #riskScore}; {@link #NO_MODEL} when the scorer fell back. */
    public String modelVersion;

    /**
     * Per-feature contributions to the logit in {@link IcuFeatures#NAMES} order (ONNX output {@code contributions});
     * null when unavailable.
     */
    public float[] contributions;

    /**
     * The players of a Shapley explanation of {@link #riskScore} (for the ICU model the clinical groups of {@code
     * IcuFeatureGroups}, e.g. {@code "respiratory rate"}), in the explainer's order; null when this score was not
     * explained. Parallel to {@link #reasonValues} and {@link #reasonAttributions}.
     */
    public String[] reasonNames;

    /** Each player's value in this snapshot: the group's representative feature ({@code resp_rate_last}). */
    public float[] reasonValues;

    /**
     * Each player's attribution in the explanation's output space ({@code vigil.explain.output-space}, log-odds by
     * default): positive pushes the risk up. They add up to the score's logit minus the background's mean logit.
     */
    public float[] reasonAttributions;

    public ScoredSnapshot() {}

    /** A scored copy of {@code snapshot} (sharing its feature array). */
    public static ScoredSnapshot of(
            PatientSnapshot snapshot, Double riskScore, String modelName, String modelVersion, float[] contributions) {
        ScoredSnapshot s = new ScoredSnapshot();
        s.copyFrom(snapshot);
        s.riskScore = riskScore;
        s.modelName = modelName;
        s.modelVersion = modelVersion;
        s.contributions = contributions;
        return s;
    }

    /**
     * Attaches the explanation of the score (the arrays are kept, not copied) and returns this snapshot.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public ScoredSnapshot withReasons(String[] names, float[] values, float[] attributions) {
        if (names.length != values.length || values.length != attributions.length) {
            throw new IllegalArgumentException("reason names, values and attributions differ in length: "
                    + names.length + ", " + values.length + ", " + attributions.length);
        }
        this.reasonNames = names;
        this.reasonValues = values;
        this.reasonAttributions = attributions;
        return this;
    }

    /** Whether the score carries a Shapley explanation ({@link #reasonAttributions}). */
    public boolean hasExplanation() {
        return reasonAttributions != null;
    }

    @Override
    public boolean equals(Object o) {
        if (!super.equals(o)) {
            return false;
        }
        ScoredSnapshot that = (ScoredSnapshot) o;
        return Objects.equals(riskScore, that.riskScore)
                && Objects.equals(modelName, that.modelName)
                && Objects.equals(modelVersion, that.modelVersion)
                && Arrays.equals(contributions, that.contributions)
                && Arrays.equals(reasonNames, that.reasonNames)
                && Arrays.equals(reasonValues, that.reasonValues)
                && Arrays.equals(reasonAttributions, that.reasonAttributions);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + Objects.hash(riskScore, modelVersion);
    }

    @Override
    public String toString() {
        return super.toString() + "[riskScore=" + (riskScore == null ? "null" : "set") + ", model=" + modelName + ":"
                + modelVersion
                + (hasExplanation() ? ", explained" : "") + "]";
    }
}
