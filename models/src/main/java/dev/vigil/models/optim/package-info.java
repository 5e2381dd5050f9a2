/**
 * First-order optimizers for streaming learners, each as published and cited in its Javadoc: {@link
 * dev.vigil.models.optim.Sgd}, {@link dev.vigil.models.optim.Momentum}, {@link dev.vigil.models.optim.Nesterov},
 * {@link dev.vigil.models.optim.AdaGrad}, {@link dev.vigil.models.optim.RMSprop}, {@link dev.vigil.models.optim.Adam},
 * {@link dev.vigil.models.optim.AdamW} and {@link dev.vigil.models.optim.Ftrl} (FTRL-Proximal), all behind {@link
 * dev.vigil.models.optim.Optimizer} and built by name from an {@link dev.vigil.models.optim.OptimizerSpec} with {@link
 * dev.vigil.models.optim.Optimizers}. Their mutable state is an {@link dev.vigil.models.optim.OptimizerState} of plain
 * arrays, so a learner's checkpoint restores them bit for bit.
 *
 * <p>Also: {@link dev.vigil.models.optim.LearningRateSchedule}s, {@link dev.vigil.models.optim.GradientClipping},
 * {@link dev.vigil.models.optim.ParameterMask} (which parameters a penalty touches), and {@link
 * dev.vigil.models.optim.Lbfgs} for windowed batch training on a {@link
 * dev.vigil.models.optim.DifferentiableFunction}. Regularizers live in {@link dev.vigil.models.regularization}.
 */
package dev.vigil.models.optim;
