package dev.vigil.operators.icu;

import java.util.Arrays;

/**
 * Everything the ICU feature vector of one patient is computed from: per {@link VitalSign}, a time-sorted {@link
 * VitalSeries} of observations kept for the retention horizon behind the patient's newest event time, plus the two
 * patient-level inputs taken from the patient's context (age and the SpO2 scale).
 *
 * <p><b>Retention and lateness.</b> An observation older than {@code newestEventTime - retention} is refused ({@link
 * Insert#LATE}); the caller must dead-letter it ({@code LATE_BEYOND_RETENTION}), never drop it silently. When the
 * newest event time advances, every series is trimmed to the same horizon. The stored content is therefore exactly
 * "every distinct observation with time ≥ newest − retention", whatever the arrival order, and so are the {@link
 * #features features}: see {@link IcuFeatures}. Retention must be at least {@link IcuFeatures#LONG_WINDOW_MILLIS} (the
 * longest feature window).
 *
 * <p>This is the keyed state's serialized form (a Flink POJO: public fields, public no-argument constructor, no
 * Kryo). Mutate it only through its methods.
 */
public class PatientFeatureState {

    /** Outcome of {@link #add}. */
    public enum Insert {
        /** Stored; the features may have changed. */
        ACCEPTED,
        /** Exactly this (vital, time, value) is already stored; nothing changed. */
        DUPLICATE,
        /** Older than the newest event time minus the retention horizon; not stored. */
        LATE
    }

    /** Age when the patient's context is unknown. */
    public static final int UNKNOWN_AGE = -1;

    private static final VitalSign[] VITALS = VitalSign.values();

    /** The patient's newest accepted effective time, epoch ms; {@code Long.MIN_VALUE} before the first. */
    public long newestEventTime = Long.MIN_VALUE;

    /** Age in years from the patient's context, or {@link #UNKNOWN_AGE}. */
    public int ageYears = UNKNOWN_AGE;

    /** The patient has a prescribed SpO2 target of 88–92%: NEWS2 on SpO2 scale 2. */
    public boolean spo2Scale2;

    /** One series per {@link VitalSign}, indexed by ordinal. */
    public VitalSeries[] series;

    public PatientFeatureState() {
        series = new VitalSeries[VITALS.length];
        for (int i = 0; i < series.length; i++) {
            series[i] = new VitalSeries();
        }
    }

    /**
     * Adds one canonical observation.
     *
     * @param retentionMillis the retention horizon, at least {@link IcuFeatures#LONG_WINDOW_MILLIS}
     */
    public Insert add(VitalSign vital, long time, double value, long retentionMillis) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("value must be finite");
        }
        if (retentionMillis < IcuFeatures.LONG_WINDOW_MILLIS) {
            throw new IllegalArgumentException(
                    "retention must be at least " + IcuFeatures.LONG_WINDOW_MILLIS + " ms: " + retentionMillis);
        }
        if (newestEventTime != Long.MIN_VALUE && time < newestEventTime - retentionMillis) {
            return Insert.LATE;
        }
        if (!series[vital.ordinal()].insert(time, value)) {
            return Insert.DUPLICATE;
        }
        if (time > newestEventTime) {
            newestEventTime = time;
            long cutoff = time - retentionMillis;
            for (VitalSeries s : series) {
                s.evictBefore(cutoff);
            }
        }
        return Insert.ACCEPTED;
    }

    /** Sets the patient-level inputs from the patient's context. */
    public void setPatientContext(int ageYears, boolean spo2Scale2) {
        this.ageYears = ageYears < 0 ? UNKNOWN_AGE : ageYears;
        this.spo2Scale2 = spo2Scale2;
    }

    public long newestEventTime() {
        return newestEventTime;
    }

    public boolean isEmpty() {
        return newestEventTime == Long.MIN_VALUE;
    }

    public VitalSeries series(VitalSign vital) {
        return series[vital.ordinal()];
    }

    /** Total number of stored observations over all vitals. */
    public int observationCount() {
        int n = 0;
        for (VitalSeries s : series) {
            n += s.size();
        }
        return n;
    }

    /** The feature vector as of {@code asOf} (see {@link IcuFeatures#NAMES}), in a new array. */
    public float[] features(long asOf) {
        return features(asOf, new float[IcuFeatures.SIZE]);
    }

    /** The feature vector as of {@code asOf}, written into {@code out} (length {@link IcuFeatures#SIZE}). */
    public float[] features(long asOf, float[] out) {
        return IcuFeatures.compute(this, asOf, out);
    }

    /**
     * NEWS2 inputs from the latest observation of each scored vital within {@code (asOf - 4h, asOf]}: missing ones are
     * NaN (ACVPU −1); oxygen is "on" when the latest inhaled oxygen flow in the window is above zero.
     */
    public News2Inputs latestNews2Inputs(long asOf, boolean spo2Scale2) {
        double o2 = latest(VitalSign.OXYGEN_FLOW, asOf);
        double acvpu = latest(VitalSign.CONSCIOUSNESS, asOf);
        return new News2Inputs(
                latest(VitalSign.RESPIRATORY_RATE, asOf),
                latest(VitalSign.SPO2, asOf),
                o2 > 0,
                latest(VitalSign.SYSTOLIC_BP, asOf),
                latest(VitalSign.HEART_RATE, asOf),
                Double.isNaN(acvpu) ? -1 : (int) Math.round(acvpu),
                latest(VitalSign.TEMPERATURE, asOf),
                spo2Scale2);
    }

    /** NEWS2 from {@link #latestNews2Inputs} on this patient's SpO2 scale. */
    public News2Result news2(long asOf) {
        return News2.score(latestNews2Inputs(asOf, spo2Scale2));
    }

    /** The latest value of {@code vital} in {@code (asOf - 4h, asOf]}, or NaN. */
    public double latest(VitalSign vital, long asOf) {
        VitalSeries s = series[vital.ordinal()];
        int hi = s.upperBound(asOf);
        if (hi == 0 || s.timeAt(hi - 1) <= asOf - IcuFeatures.LONG_WINDOW_MILLIS) {
            return Double.NaN;
        }
        return s.valueAt(hi - 1);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PatientFeatureState)) {
            return false;
        }
        PatientFeatureState other = (PatientFeatureState) o;
        return newestEventTime == other.newestEventTime
                && ageYears == other.ageYears
                && spo2Scale2 == other.spo2Scale2
                && Arrays.equals(series, other.series);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(newestEventTime) + ageYears) + Arrays.hashCode(series);
    }

    @Override
    public String toString() {
        return "PatientFeatureState[observations=" + observationCount() + "]";
    }
}
