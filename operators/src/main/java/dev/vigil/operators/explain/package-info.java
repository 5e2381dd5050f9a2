/**
 * Model-agnostic Shapley explanations of single scores, computed against the live model with a background sample, for
 * the few events that need them (alerts, declines) rather than on the scoring hot path.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.explain.KernelShap} (Lundberg and Lee 2017) and {@link
 *       dev.vigil.operators.explain.SamplingShapley} (Štrumbelj and Kononenko 2014): bounded-cost estimators over a
 *       {@link dev.vigil.operators.explain.BatchPredictor}, such as {@link
 *       dev.vigil.operators.explain.OnnxBatchPredictor} on the scoring {@code OnnxScorer}; {@link
 *       dev.vigil.operators.explain.LinearShapley}, the closed form for logistic models.
 *   <li>{@link dev.vigil.operators.explain.FeatureGroups}: features explained together as one player ({@link
 *       dev.vigil.operators.explain.IcuFeatureGroups#clinical()}: 76 ICU features as ten reasons).
 *   <li>{@link dev.vigil.operators.explain.BackgroundSample}: a seeded, checkpointable reservoir of feature rows.
 *   <li>{@link dev.vigil.operators.explain.Explanation}: attributions, base value and cost, and the top {@code Reason}s.
 *   <li>{@link dev.vigil.operators.explain.ExplainOptions}: the typed settings ({@code vigil.explain.*}).
 * </ul>
 *
 * Plain Java with no DataStream dependency: a scoring function holds an explainer beside its scorer.
 */
package dev.vigil.operators.explain;
