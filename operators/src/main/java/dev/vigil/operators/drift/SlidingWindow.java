package dev.vigil.operators.drift;

import java.util.Arrays;

/**
 * The last {@code capacity} values of a stream in a ring buffer, oldest first: the shared window of the windowed
 * detectors ({@link Psi}, {@link JensenShannon}, {@link KsTest}). Allocation-free after construction.
 */
final class SlidingWindow {

    private final double[] values;
    private int head;
    private int size;

    SlidingWindow(int capacity) {
        this.values = new double[capacity];
    }

    /**
     * Appends {@code x}; when the window was full, the oldest value is dropped and returned.
     *
     * @return the evicted value, or {@code NaN} when nothing was evicted
     */
    double add(double x) {
        if (size < values.length) {
            values[(head + size) % values.length] = x;
            size++;
            return Double.NaN;
        }
        double evicted = values[head];
        values[head] = x;
        head = (head + 1) % values.length;
        return evicted;
    }

    /** The {@code i}-th value, 0 = oldest. */
    double get(int i) {
        return values[(head + i) % values.length];
    }

    int size() {
        return size;
    }

    boolean isFull() {
        return size == values.length;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    /** The values, oldest first (a snapshot). */
    double[] toArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** Replaces the contents with {@code oldestFirst} (at most the capacity). */
    void load(double[] oldestFirst) {
        if (oldestFirst.length > values.length) {
            throw new IllegalArgumentException(
                    "window of " + values.length + " cannot hold " + oldestFirst.length + " values");
        }
        Arrays.fill(values, 0.0);
        System.arraycopy(oldestFirst, 0, values, 0, oldestFirst.length);
        head = 0;
        size = oldestFirst.length;
    }
}
