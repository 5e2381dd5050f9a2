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

    @Override
    public boolean equals(Object o) {
        if (!super.equals(o)) {
            return false;
        }
        ScoredSnapshot that = (ScoredSnapshot) o;
        return Objects.equals(riskScore, that.riskScore)
                && Objects.equals(modelName, that.modelName)
                && Objects.equals(modelVersion, that.modelVersion)
                && Arrays.equals(contributions, that.contributions);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + Objects.hash(riskScore, modelVersion);
    }

    @Override
    public String toString() {
        return super.toString() + "[riskScore=" + (riskScore == null ? "null" : "set") + ", model=" + modelName + ":"
                + modelVersion + "]";
    }
}
