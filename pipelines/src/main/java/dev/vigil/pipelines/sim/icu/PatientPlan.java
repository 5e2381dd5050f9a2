package dev.vigil.pipelines.sim.icu;

import dev.vigil.operators.icu.VitalSign;

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

    // Injected bias and drift (IcuScenario); the defaults leave the physiology and its random draws untouched.
    /** Seed of the scenario's observation-time draws. */
    long scenarioSeed;
    /** SpO2 measurement bias of this patient, points; applies when {@link #spo2BiasNoise} or it is non-zero. */
    double spo2Bias;
    /** Standard deviation of this patient's extra SpO2 reading noise, points. */
    double spo2BiasNoise;
    /** Start of the calibration drift; {@link Long#MAX_VALUE} when none. */
    long calibrationFromMillis = Long.MAX_VALUE;
    /** The drifting vital (null when none) and its offset, canonical unit. */
    VitalSign calibrationVital;
    double calibrationOffset;
    /** Factors of the deterioration's tachycardic, febrile and respiratory-rate responses (concept drift). */
    double heartRateResponse = 1.0;
    double feverResponse = 1.0;
    double respiratoryResponse = 1.0;

    /** Whether this patient's SpO2 readings are biased. */
    boolean spo2Biased() {
        return spo2Bias != 0 || spo2BiasNoise != 0;
    }

    PatientPlan(int index, PatientTruth truth, long streamSeed) {
        this.index = index;
        this.truth = truth;
        this.streamSeed = streamSeed;
    }
}
