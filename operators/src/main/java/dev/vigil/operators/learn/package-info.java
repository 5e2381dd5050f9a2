/**
 * The online learner: joined examples in, model versions out.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.learn.OnlineLearnerOperator}: the Flink operator (parallelism 1, one global model)
 *       that trains on {@link dev.vigil.schema.common.LabeledExample}s, checkpoints the learner in operator state and
 *       publishes versions to a {@link dev.vigil.models.registry.ModelRegistry}, announcing each as a {@link
 *       dev.vigil.schema.common.ModelUpdate} for {@code vigil.models.control}.
 *   <li>{@link dev.vigil.operators.learn.VersionedLearner}: its framework-free core, an {@link
 *       dev.vigil.models.continual.OnlineLearner} plus the bookkeeping of published versions (window, counts, parent),
 *       with warm start from a bundled logistic model.
 *   <li>{@link dev.vigil.operators.learn.LearnerOptions} ({@code vigil.learner.*}) read into {@link
 *       dev.vigil.operators.learn.LearnerSettings}; {@link dev.vigil.operators.learn.RegistryFactory} creates the
 *       registry on the TaskManager; {@link dev.vigil.operators.learn.LearnerMetrics} names the metrics.
 * </ul>
 */
package dev.vigil.operators.learn;
