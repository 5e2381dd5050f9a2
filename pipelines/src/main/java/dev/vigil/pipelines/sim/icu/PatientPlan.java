package dev.vigil.pipelines.sim.icu;

/**
 * Everything drawn for one patient before any observation is generated: the ground truth and the parameters of the
 * patient's physiology. Filled in by {@link CohortPlanner} and never modified afterwards; each event iterator builds
 * fresh mutable state ({@link PatientPhysiology}) from it.
 */
final class PatientPlan {
    final int index;
    final PatientTruth truth;
    final long streamSeed;

    // Baselines (patient on the therapy they are admitted on).
    double heartRate;
    double respRate;
    double spo2;
    double systolic;
    double diastolicRatio;
    double temperature;
    double baselineO2Flow;
    double circadianShiftHours;
    double heartRateNoise;
    boolean pulseOximetryCode;

    // Deterioration course (meaningful only when truth.deteriorates()).
    long onsetMillis;
    long outcomeMillis;
    double magnitude;
    double shape;
    boolean hypothermicSepsis;
    boolean bradycardicArrest;

    // Confounder parameters.
    double confounderLevel;
    long confounderStartMillis;
    long confounderEndMillis;
    long secondEpisodeStartMillis;
    long secondEpisodeEndMillis;

    // Context updates; Long.MAX_VALUE when none.
    long scale2PrescribedAtMillis = Long.MAX_VALUE;
    long wardChangeAtMillis = Long.MAX_VALUE;
    String wardAfterChange;

    PatientPlan(int index, PatientTruth truth, long streamSeed) {
        this.index = index;
        this.truth = truth;
        this.streamSeed = streamSeed;
    }
}
