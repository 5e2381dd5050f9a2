package dev.vigil.operators.label;

import java.util.Arrays;

/**
 * One entity's bookkeeping for the horizon join ({@link HorizonLabeler}): the event times of its pending predictions,
 * the positive events and closes it still remembers, and how many predictions it has seen (for sampling). The
 * predictions themselves are not here: the Flink shell keeps them in a {@code MapState} keyed by event time and
 * touches only the entries this index points at, so this stays a few hundred bytes per entity.
 *
 * <p>This is the keyed state's serialized form (a Flink POJO: public fields, public no-argument constructor, no
 * Kryo). Mutate it only through {@link HorizonLabeler}. {@code pendingTimes.length} is the capacity, {@code
 * pendingSize} the number of pending times; the event and close arrays are exactly as long as their content (they
 * change rarely).
 */
public class HorizonState {

    static final long[] NO_LONGS = new long[0];
    static final String[] NO_STRINGS = new String[0];
    private static final int INITIAL_CAPACITY = 8;

    /** Predictions offered for this entity so far, sampled-out ones included. */
    public long seen;

    /** Distinct event times of pending predictions; {@code [0, pendingSize)} is sorted ascending. */
    public long[] pendingTimes = NO_LONGS;

    /** Processing time the first prediction at each pending time arrived, parallel to {@link #pendingTimes}. */
    public long[] pendingArrivals = NO_LONGS;

    /** Number of pending times. */
    public int pendingSize;

    /** Occurrence times of remembered positive events (adverse outcomes), sorted ascending. */
    public long[] eventTimes = NO_LONGS;

    /** When each remembered event was recorded, parallel to {@link #eventTimes}. */
    public long[] eventRecordedAt = NO_LONGS;

    /** Evidence code of each remembered event (e.g. the outcome type), parallel to {@link #eventTimes}. */
    public String[] eventEvidence = NO_STRINGS;

    /** Times of remembered closes (discharges), sorted ascending, distinct. */
    public long[] closeTimes = NO_LONGS;

    public HorizonState() {}

    /** True when nothing is pending and nothing is remembered (the sampling count aside). */
    public boolean isEmpty() {
        return pendingSize == 0 && eventTimes.length == 0 && closeTimes.length == 0;
    }

    public int pendingCount() {
        return pendingSize;
    }

    public long pendingTime(int i) {
        return pendingTimes[i];
    }

    public int eventCount() {
        return eventTimes.length;
    }

    public int closeCount() {
        return closeTimes.length;
    }

    // ---- pending predictions (hot path: amortized, no allocation per call) ----

