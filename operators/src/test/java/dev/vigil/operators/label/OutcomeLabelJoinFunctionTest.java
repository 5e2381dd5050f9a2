package dev.vigil.operators.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.OutcomeType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class OutcomeLabelJoinFunctionTest {

    private static final long T0 = Instant.parse("2026-02-01T08:00:00Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long H = 12 * HOUR;
    private static final long L = HOUR;
    private static final Duration TTL = Duration.ofHours(24);
    /** Processing time at the start of every test (a whole minute). */
    private static final long P0 = T0 + 3 * HOUR;
    private static final String P1 = "patient-001";
    private static final String P2 = "patient-002";

    private static Prediction prediction(String patient, long time) {
        return prediction(patient, time, "v1");
    }

    private static Prediction prediction(String patient, long time, String version) {
        return Prediction.newBuilder()
                .setPipeline("icu")
                .setEntityId(patient)
                .setEventTime(Instant.ofEpochMilli(time))
                .setIngestTime(Instant.ofEpochMilli(time + 1_000))
                .setScoredAt(Instant.ofEpochMilli(time + 2_000))
                .setModelName("icu-deterioration")
                .setModelVersion(version)
                .setScore(0.25 + (time % 7) / 100.0)
                .setBaselineScore(3.0)
                .setFeatures(List.of(1f, 2f, (float) (time % 1000)))
                .setGroup(Map.of("ward", "MED", "ageBand", "65-79"))
                .build();
    }

    private static ClinicalOutcome outcome(String patient, OutcomeType type, long occurredAt, long recordedAt) {
        return new ClinicalOutcome(
                patient, "enc-" + patient, type, Instant.ofEpochMilli(occurredAt), Instant.ofEpochMilli(recordedAt));
    }

    private static OutcomeLabelJoinFunction function() {
        return function(1);
    }

    private static OutcomeLabelJoinFunction function(int sampleEvery) {
        return new OutcomeLabelJoinFunction(Duration.ofMillis(H), Duration.ofMillis(L), TTL, sampleEvery);
    }

    private static OutcomeLabelJoinFunction function(LabelRelease release) {
        return new OutcomeLabelJoinFunction(Duration.ofMillis(H), Duration.ofMillis(L), TTL, 1, release);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Prediction, ClinicalOutcome, LabeledExample> harness(
            OutcomeLabelJoinFunction fn) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn),
                Prediction::getEntityId,
                ClinicalOutcome::getPatientId,
                Types.STRING);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Prediction, ClinicalOutcome, LabeledExample> opened(
            OutcomeLabelJoinFunction fn) throws Exception {
        var h = harness(fn);
        h.setProcessingTime(P0);
        h.open();
        return h;
    }

    private static void push(
            KeyedTwoInputStreamOperatorTestHarness<String, Prediction, ClinicalOutcome, LabeledExample> h,
            Prediction p)
            throws Exception {
        h.processElement1(p, p.getEventTime().toEpochMilli());
    }

    private static void push(
            KeyedTwoInputStreamOperatorTestHarness<String, Prediction, ClinicalOutcome, LabeledExample> h,
            ClinicalOutcome o)
            throws Exception {
        h.processElement2(o, o.getOccurredAt().toEpochMilli());
    }

    private static void watermark(
            KeyedTwoInputStreamOperatorTestHarness<String, Prediction, ClinicalOutcome, LabeledExample> h, long time)
            throws Exception {
        h.processBothWatermarks(new Watermark(time));
    }

    private static List<DeadLetter> deadLetters(
            KeyedTwoInputStreamOperatorTestHarness<String, Prediction, ClinicalOutcome, LabeledExample> h) {
        List<DeadLetter> out = new ArrayList<>();
        if (h.getSideOutput(LabelJoin.DEAD_LETTERS) != null) {
            for (StreamRecord<DeadLetter> r : h.getSideOutput(LabelJoin.DEAD_LETTERS)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    private static long predictionTime(LabeledExample e) {
        return e.getPredictionTime().toEpochMilli();
    }

    @Test
    void anAdverseOutcomeWithinTheHorizonLabelsPositiveAtOnce() throws Exception {
        OutcomeLabelJoinFunction fn = function();
        long o = T0 + 5 * HOUR;
        try (var h = opened(fn)) {
            Prediction first = prediction(P1, T0);
            push(h, prediction(P1, o - H - 1)); // its horizon ends 1 ms before the outcome
            push(h, prediction(P1, o - H)); // the horizon (t, t + H] is closed at t + H
            push(h, first);
            push(h, prediction(P1, T0 + HOUR));
            push(h, prediction(P2, T0)); // another patient
            assertThat(h.extractOutputValues()).isEmpty();

            push(h, outcome(P1, OutcomeType.CARDIAC_ARREST, o, o + 40 * MIN));

            List<LabeledExample> out = h.extractOutputValues();
            assertThat(out).extracting(OutcomeLabelJoinFunctionTest::predictionTime)
                    .containsExactly(o - H, T0, T0 + HOUR);
            LabeledExample e = out.get(1);
            assertThat(e.getPipeline()).isEqualTo("icu");
            assertThat(e.getEntityId()).isEqualTo(P1);
            assertThat(e.getPredictionId()).isNull();
            assertThat(e.getFeatures()).isEqualTo(first.getFeatures());
            assertThat(e.getScore()).isEqualTo(first.getScore());
            assertThat(e.getBaselineScore()).isEqualTo(3.0);
            assertThat(e.getModelName()).isEqualTo("icu-deterioration");
            assertThat(e.getModelVersion()).isEqualTo("v1");
            assertThat(e.getGroup()).containsEntry("ward", "MED").containsEntry("ageBand", "65-79");
            assertThat(e.getLabel()).isEqualTo(1.0);
            assertThat(e.getLabelSource()).isEqualTo(LabelSource.ICU_OUTCOME);
            assertThat(e.getLabelEvidence()).isEqualTo("CARDIAC_ARREST");
            assertThat(e.getLabelTime()).isEqualTo(Instant.ofEpochMilli(o));
            assertThat(e.getLabelDelayMillis()).isEqualTo(5 * HOUR);
            assertThat(e.getLabelRecordedAt()).isEqualTo(Instant.ofEpochMilli(o + 40 * MIN));
            assertThat(e.getHorizonMillis()).isEqualTo(H);
            assertThat(fn.metrics().count(LabelJoinMetrics.POSITIVE)).isEqualTo(3);
            assertThat(fn.metrics().labelDelay().getStatistics().getValues())
                    .as(LabelJoinMetrics.LABEL_DELAY_MS + " of every example emitted")
                    .containsExactlyInAnyOrder(out.stream().mapToLong(LabeledExample::getLabelDelayMillis).toArray());

            // The rest resolve negative; nothing is labelled twice.
            watermark(h, T0 + 2 * H);
            assertThat(h.extractOutputValues().subList(3, h.extractOutputValues().size()))
                    .extracting(LabeledExample::getEntityId, OutcomeLabelJoinFunctionTest::predictionTime,
                            LabeledExample::getLabel)
                    .containsExactlyInAnyOrder(
                            tuple(P1, o - H - 1, 0.0),
                            tuple(P2, T0, 0.0));
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void negativeOnceTheWatermarkPassesTheHorizonPlusAllowedLateness() throws Exception {
        OutcomeLabelJoinFunction fn = function();
        try (var h = opened(fn)) {
            push(h, prediction(P1, T0));
            push(h, prediction(P1, T0 + 10 * MIN));
            watermark(h, T0 + H + L - 1);
            assertThat(h.extractOutputValues()).isEmpty();

            watermark(h, T0 + H + L);
            List<LabeledExample> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            LabeledExample e = out.get(0);
            assertThat(e.getLabel()).isEqualTo(0.0);
            assertThat(e.getLabelEvidence()).isEqualTo(HorizonLabeler.HORIZON_ELAPSED);
            assertThat(e.getLabelTime()).isEqualTo(Instant.ofEpochMilli(T0 + H));
            assertThat(e.getLabelDelayMillis()).isEqualTo(H);
            assertThat(e.getLabelRecordedAt()).isNull();
            // Emitted by the event-time timer: its timestamp is the deadline, not behind the watermark.
            assertThat(h.getOutput())
                    .filteredOn(StreamRecord.class::isInstance)
                    .extracting(r -> ((StreamRecord<?>) r).getTimestamp())
                    .containsExactly(T0 + H + L);

            watermark(h, T0 + 2 * H);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(fn.metrics().count(LabelJoinMetrics.NEGATIVE)).isEqualTo(2);
            assertThat(h.numKeyedStateEntries()).isZero(); // index and pending entries are gone
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void aLateOutcomeWithinTheAllowedLatenessIsHonoured() throws Exception {
        OutcomeLabelJoinFunction fn = function();
        try (var h = opened(fn)) {
            push(h, prediction(P1, T0));
            push(h, prediction(P2, T0));
            watermark(h, T0 + H + 30 * MIN); // past both horizons, within the lateness

            // Occurred at T0 + 11 h, documented 2 h later: 1.5 h behind the watermark.
            push(h, outcome(P1, OutcomeType.ICU_TRANSFER, T0 + 11 * HOUR, T0 + 13 * HOUR));
            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.getEntityId()).isEqualTo(P1);
                assertThat(e.getLabel()).isEqualTo(1.0);
                assertThat(e.getLabelTime()).isEqualTo(Instant.ofEpochMilli(T0 + 11 * HOUR));
                assertThat(e.getLabelRecordedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 13 * HOUR));
            });
            assertThat(fn.metrics().count(LabelJoinMetrics.LATE_LABELS)).isEqualTo(1);

            watermark(h, T0 + H + L);
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(h.extractOutputValues().get(1).getEntityId()).isEqualTo(P2);
            assertThat(h.extractOutputValues().get(1).getLabel()).isEqualTo(0.0);

            // Beyond the lateness a negative stays negative.
            push(h, outcome(P2, OutcomeType.DEATH, T0 + 11 * HOUR, T0 + 14 * HOUR));
            assertThat(h.extractOutputValues()).hasSize(2);
            assertThat(fn.metrics().count(LabelJoinMetrics.LATE_LABELS)).isEqualTo(2);
        }
    }

    @Test
    void anOutOfOrderOutcomeLabelsOnlyThePredictionsBeforeIt() throws Exception {
        try (var h = opened(function())) {
            push(h, prediction(P1, T0));
            push(h, prediction(P1, T0 + 2 * HOUR));
            push(h, prediction(P1, T0 + 4 * HOUR));
            watermark(h, T0 + 3 * HOUR);

            // Arrives after the later predictions; occurred between the first two.
            push(h, outcome(P1, OutcomeType.RAPID_RESPONSE, T0 + HOUR, T0 + 5 * HOUR));
            assertThat(h.extractOutputValues())
                    .extracting(OutcomeLabelJoinFunctionTest::predictionTime, LabeledExample::getLabel)
                    .containsExactly(tuple(T0, 1.0));

            watermark(h, T0 + 4 * HOUR + H + L);
            assertThat(h.extractOutputValues())
                    .extracting(OutcomeLabelJoinFunctionTest::predictionTime, LabeledExample::getLabel)
                    .containsExactly(
                            tuple(T0, 1.0),
                            tuple(T0 + 2 * HOUR, 0.0),
                            tuple(T0 + 4 * HOUR, 0.0));
        }
    }

    @Test
    void anOutcomeAtOrBeforeThePredictionDoesNotLabelIt() throws Exception {
        try (var h = opened(function())) {
            push(h, outcome(P1, OutcomeType.ICU_TRANSFER, T0, T0 + MIN));
            push(h, prediction(P1, T0)); // same instant: not after the prediction
            push(h, prediction(P1, T0 + HOUR));
            assertThat(h.extractOutputValues()).isEmpty();

            watermark(h, T0 + HOUR + H + L);
            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabel).containsExactly(0.0, 0.0);
        }
    }

    @Test
    void aPredictionArrivingAfterAnOutcomeInItsHorizonIsPositiveAtOnce() throws Exception {
        try (var h = opened(function())) {
            // The outcome stream is ahead of the (slower) prediction stream.
            push(h, outcome(P1, OutcomeType.DEATH, T0 + 3 * HOUR, T0 + 4 * HOUR));
            push(h, prediction(P1, T0 + HOUR));
            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.getLabel()).isEqualTo(1.0);
                assertThat(e.getLabelEvidence()).isEqualTo("DEATH");
                assertThat(e.getLabelDelayMillis()).isEqualTo(2 * HOUR);
            });
        }
    }

    @Test
    void aDischargeClosesTheHorizonsThatReachBeyondIt() throws Exception {
        long d = T0 + 4 * HOUR;
        try (var h = opened(function())) {
            push(h, prediction(P1, T0 - 10 * HOUR)); // horizon ends before the discharge
            push(h, prediction(P1, T0));
            push(h, prediction(P1, T0 + 2 * HOUR, "v1"));
            push(h, prediction(P1, T0 + 2 * HOUR, "v2")); // a second model at the same instant
            push(h, outcome(P1, OutcomeType.DISCHARGE, d, d + 10 * MIN));
            // An adverse outcome after the discharge does not belong to this encounter.
            push(h, outcome(P1, OutcomeType.RAPID_RESPONSE, d + 30 * MIN, d + HOUR));
            assertThat(h.extractOutputValues()).isEmpty();

            watermark(h, d + L - 1);
            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabelEvidence)
                    .containsExactly(HorizonLabeler.HORIZON_ELAPSED);

            watermark(h, d + L);
            List<LabeledExample> out = h.extractOutputValues();
            assertThat(out).hasSize(4);
            assertThat(out.subList(1, 4))
                    .extracting(
                            OutcomeLabelJoinFunctionTest::predictionTime,
                            LabeledExample::getModelVersion,
                            LabeledExample::getLabel,
                            LabeledExample::getLabelEvidence,
                            LabeledExample::getLabelDelayMillis)
                    .containsExactly(
                            tuple(T0, "v1", 0.0, "DISCHARGE", 4 * HOUR),
                            tuple(T0 + 2 * HOUR, "v1", 0.0, "DISCHARGE", 2 * HOUR),
                            tuple(T0 + 2 * HOUR, "v2", 0.0, "DISCHARGE", 2 * HOUR));
            assertThat(out.get(1).getLabelTime()).isEqualTo(Instant.ofEpochMilli(d));

            // A later encounter of the same patient is not affected by the discharge.
            push(h, prediction(P1, d + 2 * HOUR));
            watermark(h, d + 2 * HOUR + H + L);
            assertThat(h.extractOutputValues()).hasSize(5);
            assertThat(h.extractOutputValues().get(4).getLabelEvidence()).isEqualTo(HorizonLabeler.HORIZON_ELAPSED);
        }
    }

    @Test
    void anAdverseOutcomeBeforeTheDischargeStillMakesItPositive() throws Exception {
        try (var h = opened(function())) {
            push(h, prediction(P1, T0));
            push(h, outcome(P1, OutcomeType.DISCHARGE, T0 + 4 * HOUR, T0 + 4 * HOUR));
            push(h, outcome(P1, OutcomeType.ICU_TRANSFER, T0 + 3 * HOUR, T0 + 6 * HOUR)); // documented later
            watermark(h, T0 + 2 * H);
            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabel, LabeledExample::getLabelEvidence)
                    .containsExactly(tuple(1.0, "ICU_TRANSFER"));
        }
    }

    @Test
    void labelsThatNeverComeExpireAsUnlabeledDeadLetters() throws Exception {
        OutcomeLabelJoinFunction fn = function();
        try (var h = opened(fn)) {
            Prediction first = prediction(P1, T0);
            push(h, first);
            h.setProcessingTime(P0 + 10 * MIN);
            push(h, prediction(P1, T0 + HOUR));
            push(h, outcome(P1, OutcomeType.UNKNOWN, T0 + 2 * HOUR, T0 + 2 * HOUR)); // carries no label
            // No outcome, no discharge, and the watermark never moves.

            h.setProcessingTime(P0 + TTL.toMillis() - 1);
            assertThat(deadLetters(h)).isEmpty();

            h.setProcessingTime(P0 + TTL.toMillis());
            List<DeadLetter> dlq = deadLetters(h);
            assertThat(dlq).hasSize(1);
            DeadLetter dl = dlq.get(0);
            assertThat(dl.getPipeline()).isEqualTo("icu");
            assertThat(dl.getStage()).isEqualTo(LabelJoin.STAGE);
            assertThat(dl.getReason()).isEqualTo(LabelReasons.UNLABELED);
            assertThat(dl.getDetail()).contains("vigil.labels.ttl").doesNotContain(P1);
            assertThat(dl.getRejectedAt()).isEqualTo(Instant.ofEpochMilli(P0 + TTL.toMillis()));
            assertThat(StandardCharsets.UTF_8.decode(dl.getOriginalKey()).toString()).isEqualTo(P1);
            byte[] value = new byte[dl.getOriginalValue().remaining()];
            dl.getOriginalValue().get(value);
            assertThat(new SpecificDatumReader<>(Prediction.class)
                            .read(null, DecoderFactory.get().binaryDecoder(value, null)))
                    .isEqualTo(first);
            assertThat(fn.metrics().count(LabelJoinMetrics.UNLABELED)).isEqualTo(1);

            h.setProcessingTime(P0 + 10 * MIN + TTL.toMillis());
            assertThat(deadLetters(h)).hasSize(2);
            assertThat(fn.metrics().count(LabelJoinMetrics.UNLABELED)).isEqualTo(2);
            assertThat(fn.metrics().count(LabelJoinMetrics.IGNORED_LABELS)).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isZero();

            // Expired predictions are gone: a watermark that finally moves labels nothing.
            watermark(h, T0 + 2 * H);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aPredictionBeyondTheAllowedLatenessIsDeadLettered() throws Exception {
        OutcomeLabelJoinFunction fn = function();
        try (var h = opened(fn)) {
            watermark(h, T0 + 5 * HOUR);
            push(h, prediction(P1, T0 + 4 * HOUR - 1));
            push(h, prediction(P1, T0 + 4 * HOUR)); // exactly the allowed lateness behind: kept
            assertThat(deadLetters(h)).singleElement().satisfies(dl ->
                    assertThat(dl.getReason()).isEqualTo(LabelReasons.PREDICTION_LATE));
            assertThat(fn.metrics().count(LabelJoinMetrics.LATE_PREDICTIONS)).isEqualTo(1);
            watermark(h, T0 + 4 * HOUR + H + L);
            assertThat(h.extractOutputValues()).singleElement()
                    .satisfies(e -> assertThat(predictionTime(e)).isEqualTo(T0 + 4 * HOUR));
        }
    }

    @Test
    void sampleEveryKeepsEveryNthPredictionPerPatient() throws Exception {
        OutcomeLabelJoinFunction fn = function(3);
        try (var h = opened(fn)) {
            for (int i = 0; i < 7; i++) {
                push(h, prediction(P1, T0 + i * MIN));
                push(h, prediction(P2, T0 + i * MIN));
            }
            watermark(h, T0 + 2 * H);
            assertThat(h.extractOutputValues())
                    .filteredOn(e -> e.getEntityId().equals(P1))
                    .extracting(OutcomeLabelJoinFunctionTest::predictionTime)
                    .containsExactly(T0, T0 + 3 * MIN, T0 + 6 * MIN);
            assertThat(h.extractOutputValues()).hasSize(6);
            assertThat(fn.metrics().count(LabelJoinMetrics.SAMPLED_OUT)).isEqualTo(8);
        }
    }

    @Test
    void snapshotAndRestoreKeepPendingPredictionsAndTimersAndGiveIdenticalOutputs() throws Exception {
        List<Object> before =
                List.of(
                        prediction(P1, T0),
                        prediction(P1, T0 + HOUR),
                        prediction(P1, T0 + 3 * HOUR),
                        prediction(P2, T0 + 30 * MIN),
                        prediction(P2, T0 + 2 * HOUR),
                        outcome(P2, OutcomeType.DISCHARGE, T0 + 5 * HOUR, T0 + 5 * HOUR),
                        outcome(P1, OutcomeType.RAPID_RESPONSE, T0 + 14 * HOUR, T0 + 15 * HOUR),
                        new Watermark(T0 + 2 * HOUR));
        List<Object> after =
                List.of(
                        outcome(P1, OutcomeType.CARDIAC_ARREST, T0 + 2 * HOUR, T0 + 6 * HOUR), // out of order
                        prediction(P1, T0 + 4 * HOUR), // positive at once: the remembered rapid response
                        prediction("patient-003", T0 + 4 * HOUR),
                        new Watermark(T0 + 6 * HOUR), // P2's discharge negatives
                        prediction(P1, T0 + 15 * HOUR),
                        prediction("patient-004", T0 + 16 * HOUR),
                        new Watermark(T0 + 4 * HOUR + H + L), // patient-003's horizon negative
                        P0 + TTL.toMillis()); // P1's and patient-004's last: never labelled

        OperatorSubtaskState snapshot;
        List<LabeledExample> expected;
        List<DeadLetter> expectedDlq;
        try (var original = opened(function())) {
            replay(original, before);
            snapshot = original.snapshot(1L, P0);
            int n = original.extractOutputValues().size();
            replay(original, after);
            List<LabeledExample> all = original.extractOutputValues();
            expected = new ArrayList<>(all.subList(n, all.size()));
            expectedDlq = deadLetters(original);
        }
        assertThat(expected).hasSize(6);
        assertThat(expected).extracting(LabeledExample::getLabel).contains(0.0, 1.0);
        assertThat(expectedDlq).hasSize(2).extracting(DeadLetter::getReason).containsOnly(LabelReasons.UNLABELED);

        try (var restored = harness(function())) {
            restored.setProcessingTime(P0);
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numEventTimeTimers()).isPositive();
            assertThat(restored.numProcessingTimeTimers()).isPositive();
            replay(restored, after);
            assertThat(restored.extractOutputValues()).isEqualTo(expected);
            assertThat(deadLetters(restored)).isEqualTo(expectedDlq);
        }
    }

    @Test
    void atHorizonHoldsAPositiveUntilTheWatermarkPassesTheEndOfItsWindowPlusLateness() throws Exception {
        OutcomeLabelJoinFunction fn = function(LabelRelease.AT_HORIZON);
        assertThat(fn.release()).isEqualTo(LabelRelease.AT_HORIZON);
        long o = T0 + 5 * HOUR;
        long d = T0 + 4 * HOUR;
        try (var h = opened(fn)) {
            push(h, prediction(P1, T0));
            push(h, prediction(P1, T0 + HOUR));
            push(h, prediction(P2, T0));
            push(h, outcome(P1, OutcomeType.CARDIAC_ARREST, o, o + 40 * MIN));
            push(h, outcome(P2, OutcomeType.RAPID_RESPONSE, T0 + 2 * HOUR, T0 + 3 * HOUR));
            push(h, outcome(P2, OutcomeType.DISCHARGE, d, d)); // end(t) of P2's prediction = d
            assertThat(h.extractOutputValues()).isEmpty(); // decided, but held
            assertThat(fn.metrics().count(LabelJoinMetrics.POSITIVE)).isZero();

            watermark(h, d + L - 1);
            assertThat(h.extractOutputValues()).isEmpty();
            watermark(h, d + L);
            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.getEntityId()).isEqualTo(P2);
                assertThat(e.getLabel()).isEqualTo(1.0);
                assertThat(e.getLabelEvidence()).isEqualTo("RAPID_RESPONSE");
                assertThat(e.getLabelTime()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * HOUR));
                assertThat(e.getLabelDelayMillis()).isEqualTo(2 * HOUR);
            });

            watermark(h, T0 + H + L - 1);
            assertThat(h.extractOutputValues()).hasSize(1);
            watermark(h, T0 + H + L);
            List<LabeledExample> out = h.extractOutputValues();
            assertThat(out).hasSize(2);
            LabeledExample e = out.get(1);
            assertThat(e.getEntityId()).isEqualTo(P1);
            assertThat(predictionTime(e)).isEqualTo(T0);
            assertThat(e.getLabel()).isEqualTo(1.0);
            assertThat(e.getLabelEvidence()).isEqualTo("CARDIAC_ARREST");
            // The label time stays the outcome time; only the release waits for the horizon.
            assertThat(e.getLabelTime()).isEqualTo(Instant.ofEpochMilli(o));
            assertThat(e.getLabelDelayMillis()).isEqualTo(5 * HOUR);
            assertThat(e.getLabelRecordedAt()).isEqualTo(Instant.ofEpochMilli(o + 40 * MIN));
            assertThat(e.getHorizonMillis()).isEqualTo(H);
            assertThat(h.getOutput())
                    .filteredOn(StreamRecord.class::isInstance)
                    .extracting(r -> ((StreamRecord<?>) r).getTimestamp())
                    .containsExactly(d + L, T0 + H + L);

            watermark(h, T0 + HOUR + H + L);
            assertThat(h.extractOutputValues()).hasSize(3);
            assertThat(h.extractOutputValues().get(2).getLabel()).isEqualTo(1.0);
            assertThat(fn.metrics().count(LabelJoinMetrics.POSITIVE)).isEqualTo(3);
            assertThat(fn.metrics().count(LabelJoinMetrics.NEGATIVE)).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void atHorizonPositivesAndNegativesLeaveInPredictionTimeOrder() throws Exception {
        List<Object> inputs =
                List.of(
                        prediction(P1, T0),
                        prediction(P1, T0 + HOUR),
                        prediction(P1, T0 + 2 * HOUR),
                        prediction(P1, T0 + 3 * HOUR),
                        prediction(P1, T0 + 4 * HOUR),
                        outcome(P1, OutcomeType.ICU_TRANSFER, T0 + 2 * HOUR + 30 * MIN, T0 + 3 * HOUR),
                        prediction(P1, T0 + 30 * MIN), // after the remembered outcome: decided at once, held
                        new Watermark(T0 + 3 * HOUR + H + L),
                        new Watermark(T0 + 2 * H));
        try (var h = opened(function(LabelRelease.AT_HORIZON))) {
            replay(h, inputs);
            assertThat(h.extractOutputValues())
                    .extracting(OutcomeLabelJoinFunctionTest::predictionTime, LabeledExample::getLabel)
                    .containsExactly(
                            tuple(T0, 1.0),
                            tuple(T0 + 30 * MIN, 1.0),
                            tuple(T0 + HOUR, 1.0),
                            tuple(T0 + 2 * HOUR, 1.0),
                            tuple(T0 + 3 * HOUR, 0.0),
                            tuple(T0 + 4 * HOUR, 0.0));
            assertThat(h.extractOutputValues())
                    .extracting(LabeledExample::getLabelTime)
                    .startsWith(Instant.ofEpochMilli(T0 + 2 * HOUR + 30 * MIN));
            // Every example leaves with the timer at end(t) + L of its own prediction.
            assertThat(h.getOutput())
                    .filteredOn(StreamRecord.class::isInstance)
                    .extracting(r -> ((StreamRecord<?>) r).getTimestamp())
                    .containsExactly(
                            T0 + H + L,
                            T0 + 30 * MIN + H + L,
                            T0 + HOUR + H + L,
                            T0 + 2 * HOUR + H + L,
                            T0 + 3 * HOUR + H + L,
                            T0 + 4 * HOUR + H + L);
        }
        // Today's behaviour (the default): the positives leave first, on arrival.
        try (var h = opened(function())) {
            replay(h, inputs);
            assertThat(h.extractOutputValues())
                    .extracting(OutcomeLabelJoinFunctionTest::predictionTime)
                    .containsExactly(
                            T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 30 * MIN, T0 + 3 * HOUR, T0 + 4 * HOUR);
        }
    }

    @Test
    void atHorizonHeldPositivesSurviveSnapshotAndRestore() throws Exception {
        List<Object> before =
                List.of(
                        prediction(P1, T0),
                        prediction(P1, T0 + HOUR),
                        prediction(P2, T0 + 30 * MIN),
                        outcome(P1, OutcomeType.CARDIAC_ARREST, T0 + 3 * HOUR, T0 + 4 * HOUR),
                        outcome(P2, OutcomeType.DEATH, T0 + 2 * HOUR, T0 + 2 * HOUR),
                        new Watermark(T0 + 2 * HOUR + 30 * MIN));
        List<Object> after =
                List.of(
                        prediction(P1, T0 + 2 * HOUR), // held at once: the remembered cardiac arrest
                        prediction(P1, T0 + 5 * HOUR),
                        new Watermark(T0 + H + L),
                        new Watermark(T0 + 2 * H));

        OperatorSubtaskState snapshot;
        List<LabeledExample> expected;
        try (var original = opened(function(LabelRelease.AT_HORIZON))) {
            replay(original, before);
            assertThat(original.extractOutputValues()).isEmpty(); // three positives held
            snapshot = original.snapshot(1L, P0);
            replay(original, after);
            expected = original.extractOutputValues();
        }
        assertThat(expected)
                .extracting(LabeledExample::getEntityId, OutcomeLabelJoinFunctionTest::predictionTime,
                        LabeledExample::getLabel, LabeledExample::getLabelEvidence)
                .containsExactly(
                        tuple(P1, T0, 1.0, "CARDIAC_ARREST"),
                        tuple(P2, T0 + 30 * MIN, 1.0, "DEATH"),
                        tuple(P1, T0 + HOUR, 1.0, "CARDIAC_ARREST"),
                        tuple(P1, T0 + 2 * HOUR, 1.0, "CARDIAC_ARREST"),
                        tuple(P1, T0 + 5 * HOUR, 0.0, HorizonLabeler.HORIZON_ELAPSED));

        try (var restored = harness(function(LabelRelease.AT_HORIZON))) {
            restored.setProcessingTime(P0);
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numEventTimeTimers()).isPositive();
            replay(restored, after);
            assertThat(restored.extractOutputValues()).isEqualTo(expected);
            assertThat(deadLetters(restored)).isEmpty();
        }
    }

    @Test
    void atHorizonHeldPositivesAreReleasedAtExpiryWhenTheWatermarkStalls() throws Exception {
        OutcomeLabelJoinFunction fn = function(LabelRelease.AT_HORIZON);
        try (var h = opened(fn)) {
            push(h, prediction(P1, T0));
            push(h, prediction(P1, T0 + 6 * HOUR));
            push(h, outcome(P1, OutcomeType.DEATH, T0 + 3 * HOUR, T0 + 3 * HOUR));
            h.setProcessingTime(P0 + TTL.toMillis());
            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(predictionTime(e)).isEqualTo(T0);
                assertThat(e.getLabel()).isEqualTo(1.0);
            });
            assertThat(deadLetters(h)).singleElement()
                    .satisfies(dl -> assertThat(dl.getReason()).isEqualTo(LabelReasons.UNLABELED));
        }
    }

    private static void replay(
            KeyedTwoInputStreamOperatorTestHarness<String, Prediction, ClinicalOutcome, LabeledExample> h,
            List<Object> inputs)
            throws Exception {
        for (Object in : inputs) {
            if (in instanceof Prediction) {
                push(h, (Prediction) in);
            } else if (in instanceof ClinicalOutcome) {
                push(h, (ClinicalOutcome) in);
            } else if (in instanceof Watermark) {
                h.processBothWatermarks((Watermark) in);
            } else {
                h.setProcessingTime((Long) in);
            }
        }
    }

    @Test
    void stateTypesAreNotGeneric() throws Exception {
        TypeInformation<HorizonState> type = OutcomeLabelJoinFunction.indexStateType();
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        assertThat(LabelJoin.outputType()).isInstanceOf(AvroTypeInfo.class);
        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false); // creating a Kryo serializer would now throw

        HorizonLabeler labeler = new HorizonLabeler(Duration.ofMillis(H), Duration.ofMillis(L), 1, "DISCHARGE");
        HorizonState state = new HorizonState();
        Resolutions out = new Resolutions();
        labeler.admit(state, T0, 5, Long.MIN_VALUE, out);
        labeler.admit(state, T0 + HOUR, 6, Long.MIN_VALUE, out);
        labeler.onEvent(state, T0 - HOUR, T0, "DEATH", Long.MIN_VALUE, out);
        labeler.onClose(state, T0 + 20 * HOUR, Long.MIN_VALUE, out);
        assertThat(roundTrip(type.createSerializer(noGenerics), state)).isEqualTo(state);

        List<Prediction> bucket = List.of(prediction(P1, T0), prediction(P1, T0, "v2"));
        assertThat(roundTrip(OutcomeLabelJoinFunction.pendingStateType().createSerializer(noGenerics), bucket))
                .isEqualTo(bucket);
    }

    @Test
    void optionsAreValidated() {
        Configuration config = new Configuration();
        assertThat(LabelOptions.horizon(config)).isEqualTo(Duration.ofHours(12));
        assertThat(LabelOptions.allowedLateness(config)).isEqualTo(Duration.ofHours(1));
        assertThat(LabelOptions.ttl(config)).isEqualTo(Duration.ofHours(24));
        assertThat(LabelOptions.sampleEvery(config)).isEqualTo(1);
        assertThat(config.get(LabelOptions.RELEASE)).isEqualTo(LabelRelease.IMMEDIATE);
        assertThat(LabelJoin.icuOutcomes(config).release()).isEqualTo(LabelRelease.IMMEDIATE);
        Configuration atHorizon = Configuration.fromMap(Map.of("vigil.labels.release", "AT_HORIZON"));
        assertThat(LabelJoin.icuOutcomes(atHorizon).release()).isEqualTo(LabelRelease.AT_HORIZON);

        config.set(LabelOptions.SAMPLE_EVERY, 0);
        assertThatThrownBy(() -> LabelOptions.sampleEvery(config)).hasMessageContaining("vigil.labels.sample-every");
        config.set(LabelOptions.SAMPLE_EVERY, 4);
        config.set(LabelOptions.TTL, Duration.ofHours(13));
        assertThatThrownBy(() -> LabelJoin.icuOutcomes(config)).hasMessageContaining("vigil.labels.ttl");
        config.set(LabelOptions.ALLOWED_LATENESS, Duration.ofMinutes(-1));
        assertThatThrownBy(() -> LabelOptions.allowedLateness(config))
                .hasMessageContaining("vigil.labels.allowed-lateness");
        config.set(LabelOptions.HORIZON, Duration.ZERO);
        assertThatThrownBy(() -> LabelOptions.horizon(config)).hasMessageContaining("vigil.labels.horizon");
        assertThatThrownBy(() -> new OutcomeLabelJoinFunction(
                        Duration.ofHours(12), Duration.ofHours(1), Duration.ofHours(13), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
