package dev.vigil.operators.explain;

import ai.onnxruntime.OrtException;

/**
 * Explains one model output with Shapley values against a background sample. Implementations hold reusable buffers
 * and are not thread-safe: one per scoring operator instance, bound to one model version (build a new one when the
 * model is swapped). An explanation depends only on the row, the background's contents and the seed, never on
 * earlier explanations, so a restarted job explains a replayed row the same way.
 */
public interface Explainer {

    /**
     * The attributions of {@code x}'s output, one per {@link #groups() group}.
     *
     * @param x the explained row, {@code groups().featureCount()} values; not modified, not kept
     * @param background the rows missing players are drawn from; must not be empty
     * @throws OrtException if the model fails
     */
    Explanation explain(float[] x, BackgroundSample background) throws OrtException;

    /** The players. */
    FeatureGroups groups();

    /** The space of the attributions. */
    OutputSpace outputSpace();
}
