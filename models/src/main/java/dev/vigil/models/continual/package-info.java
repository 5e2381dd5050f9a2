/**
 * Online continual learning, framework-free: {@link dev.vigil.models.continual.OnlineLearner} trains a {@link
 * dev.vigil.models.core.DifferentiableModel} prequentially (test, then train) with an online standardizer, an
 * optimizer, optional regularization, clipping and class weights, and two switchable guards against catastrophic
 * forgetting, experience replay from a reservoir sample and elastic weight consolidation. Its whole mutable state is a
 * {@link dev.vigil.models.continual.LearnerState} of plain arrays, written compactly by {@link
 * dev.vigil.models.continual.LearnerStateSerializer}, so a Flink operator can checkpoint it and resume bit-for-bit.
 * {@link dev.vigil.models.continual.ForgettingExperiment} measures forgetting on recurring concepts
 * (docs/CONTINUAL_LEARNING.md).
 */
package dev.vigil.models.continual;
