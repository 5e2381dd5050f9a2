package dev.vigil.operators.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class FeedbackLabelJoinFunctionTest {

    private static final long T0 = Instant.parse("2026-02-01T08:00:00Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final Duration TTL = Duration.ofHours(2);
    private static final long P0 = T0;
    private static final TypeInformation<TestingFeedback> FEEDBACK = TypeInformation.of(TestingFeedback.class);

    private static Prediction prediction(String account, long time) {
        return Prediction.newBuilder()
                .setPipeline("fraud")
                .setEntityId(account)
                .setEventTime(Instant.ofEpochMilli(time))
                .setIngestTime(Instant.ofEpochMilli(time))
                .setScoredAt(Instant.ofEpochMilli(time))
                .setModelName("fraud-ftrl")
                .setModelVersion("7")
                .setScore(0.91)
                .setFeatures(List.of(0.5f, 4f))
                .setGroup(Map.of("country", "NL"))
                .build();
    }

    private static TestingFeedback feedback(Prediction p, boolean fraud, long givenAt) {
        return new TestingFeedback(
                LabelJoin.predictionId(p), LabelSource.INVESTIGATOR, fraud, givenAt, givenAt + MIN,
                fraud ? "CONFIRMED_FRAUD" : "LEGITIMATE");
    }

    private static FeedbackLabelJoinFunction<TestingFeedback> function() {
        return new FeedbackLabelJoinFunction<>("fraud", new TestingFeedback.Labels(), FEEDBACK, TTL);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Prediction, TestingFeedback, LabeledExample> harness(
            FeedbackLabelJoinFunction<TestingFeedback> fn) throws Exception {
        TestingFeedback.Labels labels = new TestingFeedback.Labels();
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn), LabelJoin::predictionId, labels::predictionId, Types.STRING);
        h.setProcessingTime(P0);
        return h;
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Prediction, TestingFeedback, LabeledExample> opened(
            FeedbackLabelJoinFunction<TestingFeedback> fn) throws Exception {
        var h = harness(fn);
        h.open();
        return h;
    }

    private static List<DeadLetter> deadLetters(
            KeyedTwoInputStreamOperatorTestHarness<String, Prediction, TestingFeedback, LabeledExample> h) {
        List<DeadLetter> out = new ArrayList<>();
        if (h.getSideOutput(LabelJoin.DEAD_LETTERS) != null) {
            for (StreamRecord<DeadLetter> r : h.getSideOutput(LabelJoin.DEAD_LETTERS)) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    @Test
    void feedbackAfterItsPredictionIsJoined() throws Exception {
        FeedbackLabelJoinFunction<TestingFeedback> fn = function();
        Prediction p = prediction("acct-1", T0);
        try (var h = opened(fn)) {
            h.processElement1(p, T0);
            h.processElement1(prediction("acct-2", T0), T0);
            h.processElement2(feedback(p, true, T0 + 45 * MIN), T0 + 45 * MIN);

            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.getPredictionId()).isEqualTo(LabelJoin.predictionId(p));
                assertThat(e.getEntityId()).isEqualTo("acct-1");
                assertThat(e.getPipeline()).isEqualTo("fraud");
                assertThat(e.getScore()).isEqualTo(0.91);
                assertThat(e.getFeatures()).containsExactly(0.5f, 4f);
                assertThat(e.getLabel()).isEqualTo(1.0);
                assertThat(e.getLabelSource()).isEqualTo(LabelSource.INVESTIGATOR);
                assertThat(e.getLabelEvidence()).isEqualTo("CONFIRMED_FRAUD");
                assertThat(e.getLabelTime()).isEqualTo(Instant.ofEpochMilli(T0 + 45 * MIN));
                assertThat(e.getLabelDelayMillis()).isEqualTo(45 * MIN);
                assertThat(e.getLabelRecordedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 46 * MIN));
                assertThat(e.getHorizonMillis()).isNull();
            });
            assertThat(fn.metrics().count(LabelJoinMetrics.JOINED)).isEqualTo(1);
            assertThat(fn.metrics().labelDelay().getStatistics().getValues()).containsExactly(45 * MIN);
        }
    }

    @Test
    void feedbackBeforeItsPredictionWaitsForIt() throws Exception {
        Prediction p = prediction("acct-1", T0);
        try (var h = opened(function())) {
            TestingFeedback f = feedback(p, false, T0 + 5 * MIN);
            f.source = LabelSource.AGENT_FEEDBACK;
            h.processElement2(f, T0 + 5 * MIN);
            assertThat(h.extractOutputValues()).isEmpty();
            h.processElement1(p, T0);
            assertThat(h.extractOutputValues()).singleElement().satisfies(e -> {
                assertThat(e.getLabel()).isEqualTo(0.0);
                assertThat(e.getLabelSource()).isEqualTo(LabelSource.AGENT_FEEDBACK);
            });
        }
    }

    @Test
    void theFirstLabelWinsAndLaterOnesAreDeadLettered() throws Exception {
        FeedbackLabelJoinFunction<TestingFeedback> fn = function();
        Prediction p = prediction("acct-1", T0);
        try (var h = opened(fn)) {
            h.processElement1(p, T0);
            h.processElement2(feedback(p, true, T0 + MIN), T0 + MIN);
            h.processElement2(feedback(p, false, T0 + 2 * MIN), T0 + 2 * MIN); // a revised decision
            h.processElement1(p, T0); // a replayed prediction

            assertThat(h.extractOutputValues()).extracting(LabeledExample::getLabel).containsExactly(1.0);
            assertThat(deadLetters(h)).singleElement().satisfies(dl -> {
                assertThat(dl.getReason()).isEqualTo(LabelReasons.DUPLICATE_LABEL);
                assertThat(dl.getPipeline()).isEqualTo("fraud");
                assertThat(dl.getStage()).isEqualTo(LabelJoin.STAGE);
                assertThat(StandardCharsets.UTF_8.decode(dl.getOriginalKey()).toString())
                        .isEqualTo(LabelJoin.predictionId(p));
            });
            assertThat(fn.metrics().count(LabelJoinMetrics.DUPLICATE_LABELS)).isEqualTo(1);
            assertThat(fn.metrics().count(LabelJoinMetrics.DUPLICATE_PREDICTIONS)).isEqualTo(1);

            // The key is forgotten after the TTL.
            h.setProcessingTime(P0 + TTL.toMillis());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(deadLetters(h)).hasSize(1);
        }
    }

    @Test
    void predictionsAndFeedbackThatNeverMeetAreDeadLetteredAfterTheTtl() throws Exception {
        FeedbackLabelJoinFunction<TestingFeedback> fn = function();
        Prediction lonely = prediction("acct-1", T0);
        try (var h = opened(fn)) {
            h.processElement1(lonely, T0);
            h.setProcessingTime(P0 + 30 * MIN);
            h.processElement2(feedback(prediction("acct-9", T0 - 1), true, T0), T0); // its prediction never comes

            h.setProcessingTime(P0 + TTL.toMillis() - 1);
            assertThat(deadLetters(h)).isEmpty();
            h.setProcessingTime(P0 + TTL.toMillis());
            assertThat(deadLetters(h)).singleElement().satisfies(dl -> {
                assertThat(dl.getReason()).isEqualTo(LabelReasons.UNLABELED);
                assertThat(dl.getPipeline()).isEqualTo("fraud");
                assertThat(StandardCharsets.UTF_8.decode(dl.getOriginalKey()).toString()).isEqualTo("acct-1");
                assertThat(dl.getOriginalValue()).isNotNull();
            });
            h.setProcessingTime(P0 + 30 * MIN + TTL.toMillis());
            assertThat(deadLetters(h)).extracting(DeadLetter::getReason)
                    .containsExactly(LabelReasons.UNLABELED, LabelReasons.ORPHAN_LABEL);
            assertThat(deadLetters(h).get(1).getOriginalValue()).isNull(); // not an Avro record
            assertThat(fn.metrics().count(LabelJoinMetrics.UNLABELED)).isEqualTo(1);
            assertThat(fn.metrics().count(LabelJoinMetrics.ORPHAN_LABELS)).isEqualTo(1);
            assertThat(h.numKeyedStateEntries()).isZero();

            // Feedback after the TTL starts over: it is an orphan, not a label of the expired prediction.
            h.processElement2(feedback(lonely, true, T0 + 3 * MIN), T0);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aWaitingPredictionSurvivesSnapshotAndRestore() throws Exception {
        Prediction p = prediction("acct-1", T0);
        OperatorSubtaskState snapshot;
        try (var h = opened(function())) {
            h.processElement1(p, T0);
            snapshot = h.snapshot(1L, P0);
        }
        try (var h = harness(function())) {
            h.initializeState(snapshot);
            h.open();
            h.processElement2(feedback(p, true, T0 + MIN), T0 + MIN);
            assertThat(h.extractOutputValues()).hasSize(1);
            h.setProcessingTime(P0 + TTL.toMillis()); // the restored timer clears the key
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(deadLetters(h)).isEmpty();
        }
    }

    @Test
    void predictionIdsAreDeterministicAndDistinct() {
        Prediction p = prediction("acct-1", T0);
        assertThat(LabelJoin.predictionId(p)).isEqualTo(LabelJoin.predictionId(prediction("acct-1", T0)));
        assertThat(LabelJoin.predictionId(p))
                .isEqualTo(LabelJoin.predictionId("fraud", "acct-1", T0, "fraud-ftrl", "7"))
                .isNotEqualTo(LabelJoin.predictionId(prediction("acct-1", T0 + 1)))
                .isNotEqualTo(LabelJoin.predictionId(prediction("acct-2", T0)))
                .isNotEqualTo(LabelJoin.predictionId("fraud", "acct-1", T0, "fraud-ftrl", "8"))
                .hasSize(36);
    }

    @Test
    void configurationAndArgumentsAreValidated() {
        assertThat(FEEDBACK).isInstanceOf(PojoTypeInfo.class);
        Configuration config = new Configuration();
        config.set(LabelOptions.TTL, Duration.ofDays(120)); // chargebacks
        assertThat(LabelJoin.byPredictionId("fraud", new TestingFeedback.Labels(), FEEDBACK, config)).isNotNull();
        config.set(LabelOptions.TTL, Duration.ofSeconds(10));
        assertThatThrownBy(() -> LabelJoin.byPredictionId("fraud", new TestingFeedback.Labels(), FEEDBACK, config))
                .hasMessageContaining("vigil.labels.ttl");
        assertThatThrownBy(() -> new FeedbackLabelJoinFunction<>("", new TestingFeedback.Labels(), FEEDBACK, TTL))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
