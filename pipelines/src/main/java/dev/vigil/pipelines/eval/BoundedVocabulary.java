package dev.vigil.pipelines.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The online one-hot vocabulary of one categorical feature: the first {@code capacity} distinct values get their own
 * slot, in order of first appearance (or of declaration, for an ARFF nominal attribute); every later value shares
 * one overflow slot. The model's width is fixed before the first example, so new categories cannot add columns: the
 * overflow bucket is the "other" category of hashing-free online encoders. Deterministic for a given stream.
 */
public final class BoundedVocabulary {

    private final int capacity;
    private final boolean overflow;
    private final Map<String, Integer> slots = new HashMap<>();
    private final List<String> values = new ArrayList<>();
    private long overflowed;

    /** An empty vocabulary of up to {@code capacity >= 1} values and an overflow slot. */
    public BoundedVocabulary(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.overflow = true;
    }

    /**
     * A vocabulary seeded with {@code declared} values: exactly their slots when there are at most {@code capacity}
     * (no overflow slot: the values are all known), else the first {@code capacity} and an overflow slot.
     */
    public BoundedVocabulary(List<String> declared, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = Math.min(capacity, declared.size());
        this.overflow = declared.size() > capacity;
        for (int i = 0; i < this.capacity; i++) {
            add(declared.get(i));
        }
    }

    /** Slots this feature takes in the encoded row: the values' plus the overflow slot, if any. */
    public int width() {
        return overflow ? capacity + 1 : capacity;
    }

    /**
     * The slot of {@code value}, adding it while there is room; the overflow slot ({@code capacity}) once full, or
     * {@code -1} for an unknown value when there is no overflow slot.
     */
    public int slot(String value) {
        Integer slot = slots.get(value);
        if (slot != null) {
            return slot;
        }
        if (!overflow) {
            return -1;
        }
        if (values.size() < capacity) {
            return add(value);
        }
        overflowed++;
        return capacity;
    }

    private int add(String value) {
        int slot = values.size();
        slots.put(value, slot);
        values.add(value);
        return slot;
    }

    /** The values with a slot of their own, in slot order. */
    public List<String> values() {
        return Collections.unmodifiableList(values);
    }

    /** Whether there is an overflow slot. */
    public boolean hasOverflow() {
        return overflow;
    }

    /** Occurrences that went to the overflow slot. */
    public long overflowed() {
        return overflowed;
    }
}
