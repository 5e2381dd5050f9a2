package dev.vigil.pipelines.eval;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A stream of labelled examples with a fixed feature width, read one at a time: what the prequential evaluation
 * consumes. {@link #next()} advances; the accessors describe the current example and are valid until the next call.
 */
public interface ExampleStream extends Closeable {

    /** Encoded features per example. */
    int numFeatures();

    /** Names of the encoded features, in order (one-hot slots as {@code column=value} or {@code column=<other>}). */
    List<String> featureNames();

    /** Class labels in class-index order; empty for a binary 0/1 label. */
    List<String> classes();

    /** Number of classes: {@code classes().size()}, or 2 for a binary 0/1 label. */
    default int numClasses() {
        return classes().isEmpty() ? 2 : classes().size();
    }

    /**
     * Moves to the next example.
     *
     * @return false at the end of the stream
     * @throws InputFormatException if the next record cannot be encoded (with its line number)
     */
    boolean next() throws IOException;

    /** The current example's features (a buffer reused by the next call). */
    double[] features();

    /** The current example's class index. */
    int label();

    /** The current example's event time in epoch milliseconds, or {@link Long#MIN_VALUE} without a time column. */
    long timeMillis();

    @Override
    default void close() throws IOException {}
}
