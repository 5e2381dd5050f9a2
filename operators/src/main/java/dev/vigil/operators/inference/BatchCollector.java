package dev.vigil.operators.inference;

import org.apache.flink.util.OutputTag;

/**
 * Emits the results of one {@link BatchFunction#processBatch} call. Each result names the input record (its index in
 * the batch) it was computed from and is emitted with that record's timestamp. A record may have zero, one or several
 * results.
 */
public interface BatchCollector<OUT> {

    /** Emits {@code value} with the timestamp of the {@code index}-th record of the batch. */
    void collect(int index, OUT value);

    /** Emits {@code value} to the side output {@code tag} (e.g. a dead-letter stream) with that record's timestamp. */
    <X> void collect(OutputTag<X> tag, int index, X value);

    /** Timestamp of the {@code index}-th record, or {@link Long#MIN_VALUE} when it has none. */
    long timestamp(int index);
}
