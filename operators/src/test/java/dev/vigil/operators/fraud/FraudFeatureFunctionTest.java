package dev.vigil.operators.fraud;

import static dev.vigil.operators.fraud.TestingTransactions.DAY;
import static dev.vigil.operators.fraud.TestingTransactions.HOUR;
import static dev.vigil.operators.fraud.TestingTransactions.MINUTE;
import static dev.vigil.operators.fraud.TestingTransactions.SECOND;
import static dev.vigil.operators.fraud.TestingTransactions.T0;
import static dev.vigil.operators.fraud.TestingTransactions.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.schema.common.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FraudFeatureFunctionTest {

    private static final int MAX_PARALLELISM = 128;
    private static final String A = "acct-a";
    private static final String B = "acct-b";
    private static final FraudFeatureSettings SETTINGS = FraudFeatureSettings.defaults(); // lateness 5 min

    private static KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FraudSnapshot> harness(
            FraudFeatureSettings settings, int parallelism, int subtask) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new FraudFeatureFunction(settings)),
                FraudFeatureFunction::key,
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                subtask);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FraudSnapshot> opened(
            FraudFeatureSettings settings) throws Exception {
        var h = harness(settings, 1, 0);
        h.open();
        return h;
    }

    private static void push(
            KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FraudSnapshot> h, TransactionEvent t)
            throws Exception {
        h.processElement(t, t.eventTimeMillis());
    }

    private static List<RejectedTransaction> rejected(
            KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FraudSnapshot> h) {
        List<RejectedTransaction> out = new ArrayList<>();
        var side = h.getSideOutput(FraudFeatureFunction.REJECTED);
        if (side != null) {
            for (StreamRecord<RejectedTransaction> r : side) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /** The account's stored history (TTL applies: null when expired). */
    private static AccountHistory stored(
            KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FraudSnapshot> h, String key)
            throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key);
        ValueState<AccountHistory> state =
                backend.getPartitionedState(
                        VoidNamespace.INSTANCE,
                        VoidNamespaceSerializer.INSTANCE,
                        new ValueStateDescriptor<>(
                                FraudFeatureFunction.HISTORY_STATE, FraudFeatureFunction.historyType()));
        return state.value();
    }

    private static List<Long> timestamps(
            KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FraudSnapshot> h) {
        List<Long> out = new ArrayList<>();
        for (StreamRecord<? extends FraudSnapshot> r : h.extractOutputStreamRecords()) {
            out.add(r.getTimestamp());
        }
        return out;
    }

    @Test
    void buffersUntilTheWatermarkAndEmitsInEventTimeOrder() throws Exception {
        try (var h = opened(SETTINGS)) {
            push(h, tx("a3", A, T0 + 2 * MINUTE, 30, "m1"));
            push(h, tx("a1", A, T0, 10, "m1"));
            push(h, tx("b1", B, T0 + 30 * SECOND, 5, "m9"));
            push(h, tx("a2", A, T0 + MINUTE, 20, "m2"));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processWatermark(T0 + MINUTE);
            assertThat(h.extractOutputValues())
                    .extracting(s -> s.transaction().transactionId())
                    .containsExactly("a1", "b1", "a2");
            assertThat(timestamps(h)).containsExactly(T0, T0 + 30 * SECOND, T0 + MINUTE);

            h.processWatermark(T0 + 5 * MINUTE);
            List<FraudSnapshot> out = h.extractOutputValues();
            assertThat(out).hasSize(4);
            FraudSnapshot a3 = out.get(3);
            assertThat(a3.transaction().transactionId()).isEqualTo("a3");
            assertThat(a3.late()).isFalse();
            assertThat(a3.feature("count_1h")).isEqualTo(3f);
            assertThat(a3.feature("log_sum_1h")).isEqualTo((float) Math.log1p(60));
            assertThat(a3.feature("distinct_merchants_24h")).isEqualTo(2f);
            assertThat(a3.feature("new_merchant")).isZero();
            assertThat(out.get(1).feature("first_transaction")).isEqualTo(1f); // b1: B's first
            assertThat(rejected(h)).isEmpty();
        }
    }

    @Test
    void everyArrivalOrderGivesTheSameOutput() throws Exception {
        // Ties, and transactions exactly on the 1 h and 24 h edges of others, in two watermark rounds.
        List<TransactionEvent> round1 =
                List.of(
                        tx("p", A, T0 - HOUR, 10, "m1"),
                        tx("q", A, T0, 20, "m2"),
                        tx("r", A, T0, 30, "m1"),
                        tx("s", A, T0 - DAY, 40, "m3"),
                        tx("u", B, T0 - 2 * MINUTE, 50, "m1"));
        List<TransactionEvent> round2 =
                List.of(
                        tx("v", A, T0 + HOUR, 60, "m2"),
                        tx("w", B, T0 + MINUTE, 70, "m4"),
                        tx("y", A, T0 + HOUR, 1, "m5"));
        List<List<TransactionEvent>> perms1 = permutations(round1);
        List<List<TransactionEvent>> perms2 = permutations(round2);
        List<StreamRecord<? extends FraudSnapshot>> reference = null;
        int runs = 0;
        for (List<TransactionEvent> first : perms1) {
            for (int k = 0; k < perms2.size(); k += (first == perms1.get(0) ? 1 : 5)) {
                try (var h = opened(SETTINGS)) {
                    for (TransactionEvent t : first) {
                        push(h, t);
                    }
                    h.processWatermark(T0);
                    for (TransactionEvent t : perms2.get(k)) {
                        push(h, t);
                    }
                    h.processWatermark(T0 + 2 * HOUR);
                    List<StreamRecord<? extends FraudSnapshot>> out = h.extractOutputStreamRecords();
                    if (reference == null) {
                        reference = out;
                        assertMatchesOracle(out);
                    } else {
                        assertThat(out).isEqualTo(reference);
                    }
                    runs++;
                }
            }
        }
        assertThat(runs).isEqualTo(6 + 119 * 2);
        assertThat(reference).hasSize(8);
        // y and v share T0 + 1h: whichever comes first canonically does not see the other.
        float vCount = featureOf(reference, "v", "count_1h");
        float yCount = featureOf(reference, "y", "count_1h");
        assertThat(List.of(vCount, yCount)).containsExactlyInAnyOrder(1f, 2f);
        assertThat(featureOf(reference, "q", "count_24h") + featureOf(reference, "r", "count_24h")).isEqualTo(5f);
    }

    private static float featureOf(List<StreamRecord<? extends FraudSnapshot>> out, String id, String feature) {
        for (StreamRecord<? extends FraudSnapshot> r : out) {
            if (r.getValue().transaction().transactionId().equals(id)) {
                return r.getValue().feature(feature);
            }
        }
        throw new AssertionError("no snapshot of " + id);
    }

    /** Each snapshot's features equal the oracle's over everything emitted before it. */
    private static void assertMatchesOracle(List<StreamRecord<? extends FraudSnapshot>> out) {
        List<TransactionEvent> accepted = new ArrayList<>();
        for (StreamRecord<? extends FraudSnapshot> r : out) {
            FraudSnapshot s = r.getValue();
            accepted.add(s.transaction());
            assertThat(s.features())
                    .as("features of %s", s)
                    .containsExactly(
                            TestingTransactions.oracle(
                                    s.transaction(), accepted, SETTINGS.amountHistory(), SETTINGS.mccRisk()));
        }
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        List<List<T>> out = new ArrayList<>();
        permute(new ArrayList<>(items), 0, out);
        return out;
    }

    private static <T> void permute(List<T> items, int k, List<List<T>> out) {
        if (k == items.size()) {
            out.add(new ArrayList<>(items));
            return;
        }
        for (int i = k; i < items.size(); i++) {
            java.util.Collections.swap(items, k, i);
            permute(items, k + 1, out);
            java.util.Collections.swap(items, k, i);
        }
    }

    @Test
    void lateTransactionsWithinTheLatenessAreAppliedAndOlderOnesRejected() throws Exception {
        try (var h = opened(SETTINGS)) {
            h.setProcessingTime(T0 + HOUR);
            push(h, tx("a", A, T0, 10, "m1"));
            h.processWatermark(T0 + 10 * MINUTE);
            push(h, tx("late", A, T0 + 6 * MINUTE, 20, "m2")); // behind the watermark, within 5 min
            push(h, tx("edge", A, T0 + 5 * MINUTE, 30, "m3")); // exactly watermark - lateness: too late
            push(h, tx("inside", A, T0 + 5 * MINUTE + 1, 40, "m3"));

            List<FraudSnapshot> out = h.extractOutputValues();
            assertThat(out).extracting(s -> s.transaction().transactionId()).containsExactly("a", "late", "inside");
            FraudSnapshot late = out.get(1);
            assertThat(late.late()).isTrue();
            assertThat(late.feature("count_1h")).isEqualTo(2f);
            assertThat(late.feature("log_sum_1h")).isEqualTo((float) Math.log1p(30));
            // "inside" sits before "late" in event time: exact, it does not see the later one.
            FraudSnapshot inside = out.get(2);
            assertThat(inside.feature("count_1h")).isEqualTo(2f);
            assertThat(inside.feature("log_sum_1h")).isEqualTo((float) Math.log1p(50));
            assertThat(timestamps(h)).containsExactly(T0, T0 + 6 * MINUTE, T0 + 5 * MINUTE + 1);

            List<RejectedTransaction> rejected = rejected(h);
            assertThat(rejected).hasSize(1);
            RejectedTransaction r = rejected.get(0);
            assertThat(r.transaction().transactionId()).isEqualTo("edge");
            assertThat(r.reasonCode()).isEqualTo(FraudFeatureFunction.LATE_BEYOND_LATENESS);
            assertThat(r.detail()).doesNotContain(A).doesNotContain("30");
            assertThat(r.rejectedAtMillis()).isEqualTo(T0 + HOUR);

            DeadLetter dl = FraudFeatureFunction.deadLetter(r, new byte[] {1, 2});
            assertThat(dl.getPipeline()).isEqualTo("fraud");
            assertThat(dl.getStage()).isEqualTo("features");
            assertThat(dl.getReason()).isEqualTo("LATE_BEYOND_LATENESS");
            assertThat(StandardCharsets.UTF_8.decode(dl.getOriginalKey()).toString()).isEqualTo(A);
            assertThat(dl.getRejectedAt()).isEqualTo(Instant.ofEpochMilli(T0 + HOUR));
        }
    }

    @Test
    void invalidAndDuplicateTransactions() throws Exception {
        try (var h = opened(SETTINGS)) {
            push(h, tx("a", A, T0, 10, "m1"));
            push(h, tx("a", A, T0, 10, "m1")); // redelivered while pending
            push(h, tx("nan", A, T0, Double.NaN, "m1"));
            push(h, tx("neg", A, T0, -5, "m1"));
            push(h, tx("nomerchant", A, T0, 5, null));
            h.processWatermark(T0 + MINUTE);
            push(h, tx("a", A, T0, 10, "m1")); // redelivered after it was applied, within the lateness
            h.processWatermark(T0 + HOUR);

            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(rejected(h))
                    .extracting(RejectedTransaction::reasonCode)
                    .containsExactly(ReasonCodes.NOT_FINITE, ReasonCodes.OUT_OF_RANGE, ReasonCodes.MISSING_FIELD);
            assertThat(rejected(h).get(2).detail()).isEqualTo("merchantId is missing");
        }
    }

    @Test
    void snapshotAndRestoreResumeExactly() throws Exception {
        FraudFeatureSettings settings = SETTINGS.withAllowedLateness(Duration.ofHours(2));
        List<TransactionEvent> stream = TestingTransactions.randomStream(7, 6, 400, 12 * DAY, 3 * HOUR);
        int half = stream.size() / 2;
        OperatorSubtaskState snapshot;
        List<StreamRecord<? extends FraudSnapshot>> all;
        List<RejectedTransaction> rejectedAfter;
        long[] maxSeen = {Long.MIN_VALUE};
        try (var original = opened(settings)) {
            for (int k = 0; k < half; k++) {
                feed(original, stream.get(k), maxSeen);
            }
            snapshot = original.snapshot(1L, T0);
            int rejectedBefore = rejected(original).size();
            for (int k = half; k < stream.size(); k++) {
                feed(original, stream.get(k), maxSeen);
            }
            original.processWatermark(Long.MAX_VALUE);
            all = original.extractOutputStreamRecords();
            List<RejectedTransaction> r = rejected(original);
            rejectedAfter = r.subList(rejectedBefore, r.size());
        }
        int emittedBefore = countBefore(stream, half, all);
        long[] maxSeenRestored = {maxSeenAt(stream, half)};
        try (var restored = harness(settings, 1, 0)) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processWatermark(maxSeenRestored[0] - HOUR - 1);
            for (int k = half; k < stream.size(); k++) {
                feed(restored, stream.get(k), maxSeenRestored);
            }
            restored.processWatermark(Long.MAX_VALUE);
            assertThat(restored.extractOutputStreamRecords()).isEqualTo(all.subList(emittedBefore, all.size()));
            assertThat(rejected(restored)).isEqualTo(rejectedAfter);
        }
        // The whole run, late (within 2 h) transactions included, against the oracle.
        assertThat(all.size() + rejectedAfter.size()).isLessThanOrEqualTo(stream.size());
        assertThat(all.stream().filter(r -> r.getValue().late()).count()).isGreaterThan(10);
        assertThat(all).hasSize(stream.size()); // nothing is later than 3 h - 1 h = 2 h behind the watermark
        List<TransactionEvent> accepted = new ArrayList<>();
        for (StreamRecord<? extends FraudSnapshot> r : all) {
            accepted.add(r.getValue().transaction());
            assertThat(r.getValue().features())
                    .containsExactly(
                            TestingTransactions.oracle(
                                    r.getValue().transaction(),
                                    accepted,
                                    settings.amountHistory(),
                                    settings.mccRisk()));
        }
    }

    /** Pushes one transaction, then a watermark 1 h behind the newest event time seen. */
    private static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, TransactionEvent, FraudSnapshot> h,
            TransactionEvent t,
            long[] maxSeen)
            throws Exception {
        push(h, t);
        maxSeen[0] = Math.max(maxSeen[0], t.eventTimeMillis());
        h.processWatermark(maxSeen[0] - HOUR - 1);
    }

    private static long maxSeenAt(List<TransactionEvent> stream, int n) {
        long max = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, stream.get(k).eventTimeMillis());
        }
        return max;
    }

    /** Snapshots emitted by the original before the snapshot point: those at or behind its watermark then. */
    private static int countBefore(
            List<TransactionEvent> stream, int half, List<StreamRecord<? extends FraudSnapshot>> all) {
        Map<String, Integer> arrival = new HashMap<>();
        for (int k = 0; k < stream.size(); k++) {
            arrival.put(stream.get(k).transactionId(), k);
        }
        long watermark = maxSeenAt(stream, half) - HOUR - 1;
        int n = 0;
        for (StreamRecord<? extends FraudSnapshot> r : all) {
            TransactionEvent t = r.getValue().transaction();
            if (arrival.get(t.transactionId()) < half && t.eventTimeMillis() <= watermark) {
                n++;
            }
        }
        return n;
    }

    @Test
    void stateRescalesByKeyGroup() throws Exception {
        String[] keys = keysOnDifferentSubtasks();
        OperatorSubtaskState snapshot;
        try (var h = opened(SETTINGS)) {
            for (String key : keys) {
                push(h, tx(key + "-1", key, T0, 100, "m1"));
                push(h, tx(key + "-2", key, T0 + HOUR, 100, "m1")); // still pending at the snapshot
            }
            h.processWatermark(T0);
            snapshot = h.snapshot(1L, T0);
        }
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, MAX_PARALLELISM, 1, 2, subtask);
            try (var h = harness(SETTINGS, 2, subtask)) {
                h.initializeState(part);
                h.open();
                h.processWatermark(T0 + HOUR);
                List<FraudSnapshot> out = h.extractOutputValues();
                assertThat(out).hasSize(1);
                assertThat(out.get(0).transaction().accountId()).isEqualTo(keys[subtask]);
                assertThat(out.get(0).feature("count_24h")).isEqualTo(2f);
                assertThat(out.get(0).feature("log_seconds_since_prev")).isEqualTo((float) Math.log1p(3600));
            }
        }
    }

    private static String[] keysOnDifferentSubtasks() {
        String[] keys = new String[2];
        for (int i = 0; keys[0] == null || keys[1] == null; i++) {
            String key = "acct-" + i;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, 2);
            if (keys[subtask] == null) {
                keys[subtask] = key;
            }
        }
        return keys;
    }

    @Test
    void processingTimeTtlForgetsAQuietAccount() throws Exception {
        FraudFeatureSettings settings = SETTINGS.withStateTtl(Duration.ofDays(7));
        try (var h = opened(settings)) {
            h.setStateTtlProcessingTime(0);
            push(h, tx("a", A, T0, 10, "m1"));
            h.processWatermark(T0);
            h.setStateTtlProcessingTime(7 * DAY - 1); // just inside: the write at 0 is still live
            push(h, tx("b", A, T0 + MINUTE, 10, "m1"));
            h.processWatermark(T0 + MINUTE);
            assertThat(h.extractOutputValues().get(1).feature("count_1h")).isEqualTo(2f);

            h.setStateTtlProcessingTime(7 * DAY - 1 + 7 * DAY); // the write at 7 d - 1 has expired
            assertThat(stored(h, A)).isNull();
            push(h, tx("c", A, T0 + 2 * MINUTE, 10, "m1"));
            h.processWatermark(T0 + 2 * MINUTE);
            FraudSnapshot c = h.extractOutputValues().get(2);
            assertThat(c.feature("first_transaction")).isEqualTo(1f);
            assertThat(c.feature("count_1h")).isEqualTo(1f);
        }
    }

    @Test
    void eventTimeTimersCompactAndThenForgetAQuietAccount() throws Exception {
        try (var h = opened(SETTINGS)) {
            push(h, tx("a", A, T0, 10, "m1"));
            push(h, tx("b", A, T0 + HOUR, 20, "m2"));
            h.processWatermark(T0 + HOUR);
            assertThat(stored(h, A).size()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(1); // the cleanup timer only

            long compactAt = T0 + HOUR + SETTINGS.historyHorizonMillis();
            h.processWatermark(compactAt - 1);
            assertThat(stored(h, A).size()).isEqualTo(2); // nothing leaves before the timer
            h.processWatermark(compactAt);
            AccountHistory compacted = stored(h, A);
            assertThat(compacted.size()).isZero();
            assertThat(compacted.olderAmountsSize).isEqualTo(2);
            assertThat(compacted.olderMerchants.size()).isEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(1); // now the expiry timer

            long expireAt = T0 + HOUR + SETTINGS.idleExpiry().toMillis();
            h.processWatermark(expireAt - 1);
            assertThat(h.numKeyedStateEntries()).isEqualTo(1);
            h.processWatermark(expireAt);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();

            push(h, tx("c", A, expireAt + MINUTE, 10, "m1"));
            h.processWatermark(expireAt + MINUTE);
            assertThat(h.extractOutputValues().get(2).feature("first_transaction")).isEqualTo(1f);
            assertThat(h.extractOutputValues().get(2).feature("new_merchant")).isEqualTo(1f);
        }
    }

    @Test
    void aPendingTransactionAtTheOldCleanupTimeIsNotLost() throws Exception {
        long horizon = SETTINGS.historyHorizonMillis();
        try (var h = opened(SETTINGS)) {
            push(h, tx("a", A, T0, 10, "m1"));
            h.processWatermark(T0); // cleanup timer at T0 + horizon
            push(h, tx("c", A, T0 + horizon, 30, "m1")); // pending on that very timer
            push(h, tx("b", A, T0 + HOUR, 20, "m1"));
            h.processWatermark(T0 + HOUR); // b moves the cleanup timer; the shared one must stay
            h.processWatermark(T0 + horizon);
            assertThat(h.extractOutputValues())
                    .extracting(s -> s.transaction().transactionId())
                    .containsExactly("a", "b", "c");
            FraudSnapshot c = h.extractOutputValues().get(2);
            assertThat(c.feature("count_7d")).isEqualTo(2f); // b and c; a is 7 d + 5 min older: outside
            assertThat(c.feature("new_merchant")).isZero();
        }
    }

    @Test
    void aBurstStaysWithinTheHistoryCap() throws Exception {
        FraudFeatureSettings settings = SETTINGS.withMaxHistory(32);
        try (var h = opened(settings)) {
            for (int k = 0; k < 500; k++) {
                push(h, tx("t" + k, A, T0 + k * SECOND, 0.5, "m" + (k % 4)));
                if (k % 50 == 49) {
                    h.processWatermark(T0 + k * SECOND);
                    assertThat(stored(h, A).size()).isLessThanOrEqualTo(32);
                }
            }
            List<FraudSnapshot> out = h.extractOutputValues();
            assertThat(out).hasSize(500);
            assertThat(out).extracting(s -> s.feature("count_1h")).allMatch(c -> c <= 33f);
            assertThat(out.get(499).feature("count_1h")).isEqualTo(33f);
            assertThat(stored(h, A).removedByCap).isEqualTo(500 - 32);
            assertThat(h.numKeyedStateEntries()).isLessThanOrEqualTo(2);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
        }
    }

    @Test
    void stateAndRecordTypesAreNotGeneric() throws Exception {
        assertThat(FraudFeatureFunction.historyType()).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(NoveltyMemory.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(FraudFeatureFunction.pendingType()).isInstanceOf(ListTypeInfo.class);
        assertThat(TypeInformation.of(TransactionEvent.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(FraudSnapshot.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(RejectedTransaction.class)).isInstanceOf(PojoTypeInfo.class);

        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false); // creating a Kryo serializer would now throw

        AccountHistory history = new AccountHistory();
        FraudFeatureExtractor ex = new FraudFeatureExtractor(SETTINGS);
        float[] f = new float[FraudFeatures.SIZE];
        ex.apply(history, TestingTransactions.withDevice(tx("a", A, T0 - 10 * DAY, 10, "m1"), "d1"), f);
        ex.apply(history, tx("b", A, T0, 20, "m2"), f);
        assertThat(history.olderMerchants.size()).isEqualTo(1);
        assertThat(roundTrip(FraudFeatureFunction.historyType().createSerializer(noGenerics), history))
                .isEqualTo(history);

        TransactionEvent t = TestingTransactions.withDevice(tx("c", A, T0, 1, "m"), null);
        FraudSnapshot snapshot = new FraudSnapshot(t, f, true);
        assertThat(roundTrip(TypeInformation.of(FraudSnapshot.class).createSerializer(noGenerics), snapshot))
                .isEqualTo(snapshot);
        assertThat(roundTrip(FraudFeatureFunction.pendingType().createSerializer(noGenerics), List.of(t, t)))
                .containsExactly(t, t);
        RejectedTransaction r = new RejectedTransaction(t, "X", "d", 5L);
        assertThat(roundTrip(TypeInformation.of(RejectedTransaction.class).createSerializer(noGenerics), r))
                .isEqualTo(r);
        assertThat(snapshot.toString()).doesNotContain(A).doesNotContain("m1");
        assertThat(t.toString()).doesNotContain(A);
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        T copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(serializer.copy(value)).isEqualTo(value);
        return copy;
    }

    @Test
    void optionsAreReadAndValidated() {
        Configuration config = new Configuration();
        assertThat(FraudFeatureOptions.settings(config)).isEqualTo(FraudFeatureSettings.defaults());
        assertThat(FraudFeatureFunction.fromConfig(config)).isNotNull();

        config.set(FraudFeatureOptions.ALLOWED_LATENESS, Duration.ofMinutes(1));
        config.set(FraudFeatureOptions.MAX_HISTORY, 100);
        config.set(FraudFeatureOptions.MCC_RISK, Map.of("7995", "0.9", "0742", "0.1"));
        config.set(FraudFeatureOptions.MCC_RISK_DEFAULT, 0.05);
        FraudFeatureSettings s = FraudFeatureOptions.settings(config);
        assertThat(s.allowedLatenessMillis()).isEqualTo(60_000L);
        assertThat(s.maxHistory()).isEqualTo(100);
        assertThat(s.mccRisk().risk(7995)).isEqualTo(0.9f);
        assertThat(s.mccRisk().risk(742)).isEqualTo(0.1f);
        assertThat(s.mccRisk().risk(5967)).isEqualTo(0.05f); // the table was replaced

        assertRejected(FraudFeatureOptions.MAX_HISTORY, 0);
        assertRejected(FraudFeatureOptions.AMOUNT_HISTORY, 4);
        assertRejected(FraudFeatureOptions.NOVELTY_CAPACITY, -1);
        assertRejected(FraudFeatureOptions.STATE_TTL, Duration.ofDays(6));
        assertRejected(FraudFeatureOptions.IDLE_EXPIRY, Duration.ofDays(7));
        assertRejected(FraudFeatureOptions.ALLOWED_LATENESS, Duration.ofDays(8));
        assertRejected(FraudFeatureOptions.MCC_RISK_DEFAULT, 1.5);
        assertRejected(FraudFeatureOptions.MCC_RISK, Map.of("7995", "2"));
        assertRejected(FraudFeatureOptions.MCC_RISK, Map.of("casino", "0.5"));
        assertThatThrownBy(() -> new FraudFeatureSettings(
                        Duration.ZERO, 10, 32, 8, Duration.ofDays(7), Duration.ofDays(6),
                        MccRiskTable.visaIntegrityRisk()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static <T> void assertRejected(org.apache.flink.configuration.ConfigOption<T> option, T value) {
        Configuration config = new Configuration();
        config.set(option, value);
        assertThatThrownBy(() -> FraudFeatureOptions.settings(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(option.key());
    }
}
