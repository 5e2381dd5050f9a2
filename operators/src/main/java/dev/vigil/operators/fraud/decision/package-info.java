/**
 * Fraud decisions: from the classifier's probability and the autoencoder's anomaly score to APPROVE / REVIEW /
 * DECLINE with reasons.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.fraud.decision.FraudDecisionPolicy}: the rule (thresholds, precedence, fallbacks
 *       when a model is unavailable), plain Java.
 *   <li>{@link dev.vigil.operators.fraud.decision.FraudReasons}: the top contributions of the model that decided, as
 *       {@code Reason}s, plain Java.
 *   <li>{@link dev.vigil.operators.fraud.decision.FraudDecisionOptions} ({@code vigil.fraud.decision.*}).
 *   <li>{@link dev.vigil.operators.fraud.decision.DecidedTransaction}: the scorer's output, a decision with its
 *       features.
 * </ul>
 */
package dev.vigil.operators.fraud.decision;
