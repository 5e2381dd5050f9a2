package dev.vigil.operators.icu;

import java.util.Arrays;
import java.util.Objects;

/**
 * A patient's feature vector and NEWS2 at the patient's newest event time, emitted by {@link PatientFeatureFunction}
 * on every accepted vital and scored downstream. A Flink POJO (public fields, public no-argument constructor).
 *
 * <p>{@code toString()} leaves out the patient and encounter ids and the values, so a snapshot can appear in logs and
 * assertion messages.
 */
public class PatientSnapshot {

    /** Age when the patient's context has not arrived. */
    public static final int UNKNOWN_AGE = -1;

    /** Sex and ward when the patient's context has not arrived. */
    public static final String UNKNOWN = "UNKNOWN";

    public String patientId;
    public String encounterId;

    /** The patient's newest event time (epoch ms): the time the features describe. */
    public long eventTime;

    /**
     * Kafka timestamp (epoch ms) of the observation that triggered this snapshot: where end-to-end latency starts.
     */
    public long ingestTime;

    /** The feature vector in {@link IcuFeatures#NAMES} order; owned by this snapshot. */
    public float[] features;

    public int news2Total;
    public int news2Scale = 1;
    public News2Response news2Response = News2Response.LOW;
    public boolean news2AnySingleThree;
    public int news2MissingParameters;

    /** Age in years from the patient's context, or {@link #UNKNOWN_AGE} (the features then use 65). */
    public int ageYears = UNKNOWN_AGE;

    /** Sex at birth from the context ({@code FEMALE}, {@code MALE}, {@code UNKNOWN}). */
    public String sex = UNKNOWN;

    /** Ward code from the context, or {@code UNKNOWN}. */
    public String ward = UNKNOWN;

    public boolean spo2Scale2;

    public PatientSnapshot() {}

    /** Sets the NEWS2 fields from a result. */
    public void setNews2(News2Result news2) {
        this.news2Total = news2.total();
        this.news2Scale = news2.scale();
        this.news2Response = news2.response();
        this.news2AnySingleThree = news2.anySingleThree();
        this.news2MissingParameters = news2.missingParameters();
    }

    /** Copies every field of {@code from} into this snapshot (the feature array is shared). */
    protected void copyFrom(PatientSnapshot from) {
        this.patientId = from.patientId;
        this.encounterId = from.encounterId;
        this.eventTime = from.eventTime;
        this.ingestTime = from.ingestTime;
        this.features = from.features;
        this.news2Total = from.news2Total;
        this.news2Scale = from.news2Scale;
        this.news2Response = from.news2Response;
        this.news2AnySingleThree = from.news2AnySingleThree;
        this.news2MissingParameters = from.news2MissingParameters;
        this.ageYears = from.ageYears;
        this.sex = from.sex;
        this.ward = from.ward;
        this.spo2Scale2 = from.spo2Scale2;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (o == null || o.getClass() != getClass()) {
            return false;
        }
        PatientSnapshot that = (PatientSnapshot) o;
        return eventTime == that.eventTime
                && ingestTime == that.ingestTime
                && news2Total == that.news2Total
                && news2Scale == that.news2Scale
                && news2AnySingleThree == that.news2AnySingleThree
                && news2MissingParameters == that.news2MissingParameters
                && ageYears == that.ageYears
                && spo2Scale2 == that.spo2Scale2
                && Objects.equals(patientId, that.patientId)
                && Objects.equals(encounterId, that.encounterId)
                && Arrays.equals(features, that.features)
                && news2Response == that.news2Response
                && Objects.equals(sex, that.sex)
                && Objects.equals(ward, that.ward);
    }

    @Override
    public int hashCode() {
        return Objects.hash(patientId, eventTime, news2Total) * 31 + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName()
                + "[eventTime="
                + eventTime
                + ", features="
                + (features == null ? "null" : features.length)
                + ", news2Scale="
                + news2Scale
                + ", news2Response="
                + news2Response
                + "]";
    }
}
