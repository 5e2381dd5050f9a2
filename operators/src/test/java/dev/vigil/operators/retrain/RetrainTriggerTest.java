package dev.vigil.operators.retrain;

import static dev.vigil.operators.retrain.TestingRetrainInputs.HOUR;
import static dev.vigil.operators.retrain.TestingRetrainInputs.MODEL;
import static dev.vigil.operators.retrain.TestingRetrainInputs.drift;
import static dev.vigil.operators.retrain.TestingRetrainInputs.example;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.retrain.RetrainTrigger.Decision;
import dev.vigil.operators.retrain.RetrainTrigger.Outcome;
import dev.vigil.schema.monitor.DriftKind;
import dev.vigil.schema.monitor.RetrainReason;
import dev.vigil.schema.monitor.RetrainRequest;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class RetrainTriggerTest {

    /** Windows of 1 h, 4 examples at least, cooldown 3 h, log loss may rise by 50%. */
    private static RetrainSettings.Builder settings() {
        return RetrainSettings.builder().window(Duration.ofHours(1)).minLabelled(4).cooldown(Duration.ofHours(3))
                .metric(RetrainSettings.Metric.LOG_LOSS, 0.5);
    }

    private final RetrainState state = new RetrainState();

    /** Four examples of {@code version} in hour {@code hour}: scores 0.9/0.1 for labels 1/0 ({@code good}) or 0.5. */
    private static void fill(RetrainTrigger trigger, RetrainState state, int hour, String version, boolean good) {
        for (int i = 0; i < 4; i++) {
            double label = i % 2;
            double score = good ? (label == 1 ? 0.9 : 0.1) : 0.5;
            assertThat(trigger.addExample(state, example(hour * HOUR + i * 60_000L, version, score, label)))
                    .isEqualTo((hour + 1) * HOUR);
        }
    }

    @Test
    void driftInAWindowWithTooFewExamplesWaitsForOneWithEnough() {
        RetrainTrigger trigger = new RetrainTrigger(settings().build());
        trigger.addExample(state, example(10 * 60_000L, "1", 0.2, 0));
        assertThat(trigger.addDrift(state, drift(20 * 60_000L))).isEqualTo(HOUR);

        assertThat(trigger.closeWindow(state, MODEL, HOUR).outcome()).isEqualTo(Outcome.DEFERRED);

        fill(trigger, state, 1, "1", true);
        assertThat(trigger.addDrift(state, drift(HOUR + 30 * 60_000L, DriftKind.DRIFT, "psi", "score/" + MODEL)))
                .isEqualTo(2 * HOUR);
        Decision d = trigger.closeWindow(state, MODEL, 2 * HOUR);

        assertThat(d.outcome()).isEqualTo(Outcome.REQUESTED);
        RetrainRequest r = d.request();
        assertThat(r.getReasons()).containsExactly(RetrainReason.DRIFT);
        assertThat(r.getWindowStart()).isEqualTo(Instant.ofEpochMilli(HOUR));
        assertThat(r.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(2 * HOUR));
        assertThat(r.getDriftEvents()).isEqualTo(2);
        assertThat(r.getDriftSignals()).containsExactly("adwin error/" + MODEL, "psi score/" + MODEL);
        assertThat(r.getFirstDriftTime()).isEqualTo(Instant.ofEpochMilli(20 * 60_000L));
        assertThat(r.getLabelledExamples()).isEqualTo(4);
        assertThat(r.getPositives()).isEqualTo(2);
        assertThat(r.getModelName()).isEqualTo(MODEL);
        assertThat(r.getModelVersion()).isEqualTo("1");
        assertThat(r.getPipeline()).isEqualTo("fraud");
        assertThat(r.getRequestId()).isEqualTo(RetrainTrigger.requestId(MODEL, HOUR, 2 * HOUR))
                .isNotEqualTo(RetrainTrigger.requestId(MODEL, 2 * HOUR, 3 * HOUR));
        assertThat(state.drifts).isEmpty();
    }

    @Test
    void aLogLossDropAgainstTheBaselineOfTheVersionIsAReason() {
        RetrainTrigger trigger = new RetrainTrigger(settings().build());
        fill(trigger, state, 0, "3", true);
        assertThat(trigger.closeWindow(state, MODEL, HOUR).outcome()).isEqualTo(Outcome.NONE); // baseline measured
        assertThat(state.baseline).isCloseTo(-Math.log(0.9), within(1e-12));

        fill(trigger, state, 1, "3", true);
        assertThat(trigger.closeWindow(state, MODEL, 2 * HOUR).outcome()).isEqualTo(Outcome.NONE);
        fill(trigger, state, 2, "3", false);
        Decision d = trigger.closeWindow(state, MODEL, 3 * HOUR);

        assertThat(d.outcome()).isEqualTo(Outcome.REQUESTED);
        assertThat(d.request().getReasons()).containsExactly(RetrainReason.METRIC_DROP);
        assertThat(d.request().getMetric()).isEqualTo("log-loss");
        assertThat(d.request().getMetricValue()).isCloseTo(Math.log(2), within(1e-12));
        assertThat(d.request().getBaselineValue()).isCloseTo(-Math.log(0.9), within(1e-12));
        assertThat(d.request().getBaselineWindowEnd()).isEqualTo(Instant.ofEpochMilli(HOUR));
        assertThat(d.request().getMetricExamples()).isEqualTo(4);
        assertThat(d.request().getDriftEvents()).isZero();
        assertThat(d.request().getFirstDriftTime()).isNull();
    }

    @Test
    void aNewVersionGetsItsOwnBaselineAndOlderVersionsDoNotCount() {
        RetrainTrigger trigger = new RetrainTrigger(settings().build());
        fill(trigger, state, 0, "3", true);
        trigger.closeWindow(state, MODEL, HOUR);

        fill(trigger, state, 1, "4", false); // promoted version 4 is worse, but it is its first window
        trigger.addExample(state, example(HOUR + 50 * 60_000L, "3", 0.9, 1)); // a late example of version 3
        assertThat(trigger.closeWindow(state, MODEL, 2 * HOUR).outcome()).isEqualTo(Outcome.NONE);
        assertThat(state.watchedVersion).isEqualTo("4");
        assertThat(state.baseline).isCloseTo(Math.log(2), within(1e-12));

        fill(trigger, state, 2, "4", false);
        assertThat(trigger.closeWindow(state, MODEL, 3 * HOUR).outcome()).isEqualTo(Outcome.NONE);
    }

    @Test
    void theCooldownDropsReasonsAndALastingProblemAsksAgainAfterIt() {
        RetrainTrigger trigger = new RetrainTrigger(settings().build());
        Outcome[] outcomes = new Outcome[6];
        for (int hour = 0; hour < 6; hour++) {
            fill(trigger, state, hour, "1", true);
            trigger.addDrift(state, drift(hour * HOUR + 1));
            outcomes[hour] = trigger.closeWindow(state, MODEL, (hour + 1) * HOUR).outcome();
        }
        // requested at 1 h, suppressed while less than 3 h later, requested again at 4 h
        assertThat(outcomes).containsExactly(Outcome.REQUESTED, Outcome.SUPPRESSED, Outcome.SUPPRESSED,
                Outcome.REQUESTED, Outcome.SUPPRESSED, Outcome.SUPPRESSED);
        assertThat(state.drifts).isEmpty(); // suppressed drift is not kept for later
    }

    @Test
    void theScheduleAsksEveryNWindowsWithoutOtherReasons() {
        RetrainTrigger trigger = new RetrainTrigger(settings().scheduleEveryWindows(2).cooldown(Duration.ZERO)
                .metric(RetrainSettings.Metric.NONE, 0.5).build());
        StringBuilder outcomes = new StringBuilder();
        for (int hour = 0; hour < 5; hour++) {
            fill(trigger, state, hour, "1", hour != 3);
            Decision d = trigger.closeWindow(state, MODEL, (hour + 1) * HOUR);
            outcomes.append(d.outcome() == Outcome.REQUESTED ? d.request().getReasons().toString() : "-");
            if (d.request() != null) {
                assertThat(d.request().getMetricValue()).isNull();
                assertThat(d.request().getMetric()).isEqualTo("none");
            }
        }
        assertThat(outcomes.toString()).isEqualTo("-[SCHEDULE]-[SCHEDULE]-");
    }

    @Test
    void warningsLateExamplesAndDisabledDriftAreIgnored() {
        RetrainTrigger trigger = new RetrainTrigger(settings().build());
        assertThat(trigger.addDrift(state, drift(10, DriftKind.WARNING, "ddm", "error/x"))).isEqualTo(RetrainState.NEVER);
        fill(trigger, state, 0, "1", true);
        trigger.closeWindow(state, MODEL, HOUR);
        assertThat(trigger.addExample(state, example(HOUR - 1, "1", 0.5, 1))).isEqualTo(RetrainState.NEVER);
        assertThat(trigger.closeWindow(state, MODEL, HOUR).outcome()).isEqualTo(Outcome.NONE); // closed already
        // a drift behind the closed windows counts in the next window
        assertThat(trigger.addDrift(state, drift(HOUR - 5))).isEqualTo(2 * HOUR);

        RetrainTrigger noDrift = new RetrainTrigger(settings().onDrift(false).build());
        assertThat(noDrift.addDrift(new RetrainState(), drift(10))).isEqualTo(RetrainState.NEVER);
    }

    @Test
    void theErrorRateOfAPerfectBaselineIsComparedWithAFloor() {
        RetrainTrigger trigger = new RetrainTrigger(settings().metric(RetrainSettings.Metric.ERROR_RATE, 0.5)
                .threshold(0.5).build());
        fill(trigger, state, 0, "1", true); // no errors: baseline 0
        trigger.closeWindow(state, MODEL, HOUR);
        fill(trigger, state, 1, "1", false); // score 0.5 >= threshold: label-0 examples are errors
        Decision d = trigger.closeWindow(state, MODEL, 2 * HOUR);

        assertThat(d.request().getReasons()).containsExactly(RetrainReason.METRIC_DROP);
        assertThat(d.request().getMetricValue()).isEqualTo(0.5);
        assertThat(d.request().getBaselineValue()).isEqualTo(0.0);
    }

    @Test
    void sameInputsGiveTheSameRequests() {
        RetrainRequest[] runs = new RetrainRequest[2];
        for (int run = 0; run < 2; run++) {
            RetrainTrigger trigger = new RetrainTrigger(settings().build());
            RetrainState s = new RetrainState();
            fill(trigger, s, 5, "2", true);
            trigger.addDrift(s, drift(5 * HOUR + 7));
            runs[run] = trigger.closeWindow(s, MODEL, 6 * HOUR).request();
        }
        assertThat(runs[0]).isEqualTo(runs[1]);
    }

    @Test
    void settingsAreValidatedAndReadFromConfiguration() {
        Configuration conf = new Configuration();
        conf.set(RetrainOptions.WINDOW, Duration.ofMinutes(30));
        conf.set(RetrainOptions.METRIC, "error-rate");
        conf.set(RetrainOptions.SCHEDULE_EVERY_WINDOWS, 48);
        RetrainSettings s = RetrainOptions.settings(conf);

        assertThat(s.windowMillis()).isEqualTo(30 * 60_000L);
        assertThat(s.metric()).isEqualTo(RetrainSettings.Metric.ERROR_RATE);
        assertThat(s.scheduleEveryWindows()).isEqualTo(48);
        assertThat(s.minLabelled()).isEqualTo(500);
        assertThat(s.cooldownMillis()).isEqualTo(Duration.ofHours(24).toMillis());
        assertThatThrownBy(() -> settings().minLabelled(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("min-labelled must be at least 1, got 0");
        assertThatThrownBy(() -> settings().window(Duration.ZERO).build()).isInstanceOf(IllegalArgumentException.class);
        conf.set(RetrainOptions.METRIC, "auroc");
        assertThatThrownBy(() -> RetrainOptions.settings(conf)).hasMessageContaining("log-loss, error-rate or none");
    }
}
