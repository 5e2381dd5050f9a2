package dev.vigil.models.continual;

/**
 * The SplitMix64 generator (G. L. Steele Jr., D. Lea and C. H. Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): the generator inside {@link java.util.SplittableRandom}, with its whole state one
 * {@code long} that can be read and written. {@code SplittableRandom} hides its state, so a learner that must
 * checkpoint its randomness and resume bit-for-bit keeps one of these instead.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    SplitMix64(long state) {
        this.state = state;
    }

    /** The state: the next outputs are a function of this value alone. */
    long state() {
        return state;
    }

    void setState(long state) {
        this.state = state;
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix64(state);
    }

    /** Uniform in {@code [0, bound)} without modulo bias ({@code SplittableRandom.nextLong(bound)}'s method). */
    long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long m = bound - 1;
        long r = nextLong();
        if ((bound & m) == 0L) {
            return r & m;
        }
        long u = r >>> 1;
        for (r = u % bound; u + m - r < 0L; r = u % bound) {
            u = nextLong() >>> 1;
        }
        return r;
    }

    /** Uniform in {@code [0, bound)}. */
    int nextInt(int bound) {
        return (int) nextLong(bound);
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Stafford's "Mix13" finalizer, SplitMix64's output function; also a good hash for deriving seeds. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
