package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.explain.TestingExplainModels.Logistic;
import dev.vigil.operators.inference.OnnxScorer;
import org.junit.jupiter.api.Test;

class OnnxBatchPredictorTest {

    @Test
    void predictsTheScorersProbabilitiesForTheFirstNRows() throws Exception {
        Logistic model = TestingExplainModels.logistic(5, 51L);
        float[][] rows = TestingExplainModels.rows(TestingExplainModels.model(model), 7, 1L);
        try (OnnxScorer scorer = TestingExplainModels.scorer(model.onnx())) {
            OnnxBatchPredictor predictor = new OnnxBatchPredictor(scorer);
            double[] out = new double[10];
            out[5] = -1;

            predictor.predict(rows, 5, out);

            assertThat(predictor.featureCount()).isEqualTo(5);
            var batch = scorer.score(rows, 5);
            for (int i = 0; i < 5; i++) {
                assertThat(out[i]).isEqualTo(batch.probability(i));
                // ONNX Runtime's kernels may round a row differently in another batch: not bit for bit.
                assertThat(out[i]).isCloseTo(scorer.score(new float[][] {rows[i]}, 1).probability(0), within(1e-6));
            }
            assertThat(out[5]).isEqualTo(-1);
            assertThatThrownBy(() -> predictor.predict(rows, 7, new double[6])).hasMessageContaining("out holds");
        }
    }
}
