package dev.vigil.operators.drift;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A detector's mutable state as named numeric arrays (scalars are arrays of length 1), deep-copied in and out, so it
 * can be checkpointed by any serializer and compared exactly.
 *
 * @param detector the detector's {@link DriftDetector#name()}, checked on restore
 * @param slots named arrays
 */
public record DetectorState(String detector, Map<String, double[]> slots) implements Serializable {

    public DetectorState {
        Map<String, double[]> copy = new LinkedHashMap<>();
        slots.forEach((k, v) -> copy.put(k, v.clone()));
        slots = java.util.Collections.unmodifiableMap(copy);
    }

    /** A copy of one slot. */
    public double[] slot(String name) {
        double[] v = slots.get(name);
        if (v == null) {
            throw new IllegalArgumentException("state of " + detector + " has no slot " + name);
        }
        return v.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DetectorState that) || !detector.equals(that.detector)
                || !slots.keySet().equals(that.slots.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : slots.entrySet()) {
            if (!Arrays.equals(e.getValue(), that.slots.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return detector.hashCode();
    }
}
