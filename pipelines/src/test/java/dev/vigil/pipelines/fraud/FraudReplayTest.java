package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.fraud.AccountHistory;
import dev.vigil.operators.fraud.FraudFeatureExtractor;
import dev.vigil.operators.fraud.FraudFeatureSettings;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.StableHash;
import dev.vigil.operators.fraud.TransactionEvent;
import dev.vigil.pipelines.sim.fraud.FraudEvent;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig;
import dev.vigil.pipelines.sim.fraud.FraudSimulator;
import dev.vigil.schema.fraud.Channel;
import dev.vigil.schema.fraud.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FraudReplayTest {

    private static Transaction.Builder transaction() {
        return Transaction.newBuilder()
                .setTransactionId("T1")
                .setAccountId("A0000001")
                .setCardId("C1")
                .setEventTime(Instant.parse("2026-11-02T10:00:00Z"))
                .setAmountMinor(1234)
                .setCurrency("EUR")
                .setMerchantId("M1")
                .setMcc("5411")
                .setMerchantCountry("NL")
                .setChannel(Channel.ECOMMERCE)
                .setDeviceId("D1")
                .setCardCountry("NL")
                .setHomeCountry("BE")
                .setAgeBand("25-34")
                .setRegion("URBAN");
    }

    @Test
    void mapsATransactionRecordTheWayTheJobReadsIt() {
        TransactionEvent tx = FraudReplay.toTransactionEvent(transaction().build(), 99L);

        assertThat(tx.transactionId()).isEqualTo("T1");
        assertThat(tx.accountId()).isEqualTo("A0000001");
        assertThat(tx.cardId()).isEqualTo("C1");
        assertThat(tx.eventTimeMillis()).isEqualTo(Instant.parse("2026-11-02T10:00:00Z").toEpochMilli());
        assertThat(tx.amount()).isEqualTo(12.34);
        assertThat(tx.mcc()).isEqualTo(5411);
        assertThat(tx.merchantCountry()).isEqualTo("NL");
        assertThat(tx.channel()).isEqualTo("ECOMMERCE");
        assertThat(tx.deviceId()).isEqualTo("D1");
        assertThat(tx.homeCountry()).isEqualTo("BE");
        assertThat(tx.ingestTimeMillis()).isEqualTo(99L);
        assertThat(FraudReplay.toTransactionEvent(transaction().setMcc("54x1").setDeviceId(null).build(), -1).mcc())
                .isEqualTo(-1);
    }

    @Test
    void appliesTransactionsInEventTimeOrderWithTheFeaturesOfASortedReplay() {
        FraudSimulator simulator = new FraudSimulator(
                FraudSimulationConfig.builder().seed(3).accounts(300).duration(Duration.ofDays(3)).build());
        List<TransactionEvent> delivered = new ArrayList<>();
        long outOfOrder = 0;
        long newest = Long.MIN_VALUE;
        List<TransactionEvent> emitted = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        FraudReplay replay = new FraudReplay(FraudFeatureSettings.defaults());
        FraudReplay.RowSink sink = (tx, truth, features) -> {
            assertThat(truth.transactionId()).isEqualTo(tx.transactionId());
            emitted.add(tx);
            rows.add(features.clone());
        };
        for (FraudEvent event : simulator) {
            if (event.kind() == FraudEvent.Kind.TRANSACTION) {
                TransactionEvent tx = FraudReplay.toTransactionEvent(event.transaction(), event.deliveryTimeMillis());
                delivered.add(tx);
                outOfOrder += tx.eventTimeMillis() < newest ? 1 : 0;
                newest = Math.max(newest, tx.eventTimeMillis());
            }
            replay.apply(event, sink);
        }
        replay.flush(sink);

        assertThat(outOfOrder).as("the simulation delivers some transactions late").isPositive();
        assertThat(emitted).hasSameSizeAs(delivered);
        assertThat(replay.accepted()).isEqualTo(delivered.size());
        assertThat(replay.rejected()).isZero();
        Comparator<TransactionEvent> canonical = Comparator.comparingLong(TransactionEvent::eventTimeMillis)
                .thenComparingLong(tx -> StableHash.of(tx.transactionId()));
        assertThat(emitted).isSortedAccordingTo(canonical);

        // The same features as applying the sorted transactions one by one, as the job's feature stage does.
        delivered.sort(canonical);
        FraudFeatureExtractor extractor = new FraudFeatureExtractor(FraudFeatureSettings.defaults());
        Map<String, AccountHistory> histories = new HashMap<>();
        float[] expected = new float[FraudFeatures.SIZE];
        for (int i = 0; i < delivered.size(); i++) {
            TransactionEvent tx = delivered.get(i);
            assertThat(emitted.get(i).transactionId()).isEqualTo(tx.transactionId());
            extractor.apply(histories.computeIfAbsent(tx.accountId(), a -> new AccountHistory()), tx, expected);
            assertThat(rows.get(i)).as("row %s", i).containsExactly(expected);
        }
    }
}
