/**
 * When to retrain: the retrain trigger turns labelled examples and drift events into retrain requests.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.retrain.RetrainTrigger}: the decision, plain Java: tumbling event-time windows with
 *       a minimum of labelled examples, drift events, a prequential-metric drop against the watched version's
 *       baseline, a schedule and a cooldown; state in {@link dev.vigil.operators.retrain.RetrainState}.
 *   <li>{@link dev.vigil.operators.retrain.RetrainTriggerFunction}: the keyed Flink operator around it, with the
 *       explicit {@link dev.vigil.operators.retrain.RetrainStateSerializer}.
 *   <li>{@link dev.vigil.operators.retrain.RetrainOptions} ({@code vigil.retrain.*}) and {@link
 *       dev.vigil.operators.retrain.RetrainSettings}.
 * </ul>
 *
 * <p>Output: {@code dev.vigil.schema.monitor.RetrainRequest}. The windowed trainer that acts on the requests is not
 * here yet (docs/REGISTRY.md).
 */
package dev.vigil.operators.retrain;
