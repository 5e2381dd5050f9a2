package dev.vigil.pipelines.sim;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Predicate;

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

    /**
     * A value that must fail Avro decoding, derived from a valid record's bytes: by {@code variant % 4} truncated
     * inside its leading string fields, with the first string's length (a zig-zag varint) made negative, empty, or
     * random bytes that {@code decodes} rejects (drawn again in the rare case they decode).
     *
     * @param valid the Avro binary of a valid record whose first field is a string
     * @param decodes whether bytes decode as the record type
     */
    public static <D extends Enum<D>> BadRecord<D> undecodable(
            String key, byte[] valid, D defect, int variant, SplittableRandom rng, Predicate<byte[]> decodes) {
        switch (variant % 4) {
            case 0:
                return new BadRecord<>(key, Arrays.copyOf(valid, 1 + rng.nextInt(10)), defect, "truncated record");
            case 1:
                {
                    byte[] corrupt = valid.clone();
                    corrupt[0] = 0x0F; // zig-zag -8
                    return new BadRecord<>(key, corrupt, defect, "negative string length");
                }
            case 2:
                return new BadRecord<>(key, new byte[0], defect, "empty value");
            default:
                {
                    byte[] garbage = new byte[16 + rng.nextInt(48)];
                    do {
                        for (int i = 0; i < garbage.length; i++) {
                            garbage[i] = (byte) rng.nextInt(256);
                        }
                    } while (decodes.test(garbage));
                    return new BadRecord<>(key, garbage, defect, "random bytes");
                }
        }
    }
}
