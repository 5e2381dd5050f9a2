package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.validation.Validated;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.fraud.BadTransactions;
import dev.vigil.pipelines.sim.fraud.FraudEvent;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig;
import dev.vigil.pipelines.sim.fraud.FraudSimulator;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.Transaction;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FraudRecordValidatorsTest {

    private static final long NOW = Instant.parse("2026-11-25T12:00:00Z").toEpochMilli();

    @Test
    void everyBadTransactionIsRejectedWithItsDefectAsTheReason() throws Exception {
        FraudRecordValidators.TransactionValidator validator = new FraudRecordValidators.TransactionValidator();
        AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
        int checked = 0;
        for (BadRecord<BadTransactions.Defect> bad : BadTransactions.generate(5, 6)) {
            if (bad.defect() == BadTransactions.Defect.DECODE_ERROR) {
                continue; // the ingest stage's decoder rejects these
            }
            Validated<Transaction> v = validator.validate(codec.decode(bad.value()), NOW);
            assertThat(v.isAccepted()).as(bad.description()).isFalse();
            assertThat(v.rejection().reasonCode()).as(bad.description()).isEqualTo(bad.defect().name());
            checked++;
        }
        assertThat(checked).isEqualTo(24);
        assertThat(FraudRecordValidators.MAX_AMOUNT_MINOR).isEqualTo(BadTransactions.MAX_AMOUNT_MINOR);
    }

    @Test
    void everySimulatedRecordIsAccepted() {
        FraudRecordValidators.TransactionValidator transactions = new FraudRecordValidators.TransactionValidator();
        FraudRecordValidators.ChargebackValidator chargebacks = new FraudRecordValidators.ChargebackValidator();
        FraudRecordValidators.FeedbackValidator feedback = new FraudRecordValidators.FeedbackValidator();
        FraudSimulationConfig config = FraudSimulationConfig.builder().seed(4).accounts(300)
                .duration(Duration.ofDays(4)).fraudRate(0.02).auditRate(0.05)
                .chargebackDelay(FraudSimulationConfig.DelayRange.of(Duration.ofHours(1), Duration.ofDays(2)))
                .build();
        int[] seen = new int[3];
        for (FraudEvent e : new FraudSimulator(config)) {
            switch (e.kind()) {
                case TRANSACTION -> {
                    assertThat(transactions.validate(e.transaction(), NOW).isAccepted()).isTrue();
                    seen[0]++;
                }
                case CHARGEBACK -> {
                    Chargeback c = e.chargeback();
                    assertThat(chargebacks.validate(c, NOW).isAccepted()).isTrue();
                    seen[1]++;
                }
                case FEEDBACK -> {
                    InvestigatorFeedback f = e.feedback();
                    assertThat(feedback.validate(f, NOW).isAccepted()).isTrue();
                    seen[2]++;
                }
            }
        }
        assertThat(seen[0]).isPositive();
        assertThat(seen[1]).isPositive();
        assertThat(seen[2]).isPositive();
    }

    @Test
    void labelsNeedTheirIdsAndTimes() {
        Chargeback c = new Chargeback("t", "a", "c", Instant.ofEpochMilli(NOW - 1000), Instant.ofEpochMilli(NOW),
                100L, "EUR", dev.vigil.schema.fraud.ChargebackCategory.FRAUD, "10.4");
        assertThat(new FraudRecordValidators.ChargebackValidator().validate(c, NOW).isAccepted()).isTrue();
        c.setTransactionId(" ");
        assertThat(new FraudRecordValidators.ChargebackValidator().validate(c, NOW).rejection().reasonCode())
                .isEqualTo("MISSING_FIELD");
        c.setTransactionId("t");
        c.setReportedAt(Instant.ofEpochMilli(NOW + Duration.ofHours(1).toMillis()));
        assertThat(new FraudRecordValidators.ChargebackValidator().validate(c, NOW).rejection().reasonCode())
                .isEqualTo("INVALID_TIME");
    }

    @Test
    void onlyRecordsIngestAcceptsMoveEventTime() {
        ValidatedEventTime<Transaction> eventTime = new ValidatedEventTime<>(Transaction.class,
                new FraudRecordValidators.TransactionValidator(), Transaction::getEventTime);
        AvroCodec<Transaction> codec = AvroCodec.of(Transaction.class);
        FraudSimulationConfig config = FraudSimulationConfig.builder().seed(4).accounts(20)
                .duration(Duration.ofDays(1)).build();
        Transaction valid = new FraudSimulator(config).stream()
                .filter(e -> e.kind() == FraudEvent.Kind.TRANSACTION)
                .findFirst().orElseThrow().transaction();

        assertThat(eventTime.extractTimestamp(raw(codec.encode(valid)), 0L))
                .isEqualTo(valid.getEventTime().toEpochMilli());
        valid.setAmountMinor(-1L); // plausible time, rejected by validation
        assertThat(eventTime.extractTimestamp(raw(codec.encode(valid)), 0L))
                .isEqualTo(org.apache.flink.api.common.eventtime.TimestampAssigner.NO_TIMESTAMP);
        assertThat(eventTime.extractTimestamp(raw(new byte[] {1, 2, 3}), 0L))
                .isEqualTo(org.apache.flink.api.common.eventtime.TimestampAssigner.NO_TIMESTAMP);
    }

    private static dev.vigil.operators.kafka.RawRecord raw(byte[] value) {
        return new dev.vigil.operators.kafka.RawRecord("t", 0, 0L, 0L, null, value);
    }
}
