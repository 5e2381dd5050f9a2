package dev.vigil.operators.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.inference.ModelMetadata;
import dev.vigil.schema.fraud.Decision;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class FraudDecisionOptionsTest {

    private static final ModelMetadata AUTOENCODER = new ModelMetadata(Map.of(
            "vigil.anomaly.quantile.p99", "1.25",
            "vigil.anomaly.quantile.p999", "3.5"));

    @Test
    void defaultsGiveAValidPolicyWithTheAnomalyThresholdFromTheModel() {
        FraudDecisionPolicy policy = FraudDecisionOptions.policy(new Configuration(), AUTOENCODER);

        assertThat(policy.reviewThreshold()).isEqualTo(FraudDecisionOptions.REVIEW_THRESHOLD.defaultValue());
        assertThat(policy.declineThreshold()).isEqualTo(FraudDecisionOptions.DECLINE_THRESHOLD.defaultValue());
        assertThat(policy.anomalyThreshold()).isEqualTo(3.5);
        assertThat(policy.noScoreDecision()).isEqualTo(Decision.REVIEW);
    }

    @Test
    void aConfiguredThresholdWinsOverTheModelsQuantile() {
        Configuration config = new Configuration();
        config.set(FraudDecisionOptions.ANOMALY_THRESHOLD, 0.75);

        assertThat(FraudDecisionOptions.policy(config, AUTOENCODER).anomalyThreshold()).isEqualTo(0.75);
        assertThat(FraudDecisionOptions.policy(config, null).anomalyThreshold()).isEqualTo(0.75);
    }

    @Test
    void theQuantileIsSelectableAndCanBeTurnedOff() {
        Configuration config = new Configuration();
        config.set(FraudDecisionOptions.ANOMALY_QUANTILE, "p99");
        assertThat(FraudDecisionOptions.policy(config, AUTOENCODER).anomalyThreshold()).isEqualTo(1.25);

        config.set(FraudDecisionOptions.ANOMALY_QUANTILE, "none");
        assertThat(FraudDecisionOptions.policy(config, AUTOENCODER).anomalyThreshold()).isNull();

        config.set(FraudDecisionOptions.ANOMALY_QUANTILE, "p50");
        assertThat(FraudDecisionOptions.policy(config, AUTOENCODER).anomalyThreshold()).isNull();
    }

    @Test
    void withoutAnAnomalyModelOrAValidQuantileAnomaliesDoNotTrigger() {
        assertThat(FraudDecisionOptions.policy(new Configuration(), null).anomalyThreshold()).isNull();
        ModelMetadata broken = new ModelMetadata(Map.of("vigil.anomaly.quantile.p999", "NaN"));
        assertThat(FraudDecisionOptions.policy(new Configuration(), broken).anomalyThreshold()).isNull();
    }

    @Test
    void invalidSettingsFailAtConstruction() {
        Configuration config = new Configuration();
        config.set(FraudDecisionOptions.REVIEW_THRESHOLD, 0.99);
        assertThatThrownBy(() -> FraudDecisionOptions.policy(config, null))
                .isInstanceOf(IllegalArgumentException.class);

        Configuration reasons = new Configuration();
        reasons.set(FraudDecisionOptions.MAX_REASONS, -1);
        assertThatThrownBy(() -> FraudDecisionOptions.maxReasons(reasons))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FraudDecisionOptions.MAX_REASONS.key());
    }
}
