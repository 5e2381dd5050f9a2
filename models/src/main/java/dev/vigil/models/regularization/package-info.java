/**
 * L1, L2 and elastic-net penalties ({@link dev.vigil.models.regularization.Regularizer}, {@link
 * dev.vigil.models.regularization.ElasticNet}) for any first-order optimizer: the L2 part enters the gradient, the L1
 * part is a proximal (soft-thresholding) step after the optimizer's, so weights reach exactly zero. {@link
 * dev.vigil.models.regularization.RegularizedOptimizer} puts gradient clipping, the penalty and an optimizer together
 * in the order an online learner needs.
 */
package dev.vigil.models.regularization;
