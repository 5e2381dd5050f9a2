/**
 * The delayed-label join: predictions wait in keyed state until their label is known and leave as {@link
 * dev.vigil.schema.common.LabeledExample}s for prequential evaluation and online training.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.label.LabelJoin}: the entry point (factories, the dead-letter side output, prediction
 *       ids).
 *   <li>{@link dev.vigil.operators.label.HorizonLabeler} over {@link dev.vigil.operators.label.HorizonState}: the
 *       horizon rule as plain Java (positive when an adverse event occurs within the horizon, negative when event time
 *       passes it, closes and lateness); no Flink dependency, tested on its own.
 *   <li>{@link dev.vigil.operators.label.OutcomeLabelJoinFunction}: the thin Flink shell of the ICU horizon join
 *       (predictions × clinical outcomes, keyed by patient id; event-time timers for negatives, processing-time
 *       timers for expiry).
 *   <li>{@link dev.vigil.operators.label.FeedbackLabelJoinFunction}: the join by prediction id for feedback that names
 *       its prediction (investigators, chat agents, chargebacks), read through {@link
 *       dev.vigil.operators.label.FeedbackLabels}.
 *   <li>{@link dev.vigil.operators.label.LabelOptions}: the typed settings ({@code vigil.labels.*}); {@link
 *       dev.vigil.operators.label.LabelReasons} and {@link dev.vigil.operators.label.LabelJoinMetrics}: the stable
 *       dead-letter reasons and metric names.
 * </ul>
 */
package dev.vigil.operators.label;
