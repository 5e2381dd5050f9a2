package dev.vigil.pipelines.sim.fraud;

/** Synthetic identifiers: fixed-width, allocation-light, never derived from real card or customer data. */
final class Ids {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Ids() {}

    /** {@code A0000001} for account index 0. */
    static String account(int index) {
        return padded('A', index + 1L, 7);
    }

    /** {@code C00000001} for card {@code slot} 0 of account index 0 (two card slots per account). */
    static String card(int accountIndex, int slot) {
        return padded('C', 2L * accountIndex + slot + 1, 8);
    }

    static String merchant(int index) {
        return padded('M', index + 1L, 6);
    }

    /** 16 hex digits of a bijective mix of the key, so distinct keys give distinct ids. */
    static String transaction(long seed, long key) {
        return hex('T', Seeds.mix(key ^ Seeds.mix(seed ^ Seeds.TRANSACTION_ID)), 16);
    }

    static String device(long bits) {
        return hex('D', bits, 12);
    }

    static String padded(char prefix, long value, int width) {
        String digits = Long.toString(value);
        if (digits.length() >= width) {
            return prefix + digits;
        }
        char[] out = new char[width + 1];
        out[0] = prefix;
        int pad = width - digits.length();
        for (int i = 1; i <= pad; i++) {
            out[i] = '0';
        }
        digits.getChars(0, digits.length(), out, pad + 1);
        return new String(out);
    }

    static String hex(char prefix, long bits, int digits) {
        char[] out = new char[digits + 1];
        out[0] = prefix;
        for (int i = digits; i >= 1; i--) {
            out[i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
        return new String(out);
    }
}
