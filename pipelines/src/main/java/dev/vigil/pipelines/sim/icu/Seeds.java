package dev.vigil.pipelines.sim.icu;

/** Derives independent, reproducible seeds from the run seed (SplitMix64 finalizer). */
final class Seeds {
    static final long PLAN = 0x51A7E5EEDL;
    static final long OBSERVATIONS = 0x0B5E7A7E5L;
    static final long COHORT = 0xC0407L;

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
