/**
 * Fraud features: exact event-time sliding-window features per account, as keyed Flink state.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.fraud.FraudFeatures}: the feature schema (names, order, definitions, fingerprint).
 *   <li>{@link dev.vigil.operators.fraud.FraudFeatureExtractor} over {@link dev.vigil.operators.fraud.AccountHistory}
 *       (with {@link dev.vigil.operators.fraud.NoveltyMemory} and {@link dev.vigil.operators.fraud.MccRiskTable}): the
 *       computation as plain Java, no Flink dependency, tested against a brute-force oracle.
 *   <li>{@link dev.vigil.operators.fraud.FraudFeatureFunction}: the thin Flink shell, keyed by account id — buffers
 *       transactions until the watermark passes them, applies them in event-time order, emits a {@link
 *       dev.vigil.operators.fraud.FraudSnapshot} per transaction, rejects late ones as {@link
 *       dev.vigil.operators.fraud.RejectedTransaction}s, and bounds its state (cap, TTL, event-time cleanup timers).
 *   <li>{@link dev.vigil.operators.fraud.FraudFeatureOptions} ({@code vigil.fraud.features.*}) read into {@link
 *       dev.vigil.operators.fraud.FraudFeatureSettings}.
 *   <li>{@link dev.vigil.operators.fraud.TransactionEvent}: the input, mapped by the job from the Avro transaction.
 * </ul>
 */
package dev.vigil.operators.fraud;
