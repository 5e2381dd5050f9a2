package dev.vigil.operators.explain;

import java.util.Arrays;

/**
 * Distinct coalitions of up to any number of players as bit masks, with a weight each: the design of {@link
 * KernelShap}'s regression. Adding a coalition that is already present adds to its weight, so a sampled coalition is
 * evaluated once however often it is drawn. Coalitions are built in a scratch mask ({@link #clearScratch()}, {@link
 * #setScratch(int)}) and then {@link #addScratch added}. Open addressing over reusable arrays: nothing is allocated
 * after construction. Not thread-safe.
 */
final class CoalitionSet {

    private final int capacity;
    private final int maxWords;
    private final long[] masks;
    private final double[] weights;
    private final int[] table;
    private final long[] scratch;
    private int words;
    private int players;
    private int size;

    CoalitionSet(int capacity, int maxPlayers) {
        this.capacity = capacity;
        this.maxWords = Math.max(1, (maxPlayers + 63) >>> 6);
        this.masks = new long[capacity * maxWords];
        this.weights = new double[capacity];
        this.table = new int[Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1];
        this.scratch = new long[maxWords];
    }

    /** Empties the set for coalitions of {@code players} players. */
    void reset(int players) {
        this.players = players;
        this.words = Math.max(1, (players + 63) >>> 6);
        this.size = 0;
        Arrays.fill(table, 0);
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    void clearScratch() {
        Arrays.fill(scratch, 0, words, 0L);
    }

    void setScratch(int player) {
        scratch[player >>> 6] |= 1L << player;
    }

    /** Turns the scratch mask into its complement. */
    void complementScratch() {
        for (int w = 0; w < words; w++) {
            scratch[w] = ~scratch[w];
        }
        int spare = words * 64 - players;
        if (spare > 0) {
            scratch[words - 1] &= -1L >>> spare;
        }
    }

    /** Whether the scratch mask is in the set. */
    boolean containsScratch() {
        return find() >= 0;
    }

    /**
     * Adds {@code weight} to the scratch coalition, inserting it if new.
     *
     * @return whether it was new; {@code false} also when the set is full and it is not in it (nothing added)
     */
    boolean addScratch(double weight) {
        int found = find();
        if (found >= 0) {
            weights[found] += weight;
            return false;
        }
        if (size == capacity) {
            return false;
        }
        int c = size++;
        System.arraycopy(scratch, 0, masks, c * maxWords, words);
        weights[c] = weight;
        int slot = slot(hash(scratch));
        while (table[slot] != 0) {
            slot = (slot + 1) & (table.length - 1);
        }
        table[slot] = c + 1;
        return true;
    }

    boolean contains(int coalition, int player) {
        return (masks[coalition * maxWords + (player >>> 6)] & (1L << player)) != 0;
    }

    double weight(int coalition) {
        return weights[coalition];
    }

    /** Multiplies the weights of coalitions {@code from .. size-1} by {@code factor}. */
    void scaleWeights(int from, double factor) {
        for (int c = from; c < size; c++) {
            weights[c] *= factor;
        }
    }

    /** Writes the players of {@code coalition} (or, if {@code complement}, those not in it) to {@code out}. */
    int players(int coalition, boolean complement, int[] out) {
        int n = 0;
        int base = coalition * maxWords;
        for (int w = 0; w < words; w++) {
            long bits = complement ? ~masks[base + w] : masks[base + w];
            while (bits != 0) {
                int p = (w << 6) + Long.numberOfTrailingZeros(bits);
                if (p >= players) {
                    break;
                }
                out[n++] = p;
                bits &= bits - 1;
            }
        }
        return n;
    }

    private int find() {
        int slot = slot(hash(scratch));
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            int c = entry - 1;
            if (Arrays.equals(masks, c * maxWords, c * maxWords + words, scratch, 0, words)) {
                return c;
            }
            slot = (slot + 1) & (table.length - 1);
        }
    }

    private long hash(long[] mask) {
        long h = 0x9E3779B97F4A7C15L;
        for (int w = 0; w < words; w++) {
            h = (h ^ mask[w]) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    private int slot(long hash) {
        return (int) (hash ^ (hash >>> 32)) & (table.length - 1);
    }
}
