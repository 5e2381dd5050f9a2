package dev.vigil.operators.fraud;

import dev.vigil.operators.validation.DeadLetters;
import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.schema.common.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The fraud feature stage: keyed by account id, it emits one {@link FraudSnapshot} per accepted transaction, with the
 * {@link FraudFeatures} computed exactly over the account's sliding 1 h / 24 h / 7 d windows in event time.
 *
 * <pre>{@code
 * SingleOutputStreamOperator<FraudSnapshot> snapshots = transactions   // timestamps = eventTimeMillis
 *         .keyBy(FraudFeatureFunction::key)
 *         .process(FraudFeatureFunction.fromConfig(config));
 * DataStream<RejectedTransaction> rejected = snapshots.getSideOutput(FraudFeatureFunction.REJECTED);
 * }</pre>
 *
 * <p><b>Why the account.</b> The features describe the account's behaviour — its spending history, its devices, its
 * home country — and the account is what a fraud team blocks. Keying by account keeps all of a customer's cards in
 * one history, so velocity across cards (a fraudster cycling through an account's cards) shows in the counts and in
 * {@code distinct_cards_24h}; keying by card would split that history and lose it.
 *
 * <p><b>Event-time order.</b> A transaction ahead of the watermark waits in keyed state (a {@code MapState} by event
 * time, with an event-time timer per distinct time); when the watermark passes it, all transactions of that instant
 * are applied in canonical order (transaction-id hash) and emitted with the instant as their timestamp. So the output
 * — features and order — is the same for any arrival order that the watermark tolerates, and the stream is
 * event-time ordered per key. A transaction that arrives behind the watermark but within {@link
 * FraudFeatureSettings#allowedLateness} is applied at once, still with exact features, and flagged {@link
 * FraudSnapshot#late}; one further behind goes to {@link #REJECTED} as {@link #LATE_BEYOND_LATENESS}.
 *
 * <p><b>State</b> (rescalable keyed state, no Kryo): {@code ValueState<AccountHistory>} (a POJO of parallel arrays;
 * see {@link AccountHistory} for what it holds and its bounds) and the pending {@code MapState<Long,
 * List<TransactionEvent>>}. Both carry a processing-time TTL of {@link FraudFeatureSettings#stateTtl}, refreshed on
 * every write. On top of it, one event-time cleanup timer per account: at {@code newest + 7 d + lateness} it folds the
 * window history into its summaries (a quiet account shrinks to about 1 KB), and at {@code newest + idleExpiry} it
 * forgets the account. Entries per account are capped by {@link FraudFeatureSettings#maxHistory}.
 *
 * <p><b>Rejections</b> ({@link #REJECTED}): late beyond the allowed lateness, and defensively a missing required
 * field, a non-finite or a negative amount that slipped past validation. An exact duplicate (same transaction id and
 * event time) changes nothing and emits nothing.
 *
 * <p><b>Metrics</b>: {@code fraudFeatureTransactions}, {@code fraudFeatureLateApplied}, {@code
 * fraudFeatureLateRejected}, {@code fraudFeatureInvalid}, {@code fraudFeatureDuplicates}, {@code
 * fraudFeatureHistoryCapped} (window entries that left early because of the cap). Nothing here logs identifiers or
 * amounts.
 */
public class FraudFeatureFunction extends KeyedProcessFunction<String, TransactionEvent, FraudSnapshot> {

    private static final long serialVersionUID = 1L;

    /** Side output of transactions the stage did not apply. */
    public static final OutputTag<RejectedTransaction> REJECTED =
            new OutputTag<>("fraud-features-rejected", TypeInformation.of(RejectedTransaction.class));

    /** Reason code: the transaction's event time is at or behind the watermark minus the allowed lateness. */
    public static final String LATE_BEYOND_LATENESS = "LATE_BEYOND_LATENESS";

    /** The {@code DeadLetter.pipeline} of this stage's rejections. */
    public static final String PIPELINE = "fraud";

    /** Name of the account state. */
    static final String HISTORY_STATE = "fraud-account-history";

    /** Name of the pending-transactions state. */
    static final String PENDING_STATE = "fraud-pending-transactions";

    private static final Comparator<TransactionEvent> CANONICAL =
            Comparator.comparingLong((TransactionEvent tx) -> StableHash.of(tx.transactionId()));

    private final FraudFeatureSettings settings;

    private transient FraudFeatureExtractor extractor;
    private transient ValueState<AccountHistory> historyState;
    private transient MapState<Long, List<TransactionEvent>> pendingState;
    private transient Counter emitted;
    private transient Counter lateApplied;
    private transient Counter lateRejected;
    private transient Counter invalid;
    private transient Counter duplicates;
    private transient Counter capped;

    public FraudFeatureFunction(FraudFeatureSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A function with the settings of {@link FraudFeatureOptions}. */
    public static FraudFeatureFunction fromConfig(ReadableConfig config) {
        return new FraudFeatureFunction(FraudFeatureOptions.settings(config));
    }

    /** The key: the account id. */
    public static String key(TransactionEvent tx) {
        return tx.accountId();
    }

    /** Type of the account state: a {@code PojoTypeInfo}. */
    public static TypeInformation<AccountHistory> historyType() {
        return TypeInformation.of(AccountHistory.class);
    }

    /** Type of one instant's pending transactions: a list of {@code PojoTypeInfo}. */
    public static TypeInformation<List<TransactionEvent>> pendingType() {
        return Types.LIST(TypeInformation.of(TransactionEvent.class));
    }

    /**
     * A dead letter for a rejection (pipeline {@value #PIPELINE}, stage {@code features}), keyed by the account id.
     *
     * @param originalValue the original record's bytes (the job re-encodes the Avro transaction), or null
     */
    public static DeadLetter deadLetter(RejectedTransaction rejected, byte[] originalValue) {
        return DeadLetters.builder(PIPELINE, DeadLetters.STAGE_FEATURES)
                .reason(rejected.reasonCode())
                .detail(rejected.detail())
                .original(DeadLetters.keyBytes(rejected.transaction().accountId()), originalValue)
                .rejectedAt(rejected.rejectedAtMillis())
                .build();
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        extractor = new FraudFeatureExtractor(settings);
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(settings.stateTtl())
                        .updateTtlOnCreateAndWrite()
                        .neverReturnExpired()
                        .build();
        ValueStateDescriptor<AccountHistory> history =
                new ValueStateDescriptor<>(HISTORY_STATE, historyType());
        history.enableTimeToLive(ttl);
        historyState = getRuntimeContext().getState(history);
        MapStateDescriptor<Long, List<TransactionEvent>> pending =
                new MapStateDescriptor<>(PENDING_STATE, Types.LONG, pendingType());
        pending.enableTimeToLive(ttl);
        pendingState = getRuntimeContext().getMapState(pending);

        var metrics = getRuntimeContext().getMetricGroup();
        emitted = metrics.counter("fraudFeatureTransactions");
        lateApplied = metrics.counter("fraudFeatureLateApplied");
        lateRejected = metrics.counter("fraudFeatureLateRejected");
        invalid = metrics.counter("fraudFeatureInvalid");
        duplicates = metrics.counter("fraudFeatureDuplicates");
        capped = metrics.counter("fraudFeatureHistoryCapped");
    }

    @Override
    public void processElement(TransactionEvent tx, Context ctx, Collector<FraudSnapshot> out) throws Exception {
        if (!valid(tx, ctx)) {
            return;
        }
        long t = tx.eventTimeMillis();
        long watermark = ctx.timerService().currentWatermark();
        if (watermark == Long.MIN_VALUE || t > watermark) {
            buffer(tx, ctx);
            return;
        }
        if (t > watermark - settings.allowedLatenessMillis()) {
            AccountHistory history = history();
            if (apply(history, tx, true, ctx, out)) {
                lateApplied.inc();
            }
            commit(history, ctx);
            return;
        }
        lateRejected.inc();
        reject(ctx, tx, LATE_BEYOND_LATENESS, lateDetail());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<FraudSnapshot> out) throws Exception {
        List<TransactionEvent> due = pendingState.get(timestamp);
        AccountHistory history = historyState.value();
        if (due != null) {
            pendingState.remove(timestamp);
            if (history == null) {
                history = new AccountHistory();
            }
            List<TransactionEvent> ordered = new ArrayList<>(due);
            ordered.sort(CANONICAL);
            for (TransactionEvent tx : ordered) {
                apply(history, tx, false, ctx, out);
            }
            commit(history, ctx);
        }
        if (history == null || timestamp != history.cleanupTimer) {
            return; // nothing stored, or a cleanup timer made stale by a newer transaction
        }
        long expiry = history.newestTime + settings.idleExpiry().toMillis();
        if (timestamp >= expiry) {
            historyState.clear();
            return;
        }
        extractor.compact(history, timestamp);
        history.cleanupTimer = expiry;
        ctx.timerService().registerEventTimeTimer(expiry);
        historyState.update(history);
    }

    private AccountHistory history() throws Exception {
        AccountHistory history = historyState.value();
        return history == null ? new AccountHistory() : history;
    }

    /** Applies one transaction; emits its snapshot when accepted. */
    private boolean apply(
            AccountHistory history, TransactionEvent tx, boolean late, Context ctx, Collector<FraudSnapshot> out) {
        float[] features = new float[FraudFeatures.SIZE];
        switch (extractor.apply(history, tx, features)) {
            case ACCEPTED:
                capped.inc(extractor.lastRemovedByCap());
                emitted.inc();
                out.collect(new FraudSnapshot(tx, features, late));
                return true;
            case DUPLICATE:
                duplicates.inc();
                return false;
            case LATE:
            default:
                // Only after a restore with a smaller allowed lateness: the history behind it is summarized.
                lateRejected.inc();
                reject(ctx, tx, LATE_BEYOND_LATENESS, lateDetail());
                return false;
        }
    }

    /** Stores the history and moves its cleanup timer to {@code newest + 7 d + lateness}. */
    private void commit(AccountHistory history, Context ctx) throws Exception {
        if (history.isEmpty()) {
            return;
        }
        long cleanup = history.newestTime + settings.historyHorizonMillis();
        if (cleanup != history.cleanupTimer) {
            long old = history.cleanupTimer;
            // Never delete a timer that a pending instant still needs (timers are unique per key and time).
            if (old != Long.MIN_VALUE && !pendingState.contains(old)) {
                ctx.timerService().deleteEventTimeTimer(old);
            }
            ctx.timerService().registerEventTimeTimer(cleanup);
            history.cleanupTimer = cleanup;
        }
        historyState.update(history);
    }

    private void buffer(TransactionEvent tx, Context ctx) throws Exception {
        long t = tx.eventTimeMillis();
        List<TransactionEvent> atTime = pendingState.get(t);
        if (atTime == null) {
            atTime = new ArrayList<>(1);
            ctx.timerService().registerEventTimeTimer(t);
        } else {
            for (TransactionEvent other : atTime) {
                if (other.transactionId().equals(tx.transactionId())) {
                    duplicates.inc();
                    return;
                }
            }
        }
        atTime.add(tx);
        pendingState.put(t, atTime);
    }

    private boolean valid(TransactionEvent tx, Context ctx) {
        String missing = tx.missingField();
        if (missing != null) {
            invalid.inc();
            reject(ctx, tx, ReasonCodes.MISSING_FIELD, missing + " is missing");
            return false;
        }
        if (!Double.isFinite(tx.amount())) {
            invalid.inc();
            reject(ctx, tx, ReasonCodes.NOT_FINITE, "amount is not finite");
            return false;
        }
        if (tx.amount() < 0) {
            invalid.inc();
            reject(ctx, tx, ReasonCodes.OUT_OF_RANGE, "amount is negative");
            return false;
        }
        return true;
    }

    private String lateDetail() {
        return "event time is not after the watermark minus the allowed lateness ("
                + Duration.ofMillis(settings.allowedLatenessMillis())
                + ")";
    }

    private static void reject(Context ctx, TransactionEvent tx, String reason, String detail) {
        ctx.output(
                REJECTED,
                new RejectedTransaction(tx, reason, detail, ctx.timerService().currentProcessingTime()));
    }
}
