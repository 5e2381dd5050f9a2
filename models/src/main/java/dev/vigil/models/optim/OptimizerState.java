package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The mutable state of an {@link Optimizer}, as plain values: the algorithm's name, the number of steps taken and
 * named per-parameter slots (e.g. Adam's {@code m} and {@code v}, AdaGrad's {@code sum_sq}, FTRL's {@code z} and
 * {@code n}). Arrays are copied in and out; a state is immutable.
 *
 * @param algorithm the optimizer's name (e.g. {@code "adam"}), checked on restore
 * @param steps the number of steps taken, {@code >= 0}
 * @param slots per-parameter arrays by name, all of one length; empty before the first step sized them
 */
public record OptimizerState(String algorithm, long steps, Map<String, double[]> slots) implements Serializable {

    public OptimizerState {
        checkNotNull(algorithm, "algorithm");
        checkArgument(steps >= 0, "steps must be >= 0, got %s", steps);
        checkNotNull(slots, "slots");
        TreeMap<String, double[]> copy = new TreeMap<>();
        int length = -1;
        for (Map.Entry<String, double[]> e : slots.entrySet()) {
            String name = checkNotNull(e.getKey(), "slot name");
            double[] values = checkNotNull(e.getValue(), "slot " + name);
            checkArgument(
                    length < 0 || values.length == length,
                    "all slots must have one length, slot %s has %s, expected %s",
                    name,
                    values.length,
                    length);
            length = values.length;
            copy.put(name, values.clone());
        }
        slots = Collections.unmodifiableMap(copy);
    }

    /** A state with no per-parameter slots. */
    public static OptimizerState of(String algorithm, long steps) {
        return new OptimizerState(algorithm, steps, Map.of());
    }

    /** The slots, each array copied. */
    @Override
    public Map<String, double[]> slots() {
        TreeMap<String, double[]> copy = new TreeMap<>();
        slots.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** Names of the slots. */
    public Set<String> slotNames() {
        return slots.keySet();
    }

    /** A copy of slot {@code name}. */
    public double[] slot(String name) {
        double[] values = slots.get(name);
        checkArgument(values != null, "no slot %s in state of %s (slots: %s)", name, algorithm, slots.keySet());
        return values.clone();
    }

    /** Length of the slots, or 0 when there are none. */
    public int slotLength() {
        return slots.isEmpty() ? 0 : slots.values().iterator().next().length;
    }

    /** Checks that this state was taken from an optimizer named {@code expectedAlgorithm}. */
    public void checkAlgorithm(String expectedAlgorithm) {
        checkArgument(
                algorithm.equals(expectedAlgorithm),
                "cannot restore %s optimizer state into %s",
                algorithm,
                expectedAlgorithm);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OptimizerState s)) {
            return false;
        }
        if (!algorithm.equals(s.algorithm) || steps != s.steps || !slots.keySet().equals(s.slots.keySet())) {
            return false;
        }
        for (Map.Entry<String, double[]> e : slots.entrySet()) {
            if (!Arrays.equals(e.getValue(), s.slots.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * algorithm.hashCode() + Long.hashCode(steps);
        for (Map.Entry<String, double[]> e : slots.entrySet()) {
            h = 31 * h + e.getKey().hashCode() + 17 * Arrays.hashCode(e.getValue());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("OptimizerState[algorithm=").append(algorithm);
        sb.append(", steps=").append(steps);
        slots.forEach((k, v) -> sb.append(", ").append(k).append("[").append(v.length).append("]"));
        return sb.append(']').toString();
    }
}
