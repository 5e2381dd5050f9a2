package dev.vigil.operators.label;

import java.util.Arrays;

/**
 * One entity's bookkeeping for the horizon join ({@link HorizonLabeler}): the event times of its pending predictions
 * and of its predictions decided positive but held until their deadline ({@link LabelRelease#AT_HORIZON}), the
 * positive events and closes it still remembers, and how many predictions it has seen (for sampling). The
 * predictions themselves are not here: the Flink shell keeps them in a {@code MapState} keyed by event time and
 * touches only the entries this index points at, so this stays a few hundred bytes per entity.
 *
 * <p>This is the keyed state's serialized form (a Flink POJO: public fields, public no-argument constructor, no
 * Kryo). Mutate it only through {@link HorizonLabeler}. {@code pendingTimes.length} is the capacity, {@code
 * pendingSize} the number of pending times; the held, event and close arrays are exactly as long as their content
 * (they change rarely).
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

    /**
     * Event times of predictions decided positive but held until their deadline ({@link LabelRelease#AT_HORIZON}),
     * sorted ascending, distinct; never also pending.
     */
    public long[] heldTimes = NO_LONGS;

    /** Processing time the first prediction at each held time arrived, parallel to {@link #heldTimes}. */
    public long[] heldArrivals = NO_LONGS;

    /** Occurrence time of the event that decided each held prediction (its label time), parallel. */
    public long[] heldLabelTimes = NO_LONGS;

    /** When that event was recorded, parallel to {@link #heldTimes}. */
    public long[] heldRecordedAt = NO_LONGS;

    /** Evidence code of that event, parallel to {@link #heldTimes}. */
    public String[] heldEvidence = NO_STRINGS;

    public HorizonState() {}

    /** True when nothing is pending or held and nothing is remembered (the sampling count aside). */
    public boolean isEmpty() {
        return pendingSize == 0 && heldTimes.length == 0 && eventTimes.length == 0 && closeTimes.length == 0;
    }

    public int heldCount() {
        return heldTimes.length;
    }

    public long heldTime(int i) {
        return heldTimes[i];
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

    // ---- held positives (AT_HORIZON release; exact-size arrays) ----

    /** Index of the first held time {@code >= time}. */
    int heldLowerBound(long time) {
        int lo = 0;
        int hi = heldTimes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (heldTimes[mid] < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Holds the positive decision of the predictions at {@code time}. When {@code time} is already held the first
     * decision stays (labels are final); only the earliest arrival is kept.
     */
    void addHeld(long time, long arrival, long labelTime, long recordedAt, String evidence) {
        int i = heldLowerBound(time);
        int n = heldTimes.length;
        if (i < n && heldTimes[i] == time) {
            heldArrivals[i] = Math.min(heldArrivals[i], arrival);
            return;
        }
        long[] times = new long[n + 1];
        long[] arrivals = new long[n + 1];
        long[] labels = new long[n + 1];
        long[] recorded = new long[n + 1];
        String[] codes = new String[n + 1];
        System.arraycopy(heldTimes, 0, times, 0, i);
        System.arraycopy(heldArrivals, 0, arrivals, 0, i);
        System.arraycopy(heldLabelTimes, 0, labels, 0, i);
        System.arraycopy(heldRecordedAt, 0, recorded, 0, i);
        System.arraycopy(heldEvidence, 0, codes, 0, i);
        times[i] = time;
        arrivals[i] = arrival;
        labels[i] = labelTime;
        recorded[i] = recordedAt;
        codes[i] = evidence;
        System.arraycopy(heldTimes, i, times, i + 1, n - i);
        System.arraycopy(heldArrivals, i, arrivals, i + 1, n - i);
        System.arraycopy(heldLabelTimes, i, labels, i + 1, n - i);
        System.arraycopy(heldRecordedAt, i, recorded, i + 1, n - i);
        System.arraycopy(heldEvidence, i, codes, i + 1, n - i);
        heldTimes = times;
        heldArrivals = arrivals;
        heldLabelTimes = labels;
        heldRecordedAt = recorded;
        heldEvidence = codes;
    }

    /** Removes the held entries {@code [from, to)}; like {@link #removePending}, callers compact kept entries first. */
    void removeHeld(int from, int to) {
        if (from >= to) {
            return;
        }
        int n = heldTimes.length;
        int size = n - (to - from);
        if (size == 0) {
            heldTimes = NO_LONGS;
            heldArrivals = NO_LONGS;
            heldLabelTimes = NO_LONGS;
            heldRecordedAt = NO_LONGS;
            heldEvidence = NO_STRINGS;
            return;
        }
        heldTimes = cut(heldTimes, from, to);
        heldArrivals = cut(heldArrivals, from, to);
        heldLabelTimes = cut(heldLabelTimes, from, to);
        heldRecordedAt = cut(heldRecordedAt, from, to);
        String[] codes = new String[size];
        System.arraycopy(heldEvidence, 0, codes, 0, from);
        System.arraycopy(heldEvidence, to, codes, from, n - to);
        heldEvidence = codes;
    }

    private static long[] cut(long[] a, int from, int to) {
        long[] b = new long[a.length - (to - from)];
        System.arraycopy(a, 0, b, 0, from);
        System.arraycopy(a, to, b, from, a.length - to);
        return b;
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
                && Arrays.equals(closeTimes, other.closeTimes)
                && Arrays.equals(heldTimes, other.heldTimes)
                && Arrays.equals(heldArrivals, other.heldArrivals)
                && Arrays.equals(heldLabelTimes, other.heldLabelTimes)
                && Arrays.equals(heldRecordedAt, other.heldRecordedAt)
                && Arrays.equals(heldEvidence, other.heldEvidence);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(seen);
        for (int i = 0; i < pendingSize; i++) {
            h = 31 * h + Long.hashCode(pendingTimes[i]);
        }
        h = 31 * (31 * h + Arrays.hashCode(eventTimes)) + Arrays.hashCode(closeTimes);
        return 31 * h + Arrays.hashCode(heldTimes);
    }

    @Override
    public String toString() {
        return "HorizonState[seen="
                + seen
                + ", pending="
                + pendingSize
                + ", held="
                + heldTimes.length
                + ", events="
                + eventTimes.length
                + ", closes="
                + closeTimes.length
                + "]";
    }
}
