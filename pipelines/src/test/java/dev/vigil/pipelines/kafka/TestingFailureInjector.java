package dev.vigil.pipelines.kafka;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fails a job once, in the middle of its output: on the first record after {@code failAfterRecords} records once at
 * least one checkpoint has completed, so that some transactions are committed and others are open when it fails.
 * Static because operators are deserialized copies; the MiniCluster runs in the test's JVM.
 */
final class TestingFailureInjector {

    private static final AtomicLong RECORDS = new AtomicLong();
    private static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    private static volatile long failAfterRecords = Long.MAX_VALUE;
    private static volatile long recordsAtFailure = -1;

    private TestingFailureInjector() {}

    static void reset(long failAfter) {
        RECORDS.set(0);
        COMPLETED_CHECKPOINTS.set(0);
        FAILED.set(false);
        recordsAtFailure = -1;
        failAfterRecords = failAfter;
    }

    /** Call once per record; throws the injected failure at most once per {@link #reset}. */
    static void onRecord() {
        long seen = RECORDS.incrementAndGet();
        if (seen > failAfterRecords && COMPLETED_CHECKPOINTS.get() > 0 && FAILED.compareAndSet(false, true)) {
            recordsAtFailure = seen;
            throw new IllegalStateException("Injected failure after " + seen + " records (expected by the test)");
        }
    }

    static void onCheckpointComplete() {
        COMPLETED_CHECKPOINTS.incrementAndGet();
    }

    static boolean hasFailed() {
        return FAILED.get();
    }

    /** Records seen by all subtasks, restarts included, when the failure was thrown; -1 if it was not. */
    static long recordsAtFailure() {
        return recordsAtFailure;
    }
}
