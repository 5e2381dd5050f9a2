package dev.vigil.pipelines.fraud;

import dev.vigil.operators.fraud.AccountHistory;
import dev.vigil.operators.fraud.FraudFeatureExtractor;
import dev.vigil.operators.fraud.FraudFeatureSettings;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.StableHash;
import dev.vigil.operators.fraud.TransactionEvent;
import dev.vigil.pipelines.sim.fraud.FraudEvent;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig;
import dev.vigil.pipelines.sim.fraud.TransactionTruth;
import dev.vigil.schema.fraud.Transaction;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.flink.util.Preconditions;

/**
 * Replays simulated transactions through the exact fraud feature computation the streaming job runs ({@link
 * FraudFeatureExtractor} on one {@link AccountHistory} per account), without Flink, in the order the job's feature
 * stage applies them: event time, then the transaction-id hash ({@code FraudFeatureFunction} releases an instant's
 * transactions in that canonical order once the watermark passes it). Used to build training sets and offline
 * evaluations that see exactly the features the stream computes.
 *
 * <p>The simulator delivers transactions up to {@link FraudSimulationConfig#MAX_TRANSACTION_DELAY} after their event
 * time, so a transaction is held until the delivery clock has passed its event time by that much; then no
 * transaction that sorts before it can still come. Labels and feedback are ignored: a row's label is the simulator's
 * {@link TransactionTruth}.
 *
 * <pre>{@code
 * FraudReplay replay = new FraudReplay(FraudFeatureSettings.defaults());
 * for (FraudEvent event : simulator) {
 *     replay.apply(event, (tx, truth, features) -> rows.add(features.clone(), truth.fraud()));
 * }
 * replay.flush(sink);
 * }</pre>
 */
public final class FraudReplay {

    /** Receives one feature row per accepted transaction, in event-time order; {@code features} is reused. */
    @FunctionalInterface
    public interface RowSink {
        void accept(TransactionEvent transaction, TransactionTruth truth, float[] features);
    }

    private static final long MAX_DELAY_MILLIS = FraudSimulationConfig.MAX_TRANSACTION_DELAY.toMillis();

    private static final Comparator<Pending> EVENT_TIME_ORDER =
            Comparator.comparingLong(Pending::eventTimeMillis).thenComparingLong(Pending::idHash);

    private final FraudFeatureExtractor extractor;
    private final Map<String, AccountHistory> histories = new HashMap<>();
    private final PriorityQueue<Pending> pending = new PriorityQueue<>(EVENT_TIME_ORDER);
    private final float[] features = new float[FraudFeatures.SIZE];
    private long accepted;
    private long rejected;

    public FraudReplay(FraudFeatureSettings settings) {
        this.extractor = new FraudFeatureExtractor(Preconditions.checkNotNull(settings, "settings"));
    }

    /**
     * The job's view of a transaction record: amount in major units ({@code amountMinor / 100}: every simulated
     * currency has two decimals), the MCC parsed ({@code -1} when it is not a number), the channel symbol ({@code
     * UNKNOWN} when absent); the same mapping as the job's {@code FraudJob.toEvent}.
     */
    public static TransactionEvent toTransactionEvent(Transaction t, long ingestTimeMillis) {
        int mcc;
        try {
            mcc = Integer.parseInt(t.getMcc());
        } catch (NumberFormatException e) {
            mcc = -1;
        }
        return new TransactionEvent(
                t.getTransactionId(),
                t.getAccountId(),
                t.getCardId(),
                t.getEventTime().toEpochMilli(),
                t.getAmountMinor() / 100.0,
                t.getCurrency(),
                t.getMerchantId(),
                mcc,
                t.getMerchantCountry(),
                t.getChannel() == null ? "UNKNOWN" : t.getChannel().name(),
                t.getDeviceId(),
                t.getHomeCountry(),
                ingestTimeMillis);
    }

    /** Takes one simulated event (in delivery order) and emits every transaction that is now safe to apply. */
    public void apply(FraudEvent event, RowSink sink) {
        if (event.kind() == FraudEvent.Kind.TRANSACTION) {
            TransactionEvent tx = toTransactionEvent(event.transaction(), event.deliveryTimeMillis());
            pending.add(new Pending(tx, event.truth(), tx.eventTimeMillis(), StableHash.of(tx.transactionId())));
        }
        release(event.deliveryTimeMillis() - MAX_DELAY_MILLIS, sink);
    }

    /** Applies every transaction still held: call once after the last event. */
    public void flush(RowSink sink) {
        release(Long.MAX_VALUE, sink);
    }

    /** Transactions whose features were emitted. */
    public long accepted() {
        return accepted;
    }

    /** Transactions the extractor refused (late beyond the allowed lateness or duplicates; none in event order). */
    public long rejected() {
        return rejected;
    }

    /** Applies, in order, the held transactions with event time before {@code before}. */
    private void release(long before, RowSink sink) {
        while (!pending.isEmpty() && pending.peek().eventTimeMillis() < before) {
            Pending p = pending.poll();
            AccountHistory history = histories.computeIfAbsent(p.tx().accountId(), id -> new AccountHistory());
            if (extractor.apply(history, p.tx(), features) == FraudFeatureExtractor.Outcome.ACCEPTED) {
                accepted++;
                sink.accept(p.tx(), p.truth(), features);
            } else {
                rejected++;
            }
        }
    }

    private record Pending(TransactionEvent tx, TransactionTruth truth, long eventTimeMillis, long idHash) {}
}
