package dev.vigil.operators.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.fraud.decision.FraudDecisionPolicy.Outcome;
import dev.vigil.operators.fraud.decision.FraudDecisionPolicy.Trigger;
import dev.vigil.schema.fraud.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FraudDecisionPolicyTest {

    private static final FraudDecisionPolicy POLICY = new FraudDecisionPolicy(0.5, 0.9, 2.0, Decision.REVIEW);

    private static Double d(String s) {
        return s == null || s.isEmpty() ? null : Double.valueOf(s);
    }

    @ParameterizedTest(name = "score {0}, anomaly {1} -> {2} by {3}")
    @CsvSource({
        // precedence: decline, review, anomaly review, approve; thresholds are inclusive
        "0.95, 0.1, DECLINE, SCORE_DECLINE",
        "0.9,  0.1, DECLINE, SCORE_DECLINE",
        "0.95, 9.0, DECLINE, SCORE_DECLINE",
        "0.89, 9.0, REVIEW,  SCORE_REVIEW",
        "0.5,  0.0, REVIEW,  SCORE_REVIEW",
        "0.49, 2.0, REVIEW,  ANOMALY_REVIEW",
        "0.49, 1.99, APPROVE, APPROVE",
        "0.0,  ,    APPROVE, APPROVE",
        "0.7,  ,    REVIEW,  SCORE_REVIEW",
        "0.99, NaN, DECLINE, SCORE_DECLINE",
        // no score: the anomaly rule decides alone, never declines
        ",     2.5, REVIEW,  ANOMALY_ONLY",
        ",     0.3, APPROVE, ANOMALY_ONLY",
        "NaN,  2.5, REVIEW,  ANOMALY_ONLY",
        // neither: the no-score decision
        ",     ,    REVIEW,  NO_SCORE",
        "NaN,  Infinity, REVIEW, NO_SCORE",
    })
    void decidesByPrecedenceAndFallsBack(String score, String anomaly, Decision decision, Trigger trigger) {
        assertThat(POLICY.decide(d(score), d(anomaly))).isEqualTo(new Outcome(decision, trigger));
    }

    @Test
    void withoutAnAnomalyThresholdAnomaliesNeverTrigger() {
        FraudDecisionPolicy policy = new FraudDecisionPolicy(0.5, 0.9, null, Decision.APPROVE);

        assertThat(policy.decide(0.2, 1e9)).isEqualTo(new Outcome(Decision.APPROVE, Trigger.APPROVE));
        assertThat(policy.decide(null, 1e9)).isEqualTo(new Outcome(Decision.APPROVE, Trigger.NO_SCORE));
        assertThat(policy.anomalyThreshold()).isNull();
    }

    @Test
    void theNoScoreDecisionIsConfigurable() {
        FraudDecisionPolicy failClosed = new FraudDecisionPolicy(0.5, 0.9, 2.0, Decision.DECLINE);

        assertThat(failClosed.decide(null, null)).isEqualTo(new Outcome(Decision.DECLINE, Trigger.NO_SCORE));
    }

    @Test
    void anomalyDecidedOnlyWhenTheAnomalyRuleReviewed() {
        assertThat(POLICY.decide(0.1, 3.0).anomalyDecided()).isTrue();
        assertThat(POLICY.decide(null, 3.0).anomalyDecided()).isTrue();
        assertThat(POLICY.decide(null, 1.0).anomalyDecided()).isFalse();
        assertThat(POLICY.decide(0.6, 3.0).anomalyDecided()).isFalse();
        assertThat(POLICY.decide(0.1, 1.0).anomalyDecided()).isFalse();
    }

    @Test
    void equalThresholdsLeaveNoReviewBand() {
        FraudDecisionPolicy policy = new FraudDecisionPolicy(0.8, 0.8, null, Decision.REVIEW);

        assertThat(policy.decide(0.8, null).decision()).isEqualTo(Decision.DECLINE);
        assertThat(policy.decide(0.79, null).decision()).isEqualTo(Decision.APPROVE);
    }

    @Test
    void rejectsInvalidThresholds() {
        assertThatThrownBy(() -> new FraudDecisionPolicy(-0.1, 0.9, null, Decision.REVIEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("review threshold");
        assertThatThrownBy(() -> new FraudDecisionPolicy(0.5, 1.1, null, Decision.REVIEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decline threshold");
        assertThatThrownBy(() -> new FraudDecisionPolicy(0.9, 0.5, null, Decision.REVIEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decline threshold");
        assertThatThrownBy(() -> new FraudDecisionPolicy(0.5, 0.9, Double.NaN, Decision.REVIEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anomaly threshold");
        assertThatThrownBy(() -> new FraudDecisionPolicy(0.5, 0.9, -1.0, Decision.REVIEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anomaly threshold");
        assertThatThrownBy(() -> new FraudDecisionPolicy(0.5, 0.9, 1.0, null))
                .isInstanceOf(NullPointerException.class);
    }
}
