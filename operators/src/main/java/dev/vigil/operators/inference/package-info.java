/**
 * In-process model scoring.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.inference.OnnxScorer}: the servable. One ONNX Runtime session for one model version,
 *       opened from {@link dev.vigil.operators.inference.ModelBytes} whose sha-256 was checked against a {@link
 *       dev.vigil.operators.inference.ModelRef}; no Flink DataStream dependency.
 *   <li>{@link dev.vigil.operators.inference.MicroBatchOperator}: the thin Flink shell. Buffers records into batches
 *       (size, time, watermark, checkpoint, end of input) and hands each to a {@link
 *       dev.vigil.operators.inference.BatchFunction}, such as {@link
 *       dev.vigil.operators.inference.OnnxScoringFunction}.
 *   <li>{@link dev.vigil.operators.inference.InferenceOptions}: the typed settings ({@code vigil.inference.*}).
 *   <li>{@link dev.vigil.operators.inference.OrtEnvironments}: the one ONNX Runtime environment per JVM, never closed
 *       by operators.
 * </ul>
 */
package dev.vigil.operators.inference;
