package dev.vigil.operators.label;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.label.HorizonLabeler.Admission;
import dev.vigil.operators.label.Resolutions.Kind;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HorizonLabelerTest {

    private static final long T0 = Instant.parse("2026-02-01T08:00:00Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long H = 12 * HOUR;
    private static final long L = HOUR;
    private static final long NO_WATERMARK = Long.MIN_VALUE;

    private final HorizonLabeler labeler =
            new HorizonLabeler(Duration.ofMillis(H), Duration.ofMillis(L), 1, "DISCHARGE");
    private final HorizonState state = new HorizonState();
    private final Resolutions out = new Resolutions();

    private void pending(long... times) {
        for (long t : times) {
            assertThat(labeler.admit(state, t, 0, NO_WATERMARK, out)).isEqualTo(Admission.PENDING);
        }
    }

    @Test
    void anEventLabelsThePredictionsWhoseHorizonContainsIt() {
        long o = T0 + 5 * HOUR;
        pending(o - H - 1, o - H, T0, o - 1, o, o + HOUR);

        long timer = labeler.onEvent(state, o, o + 30 * MIN, "CARDIAC_ARREST", NO_WATERMARK, out);

        // (t, t + H] contains o exactly for t in [o - H, o).
        assertThat(out.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(out.kind(i)).isEqualTo(Kind.POSITIVE);
            assertThat(out.label(i)).isEqualTo(1.0);
            assertThat(out.labelTime(i)).isEqualTo(o);
            assertThat(out.recordedAt(i)).isEqualTo(o + 30 * MIN);
            assertThat(out.evidence(i)).isEqualTo("CARDIAC_ARREST");
        }
        assertThat(new long[] {out.predictionTime(0), out.predictionTime(1), out.predictionTime(2)})
                .containsExactly(o - H, T0, o - 1);
        assertThat(state.pendingCount()).isEqualTo(3);
        assertThat(new long[] {state.pendingTime(0), state.pendingTime(1), state.pendingTime(2)})
                .containsExactly(o - H - 1, o, o + HOUR);
        assertThat(timer).isEqualTo(o + L);
        assertThat(state.eventCount()).isEqualTo(1);
    }

    @Test
    void negativesAreDecidedWhenEventTimePassesTheHorizonPlusLateness() {
        pending(T0, T0 + HOUR);
        assertThat(labeler.deadline(state, T0)).isEqualTo(T0 + H + L);

        labeler.advance(state, T0 + H + L - 1, out);
        assertThat(out.isEmpty()).isTrue();

        labeler.advance(state, T0 + H + L, out);
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.kind(0)).isEqualTo(Kind.NEGATIVE);
        assertThat(out.label(0)).isEqualTo(0.0);
        assertThat(out.labelTime(0)).isEqualTo(T0 + H);
        assertThat(out.recordedAt(0)).isEqualTo(Resolutions.NOT_RECORDED);
        assertThat(out.evidence(0)).isEqualTo(HorizonLabeler.HORIZON_ELAPSED);
        assertThat(state.pendingCount()).isEqualTo(1);
    }

    @Test
    void aPredictionAfterARememberedEventIsPositiveAtOnceWithTheEarliestEvent() {
        labeler.onEvent(state, T0 + 3 * HOUR, T0 + 4 * HOUR, "DEATH", NO_WATERMARK, out);
        labeler.onEvent(state, T0 + 2 * HOUR, T0 + 5 * HOUR, "ICU_TRANSFER", NO_WATERMARK, out);

        assertThat(labeler.admit(state, T0, 0, NO_WATERMARK, out)).isEqualTo(Admission.POSITIVE);
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.labelTime(0)).isEqualTo(T0 + 2 * HOUR);
        assertThat(out.evidence(0)).isEqualTo("ICU_TRANSFER");
        assertThat(out.recordedAt(0)).isEqualTo(T0 + 5 * HOUR);

        // An event at or before t does not label a prediction at t.
        assertThat(labeler.admit(state, T0 + 3 * HOUR, 0, NO_WATERMARK, out)).isEqualTo(Admission.PENDING);
        assertThat(out.isEmpty()).isTrue();
    }

    @Test
    void aCloseEndsTheWindowAndItsNegativesComeAtCloseTimePlusLateness() {
        long d = T0 + 4 * HOUR;
        pending(T0 - 10 * HOUR, T0, d, d + HOUR);

        long timer = labeler.onClose(state, d, NO_WATERMARK, out);
        assertThat(out.isEmpty()).isTrue();
        assertThat(timer).isEqualTo(d + L);
        assertThat(labeler.windowEnd(state, T0 - 10 * HOUR)).isEqualTo(T0 + 2 * HOUR); // horizon before the close
        assertThat(labeler.windowEnd(state, T0)).isEqualTo(d);
        assertThat(labeler.windowEnd(state, d)).isEqualTo(d + H); // not after its own time

        // An adverse event after a known close labels nothing before the close.
        labeler.onEvent(state, d + 30 * MIN, d + HOUR, "RAPID_RESPONSE", NO_WATERMARK, out);
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.predictionTime(0)).isEqualTo(d);

        labeler.advance(state, d + L, out);
        assertThat(out.size()).isEqualTo(2);
        assertThat(out.predictionTime(0)).isEqualTo(T0 - 10 * HOUR);
        assertThat(out.labelTime(0)).isEqualTo(T0 + 2 * HOUR);
        assertThat(out.evidence(0)).isEqualTo(HorizonLabeler.HORIZON_ELAPSED);
        assertThat(out.predictionTime(1)).isEqualTo(T0);
        assertThat(out.labelTime(1)).isEqualTo(d);
        assertThat(out.evidence(1)).isEqualTo("DISCHARGE");
        assertThat(state.pendingCount()).isEqualTo(1); // d + 1 h is a new encounter's
        assertThat(state.closeCount()).isZero(); // forgotten at d + L
    }

    @Test
    void aCloseBehindTheWatermarkDecidesAtOnce() {
        pending(T0);
        labeler.advance(state, T0 + 6 * HOUR, out);
        long timer = labeler.onClose(state, T0 + 2 * HOUR, T0 + 6 * HOUR, out);
        assertThat(timer).isEqualTo(HorizonLabeler.NO_TIMER);
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.labelTime(0)).isEqualTo(T0 + 2 * HOUR);
        assertThat(state.isEmpty()).isTrue();
    }

    @Test
    void eventsAreRememberedUntilTheWatermarkPassesTheirTimePlusLateness() {
        labeler.onEvent(state, T0, T0, "DEATH", NO_WATERMARK, out);
        labeler.advance(state, T0 + L - 1, out);
        assertThat(state.eventCount()).isEqualTo(1);
        labeler.advance(state, T0 + L, out);
        assertThat(state.eventCount()).isZero();

        // An event already beyond the lateness is applied to pending predictions but not remembered.
        pending(T0 + 2 * HOUR);
        long timer = labeler.onEvent(state, T0 + 3 * HOUR, T0 + 3 * HOUR, "DEATH", T0 + 5 * HOUR, out);
        assertThat(timer).isEqualTo(HorizonLabeler.NO_TIMER);
        assertThat(out.size()).isEqualTo(1);
        assertThat(state.eventCount()).isZero();
        assertThat(labeler.isLate(T0 + 3 * HOUR, T0 + 5 * HOUR)).isTrue();
        assertThat(labeler.isLate(T0 + 4 * HOUR, T0 + 5 * HOUR)).isFalse();
        assertThat(labeler.isLate(T0, NO_WATERMARK)).isFalse();
    }

    @Test
    void latePredictionsAreRefused() {
        assertThat(labeler.admit(state, T0 - 1, 0, T0 + L, out)).isEqualTo(Admission.LATE);
        assertThat(labeler.admit(state, T0, 0, T0 + L, out)).isEqualTo(Admission.PENDING);
    }

    @Test
    void expiryTakesThePredictionsThatArrivedByTheCutoff() {
        labeler.admit(state, T0, 100, NO_WATERMARK, out);
        labeler.admit(state, T0 + HOUR, 300, NO_WATERMARK, out);
        labeler.admit(state, T0 + HOUR, 200, NO_WATERMARK, out); // same time: the earliest arrival counts
        labeler.admit(state, T0 + 2 * HOUR, 250, NO_WATERMARK, out);

        labeler.expire(state, 200, 9_999, out);
        assertThat(out.size()).isEqualTo(2);
        assertThat(out.kind(0)).isEqualTo(Kind.EXPIRED);
        assertThat(out.label(0)).isNaN();
        assertThat(out.evidence(0)).isEqualTo(LabelReasons.UNLABELED);
        assertThat(out.labelTime(0)).isEqualTo(9_999);
        assertThat(new long[] {out.predictionTime(0), out.predictionTime(1)}).containsExactly(T0, T0 + HOUR);
        assertThat(state.pendingCount()).isEqualTo(1);
    }

    @Test
    void samplingKeepsEveryNthPredictionAndForgettingKeepsThePhase() {
        HorizonLabeler everyThird = new HorizonLabeler(Duration.ofMillis(H), Duration.ZERO, 3, "DISCHARGE");
        HorizonState s = new HorizonState();
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            kept.append(everyThird.admit(s, T0 + i * MIN, 0, NO_WATERMARK, out) == Admission.PENDING ? 'K' : '.');
        }
        assertThat(kept.toString()).isEqualTo("K..K..K");
        everyThird.advance(s, T0 + H + HOUR, out);
        assertThat(out.size()).isEqualTo(3);
        assertThat(s.isEmpty()).isTrue();
        assertThat(everyThird.canForget(s)).isFalse(); // seen = 7: the next one is sampled out
        everyThird.admit(s, T0 + 20 * HOUR, 0, NO_WATERMARK, out);
        everyThird.admit(s, T0 + 20 * HOUR + MIN, 0, NO_WATERMARK, out);
        assertThat(s.pendingCount()).isZero();
        assertThat(everyThird.canForget(s)).isTrue(); // seen = 9: a fresh state continues identically
    }

    @Test
    void manyPendingPredictionsGrowAndShrinkTheIndex() {
        for (int i = 999; i >= 0; i--) { // reverse order: every insert goes to the front
            labeler.admit(state, T0 + i * MIN, i, NO_WATERMARK, out);
        }
        assertThat(state.pendingCount()).isEqualTo(1000);
        for (int i = 1; i < 1000; i++) {
            assertThat(state.pendingTime(i)).isGreaterThan(state.pendingTime(i - 1));
        }
        labeler.advance(state, T0 + 990 * MIN + H + L, out);
        assertThat(out.size()).isEqualTo(991);
        for (int i = 0; i < out.size(); i++) {
            assertThat(out.predictionTime(i)).isEqualTo(T0 + i * MIN);
        }
        assertThat(state.pendingCount()).isEqualTo(9);
        assertThat(state.pendingTimes.length).isLessThanOrEqualTo(32);
        assertThat(state.pendingTime(0)).isEqualTo(T0 + 991 * MIN);
    }

    @Test
    void atHorizonHoldsPositivesAndReleasesThemWithTheNegativesInPredictionTimeOrder() {
        HorizonLabeler atHorizon =
                new HorizonLabeler(Duration.ofMillis(H), Duration.ofMillis(L), 1, "DISCHARGE", LabelRelease.AT_HORIZON);
        assertThat(atHorizon.release()).isEqualTo(LabelRelease.AT_HORIZON);
        assertThat(labeler.release()).isEqualTo(LabelRelease.IMMEDIATE);
        HorizonState s = new HorizonState();
        long o = T0 + 5 * HOUR;
        for (long t : new long[] {T0 - 8 * HOUR, T0, T0 + HOUR}) {
            assertThat(atHorizon.admit(s, t, 7, NO_WATERMARK, out)).isEqualTo(Admission.PENDING);
        }

        long timer = atHorizon.onEvent(s, o, o + 30 * MIN, "CARDIAC_ARREST", NO_WATERMARK, out);
        assertThat(timer).isEqualTo(o + L);
        assertThat(out.isEmpty()).isTrue(); // decided, but held
        assertThat(s.pendingCount()).isEqualTo(1);
        assertThat(s.heldCount()).isEqualTo(2);
        // A prediction arriving after the (remembered) event is held too.
        assertThat(atHorizon.admit(s, T0 + 2 * HOUR, 8, NO_WATERMARK, out)).isEqualTo(Admission.HELD);
        assertThat(out.isEmpty()).isTrue();
        assertThat(atHorizon.canForget(s)).isFalse();

        atHorizon.advance(s, T0 + H + L - 1, out);
        assertThat(out.size()).isEqualTo(1); // only the negative of T0 - 8 h is due
        assertThat(out.kind(0)).isEqualTo(Kind.NEGATIVE);

        atHorizon.advance(s, T0 + H + L, out);
        assertThat(out.size()).isEqualTo(1);
        assertThat(out.predictionTime(0)).isEqualTo(T0);
        assertThat(out.kind(0)).isEqualTo(Kind.POSITIVE);
        assertThat(out.labelTime(0)).isEqualTo(o); // the outcome time, not the release time
        assertThat(out.recordedAt(0)).isEqualTo(o + 30 * MIN);
        assertThat(out.evidence(0)).isEqualTo("CARDIAC_ARREST");

        atHorizon.onClose(s, T0 + 10 * HOUR, NO_WATERMARK, out); // ends the later windows at the close
        atHorizon.advance(s, T0 + 10 * HOUR + L, out);
        assertThat(out.size()).isEqualTo(2);
        assertThat(new long[] {out.predictionTime(0), out.predictionTime(1)})
                .containsExactly(T0 + HOUR, T0 + 2 * HOUR);
        assertThat(out.kind(1)).isEqualTo(Kind.POSITIVE);
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void atHorizonMergesHeldPositivesAndNegativesAndExpiryReleasesHeldPositives() {
        HorizonLabeler atHorizon =
                new HorizonLabeler(Duration.ofMillis(H), Duration.ofMillis(L), 1, "DISCHARGE", LabelRelease.AT_HORIZON);
        HorizonState s = new HorizonState();
        for (int i = 0; i < 6; i++) {
            atHorizon.admit(s, T0 + i * HOUR, 100 + i, NO_WATERMARK, out);
        }
        atHorizon.onEvent(s, T0 + 2 * HOUR + 30 * MIN, T0 + 3 * HOUR, "DEATH", NO_WATERMARK, out);
        // Pending: 3, 4, 5 h; held: 0, 1, 2 h. A second event does not change held decisions.
        atHorizon.onEvent(s, T0 + 4 * HOUR + 30 * MIN, T0 + 5 * HOUR, "ICU_TRANSFER", NO_WATERMARK, out);
        assertThat(s.heldCount()).isEqualTo(5);
        assertThat(s.pendingCount()).isEqualTo(1);

        atHorizon.expire(s, 102, 9_999, out);
        assertThat(out.size()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(out.predictionTime(i)).isEqualTo(T0 + i * HOUR);
            assertThat(out.kind(i)).isEqualTo(Kind.POSITIVE);
            assertThat(out.evidence(i)).isEqualTo("DEATH");
        }

        atHorizon.advance(s, T0 + 5 * HOUR + H + L, out);
        assertThat(out.size()).isEqualTo(3);
        assertThat(new long[] {out.predictionTime(0), out.predictionTime(1), out.predictionTime(2)})
                .containsExactly(T0 + 3 * HOUR, T0 + 4 * HOUR, T0 + 5 * HOUR);
        assertThat(new Kind[] {out.kind(0), out.kind(1), out.kind(2)})
                .containsExactly(Kind.POSITIVE, Kind.POSITIVE, Kind.NEGATIVE);
        assertThat(out.evidence(0)).isEqualTo("ICU_TRANSFER");
        assertThat(s.isEmpty()).isTrue();
    }

    @Test
    void parametersAreValidated() {
        assertThatThrownBy(() -> new HorizonLabeler(Duration.ZERO, Duration.ZERO, 1, "DISCHARGE"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HorizonLabeler(Duration.ofHours(1), Duration.ofMillis(-1), 1, "DISCHARGE"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HorizonLabeler(Duration.ofHours(1), Duration.ZERO, 0, "DISCHARGE"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HorizonLabeler(Duration.ofHours(1), Duration.ZERO, 1, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
