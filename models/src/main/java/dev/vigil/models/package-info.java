/**
 * Everything about a model that is not streaming: no Flink dependency.
 *
 * <ul>
 *   <li>{@link dev.vigil.models.data} — online standardization (Welford / Chan et al.).
 *   <li>{@link dev.vigil.models.linear} — logistic regression: forward pass, contributions, loss gradients.
 *   <li>{@link dev.vigil.models.loss} — stable logistic functions and class weights.
 *   <li>{@link dev.vigil.models.optim} — the {@link dev.vigil.models.optim.Optimizer} interface, SGD, Adam,
 *       learning-rate schedules, gradient clipping.
 *   <li>{@link dev.vigil.models.train} — minibatch training with early stopping.
 *   <li>{@link dev.vigil.models.metrics} — AUROC, average precision, Brier score, log loss, confusion matrices.
 *   <li>{@link dev.vigil.models.onnx} — ONNX export with the interface of docs/CONTRACTS.md, and model provenance.
 *   <li>{@link dev.vigil.models.util} — argument checks and SHA-256.
 * </ul>
 */
package dev.vigil.models;
