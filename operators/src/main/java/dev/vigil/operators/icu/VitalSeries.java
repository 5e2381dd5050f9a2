package dev.vigil.operators.icu;

import java.util.Arrays;

/**
 * One vital sign's observations for one patient: parallel arrays of effective times and canonical values, sorted by
 * (time, value), with exact duplicates (same time and value) stored once. The order is a total order on the stored
 * content, so the arrays — and everything computed from them — do not depend on the order observations arrived in.
 *
 * <p>This is also the state's serialized form (a Flink POJO: public fields, public no-argument constructor). Mutate it
 * only through its methods; {@code times.length} is the capacity, {@code size} the number of observations.
 */
public class VitalSeries {

    private static final int INITIAL_CAPACITY = 8;

    /** Effective times, epoch milliseconds; {@code [0, size)} is sorted ascending. */
    public long[] times = new long[0];

    /** Canonical values, parallel to {@link #times}. */
    public double[] values = new double[0];

    /** Number of stored observations. */
    public int size;

    public VitalSeries() {}

    /**
     * Inserts one observation in place.
     *
     * @return false when exactly this (time, value) is already stored
     */
    public boolean insert(long time, double value) {
        int i = upperBound(time); // first index with times[i] > time
        // Equal times sit in [j, i); keep them ordered by value.
        int j = i;
        while (j > 0 && times[j - 1] == time && Double.compare(values[j - 1], value) >= 0) {
            if (Double.compare(values[j - 1], value) == 0) {
                return false;
            }
            j--;
        }
        ensureCapacity(size + 1);
        System.arraycopy(times, j, times, j + 1, size - j);
        System.arraycopy(values, j, values, j + 1, size - j);
        times[j] = time;
        values[j] = value;
        size++;
        return true;
    }

    /** Removes every observation with a time strictly before {@code cutoff}. */
    public void evictBefore(long cutoff) {
        if (size == 0 || times[0] >= cutoff) {
            return;
        }
        int k = lowerBound(cutoff); // first index with times[k] >= cutoff
        System.arraycopy(times, k, times, 0, size - k);
        System.arraycopy(values, k, values, 0, size - k);
        size -= k;
        if (times.length > INITIAL_CAPACITY && size < times.length / 4) {
            int capacity = Math.max(INITIAL_CAPACITY, size * 2);
            times = Arrays.copyOf(times, capacity);
            values = Arrays.copyOf(values, capacity);
        }
    }

    /** Index of the first observation with a time strictly after {@code time} ({@code size} if none). */
    public int upperBound(long time) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the first observation with a time at or after {@code time} ({@code size} if none). */
    public int lowerBound(long time) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public int size() {
        return size;
    }

    public long timeAt(int i) {
        return times[i];
    }

    public double valueAt(int i) {
        return values[i];
    }

    private void ensureCapacity(int needed) {
        if (times.length >= needed) {
            return;
        }
        int capacity = Math.max(INITIAL_CAPACITY, Math.max(needed, times.length * 2));
        times = Arrays.copyOf(times, capacity);
        values = Arrays.copyOf(values, capacity);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof VitalSeries)) {
            return false;
        }
        VitalSeries other = (VitalSeries) o;
        return size == other.size
                && Arrays.equals(times, 0, size, other.times, 0, size)
                && Arrays.equals(values, 0, size, other.values, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + Long.hashCode(times[i]);
            h = 31 * h + Double.hashCode(values[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "VitalSeries[size=" + size + "]";
    }
}
