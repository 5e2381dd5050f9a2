package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.explain.TestingExplainModels.Model;
import dev.vigil.operators.explain.TestingExplainModels.OpenModels;
import dev.vigil.operators.inference.OnnxScorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Permutation-sampling Shapley values against real ONNX models in ONNX Runtime. */
class SamplingShapleyTest {

    private static final int F = 8;
    private static OpenModels models;

    @BeforeAll
    static void openModels() throws Exception {
        models = OpenModels.open(F, 31L, 32L);
    }

    @AfterAll
    static void closeModels() throws Exception {
        models.close();
    }

    @Test
    void aLinearModelInLogitSpaceGetsTheClosedFormFromAnyOrderings() throws Exception {
        float[][] background = TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 6, 1L);
        SamplingShapley shapley = SamplingShapley.builder(new OnnxBatchPredictor(models.logisticScorer()))
                .permutations(12) // 6 pairs: every background row once
                .backgroundSize(6)
                .build();

        for (float[] x : TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 4, 2L)) {
            Explanation e = shapley.explain(x, BackgroundSample.of(background));
            double[] expected = KernelShapTest.closedForm(models.logistic(), x, background);

            assertThat(e.estimator()).isEqualTo(Explanation.Estimator.SAMPLING_SHAPLEY);
            assertThat(e.samples()).isEqualTo(12);
            assertThat(e.modelRows()).isLessThanOrEqualTo(1 + 6 + 12L * (F - 1));
            for (int i = 0; i < F; i++) {
                assertThat(e.attribution(i)).as("feature %d", i).isCloseTo(expected[i], within(1e-4));
            }
            assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
        }
    }

    @Test
    void estimatesConvergeToTheExactValuesAsThePermutationsGrow() throws Exception {
        Model wide = TestingExplainModels.mlp(12, 16, 21L);
        try (OnnxScorer scorer = TestingExplainModels.scorer(wide.onnx())) {
            BatchPredictor predictor = new OnnxBatchPredictor(scorer);
            BackgroundSample background = BackgroundSample.of(TestingExplainModels.rows(wide, 8, 7L));
            float[][] rows = TestingExplainModels.rows(wide, 4, 8L);
            KernelShap exact = KernelShap.builder(predictor).maxCoalitions(4094).build();
            double[][] truth = new double[rows.length][];
            double[] base = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                Explanation e = exact.explain(rows[r], background);
                truth[r] = e.attributions();
                base[r] = e.baseValue();
            }

            int[] permutations = {32, 512, 4096};
            double[] error = new double[permutations.length];
            for (int k = 0; k < permutations.length; k++) {
                for (long seed = 1; seed <= 3; seed++) {
                    SamplingShapley sampled =
                            SamplingShapley.builder(predictor).permutations(permutations[k]).backgroundSize(8)
                                    .seed(seed).build();
                    for (int r = 0; r < rows.length; r++) {
                        Explanation e = sampled.explain(rows[r], background);
                        assertThat(e.baseValue()).isCloseTo(base[r], within(1e-12));
                        assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
                        error[k] += KernelShapTest.rmse(e.attributions(), truth[r]);
                    }
                }
            }
            for (int k = 1; k < permutations.length; k++) {
                assertThat(error[k]).as("error at %d vs %d permutations", permutations[k], permutations[k - 1])
                        .isLessThan(error[k - 1]);
            }
            assertThat(error[permutations.length - 1]).isLessThan(error[0] / 3);
        }
    }

    @Test
    void onAnMlpEfficiencyHoldsAndAnUnusedFeatureGetsExactlyZero() throws Exception {
        BackgroundSample background = BackgroundSample.of(TestingExplainModels.rows(models.mlp(), 8, 3L));
        SamplingShapley shapley = SamplingShapley.builder(new OnnxBatchPredictor(models.mlpScorer()))
                .permutations(32)
                .backgroundSize(8)
                .build();

        for (float[] x : TestingExplainModels.rows(models.mlp(), 5, 4L)) {
            Explanation e = shapley.explain(x, background);

            assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-5));
            assertThat(e.attribution(TestingExplainModels.UNUSED)).isCloseTo(0.0, within(1e-6));
            assertThat(e.exact()).isFalse();
        }
    }

    @Test
    void pairsAreRoundedDownToUseEveryBackgroundRowEquallyOften() throws Exception {
        BackgroundSample background = BackgroundSample.of(TestingExplainModels.rows(models.mlp(), 4, 7L));
        SamplingShapley shapley = SamplingShapley.builder(new OnnxBatchPredictor(models.mlpScorer()))
                .permutations(22) // 11 pairs -> 8
                .backgroundSize(4)
                .build();

        Explanation e = shapley.explain(TestingExplainModels.rows(models.mlp(), 1, 8L)[0], background);

        assertThat(e.samples()).isEqualTo(16);
        assertThat(e.modelRows()).isEqualTo(1 + 4 + 16L * (F - 1));
    }

    @Test
    void theSameSeedGivesTheSameResultWhateverCameBefore() throws Exception {
        BackgroundSample background = BackgroundSample.of(TestingExplainModels.rows(models.mlp(), 4, 9L));
        float[][] rows = TestingExplainModels.rows(models.mlp(), 2, 10L);
        BatchPredictor predictor = new OnnxBatchPredictor(models.mlpScorer());
        SamplingShapley first = SamplingShapley.builder(predictor).permutations(8).backgroundSize(4).seed(1).build();
        SamplingShapley second = SamplingShapley.builder(predictor).permutations(8).backgroundSize(4).seed(1).build();
        SamplingShapley other = SamplingShapley.builder(predictor).permutations(8).backgroundSize(4).seed(2).build();

        double[] a = first.explain(rows[0], background).attributions();
        second.explain(rows[1], background);
        double[] b = second.explain(rows[0], background).attributions();
        double[] c = other.explain(rows[0], background).attributions();

        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void invalidParametersAreRejected() {
        BatchPredictor predictor = new OnnxBatchPredictor(models.mlpScorer());
        assertThatThrownBy(() -> SamplingShapley.builder(predictor).permutations(0).backgroundSize(1).build())
                .hasMessageContaining("permutations");
        assertThatThrownBy(() -> SamplingShapley.builder(predictor).permutations(7).backgroundSize(1).build())
                .hasMessageContaining("even");
        assertThatThrownBy(() -> SamplingShapley.builder(predictor).permutations((1 << 16) + 2).build())
                .hasMessageContaining("permutations");
        assertThatThrownBy(() -> SamplingShapley.builder(predictor).backgroundSize(0).build())
                .hasMessageContaining("backgroundSize");
        assertThatThrownBy(() -> SamplingShapley.builder(predictor).permutations(6).backgroundSize(4).build())
                .hasMessageContaining("at least twice backgroundSize");
        assertThatThrownBy(() -> SamplingShapley.builder(predictor).groups(FeatureGroups.singletons(3)).build())
                .hasMessageContaining("features");
    }
}
