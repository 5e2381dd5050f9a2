package dev.vigil.operators.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.util.OutputTag;

/**
 * A {@link BatchCollector} that keeps what a function emits, for testing a function without an operator. Timestamps
 * of the batch's records are given up front ({@code Long.MIN_VALUE} = none).
 */
public final class TestingBatchCollector<OUT> implements BatchCollector<OUT> {

    /** One emitted result: the index of its input record, the side output (null for the main one) and the value. */
    public record Emitted(int index, OutputTag<?> tag, Object value) {}

    private final long[] timestamps;
    private final List<Emitted> emitted = new ArrayList<>();

    public TestingBatchCollector(long... timestamps) {
        this.timestamps = timestamps;
    }

    /** A collector for a batch of {@code size} records without timestamps. */
    public static <OUT> TestingBatchCollector<OUT> withoutTimestamps(int size) {
        long[] none = new long[size];
        Arrays.fill(none, Long.MIN_VALUE);
        return new TestingBatchCollector<>(none);
    }

    @Override
    public void collect(int index, OUT value) {
        timestamp(index);
        emitted.add(new Emitted(index, null, value));
    }

    @Override
    public <X> void collect(OutputTag<X> tag, int index, X value) {
        timestamp(index);
        emitted.add(new Emitted(index, tag, value));
    }

    @Override
    public long timestamp(int index) {
        if (index < 0 || index >= timestamps.length) {
            throw new IndexOutOfBoundsException("index " + index + " outside batch of " + timestamps.length);
        }
        return timestamps[index];
    }

    /** Everything emitted, main and side outputs, in order. */
    public List<Emitted> emitted() {
        return emitted;
    }

    /** Values emitted to the main output, in order. */
    @SuppressWarnings("unchecked")
    public List<OUT> values() {
        List<OUT> values = new ArrayList<>();
        for (Emitted e : emitted) {
            if (e.tag() == null) {
                values.add((OUT) e.value());
            }
        }
        return values;
    }
}
