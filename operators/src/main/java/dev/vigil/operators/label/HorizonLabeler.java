package dev.vigil.operators.label;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * The horizon labelling rule, plain Java over one entity's {@link HorizonState}: a prediction at event time {@code t}
 * is <b>positive</b> when a positive event (an adverse outcome) of the same entity occurs in {@code (t, end(t)]} and
 * <b>negative</b> when none does, where {@code end(t) = min(t + H, first close after t)}: a close (a discharge) ends
 * the encounter, so a horizon that reaches beyond it ends there. This is the standard label of early-warning models
 * ("deterioration within H hours of the observation"); the same rule labels card transactions with chargebacks
 * within a horizon. An event at or before {@code t} never labels the prediction.
 *
 * <p><b>When decisions are made, and the lateness rule.</b> With allowed lateness {@code L}:
 *
 * <ul>
 *   <li>A positive is decided as soon as its event is known: when the event arrives while the prediction is pending,
 *       or when the prediction arrives after an event in its window that is still remembered. When several events
 *       fall in the window, the first to arrive decides (on arrival of the prediction: the earliest remembered one).
 *       A label, once decided, is final. With {@link LabelRelease#IMMEDIATE} the decision is reported at once; with
 *       {@link LabelRelease#AT_HORIZON} it is held in the state and reported by {@link #advance} when event time
 *       reaches the prediction's {@link #deadline}, together with (and in prediction-time order among) the negatives,
 *       so positives and negatives leave with the same delay. Its label time stays the event's time.
 *   <li>A negative is decided only when event time (the watermark) reaches {@link #deadline} {@code = end(t) + L}: by
 *       then every event that occurred in the window and arrived at most {@code L} behind the watermark has been
 *       seen. Its label time is {@code end(t)}, its evidence {@link #HORIZON_ELAPSED} or the close evidence.
 *   <li>A prediction is <em>late</em> when {@code t < watermark - L} on arrival ({@link Admission#LATE}): the events
 *       it would need may already be forgotten, so it is not labelled (the shell dead-letters it).
 *   <li>Events and closes are remembered until the watermark passes their time {@code + L}; that is exactly as long
 *       as a prediction that is not late can still need them.
 *   <li>An event arriving more than {@code L} behind the watermark still labels the predictions that are pending;
 *       predictions already decided negative stay negative.
 * </ul>
 *
 * A close changes windows: a positive event after a close that is already known does not label predictions before
 * the close; a close that arrives after the event found them pending cannot undo the positive (labels are final).
 * This is the one outcome that depends on arrival order, and only for events after a discharge.
 *
 * <p><b>Sampling.</b> With {@code sampleEvery = n} only every n-th prediction of an entity is kept ({@code seen % n ==
 * 0}); the others are {@link Admission#SAMPLED_OUT}.
 *
 * <p>Every method that reports decisions clears the given {@link Resolutions} first and fills it in ascending
 * prediction time. Timestamps are epoch milliseconds; watermarks are Flink's ({@code Long.MIN_VALUE} before the
 * first).
 */
public final class HorizonLabeler implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Evidence of a negative whose full horizon elapsed without a positive event. */
    public static final String HORIZON_ELAPSED = "HORIZON_ELAPSED";

    /** Returned by {@link #onEvent} and {@link #onClose} when no timer is needed. */
    public static final long NO_TIMER = Long.MIN_VALUE;

    /** What {@link #admit} did with a prediction. */
    public enum Admission {
        /** Not the n-th prediction of its entity: not kept. */
        SAMPLED_OUT,
        /** More than the allowed lateness behind the watermark: not kept, to be dead-lettered. */
        LATE,
        /** A remembered positive event is in its window: labelled at once (one decision in the buffer). */
        POSITIVE,
        /** Now pending: the caller stores it and registers a timer at {@link #deadline}. */
        PENDING,
        /**
         * A remembered positive event is in its window, but positives are released at the horizon ({@link
         * LabelRelease#AT_HORIZON}): decided and held; the caller stores it and registers a timer at {@link
         * #deadline}, as for {@link #PENDING}. The buffer is empty.
         */
        HELD
    }

    private final long horizon;
    private final long lateness;
    private final int sampleEvery;
    private final String closeEvidence;
    private final LabelRelease release;

    /**
     * @param horizon the horizon H, positive
     * @param allowedLateness the allowed lateness L, zero or more
     * @param sampleEvery keep every n-th prediction per entity, at least 1
     * @param closeEvidence evidence code of a negative cut short by a close, e.g. {@code DISCHARGE}
     */
    public HorizonLabeler(Duration horizon, Duration allowedLateness, int sampleEvery, String closeEvidence) {
        this(horizon, allowedLateness, sampleEvery, closeEvidence, LabelRelease.IMMEDIATE);
    }

    /**
     * @param horizon the horizon H, positive
     * @param allowedLateness the allowed lateness L, zero or more
     * @param sampleEvery keep every n-th prediction per entity, at least 1
     * @param closeEvidence evidence code of a negative cut short by a close, e.g. {@code DISCHARGE}
     * @param release when positive decisions are reported
     */
    public HorizonLabeler(
            Duration horizon, Duration allowedLateness, int sampleEvery, String closeEvidence, LabelRelease release) {
        Objects.requireNonNull(horizon, "horizon");
        this.release = Objects.requireNonNull(release, "release");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        if (horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("horizon must be positive: " + horizon);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative: " + allowedLateness);
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be at least 1: " + sampleEvery);
        }
        if (closeEvidence == null || closeEvidence.isBlank()) {
            throw new IllegalArgumentException("closeEvidence is required");
        }
        this.horizon = horizon.toMillis();
        this.lateness = allowedLateness.toMillis();
        this.sampleEvery = sampleEvery;
        this.closeEvidence = closeEvidence;
    }

    public long horizonMillis() {
        return horizon;
    }

    public long allowedLatenessMillis() {
        return lateness;
    }

    public int sampleEvery() {
        return sampleEvery;
    }

    public LabelRelease release() {
        return release;
    }

    /** {@code end(t)}: {@code t + H}, or the first remembered close after {@code t} when that is earlier. */
    public long windowEnd(HorizonState s, long predictionTime) {
        return Math.min(predictionTime + horizon, s.firstCloseAfter(predictionTime));
    }

    /** Event time at which a pending prediction at {@code t} is decided negative: {@code end(t) + L}. */
    public long deadline(HorizonState s, long predictionTime) {
        return windowEnd(s, predictionTime) + lateness;
    }

    /** True when {@code eventTime} is more than the allowed lateness behind {@code watermark}. */
    public boolean isLate(long eventTime, long watermark) {
        return watermark > Long.MIN_VALUE + lateness && eventTime < watermark - lateness;
    }

    /**
     * Offers a prediction at event time {@code t} that arrived at processing time {@code arrival}. On {@link
     * Admission#POSITIVE} the buffer holds its decision; on {@link Admission#PENDING} and {@link Admission#HELD} the
     * caller stores the prediction under {@code t} and registers an event-time timer at {@link #deadline}.
     */
    public Admission admit(HorizonState s, long t, long arrival, long watermark, Resolutions out) {
        out.clear();
        long n = s.seen++;
        if (n % sampleEvery != 0) {
            return Admission.SAMPLED_OUT;
        }
        if (isLate(t, watermark)) {
            return Admission.LATE;
        }
        int i = s.eventUpperBound(t);
        if (i < s.eventTimes.length && s.eventTimes[i] <= windowEnd(s, t)) {
            if (release == LabelRelease.AT_HORIZON) {
                s.addHeld(t, arrival, s.eventTimes[i], s.eventRecordedAt[i], s.eventEvidence[i]);
                return Admission.HELD;
            }
            out.add(t, Resolutions.Kind.POSITIVE, s.eventTimes[i], s.eventRecordedAt[i], s.eventEvidence[i]);
            return Admission.POSITIVE;
        }
        s.addPending(t, arrival);
        return Admission.PENDING;
    }

    /**
     * A positive event (an adverse outcome) occurred at {@code occurredAt}: decides every pending prediction whose
     * window contains it positive (reported now, or held with {@link LabelRelease#AT_HORIZON}), and remembers it for
     * predictions still to arrive.
     *
     * @return an event-time timer the caller must register (when the event can be forgotten), or {@link #NO_TIMER}
     */
    public long onEvent(
            HorizonState s, long occurredAt, long recordedAt, String evidence, long watermark, Resolutions out) {
        Objects.requireNonNull(evidence, "evidence");
        out.clear();
        // Candidates: pending t with occurredAt - H <= t < occurredAt.
        int lo = s.pendingLowerBound(occurredAt - horizon);
        int hi = s.pendingLowerBound(occurredAt);
        int w = lo;
        for (int r = lo; r < hi; r++) {
            long t = s.pendingTimes[r];
            if (occurredAt <= windowEnd(s, t)) {
                if (release == LabelRelease.AT_HORIZON) {
                    s.addHeld(t, s.pendingArrivals[r], occurredAt, recordedAt, evidence);
                } else {
                    out.add(t, Resolutions.Kind.POSITIVE, occurredAt, recordedAt, evidence);
                }
            } else {
                s.pendingTimes[w] = t;
                s.pendingArrivals[w] = s.pendingArrivals[r];
                w++;
            }
        }
        s.removePending(w, hi);
        if (occurredAt + lateness <= watermark) {
            return NO_TIMER; // no prediction that is not late can need it
        }
        s.addEvent(occurredAt, recordedAt, evidence);
        return occurredAt + lateness;
    }

    /**
     * A close (discharge) at {@code closedAt}: pending predictions before it whose horizon reaches beyond it are now
     * decided at {@code closedAt + L}, or at once when the watermark is already there.
     *
     * @return an event-time timer the caller must register, or {@link #NO_TIMER}
     */
    public long onClose(HorizonState s, long closedAt, long watermark, Resolutions out) {
        s.addClose(closedAt);
        advance(s, watermark, out);
        return closedAt + lateness <= watermark ? NO_TIMER : closedAt + lateness;
    }

    /**
     * Event time reached {@code time} (an event-time timer fired): decides negative every pending prediction whose
     * {@link #deadline} is at or before it, releases the held positives whose deadline is at or before it (both in
     * ascending prediction time), and forgets events and closes older than {@code time - L}.
     */
    public void advance(HorizonState s, long time, Resolutions out) {
        out.clear();
        if (time == Long.MIN_VALUE) {
            return;
        }
        int size = s.pendingSize;
        int held = s.heldTimes.length;
        int w = 0;
        int r = 0;
        int hw = 0;
        int hr = 0;
        boolean pendingOpen = true; // false once no later pending prediction can be due
        boolean heldOpen = true;
        while (true) {
            boolean pendingNext = pendingOpen && r < size;
            boolean heldNext = heldOpen && hr < held;
            if (!pendingNext && !heldNext) {
                break;
            }
            boolean fromPending = pendingNext && (!heldNext || s.pendingTimes[r] <= s.heldTimes[hr]);
            long t = fromPending ? s.pendingTimes[r] : s.heldTimes[hr];
            long close = s.firstCloseAfter(t);
            long end = Math.min(t + horizon, close);
            if (end + lateness <= time) {
                if (fromPending) {
                    out.add(
                            t,
                            Resolutions.Kind.NEGATIVE,
                            end,
                            Resolutions.NOT_RECORDED,
                            end < t + horizon ? closeEvidence : HORIZON_ELAPSED);
                    r++;
                } else {
                    out.add(
                            t,
                            Resolutions.Kind.POSITIVE,
                            s.heldLabelTimes[hr],
                            s.heldRecordedAt[hr],
                            s.heldEvidence[hr]);
                    hr++;
                }
                continue;
            }
            boolean noneLaterDue =
                    t + horizon + lateness > time && (close == Long.MAX_VALUE || close + lateness > time);
            if (fromPending) {
                if (noneLaterDue) {
                    pendingOpen = false; // later predictions have later horizons and no earlier close: none is due
                    continue;
                }
                s.pendingTimes[w] = t;
                s.pendingArrivals[w] = s.pendingArrivals[r];
                w++;
                r++;
            } else {
                if (noneLaterDue) {
                    heldOpen = false;
                    continue;
                }
                keepHeld(s, hw, hr);
                hw++;
                hr++;
            }
        }
        s.removePending(w, r);
        s.removeHeld(hw, hr);
        if (time > Long.MIN_VALUE + lateness) {
            s.dropEventsUpTo(time - lateness);
            s.dropClosesUpTo(time - lateness);
        }
    }

    /**
     * Expires the pending predictions that arrived at or before {@code arrivedBy} (processing time): their label did
     * not come within the TTL. Decisions are {@link Resolutions.Kind#EXPIRED} with label time {@code now}. Held
     * positives that arrived by then are released as {@link Resolutions.Kind#POSITIVE} (their label is known; only
     * event time stalled), in ascending prediction time among the expiries.
     */
    public void expire(HorizonState s, long arrivedBy, long now, Resolutions out) {
        out.clear();
        int size = s.pendingSize;
        int held = s.heldTimes.length;
        int w = 0;
        int r = 0;
        int hw = 0;
        int hr = 0;
        while (r < size || hr < held) {
            if (hr >= held || (r < size && s.pendingTimes[r] <= s.heldTimes[hr])) {
                if (s.pendingArrivals[r] <= arrivedBy) {
                    out.add(
                            s.pendingTimes[r],
                            Resolutions.Kind.EXPIRED,
                            now,
                            Resolutions.NOT_RECORDED,
                            LabelReasons.UNLABELED);
                } else {
                    s.pendingTimes[w] = s.pendingTimes[r];
                    s.pendingArrivals[w] = s.pendingArrivals[r];
                    w++;
                }
                r++;
            } else {
                if (s.heldArrivals[hr] <= arrivedBy) {
                    out.add(
                            s.heldTimes[hr],
                            Resolutions.Kind.POSITIVE,
                            s.heldLabelTimes[hr],
                            s.heldRecordedAt[hr],
                            s.heldEvidence[hr]);
                } else {
                    keepHeld(s, hw, hr);
                    hw++;
                }
                hr++;
            }
        }
        s.removePending(w, size);
        s.removeHeld(hw, held);
    }

    /** Moves held entry {@code from} to {@code to <= from} (compaction). */
    private static void keepHeld(HorizonState s, int to, int from) {
        if (to == from) {
            return;
        }
        s.heldTimes[to] = s.heldTimes[from];
        s.heldArrivals[to] = s.heldArrivals[from];
        s.heldLabelTimes[to] = s.heldLabelTimes[from];
        s.heldRecordedAt[to] = s.heldRecordedAt[from];
        s.heldEvidence[to] = s.heldEvidence[from];
    }

    /**
     * True when the entity's state can be dropped without changing any future decision: nothing pending, held or
     * remembered, and the sampling count at a multiple of {@code n} (where a fresh state starts).
     */
    public boolean canForget(HorizonState s) {
        return s.isEmpty() && s.seen % sampleEvery == 0;
    }
}
