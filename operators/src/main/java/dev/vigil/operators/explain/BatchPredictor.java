package dev.vigil.operators.explain;

import ai.onnxruntime.OrtException;

/**
 * A model seen from the explainers: the output for many feature rows in one call. The explainers put every coalition
 * of an explanation through one implementation in as few calls as their row budget allows, so an implementation should
 * make one model call per {@link #predict} (see {@link OnnxBatchPredictor}, which runs the live {@code OrtSession}).
 *
 * <p>The output is the model's raw score for the positive class, a probability for the ONNX models of
 * docs/CONTRACTS.md; the explainers apply the {@link OutputSpace} link themselves.
 */
public interface BatchPredictor {

    /** F, the width of every row. */
    int featureCount();

    /**
     * Writes the model output of rows {@code 0 .. n-1} of {@code rows} to {@code out[0 .. n-1]}. {@code rows} and
     * {@code out} may be larger than {@code n} and are reused by the caller between calls; an implementation must not
     * keep references to them.
     *
     * @throws OrtException if ONNX Runtime fails
     */
    void predict(float[][] rows, int n, double[] out) throws OrtException;
}
