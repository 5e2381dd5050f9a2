package dev.vigil.operators.monitor;

import dev.vigil.operators.drift.DetectorState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The drift monitor's keyed state of one signal: the detector's {@link DetectorState} as parallel arrays, plus the
 * bookkeeping of the monitor around it. A Flink POJO (public fields, public no-argument constructor), serialized
 * without Kryo; it moves with its key when the job rescales.
 */
public class DetectorSnapshot {

    private static final String[] NO_NAMES = new String[0];
    private static final double[][] NO_VALUES = new double[0][];

    /** {@link dev.vigil.operators.drift.DriftDetector#name()} of the detector the state belongs to. */
    public String detector;

    /** Names of the state's slots, parallel to {@link #slotValues}. */
    public String[] slotNames = NO_NAMES;

    /** The slots' values. */
    public double[][] slotValues = NO_VALUES;

    /** Observations the detector took since its last drift (or since it started). */
    public long observations;

    /** Event time of the first of those observations; {@link Long#MIN_VALUE} when there is none. */
    public long windowStartTime = Long.MIN_VALUE;

    /**
     * Event time of the last observation the detector took; {@link Long#MIN_VALUE} before the first. Observations at
     * or before it are late.
     */
    public long lastEventTime = Long.MIN_VALUE;

    /** Whether the last observation raised a warning (a warning event is emitted only when a run starts). */
    public boolean warning;

    public DetectorSnapshot() {}

    static DetectorSnapshot of(
            DetectorState state, long observations, long windowStartTime, long lastEventTime, boolean warning) {
        DetectorSnapshot s = new DetectorSnapshot();
        s.detector = state.detector();
        int n = state.slots().size();
        s.slotNames = new String[n];
        s.slotValues = new double[n][];
        int i = 0;
        for (Map.Entry<String, double[]> e : state.slots().entrySet()) {
            s.slotNames[i] = e.getKey();
            s.slotValues[i] = e.getValue(); // DetectorState holds its own copies and never hands them out
            i++;
        }
        s.observations = observations;
        s.windowStartTime = windowStartTime;
        s.lastEventTime = lastEventTime;
        s.warning = warning;
        return s;
    }

    /** The detector's state. */
    DetectorState toState() {
        if (slotNames.length != slotValues.length) {
            throw new IllegalArgumentException("malformed detector snapshot: " + slotNames.length + " names, "
                    + slotValues.length + " values");
        }
        Map<String, double[]> slots = new LinkedHashMap<>();
        for (int i = 0; i < slotNames.length; i++) {
            slots.put(slotNames[i], slotValues[i]);
        }
        return new DetectorState(detector, slots);
    }
}
