package dev.vigil.operators.retrain;

import static dev.vigil.operators.retrain.TestingRetrainInputs.HOUR;
import static dev.vigil.operators.retrain.TestingRetrainInputs.MODEL;
import static dev.vigil.operators.retrain.TestingRetrainInputs.drift;
import static dev.vigil.operators.retrain.TestingRetrainInputs.example;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.RetrainReason;
import dev.vigil.schema.monitor.RetrainRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class RetrainTriggerFunctionTest {

    private static final RetrainSettings SETTINGS = RetrainSettings.builder().window(Duration.ofHours(1))
            .minLabelled(4).cooldown(Duration.ofHours(3)).metric(RetrainSettings.Metric.LOG_LOSS, 0.5).build();

    private static KeyedTwoInputStreamOperatorTestHarness<String, LabeledExample, DriftEvent, RetrainRequest> harness()
            throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new RetrainTriggerFunction(SETTINGS)),
                e -> e.getModelName().toString(), d -> d.getModelName().toString(), Types.STRING);
    }

    /** Four examples of hour {@code hour} (scores 0.9/0.1, or 0.5 when not {@code good}). */
    private static void fill(KeyedTwoInputStreamOperatorTestHarness<String, LabeledExample, DriftEvent, RetrainRequest> h,
            int hour, boolean good) throws Exception {
        for (int i = 0; i < 4; i++) {
            double label = i % 2;
            double score = good ? (label == 1 ? 0.9 : 0.1) : 0.5;
            long t = hour * HOUR + i * 60_000L;
            h.processElement1(example(t, "1", score, label), t);
        }
    }

    /** The inputs of the scenario from hour {@code from} to hour {@code to} (exclusive), watermark after each hour. */
    private static void scenario(
            KeyedTwoInputStreamOperatorTestHarness<String, LabeledExample, DriftEvent, RetrainRequest> h, int from,
            int to) throws Exception {
        for (int hour = from; hour < to; hour++) {
            fill(h, hour, hour != 6);                                      // hour 6: the model got worse
            if (hour == 2 || hour == 3) {
                h.processElement2(drift(hour * HOUR + 30 * 60_000L), hour * HOUR + 30 * 60_000L);
            }
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark((hour + 1) * HOUR - 1));
        }
    }

    private static List<String> summary(List<RetrainRequest> requests) {
        List<String> out = new ArrayList<>();
        for (RetrainRequest r : requests) {
            out.add(r.getWindowEnd().toEpochMilli() / HOUR + "h " + r.getReasons());
        }
        return out;
    }

    @Test
    void emitsRequestsAtWindowEndsWithTheCooldown() throws Exception {
        try (var h = harness()) {
            h.open();
            scenario(h, 0, 9);

            List<RetrainRequest> requests = h.extractOutputValues();
            // drift in hour 2: request at 3 h; drift in hour 3 within the cooldown: dropped; metric drop in hour 6
            assertThat(summary(requests)).containsExactly("3h [DRIFT]", "7h [METRIC_DROP]");
            assertThat(requests.get(0).getRequestId()).isEqualTo(RetrainTrigger.requestId(MODEL, 2 * HOUR, 3 * HOUR));
            assertThat(requests.get(1).getWindowStart()).isEqualTo(Instant.ofEpochMilli(6 * HOUR));
            assertThat(requests.get(1).getBaselineValue()).isEqualTo(-Math.log(0.9), org.assertj.core.api.Assertions
                    .within(1e-12));
        }
    }

    @Test
    void aRestoredOperatorContinuesAsIfNothingHappened() throws Exception {
        List<RetrainRequest> uninterrupted;
        try (var h = harness()) {
            h.open();
            scenario(h, 0, 9);
            uninterrupted = h.extractOutputValues();
        }

        List<RetrainRequest> before;
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            scenario(h, 0, 3);
            // half of hour 3 (with its drift, within the cooldown) before the snapshot
            fill(h, 3, true);
            h.processElement2(drift(3 * HOUR + 30 * 60_000L), 3 * HOUR + 30 * 60_000L);
            snapshot = h.snapshot(1L, 0L);
            before = h.extractOutputValues();
        }
        List<RetrainRequest> after;
        try (var h = harness()) {
            h.setup();
            h.initializeState(snapshot);
            h.open();
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(4 * HOUR - 1));
            scenario(h, 4, 9);
            after = h.extractOutputValues();
        }

        List<RetrainRequest> all = new ArrayList<>(before);
        all.addAll(after);
        assertThat(all).isEqualTo(uninterrupted);
        assertThat(before).hasSize(1);
        assertThat(after).singleElement().satisfies(r ->
                assertThat(r.getReasons()).containsExactly(RetrainReason.METRIC_DROP));
    }

    @Test
    void lateExamplesAreDroppedAndTheStateIsCleanedUp() throws Exception {
        try (var h = harness()) {
            h.open();
            fill(h, 0, true);
            h.processBothWatermarks(new org.apache.flink.streaming.api.watermark.Watermark(2 * HOUR));
            h.processElement1(example(HOUR + 1, "1", 0.5, 1), HOUR + 1); // its window closed at 2 h
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }
}
