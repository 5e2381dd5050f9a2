package dev.vigil.pipelines.sim.icu;

/** Derives independent, reproducible seeds from the run seed (SplitMix64 finalizer). */
final class Seeds {
    static final long PLAN = 0x51A7E5EEDL;
    static final long OBSERVATIONS = 0x0B5E7A7E5L;
    static final long COHORT = 0xC0407L;

    // Draws of the bias and drift scenarios (IcuScenario). Scenario randomness never comes from the streams above,
    // so a run without scenarios consumes exactly the same random numbers as before scenarios existed.
    /** Which members of a measurement-bias group are affected. */
    static final long SCENARIO_MEASUREMENT_BIAS = 0x5CE7A210B1A5L;
    /** Which of a label-bias group's outcomes go unrecorded, and their extra delay. */
    static final long SCENARIO_LABEL_BIAS = 0x5CE7A2101AB3L;
    /** Observation-time draws of the scenarios (extra measurement noise). */
    static final long SCENARIO_OBSERVATIONS = 0x5CE7A2100B5L;

    private Seeds() {}

    static long derive(long seed, long salt, long index) {
        return mix(mix(seed ^ mix(salt)) + index);
    }

    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
