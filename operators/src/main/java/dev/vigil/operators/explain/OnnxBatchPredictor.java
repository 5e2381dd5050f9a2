package dev.vigil.operators.explain;

import ai.onnxruntime.OrtException;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import org.apache.flink.util.Preconditions;

/**
 * A {@link BatchPredictor} over the live {@link OnnxScorer}: one {@link OnnxScorer#score} call (one ONNX Runtime run on
 * the scorer's session and reused native input buffer) per {@link #predict}, reading the {@code probability} output.
 *
 * <p>Does not own the scorer: closing the scorer is the caller's business, and the predictor must not be used after
 * it. Not thread-safe, like the scorer; use it from the thread that scores.
 */
public final class OnnxBatchPredictor implements BatchPredictor {

    private final OnnxScorer scorer;

    public OnnxBatchPredictor(OnnxScorer scorer) {
        this.scorer = Preconditions.checkNotNull(scorer, "scorer");
    }

    @Override
    public int featureCount() {
        return scorer.featureCount();
    }

    @Override
    public void predict(float[][] rows, int n, double[] out) throws OrtException {
        Preconditions.checkArgument(out.length >= n, "out holds %s values, %s needed", out.length, n);
        ScoreBatch scores = scorer.score(rows, n);
        for (int i = 0; i < n; i++) {
            out[i] = scores.probability(i);
        }
    }

    @Override
    public String toString() {
        return "OnnxBatchPredictor{" + scorer + '}';
    }
}
