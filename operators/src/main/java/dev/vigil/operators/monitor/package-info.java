/**
 * Drift and fairness monitors: thin, checkpointed Flink operators around the plain-Java detectors of {@link
 * dev.vigil.operators.drift} and the fairness metrics of {@link dev.vigil.operators.fairness}.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.monitor.Monitors}: the entry point pipelines call; returns the {@link
 *       dev.vigil.schema.monitor.DriftEvent} and {@link dev.vigil.schema.monitor.FairnessWindowReport} streams.
 *   <li>{@link dev.vigil.operators.monitor.MonitorSignals}: labelled examples and predictions to {@link
 *       dev.vigil.operators.monitor.MonitorSignal}s (0/1 error, Brier score, log loss, score, features), named by
 *       {@link dev.vigil.operators.monitor.SignalKind}.
 *   <li>{@link dev.vigil.operators.monitor.DriftMonitorFunction}: one detector per signal in keyed state, fed in
 *       event-time order (buffered until the watermark passes), so replays detect at the same indices.
 *   <li>{@link dev.vigil.operators.monitor.FairnessObservations} and {@link
 *       dev.vigil.operators.monitor.FairnessMonitorFunction}: per-attribute sliding event-time windows over {@link
 *       dev.vigil.operators.monitor.FairnessPane}s, a report per window and an alert once a gap stays significant.
 *   <li>{@link dev.vigil.operators.monitor.MonitorOptions} ({@code vigil.monitor.*}), read into {@link
 *       dev.vigil.operators.monitor.DriftSettings} and {@link dev.vigil.operators.monitor.FairnessSettings}; {@link
 *       dev.vigil.operators.monitor.MonitorReasons} and {@link dev.vigil.operators.monitor.MonitorMetrics}: stable
 *       reason codes and metric names.
 * </ul>
 */
package dev.vigil.operators.monitor;
