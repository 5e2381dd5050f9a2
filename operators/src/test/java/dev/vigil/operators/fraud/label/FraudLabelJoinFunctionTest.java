package dev.vigil.operators.fraud.label;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.label.LabelJoin;
import dev.vigil.operators.label.LabelReasons;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.ChargebackCategory;
import dev.vigil.schema.fraud.Decision;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.ReviewSource;
import dev.vigil.schema.fraud.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FraudLabelJoinFunctionTest {

    private static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final long DAY = 24 * 60 * MIN;
    private static final Duration MATURITY = Duration.ofDays(30);
    private static final long M = MATURITY.toMillis();

    private static FraudPrediction prediction(String tx, long time, Decision decision) {
        Prediction p = Prediction.newBuilder()
                .setPipeline("fraud")
                .setEntityId("acct-" + tx)
                .setEventTime(Instant.ofEpochMilli(time))
                .setIngestTime(Instant.ofEpochMilli(time))
                .setScoredAt(Instant.ofEpochMilli(time))
                .setModelName("fraud-classifier")
                .setModelVersion("3")
                .setScore(0.42)
                .setFeatures(List.of(1f, 2f))
                .setGroup(Map.of("ageBand", "25-34", "region", "URBAN"))
                .build();
        return new FraudPrediction(tx, p, decision);
    }

    private static FraudLabel chargeback(String tx, long txTime, long reportedAt, ChargebackCategory category) {
        return FraudLabel.of(new Chargeback(tx, "acct-" + tx, "card", Instant.ofEpochMilli(txTime),
                Instant.ofEpochMilli(reportedAt), 1234L, "EUR", category, "10.4"));
    }

    private static FraudLabel verdict(String tx, long txTime, long reviewedAt, Verdict verdict) {
        return FraudLabel.of(new InvestigatorFeedback(tx, "acct-" + tx, "card", Instant.ofEpochMilli(txTime),
                Instant.ofEpochMilli(reviewedAt), verdict, ReviewSource.AUDIT, "inv-1"));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, FraudPrediction, FraudLabel, LabeledExample> harness(
            FraudLabelJoinFunction fn) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), FraudPrediction::transactionId, FraudLabel::transactionId,
                Types.STRING);
        h.setProcessingTime(T0);
        return h;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, FraudPrediction, FraudLabel, LabeledExample> opened(
            FraudLabelJoinFunction fn) throws Exception {
        var h = harness(fn);
        h.open();
        return h;
    }

    private static List<DeadLetter> deadLetters(
            KeyedTwoInputStreamOperatorTestHarness<String, FraudPrediction, FraudLabel, LabeledExample> h) {
        List<DeadLetter> out = new ArrayList<>();
        if (h.getSideOutput(LabelJoin.DEAD_LETTERS) != null) {
            for (StreamRecord<DeadLetter> r : h.getSideOutput(LabelJoin.DEAD_LETTERS)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    @Test
    void aFraudChargebackAfterTheDecisionIsAPositive() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            h.processElement1(prediction("t1", T0, Decision.APPROVE), T0);
            h.processElement2(chargeback("t1", T0, T0 + 12 * DAY, ChargebackCategory.FRAUD), T0 + 12 * DAY);

            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.getLabel()).isEqualTo(1.0);
                assertThat(e.getLabelSource()).isEqualTo(LabelSource.CHARGEBACK);
                assertThat(e.getLabelEvidence()).isEqualTo("CHARGEBACK_FRAUD");
                assertThat(e.getPredictionId()).isEqualTo("t1");
                assertThat(e.getEntityId()).isEqualTo("acct-t1");
                assertThat(e.getLabelDelayMillis()).isEqualTo(12 * DAY);
                assertThat(e.getFeatures()).containsExactly(1f, 2f);
                assertThat(e.getGroup()).containsEntry("region", "URBAN");
                assertThat(e.getHorizonMillis()).isNull();
            });
            // The maturity timer only clears the key: no second example.
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M + 1));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(fn.metrics().count(FraudLabelMetrics.POSITIVE)).isEqualTo(1);
        }
    }

    @Test
    void aVerdictBeforeItsDecisionIsJoinedWhenTheDecisionArrives() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            // Out of order: the label topic is read ahead of the scored stream.
            h.processElement2(verdict("t1", T0, T0 + 30 * MIN, Verdict.LEGIT), T0 + 30 * MIN);
            h.processElement2(verdict("t2", T0, T0 + 20 * MIN, Verdict.FRAUD), T0 + 20 * MIN);
            assertThat(h.extractOutputValues()).isEmpty();

            h.processElement1(prediction("t2", T0, Decision.REVIEW), T0);
            h.processElement1(prediction("t1", T0, Decision.APPROVE), T0);

            assertThat(h.extractOutputValues())
                    .extracting(LabeledExample::getPredictionId, LabeledExample::getLabel,
                            LabeledExample::getLabelSource, LabeledExample::getLabelEvidence)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("t2", 1.0, LabelSource.INVESTIGATOR,
                                    "INVESTIGATOR_FRAUD_AUDIT"),
                            org.assertj.core.groups.Tuple.tuple("t1", 0.0, LabelSource.INVESTIGATOR,
                                    "INVESTIGATOR_LEGIT_AUDIT"));
        }
    }

    @Test
    void anUnlabelledTransactionMaturesIntoANegativeButADeclinedOneDoesNot() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            h.processElement1(prediction("approved", T0, Decision.APPROVE), T0);
            h.processElement1(prediction("reviewed", T0 + MIN, Decision.REVIEW), T0 + MIN);
            h.processElement1(prediction("declined", T0, Decision.DECLINE), T0);

            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M - 1));
            assertThat(h.extractOutputValues()).isEmpty();

            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M));
            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.getPredictionId()).isEqualTo("approved");
                assertThat(e.getLabel()).isEqualTo(0.0);
                assertThat(e.getLabelSource()).isEqualTo(LabelSource.MATURITY);
                assertThat(e.getLabelEvidence()).isEqualTo(FraudLabelJoinFunction.MATURED_EVIDENCE);
                assertThat(e.getLabelTime().toEpochMilli()).isEqualTo(T0 + M);
                assertThat(e.getHorizonMillis()).isEqualTo(M);
                assertThat(e.getLabelRecordedAt()).isNull();
            });
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M + MIN));
            assertThat(h.extractOutputValues()).extracting(LabeledExample::getPredictionId)
                    .containsExactly("approved", "reviewed");
            assertThat(fn.metrics().count(FraudLabelMetrics.MATURED)).isEqualTo(2);
            assertThat(fn.metrics().count(FraudLabelMetrics.DECLINED_UNLABELED)).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aVerdictOnADeclinedTransactionIsStillALabel() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            h.processElement1(prediction("t1", T0, Decision.DECLINE), T0);
            h.processElement2(verdict("t1", T0, T0 + 2 * MIN, Verdict.FRAUD), T0 + 2 * MIN);

            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabel).containsExactly(1.0);
        }
    }

    @Test
    void nonFraudChargebacksAndUnknownVerdictsAreCountedNotLabels() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            h.processElement1(prediction("t1", T0, Decision.APPROVE), T0);
            h.processElement2(chargeback("t1", T0, T0 + 9 * DAY, ChargebackCategory.CONSUMER_DISPUTE), T0 + 9 * DAY);
            h.processElement2(chargeback("t1", T0, T0 + 9 * DAY, ChargebackCategory.PROCESSING_ERROR), T0 + 9 * DAY);
            h.processElement2(verdict("t1", T0, T0 + 9 * DAY, Verdict.UNKNOWN), T0 + 9 * DAY);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(deadLetters(h)).isEmpty();

            // Still unlabelled: it matures into a negative.
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M));
            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabelSource)
                    .containsExactly(LabelSource.MATURITY);
            assertThat(fn.metrics().count(FraudLabelMetrics.NON_FRAUD_CHARGEBACKS)).isEqualTo(2);
            assertThat(fn.metrics().count(FraudLabelMetrics.IGNORED_LABELS)).isEqualTo(1);
        }
    }

    @Test
    void theFirstLabelWinsAndLaterOnesAreDeadLettered() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            h.processElement1(prediction("t1", T0, Decision.REVIEW), T0);
            h.processElement2(verdict("t1", T0, T0 + 5 * MIN, Verdict.LEGIT), T0 + 5 * MIN);
            FraudLabel contradicting = chargeback("t1", T0, T0 + 20 * DAY, ChargebackCategory.FRAUD);
            h.processElement2(contradicting, T0 + 20 * DAY);

            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabel).containsExactly(0.0);
            assertThat(deadLetters(h)).singleElement().satisfies(d -> {
                assertThat(d.getReason()).isEqualTo(LabelReasons.DUPLICATE_LABEL);
                assertThat(d.getPipeline()).isEqualTo("fraud");
                assertThat(d.getStage()).isEqualTo(LabelJoin.STAGE);
                assertThat(d.getOriginalValue().array()).isEqualTo(contradicting.original());
                assertThat(new String(d.getOriginalKey().array())).isEqualTo("acct-t1");
            });
            assertThat(fn.metrics().count(FraudLabelMetrics.DUPLICATE_LABELS)).isEqualTo(1);
        }
    }

    @Test
    void aLabelWithoutADecisionIsAnOrphanAtMaturityAndOneAfterMaturityIsLate() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            h.processElement2(verdict("ghost", T0, T0 + MIN, Verdict.FRAUD), T0 + MIN);
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M));
            assertThat(deadLetters(h)).extracting(DeadLetter::getReason).containsExactly(LabelReasons.ORPHAN_LABEL);

            // t1 matured (negative emitted); its chargeback comes after the deadline.
            h.processElement1(prediction("t1", T0 + DAY, Decision.APPROVE), T0 + DAY);
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + DAY + M));
            h.processElement2(chargeback("t1", T0 + DAY, T0 + DAY + M + 1, ChargebackCategory.FRAUD),
                    T0 + DAY + M + 1);

            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabel).containsExactly(0.0);
            assertThat(deadLetters(h)).extracting(DeadLetter::getReason)
                    .containsExactly(LabelReasons.ORPHAN_LABEL, FraudLabelJoinFunction.LABEL_AFTER_MATURITY);
            assertThat(fn.metrics().count(FraudLabelMetrics.ORPHAN_LABELS)).isEqualTo(1);
            assertThat(fn.metrics().count(FraudLabelMetrics.LATE_LABELS)).isEqualTo(1);
        }
    }

    @Test
    void aDecisionArrivingAfterItsMaturityMaturesAtOnceAndRepeatsAreIgnored() throws Exception {
        FraudLabelJoinFunction fn = new FraudLabelJoinFunction(MATURITY);
        try (var h = opened(fn)) {
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M + DAY));
            h.processElement1(prediction("old", T0, Decision.APPROVE), T0);
            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabelSource)
                    .containsExactly(LabelSource.MATURITY);
            assertThat(h.numKeyedStateEntries()).isZero();

            h.processElement1(prediction("t2", T0 + 2 * M, Decision.APPROVE), T0 + 2 * M);
            h.processElement1(prediction("t2", T0 + 2 * M, Decision.APPROVE), T0 + 2 * M);
            assertThat(fn.metrics().count(FraudLabelMetrics.DUPLICATE_PREDICTIONS)).isEqualTo(1);
        }
    }

    @Test
    void snapshotAndRestoreKeepWaitingDecisionsLabelsAndTimers() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = opened(new FraudLabelJoinFunction(MATURITY))) {
            h.processElement1(prediction("waiting", T0, Decision.APPROVE), T0);
            h.processElement1(prediction("labelled", T0, Decision.REVIEW), T0);
            h.processElement2(verdict("labelled", T0, T0 + MIN, Verdict.FRAUD), T0 + MIN);
            h.processElement2(chargeback("early", T0, T0 + 3 * DAY, ChargebackCategory.FRAUD), T0 + 3 * DAY);
            h.processElement1(prediction("declined", T0, Decision.DECLINE), T0);
            assertThat(h.extractOutputValues()).hasSize(1);
            snapshot = h.snapshot(1L, T0);
        }

        FraudLabelJoinFunction restored = new FraudLabelJoinFunction(MATURITY);
        try (var h = harness(restored)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement1(prediction("early", T0, Decision.APPROVE), T0);
            h.processElement2(verdict("labelled", T0, T0 + 2 * MIN, Verdict.LEGIT), T0 + 2 * MIN);
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(T0 + M));

            assertThat(h.extractOutputValues())
                    .extracting(LabeledExample::getPredictionId, LabeledExample::getLabelSource)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("early", LabelSource.CHARGEBACK),
                            org.assertj.core.groups.Tuple.tuple("waiting", LabelSource.MATURITY));
            assertThat(deadLetters(h)).extracting(DeadLetter::getReason)
                    .containsExactly(LabelReasons.DUPLICATE_LABEL);
            assertThat(restored.metrics().count(FraudLabelMetrics.DECLINED_UNLABELED)).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void inputsTravelAsPojosNotKryo() {
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(FraudLabel.class))
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(FraudPrediction.class))
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(
                        dev.vigil.operators.fraud.decision.DecidedTransaction.class))
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
    }

    @Test
    void rejectsANonPositiveMaturity() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FraudLabelJoinFunction(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
