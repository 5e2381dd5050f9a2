package dev.vigil.pipelines.sim.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.fraud.BadTransactions.Defect;
import dev.vigil.schema.fraud.Transaction;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

class BadTransactionsTest {
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    private static Transaction decode(byte[] bytes) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        return new SpecificDatumReader<>(Transaction.class).read(null, decoder);
    }

    /** The defects of a decoded transaction, judged by the documented rules, independently of the generator. */
    private static EnumSet<Defect> defectsOf(Transaction t, Instant now) {
        EnumSet<Defect> defects = EnumSet.noneOf(Defect.class);
        if (t.getTransactionId().isBlank()
                || t.getAccountId().isBlank()
                || t.getCardId().isBlank()
                || t.getMerchantId().isBlank()) {
            defects.add(Defect.MISSING_FIELD);
        }
        if (t.getEventTime().isBefore(EARLIEST) || t.getEventTime().isAfter(now)) {
            defects.add(Defect.INVALID_TIME);
        }
        if (t.getAmountMinor() < 0 || t.getAmountMinor() > BadTransactions.MAX_AMOUNT_MINOR) {
            defects.add(Defect.OUT_OF_RANGE);
        }
        if (!t.getMcc().matches("\\d{4}")
                || !t.getCurrency().matches("[A-Z]{3}")
                || !t.getMerchantCountry().matches("[A-Z]{2}")
                || !t.getCardCountry().matches("[A-Z]{2}")
                || !t.getHomeCountry().matches("[A-Z]{2}")) {
            defects.add(Defect.UNKNOWN_CODE);
        }
        return defects;
    }

    @Test
    void everyRecordCarriesExactlyItsStatedDefect() throws IOException {
        List<BadRecord<Defect>> records = BadTransactions.generate(17, 6);
        assertThat(records).hasSize(6 * Defect.values().length);
        assertThat(records).extracting(BadRecord::defect).containsOnly(Defect.values());
        Instant now = Instant.now();
        for (BadRecord<Defect> bad : records) {
            if (bad.defect() == Defect.DECODE_ERROR) {
                assertThatThrownBy(() -> decode(bad.value()))
                        .as("%s", bad)
                        .isInstanceOfAny(IOException.class, RuntimeException.class);
            } else {
                Transaction t = decode(bad.value());
                assertThat(defectsOf(t, now)).as("%s", bad).containsExactly(bad.defect());
                assertThat(bad.key()).isEqualTo(t.getAccountId());
            }
        }
    }

    @Test
    void theSimulatorsTransactionsAreValidByTheSameRules() {
        FraudSimulationConfig config =
                FraudSimulationConfig.builder()
                        .seed(2)
                        .accounts(300)
                        .duration(Duration.ofDays(3))
                        .fraudRate(0.02)
                        .build();
        Instant now = Instant.now();
        long checked = 0;
        for (FraudEvent e : new FraudSimulator(config)) {
            if (e.kind() == FraudEvent.Kind.TRANSACTION) {
                assertThat(defectsOf(e.transaction(), now)).as("%s", e.transaction()).isEmpty();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1_000);
    }

    @Test
    void sameSeedSameBytes() {
        assertThat(BadTransactions.generate(5, 4)).isEqualTo(BadTransactions.generate(5, 4));
        assertThat(BadTransactions.generate(5, 4)).isNotEqualTo(BadTransactions.generate(6, 4));
        assertThatThrownBy(() -> BadTransactions.generate(5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
