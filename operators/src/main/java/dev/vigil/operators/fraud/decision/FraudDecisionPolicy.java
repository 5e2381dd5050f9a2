package dev.vigil.operators.fraud.decision;

import dev.vigil.schema.fraud.Decision;
import java.io.Serializable;
import java.util.Objects;

/**
 * The fraud pipeline's decision rule: the supervised model's fraud probability and the autoencoder's anomaly score of
 * one transaction in, {@link Decision#APPROVE APPROVE}, {@link Decision#REVIEW REVIEW} or {@link Decision#DECLINE
 * DECLINE} out, with the rule that decided it ({@link Trigger}). Plain Java, no Flink; immutable and thread-safe.
 *
 * <pre>{@code
 * FraudDecisionPolicy policy = new FraudDecisionPolicy(0.5, 0.9, 2.5, Decision.REVIEW);
 * FraudDecisionPolicy.Outcome o = policy.decide(0.93, 0.4);   // DECLINE by the classifier
 * }</pre>
 *
 * <p><b>Precedence</b>, first match wins:
 *
 * <ol>
 *   <li>score {@code >= declineThreshold}: DECLINE ({@link Trigger#SCORE_DECLINE});
 *   <li>score {@code >= reviewThreshold}: REVIEW ({@link Trigger#SCORE_REVIEW});
 *   <li>anomaly score {@code >= anomalyThreshold}: REVIEW ({@link Trigger#ANOMALY_REVIEW}). An anomaly alone never
 *       declines: the autoencoder says a transaction is unusual for the traffic, not that it is fraud, so a person
 *       looks at it and the customer is not turned away;
 *   <li>otherwise APPROVE ({@link Trigger#APPROVE}).
 * </ol>
 *
 * <p><b>Fallbacks</b>, so a missing model never stops decisions: a score or anomaly score that is {@code null} or not
 * finite counts as unavailable. Without the score, rules 1 and 2 are skipped and the anomaly rule decides alone
 * (REVIEW at or above its threshold, else APPROVE; {@link Trigger#ANOMALY_ONLY}). Without the score and without a
 * usable anomaly rule (no anomaly score, or no anomaly threshold), the decision is {@code noScoreDecision} (REVIEW by
 * default: approved, and a person looks; {@link Trigger#NO_SCORE}). Without the anomaly score (or threshold) the
 * classifier decides alone by rules 1, 2 and 4.
 */
public final class FraudDecisionPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Which rule of the precedence decided. */
    public enum Trigger {
        /** The score reached the decline threshold. */
        SCORE_DECLINE,
        /** The score reached the review threshold (and not the decline threshold). */
        SCORE_REVIEW,
        /** The score stayed below the review threshold and the anomaly score reached the anomaly threshold. */
        ANOMALY_REVIEW,
        /** Both rules were usable and neither fired, or only the score was usable and it stayed below review. */
        APPROVE,
        /** No score: the anomaly rule decided alone (REVIEW at or above the anomaly threshold, else APPROVE). */
        ANOMALY_ONLY,
        /** Neither the score nor the anomaly rule was usable: the configured no-score decision. */
        NO_SCORE
    }

    /**
     * A decision and the rule that made it.
     *
     * @param decision what happens to the authorisation
     * @param trigger the rule that decided
     */
    public record Outcome(Decision decision, Trigger trigger) {
        public Outcome {
            Objects.requireNonNull(decision, "decision");
            Objects.requireNonNull(trigger, "trigger");
        }

        /** Whether the anomaly score decided (its contributions are the decision's reasons). */
        public boolean anomalyDecided() {
            return trigger == Trigger.ANOMALY_REVIEW
                    || (trigger == Trigger.ANOMALY_ONLY && decision == Decision.REVIEW);
        }
    }

    private final double reviewThreshold;
    private final double declineThreshold;
    private final Double anomalyThreshold;
    private final Decision noScoreDecision;

    /**
     * @param reviewThreshold score at or above which a transaction is reviewed, in {@code [0, 1]}
     * @param declineThreshold score at or above which it is declined, in {@code [reviewThreshold, 1]}
     * @param anomalyThreshold anomaly score at or above which it is reviewed, finite and {@code >= 0}; {@code null}:
     *     anomalies never trigger a review
     * @param noScoreDecision the decision when neither model can decide
     */
    public FraudDecisionPolicy(
            double reviewThreshold, double declineThreshold, Double anomalyThreshold, Decision noScoreDecision) {
        checkArgument(reviewThreshold >= 0 && reviewThreshold <= 1,
                "review threshold must be in [0, 1]: %s", reviewThreshold);
        checkArgument(declineThreshold >= reviewThreshold && declineThreshold <= 1,
                "decline threshold must be in [review threshold %s, 1]: %s", reviewThreshold, declineThreshold);
        checkArgument(anomalyThreshold == null || (Double.isFinite(anomalyThreshold) && anomalyThreshold >= 0),
                "anomaly threshold must be finite and >= 0: %s", anomalyThreshold);
        this.reviewThreshold = reviewThreshold;
        this.declineThreshold = declineThreshold;
        this.anomalyThreshold = anomalyThreshold;
        this.noScoreDecision = Objects.requireNonNull(noScoreDecision, "noScoreDecision");
    }

    /**
     * Decides one transaction.
     *
     * @param score the supervised model's fraud probability, or {@code null} when it was unavailable
     * @param anomalyScore the autoencoder's anomaly score, or {@code null} when it was unavailable
     */
    public Outcome decide(Double score, Double anomalyScore) {
        boolean hasScore = score != null && Double.isFinite(score);
        boolean anomalyUsable = anomalyThreshold != null && anomalyScore != null && Double.isFinite(anomalyScore);
        boolean anomalous = anomalyUsable && anomalyScore >= anomalyThreshold;
        if (hasScore) {
            if (score >= declineThreshold) {
                return new Outcome(Decision.DECLINE, Trigger.SCORE_DECLINE);
            }
            if (score >= reviewThreshold) {
                return new Outcome(Decision.REVIEW, Trigger.SCORE_REVIEW);
            }
            return anomalous
                    ? new Outcome(Decision.REVIEW, Trigger.ANOMALY_REVIEW)
                    : new Outcome(Decision.APPROVE, Trigger.APPROVE);
        }
        if (anomalyUsable) {
            return new Outcome(anomalous ? Decision.REVIEW : Decision.APPROVE, Trigger.ANOMALY_ONLY);
        }
        return new Outcome(noScoreDecision, Trigger.NO_SCORE);
    }

    public double reviewThreshold() {
        return reviewThreshold;
    }

    public double declineThreshold() {
        return declineThreshold;
    }

    /** The anomaly threshold, or {@code null} when anomalies do not trigger reviews. */
    public Double anomalyThreshold() {
        return anomalyThreshold;
    }

    public Decision noScoreDecision() {
        return noScoreDecision;
    }

    @Override
    public String toString() {
        return "FraudDecisionPolicy{review=" + reviewThreshold + ", decline=" + declineThreshold + ", anomaly="
                + anomalyThreshold + ", noScore=" + noScoreDecision + '}';
    }

    private static void checkArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }
}
