package dev.vigil.pipelines.sim.fraud;

/** Derives independent, reproducible seeds and uniforms from the run seed (SplitMix64 finalizer). */
final class Seeds {
    static final long PROFILE = 0x9A0F11EL;
    static final long MERCHANTS = 0x3E4C4A27L;
    static final long STREAM = 0x57BEA3L;
    static final long EPISODE = 0xE915D0DEL;
    static final long PHASE = 0x9DA5EL;
    static final long LABELS = 0x1ABE15L;
    static final long DEVICE = 0xDE71CEL;
    static final long FRAUD_DEVICE = 0xF4A0DL;
    static final long FAVOURITE = 0xFA7L;
    static final long TRANSACTION_ID = 0x7A1DL;
    static final long REVIEW = 0x4E71E3L;
    static final long BAD = 0xBADL;

    private Seeds() {}

    static long derive(long seed, long salt, long index) {
        return mix(mix(seed ^ mix(salt)) + index);
    }

    /** A uniform double in [0, 1) from a derived seed. */
    static double unit(long seed, long salt, long index) {
        return (derive(seed, salt, index) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer: a bijection on 64-bit values. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
