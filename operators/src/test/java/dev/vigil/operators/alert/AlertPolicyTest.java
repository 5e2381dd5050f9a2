package dev.vigil.operators.alert;

import static dev.vigil.operators.icu.News2Response.HIGH;
import static dev.vigil.operators.icu.News2Response.LOW;
import static dev.vigil.operators.icu.News2Response.LOW_MEDIUM;
import static dev.vigil.operators.icu.News2Response.MEDIUM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.icu.News2Response;
import dev.vigil.schema.icu.AlertLevel;
import dev.vigil.schema.icu.AlertTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertPolicyTest {

    private static final long MIN = 60_000L;

    private final AlertPolicy policy = new AlertPolicy(0.30, 0.20, 0.60, Duration.ofHours(4));

    /** One step of a scripted patient: minute, risk (null = model unavailable), NEWS2 response. */
    private record Step(long minute, Double risk, News2Response news2) {}

    private static Step at(long minute, Double risk, News2Response news2) {
        return new Step(minute, risk, news2);
    }

    /** Runs a script and returns "minute:LEVEL/TRIGGER[/esc]" for each alert raised. */
    private List<String> run(Step... steps) {
        AlertState state = new AlertState();
        List<String> alerts = new ArrayList<>();
        for (Step s : steps) {
            Optional<AlertDecision> d = policy.evaluate(state, s.minute * MIN, s.risk, s.news2);
            d.ifPresent(
                    a -> alerts.add(s.minute + ":" + a.level() + "/" + a.trigger() + (a.escalation() ? "/esc" : "")));
        }
        return alerts;
    }

    @Test
    void entersAtThresholdAndStaysQuietWhileAboveExit() {
        assertThat(run(at(0, 0.29, LOW), at(10, 0.30, LOW), at(20, 0.45, LOW), at(30, 0.21, LOW), at(40, 0.35, LOW)))
                .containsExactly("10:MEDIUM/MODEL");
    }

    @Test
    void reArmsOnlyBelowExitAndThenRespectsSuppression() {
        assertThat(
                        run(
                                at(0, 0.40, LOW),
                                at(60, 0.10, LOW), // re-armed
                                at(120, 0.40, LOW), // re-entered inside 4 h: suppressed
                                at(180, 0.10, LOW),
                                at(240, 0.40, LOW), // 4 h after the first alert: raised
                                at(250, 0.25, LOW), // hysteresis band
                                at(600, 0.40, LOW))) // never re-armed: quiet
                .containsExactly("0:MEDIUM/MODEL", "240:MEDIUM/MODEL");
    }

    @Test
    void escalationInsideTheWindowOrEpisode() {
        assertThat(
                        run(
                                at(0, 0.35, LOW),
                                at(30, 0.65, LOW), // MEDIUM -> HIGH inside the window
                                at(60, 0.70, LOW), // still HIGH: quiet
                                at(90, 0.40, LOW))) // de-escalation: quiet
                .containsExactly("0:MEDIUM/MODEL", "30:HIGH/MODEL/esc");
        // Escalation long after the window, while the episode never re-armed, still counts as one.
        assertThat(run(at(0, 0.35, LOW), at(300, 0.35, LOW), at(600, 0.61, LOW)))
                .containsExactly("0:MEDIUM/MODEL", "600:HIGH/MODEL/esc");
    }

    @Test
    void news2IsTheFallbackWhenTheModelIsMissing() {
        assertThat(run(at(0, null, LOW))).isEmpty();
        assertThat(run(at(0, null, LOW_MEDIUM))).containsExactly("0:LOW_MEDIUM/NEWS2");
        assertThat(run(at(0, null, MEDIUM))).containsExactly("0:MEDIUM/NEWS2");
        assertThat(run(at(0, null, HIGH))).containsExactly("0:HIGH/NEWS2");
        assertThat(run(at(0, Double.NaN, MEDIUM))).containsExactly("0:MEDIUM/NEWS2");
        assertThat(run(at(0, null, LOW_MEDIUM), at(30, null, MEDIUM), at(60, null, MEDIUM), at(300, null, MEDIUM)))
                .containsExactly("0:LOW_MEDIUM/NEWS2", "30:MEDIUM/NEWS2/esc", "300:MEDIUM/NEWS2");
    }

    @Test
    void withAModelScoreNews2AloneRaisesOnlyHigh() {
        assertThat(run(at(0, 0.05, LOW_MEDIUM), at(10, 0.05, MEDIUM))).isEmpty();
        assertThat(run(at(0, 0.05, HIGH))).containsExactly("0:HIGH/NEWS2");
        assertThat(run(at(0, 0.35, HIGH))).containsExactly("0:HIGH/MODEL_AND_NEWS2");
        assertThat(run(at(0, 0.35, MEDIUM))).containsExactly("0:MEDIUM/MODEL_AND_NEWS2");
        assertThat(run(at(0, 0.35, LOW_MEDIUM))).containsExactly("0:MEDIUM/MODEL_AND_NEWS2");
        // NEWS2 HIGH escalates a model alert even inside the window.
        assertThat(run(at(0, 0.35, LOW), at(20, 0.35, HIGH), at(40, 0.35, HIGH)))
                .containsExactly("0:MEDIUM/MODEL", "20:HIGH/MODEL_AND_NEWS2/esc");
    }

    @Test
    void withoutTheSafetyNetNews2HighAloneDefersToTheModel() {
        AlertPolicy modelFirst = new AlertPolicy(0.30, 0.20, 0.60, Duration.ofHours(4), false);
        AlertState state = new AlertState();
        assertThat(modelFirst.evaluate(state, 0, 0.05, HIGH)).isEmpty();
        // Still the fallback when the model is unavailable, and still shown as MODEL_AND_NEWS2 beside a model alert.
        assertThat(modelFirst.evaluate(state, 10 * MIN, null, HIGH).map(AlertDecision::trigger))
                .contains(AlertTrigger.NEWS2);
        assertThat(modelFirst.evaluate(new AlertState(), 0, 0.35, HIGH).map(AlertDecision::trigger))
                .contains(AlertTrigger.MODEL_AND_NEWS2);
    }

    @Test
    void news2HighRepeatsAfterTheWindowEvenDuringAModelEpisode() {
        assertThat(run(at(0, 0.65, HIGH), at(120, 0.65, HIGH), at(240, 0.65, HIGH), at(250, 0.65, LOW)))
                .containsExactly("0:HIGH/MODEL_AND_NEWS2", "240:HIGH/MODEL_AND_NEWS2");
    }

    @Test
    void missingScoreLeavesTheEpisodeAsItWas() {
        // Model active, then unavailable (NEWS2 low), then back above enter: still the same episode.
        assertThat(run(at(0, 0.35, LOW), at(10, null, LOW), at(300, 0.35, LOW))).containsExactly("0:MEDIUM/MODEL");
    }

    @Test
    void zeroSuppressionStillHasHysteresis() {
        AlertPolicy p = new AlertPolicy(0.30, 0.20, 0.60, Duration.ZERO);
        AlertState s = new AlertState();
        assertThat(p.evaluate(s, 0, 0.4, LOW)).isPresent();
        assertThat(p.evaluate(s, 1, 0.4, LOW)).isEmpty();
        assertThat(p.evaluate(s, 2, 0.1, LOW)).isEmpty();
        assertThat(p.evaluate(s, 3, 0.4, LOW))
                .contains(new AlertDecision(AlertLevel.MEDIUM, AlertTrigger.MODEL, false));
    }

    @ParameterizedTest(name = "enter={0} exit={1} high={2} suppression={3}m")
    @CsvSource({
        "0.0, 0.0, 0.5, 60", "0.3, 0.3, 0.6, 60", "0.3, 0.4, 0.6, 60", "0.3, 0.2, 0.2, 60", "0.3, 0.2, 1.1, 60",
        "1.2, 0.2, 1.3, 60", "NaN, 0.2, 0.6, 60", "0.3, 0.2, 0.6, -1"
    })
    void invalidParametersAreRefused(double enter, double exit, double high, long suppressionMinutes) {
        assertThatThrownBy(() -> new AlertPolicy(enter, exit, high, Duration.ofMinutes(suppressionMinutes)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void optionsHaveValidatedDefaults() {
        Configuration config = new Configuration();
        AlertPolicy p = AlertOptions.policy(config);
        assertThat(p.enter()).isEqualTo(0.30);
        assertThat(p.exit()).isEqualTo(0.20);
        assertThat(p.high()).isEqualTo(0.60);
        assertThat(p.suppression()).isEqualTo(Duration.ofHours(4));
        assertThat(AlertOptions.horizonHours(config)).isEqualTo(12);
        assertThat(AlertOptions.reasons(config)).isEqualTo(3);
        assertThat(AlertOptions.RISK_ENTER.key()).isEqualTo("vigil.icu.alert.risk.enter");
        config.set(AlertOptions.RISK_EXIT, 0.5);
        assertThatThrownBy(() -> AlertOptions.policy(config)).isInstanceOf(IllegalArgumentException.class);
        config.set(AlertOptions.REASONS, -1);
        assertThatThrownBy(() -> AlertOptions.reasons(config)).hasMessageContaining("vigil.icu.alert.reasons");
        config.set(AlertOptions.HORIZON, Duration.ofMinutes(30));
        assertThatThrownBy(() -> AlertOptions.horizonHours(config)).hasMessageContaining("vigil.icu.alert.horizon");
    }
}
