package dev.vigil.operators.fraud;

import java.util.Arrays;

/**
 * A bounded set of value hashes in recency order: the distinct merchants (devices, countries) an account used in
 * transactions that have left its window history. At capacity, {@link #touch} forgets the least recently used value
 * (LRU). Entries arrive in event-time order (the history evicts oldest first), so the content is a function of the
 * evicted transactions only, not of arrival order.
 *
 * <p>Memory: 8 bytes per value; lookups scan the (small) array. This is also the state's serialized form (a Flink
 * POJO: public fields, public no-argument constructor); mutate it only through its methods.
 */
public class NoveltyMemory {

    /** Value hashes, least recently used first; {@code [0, size)} is valid. */
    public long[] hashes = new long[0];

    /** Number of remembered values. */
    public int size;

    public NoveltyMemory() {}

    /** Whether {@code hash} is remembered. */
    public boolean contains(long hash) {
        for (int i = size - 1; i >= 0; i--) {
            if (hashes[i] == hash) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records a use of {@code hash}: it becomes the most recent value; at {@code capacity} the least recent is
     * forgotten. {@link StableHash#NONE} is ignored.
     */
    public void touch(long hash, int capacity) {
        if (hash == StableHash.NONE || capacity <= 0) {
            return;
        }
        int at = -1;
        for (int i = size - 1; i >= 0; i--) {
            if (hashes[i] == hash) {
                at = i;
                break;
            }
        }
        if (at >= 0) {
            System.arraycopy(hashes, at + 1, hashes, at, size - at - 1);
            hashes[size - 1] = hash;
            return;
        }
        if (size >= capacity) {
            int drop = size - capacity + 1;
            System.arraycopy(hashes, drop, hashes, 0, size - drop);
            size -= drop;
        } else if (hashes.length == size) {
            hashes = Arrays.copyOf(hashes, Math.min(capacity, Math.max(4, size * 2)));
        }
        hashes[size++] = hash;
    }

    public int size() {
        return size;
    }

    public void clear() {
        hashes = new long[0];
        size = 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NoveltyMemory)) {
            return false;
        }
        NoveltyMemory other = (NoveltyMemory) o;
        return size == other.size && Arrays.equals(hashes, 0, size, other.hashes, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + Long.hashCode(hashes[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "NoveltyMemory[size=" + size + "]";
    }
}