    /** Index of the first pending time {@code >= time}. */
    int pendingLowerBound(long time) {
        int lo = 0;
        int hi = pendingSize;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pendingTimes[mid] < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Adds a pending time (keeping the earliest arrival when it is already pending). */
    void addPending(long time, long arrival) {
        int i = pendingLowerBound(time);
        if (i < pendingSize && pendingTimes[i] == time) {
            pendingArrivals[i] = Math.min(pendingArrivals[i], arrival);
            return;
        }
        if (pendingSize == pendingTimes.length) {
            int capacity = Math.max(INITIAL_CAPACITY, pendingSize * 2);
            pendingTimes = Arrays.copyOf(pendingTimes, capacity);
            pendingArrivals = Arrays.copyOf(pendingArrivals, capacity);
        }
        System.arraycopy(pendingTimes, i, pendingTimes, i + 1, pendingSize - i);
        System.arraycopy(pendingArrivals, i, pendingArrivals, i + 1, pendingSize - i);
        pendingTimes[i] = time;
        pendingArrivals[i] = arrival;
        pendingSize++;
    }

    /**
     * Removes the pending entries {@code [from, to)}, shifting the rest down; shrinks the arrays when mostly empty.
     * Callers compact the entries they keep into the front of a range first and then remove its tail.
     */
    void removePending(int from, int to) {
        if (from >= to) {
            return;
        }
        System.arraycopy(pendingTimes, to, pendingTimes, from, pendingSize - to);
        System.arraycopy(pendingArrivals, to, pendingArrivals, from, pendingSize - to);
        pendingSize -= to - from;
        if (pendingSize == 0) {
            pendingTimes = NO_LONGS;
            pendingArrivals = NO_LONGS;
        } else if (pendingTimes.length > INITIAL_CAPACITY && pendingSize < pendingTimes.length / 4) {
            int capacity = Math.max(INITIAL_CAPACITY, pendingSize * 2);
            pendingTimes = Arrays.copyOf(pendingTimes, capacity);
            pendingArrivals = Arrays.copyOf(pendingArrivals, capacity);
        }
    }

    // ---- remembered events and closes (rare: exact-size arrays) ----

    /** Index of the first remembered event with a time {@code > time}. */
    int eventUpperBound(long time) {
        return upperBound(eventTimes, eventTimes.length, time);
    }

    void addEvent(long time, long recordedAt, String evidence) {
        int i = eventUpperBound(time);
        int n = eventTimes.length;
        long[] times = new long[n + 1];
        long[] recorded = new long[n + 1];
        String[] codes = new String[n + 1];
        System.arraycopy(eventTimes, 0, times, 0, i);
        System.arraycopy(eventRecordedAt, 0, recorded, 0, i);
        System.arraycopy(eventEvidence, 0, codes, 0, i);
        times[i] = time;
        recorded[i] = recordedAt;
        codes[i] = evidence;
        System.arraycopy(eventTimes, i, times, i + 1, n - i);
        System.arraycopy(eventRecordedAt, i, recorded, i + 1, n - i);
        System.arraycopy(eventEvidence, i, codes, i + 1, n - i);
        eventTimes = times;
        eventRecordedAt = recorded;
        eventEvidence = codes;
    }

    /** Forgets the events with a time {@code <= time}. */
    void dropEventsUpTo(long time) {
        int k = eventUpperBound(time);
        if (k > 0) {
            eventTimes = Arrays.copyOfRange(eventTimes, k, eventTimes.length);
            eventRecordedAt = Arrays.copyOfRange(eventRecordedAt, k, eventRecordedAt.length);
            eventEvidence = Arrays.copyOfRange(eventEvidence, k, eventEvidence.length);
        }
    }

    /** The first remembered close strictly after {@code time}, or {@code Long.MAX_VALUE}. */
    long firstCloseAfter(long time) {
        int i = upperBound(closeTimes, closeTimes.length, time);
        return i < closeTimes.length ? closeTimes[i] : Long.MAX_VALUE;
    }

    void addClose(long time) {
        int i = upperBound(closeTimes, closeTimes.length, time);
        if (i > 0 && closeTimes[i - 1] == time) {
            return;
        }
        int n = closeTimes.length;
        long[] times = new long[n + 1];
        System.arraycopy(closeTimes, 0, times, 0, i);
        times[i] = time;
        System.arraycopy(closeTimes, i, times, i + 1, n - i);
        closeTimes = times;
    }

    /** Forgets the closes with a time {@code <= time}. */
    void dropClosesUpTo(long time) {
        int k = upperBound(closeTimes, closeTimes.length, time);
        if (k > 0) {
            closeTimes = Arrays.copyOfRange(closeTimes, k, closeTimes.length);
        }
    }

    private static int upperBound(long[] a, int size, long time) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HorizonState)) {
            return false;
        }
        HorizonState other = (HorizonState) o;
        return seen == other.seen
                && Arrays.equals(pendingTimes, 0, pendingSize, other.pendingTimes, 0, other.pendingSize)
                && Arrays.equals(pendingArrivals, 0, pendingSize, other.pendingArrivals, 0, other.pendingSize)
                && Arrays.equals(eventTimes, other.eventTimes)
                && Arrays.equals(eventRecordedAt, other.eventRecordedAt)
                && Arrays.equals(eventEvidence, other.eventEvidence)
                && Arrays.equals(closeTimes, other.closeTimes);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(seen);
        for (int i = 0; i < pendingSize; i++) {
            h = 31 * h + Long.hashCode(pendingTimes[i]);
        }
        return 31 * (31 * h + Arrays.hashCode(eventTimes)) + Arrays.hashCode(closeTimes);
    }

    @Override
    public String toString() {
        return "HorizonState[seen="
                + seen
                + ", pending="
                + pendingSize
                + ", events="
                + eventTimes.length
                + ", closes="
                + closeTimes.length
                + "]";
    }
}
