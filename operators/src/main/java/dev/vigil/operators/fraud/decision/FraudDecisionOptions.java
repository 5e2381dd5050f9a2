package dev.vigil.operators.fraud.decision;

import dev.vigil.operators.inference.ModelMetadata;
import dev.vigil.schema.fraud.Decision;
import java.util.Optional;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Options of the fraud decision stage ({@code vigil.fraud.decision.*}), read into a {@link FraudDecisionPolicy} by
 * {@link #policy(ReadableConfig, ModelMetadata)}.
 *
 * <pre>{@code
 * vigil.fraud.decision:
 *   review-threshold: 0.7
 *   decline-threshold: 0.95
 *   anomaly-quantile: p999        # or anomaly-threshold: 2.5
 *   max-reasons: 5
 * }</pre>
 */
public final class FraudDecisionOptions {

    /** Prefix of the autoencoder's score quantiles in its {@code metadata_props} (docs/CONTRACTS.md). */
    public static final String ANOMALY_QUANTILE_PREFIX = "vigil.anomaly.quantile.";

    /** {@link #ANOMALY_QUANTILE} value that turns the metadata default off. */
    public static final String NO_QUANTILE = "none";

    public static final ConfigOption<Double> REVIEW_THRESHOLD =
            ConfigOptions.key("vigil.fraud.decision.review-threshold")
                    .doubleType()
                    .defaultValue(0.17)
                    .withDescription("Fraud probability at or above which a transaction is approved and sent to an"
                            + " investigator (REVIEW), in [0, 1]. Set it from the review capacity: the score"
                            + " quantile of the alerts a team can handle per day. The default, 0.17, sends about"
                            + " 0.5% of transactions to review with the bundled classifier (its metadata key"
                            + " test.threshold_at_0.5pct), whose probabilities are calibrated to the fraud rate"
                            + " (prior-corrected after class-weighted training).");

    public static final ConfigOption<Double> DECLINE_THRESHOLD =
            ConfigOptions.key("vigil.fraud.decision.decline-threshold")
                    .doubleType()
                    .defaultValue(0.95)
                    .withDescription("Fraud probability at or above which a transaction is declined, in [review"
                            + " threshold, 1]. A declined transaction never gets a chargeback, so it never becomes"
                            + " a matured negative either.");

    public static final ConfigOption<Double> ANOMALY_THRESHOLD =
            ConfigOptions.key("vigil.fraud.decision.anomaly-threshold")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("Autoencoder anomaly score at or above which a transaction the classifier"
                            + " approves is reviewed (an anomaly alone never declines). Default: the anomaly"
                            + " model's training-score quantile named by vigil.fraud.decision.anomaly-quantile; if"
                            + " neither is available, anomalies trigger no reviews.");

    public static final ConfigOption<String> ANOMALY_QUANTILE =
            ConfigOptions.key("vigil.fraud.decision.anomaly-quantile")
                    .stringType()
                    .defaultValue("p999")
                    .withDescription("Which training-score quantile of the anomaly model (its metadata key"
                            + " vigil.anomaly.quantile.<q>: p50, p90, p99, p999) is the anomaly threshold when"
                            + " vigil.fraud.decision.anomaly-threshold is unset; p999 reviews about 1 in 1,000"
                            + " transactions of traffic like the training data. 'none': no default.");

    public static final ConfigOption<Decision> NO_SCORE_DECISION =
            ConfigOptions.key("vigil.fraud.decision.no-score-decision")
                    .enumType(Decision.class)
                    .defaultValue(Decision.REVIEW)
                    .withDescription("Decision when neither the classifier nor the anomaly rule can decide (both"
                            + " models unavailable): REVIEW approves and asks a person, APPROVE fails open, DECLINE"
                            + " fails closed.");

    public static final ConfigOption<Integer> MAX_REASONS =
            ConfigOptions.key("vigil.fraud.decision.max-reasons")
                    .intType()
                    .defaultValue(5)
                    .withDescription("Reasons per decision at most: the features with the largest contributions of"
                            + " the model that decided, largest first. 0: none.");

    private FraudDecisionOptions() {}

    /**
     * The policy of {@code config}; the anomaly threshold is {@link #ANOMALY_THRESHOLD}, else the quantile of {@code
     * anomalyMetadata} named by {@link #ANOMALY_QUANTILE}, else none.
     *
     * @param anomalyMetadata the anomaly model's metadata, or {@code null} when no anomaly model is loaded
     * @throws IllegalArgumentException if a threshold is invalid
     */
    public static FraudDecisionPolicy policy(ReadableConfig config, ModelMetadata anomalyMetadata) {
        return new FraudDecisionPolicy(
                config.get(REVIEW_THRESHOLD),
                config.get(DECLINE_THRESHOLD),
                anomalyThreshold(config, anomalyMetadata).orElse(null),
                config.get(NO_SCORE_DECISION));
    }

    /** The anomaly threshold {@link #policy} uses, if any. */
    public static Optional<Double> anomalyThreshold(ReadableConfig config, ModelMetadata anomalyMetadata) {
        Optional<Double> configured = config.getOptional(ANOMALY_THRESHOLD);
        if (configured.isPresent()) {
            return configured;
        }
        String quantile = config.get(ANOMALY_QUANTILE).trim();
        if (anomalyMetadata == null || quantile.isEmpty() || NO_QUANTILE.equals(quantile)) {
            return Optional.empty();
        }
        Optional<String> value = anomalyMetadata.get(ANOMALY_QUANTILE_PREFIX + quantile);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            double threshold = Double.parseDouble(value.get().trim());
            return Double.isFinite(threshold) && threshold >= 0 ? Optional.of(threshold) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@link #MAX_REASONS}, checked. */
    public static int maxReasons(ReadableConfig config) {
        int max = config.get(MAX_REASONS);
        if (max < 0) {
            throw new IllegalArgumentException(MAX_REASONS.key() + " must not be negative: " + max);
        }
        return max;
    }
}
