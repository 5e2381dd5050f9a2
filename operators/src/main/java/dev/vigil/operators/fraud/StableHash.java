package dev.vigil.operators.fraud;

/**
 * A 64-bit string hash that is the same on every JVM and every run (unlike identity hashes, and with far fewer
 * collisions than {@link String#hashCode}): FNV-1a over the UTF-16 code units, then the MurmurHash3 {@code fmix64}
 * finalizer to spread the bits. The state stores these hashes instead of the strings (8 bytes per id), so two
 * distinct ids of one account collide with probability about {@code n^2 / 2^65} — negligible for the few thousand ids
 * an account holds.
 *
 * <p>{@link #NONE} (0) is reserved for "no value" (a missing device); a string never hashes to it.
 */
public final class StableHash {

    /** The hash of a missing value. */
    static final long NONE = 0L;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StableHash() {}

    /** The hash of {@code s}, or {@link #NONE} for {@code null}. */
    public static long of(String s) {
        if (s == null) {
            return NONE;
        }
        long h = FNV_OFFSET;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= FNV_PRIME;
        }
        h = fmix64(h);
        return h == NONE ? 1L : h;
    }

    /** MurmurHash3's 64-bit finalizer (Appleby, 2011). */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
