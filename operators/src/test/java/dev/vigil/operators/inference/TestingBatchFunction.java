package dev.vigil.operators.inference;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.OutputTag;

/**
 * A {@link BatchFunction} that emits every record unchanged, in order, and remembers each batch it saw, whether it
 * was opened and closed, and its context. Records equal to {@link #REJECT} go to {@link #REJECTED} instead. The
 * operator test harness does not serialize the function, so a test reads these fields from
 * {@code ((MicroBatchOperator<?, ?>) harness.getOperator()).getFunction()}.
 */
public final class TestingBatchFunction<T> implements BatchFunction<T, T> {

    private static final long serialVersionUID = 1L;

    /** Side output for records equal to {@link #REJECT}. */
    public static final OutputTag<String> REJECTED = new OutputTag<>("rejected") {};

    public static final String REJECT = "reject";

    private final List<List<T>> batches = new ArrayList<>();
    private String modelVersion = NONE;
    private transient Context context;
    private boolean opened;
    private boolean closed;

    @Override
    public void open(Context context) {
        this.context = context;
        this.opened = true;
        this.modelVersion = "v-test";
    }

    @Override
    public void processBatch(List<T> batch, BatchCollector<T> out) {
        batches.add(List.copyOf(batch));
        for (int i = 0; i < batch.size(); i++) {
            T value = batch.get(i);
            if (REJECT.equals(value)) {
                out.collect(REJECTED, i, "rejected@" + out.timestamp(i));
            } else {
                out.collect(i, value);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String modelVersion() {
        return modelVersion;
    }

    @Override
    public String activeProvider() {
        return "CPU";
    }

    /** Every batch seen, in order. */
    public List<List<T>> batches() {
        return batches;
    }

    /** Sizes of the batches seen, in order. */
    public List<Integer> batchSizes() {
        return batches.stream().map(List::size).toList();
    }

    public Context context() {
        return context;
    }

    public boolean isOpened() {
        return opened;
    }

    public boolean isClosed() {
        return closed;
    }
}
