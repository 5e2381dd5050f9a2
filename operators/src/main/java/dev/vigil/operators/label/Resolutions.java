package dev.vigil.operators.label;

import java.util.Arrays;

/**
 * A reusable buffer of the decisions one {@link HorizonLabeler} call made: for each resolved prediction time, how it
 * was resolved, the label time and the evidence. Decisions are in ascending prediction time within one call. The
 * buffer is cleared by every labeler call that writes to it, so one instance per operator serves every record.
 */
public final class Resolutions {

    /** How a pending prediction left the join. */
    public enum Kind {
        /** A positive event occurred within its horizon: label 1. */
        POSITIVE,
        /** The horizon (or the encounter) ended without one: label 0. */
        NEGATIVE,
        /** No label within the TTL: dead-lettered as UNLABELED. */
        EXPIRED
    }

    /** {@link #recordedAt} of a decision that no record carried (a negative or an expiry). */
    public static final long NOT_RECORDED = Long.MIN_VALUE;

    private static final Kind[] KINDS = Kind.values();

    private int size;
    private long[] predictionTimes = new long[4];
    private byte[] kinds = new byte[4];
    private long[] labelTimes = new long[4];
    private long[] recordedAt = new long[4];
    private String[] evidence = new String[4];

    public Resolutions() {}

    void clear() {
        Arrays.fill(evidence, 0, size, null);
        size = 0;
    }

    void add(long predictionTime, Kind kind, long labelTime, long recorded, String code) {
        if (size == predictionTimes.length) {
            int capacity = size * 2;
            predictionTimes = Arrays.copyOf(predictionTimes, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
            labelTimes = Arrays.copyOf(labelTimes, capacity);
            recordedAt = Arrays.copyOf(recordedAt, capacity);
            evidence = Arrays.copyOf(evidence, capacity);
        }
        predictionTimes[size] = predictionTime;
        kinds[size] = (byte) kind.ordinal();
        labelTimes[size] = labelTime;
        recordedAt[size] = recorded;
        evidence[size] = code;
        size++;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Event time of the resolved prediction(s): the key of their state entry. */
    public long predictionTime(int i) {
        return predictionTimes[checkIndex(i)];
    }

    public Kind kind(int i) {
        return KINDS[kinds[checkIndex(i)]];
    }

    /** 1.0 for {@link Kind#POSITIVE}, 0.0 for {@link Kind#NEGATIVE}, NaN for {@link Kind#EXPIRED}. */
    public double label(int i) {
        switch (kind(i)) {
            case POSITIVE:
                return 1.0;
            case NEGATIVE:
                return 0.0;
            default:
                return Double.NaN;
        }
    }

    /** Event time the label became true; for an expiry, the processing time it expired at. */
    public long labelTime(int i) {
        return labelTimes[checkIndex(i)];
    }

    /** When the record carrying the label was documented, or {@link #NOT_RECORDED}. */
    public long recordedAt(int i) {
        return recordedAt[checkIndex(i)];
    }

    /** The evidence code (outcome type, {@code HORIZON_ELAPSED}, the close evidence, or {@code UNLABELED}). */
    public String evidence(int i) {
        return evidence[checkIndex(i)];
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        }
        return i;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Resolutions[");
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(predictionTimes[i]).append(':').append(kind(i)).append('@').append(labelTimes[i]);
        }
        return sb.append(']').toString();
    }
}
