package dev.vigil.pipelines.sim;

import java.util.Arrays;

/**
 * One invalid record a simulator injects so that tests and the demo can check it reaches the dead-letter topic with
 * the right reason ({@code sim.icu.BadRecords}, {@code sim.fraud.BadTransactions}).
 *
 * @param key the record key (entity id; empty for a missing entity id)
 * @param value Avro binary value, no framing
 * @param defect the reason the validator must give
 * @param description what is wrong, for test messages and logs
 * @param <D> the simulator's defect kinds
 */
public record BadRecord<D extends Enum<D>>(String key, byte[] value, D defect, String description) {

    @Override
    public boolean equals(Object o) {
        return o instanceof BadRecord<?> other
                && key.equals(other.key)
                && Arrays.equals(value, other.value)
                && defect == other.defect
                && description.equals(other.description);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * key.hashCode() + Arrays.hashCode(value)) + defect.hashCode();
    }

    @Override
    public String toString() {
        return defect + "(" + description + ", " + value.length + " bytes)";
    }
}
