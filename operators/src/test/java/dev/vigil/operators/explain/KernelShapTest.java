package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.explain.TestingExplainModels.Logistic;
import dev.vigil.operators.explain.TestingExplainModels.Model;
import dev.vigil.operators.explain.TestingExplainModels.OpenModels;
import dev.vigil.operators.inference.OnnxScorer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Kernel SHAP against real ONNX models in ONNX Runtime. */
class KernelShapTest {

    private static final int F = 8;
    private static OpenModels models;

    @BeforeAll
    static void openModels() throws Exception {
        models = OpenModels.open(F, 11L, 12L);
    }

    @AfterAll
    static void closeModels() throws Exception {
        models.close();
    }

    @Test
    void exactEnumerationInLogitSpaceEqualsTheLinearClosedFormPerFeature() throws Exception {
        float[][] background = TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 24, 1L);
        KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(models.logisticScorer()))
                .outputSpace(OutputSpace.LOGIT)
                .maxCoalitions(254)
                .backgroundSize(32)
                .build();

        for (float[] x : TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 5, 2L)) {
            Explanation e = shap.explain(x, BackgroundSample.of(background));
            double[] expected = closedForm(models.logistic(), x, background);

            assertThat(e.exact()).isTrue();
            assertThat(e.samples()).isEqualTo(254);
            assertThat(e.names()).isEqualTo(TestingExplainModels.names(F));
            for (int i = 0; i < F; i++) {
                assertThat(e.attribution(i)).as("feature %d", i).isCloseTo(expected[i], within(1e-4));
            }
            assertThat(e.prediction()).isCloseTo(logit(models.logistic(), x), within(1e-4));
            assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
        }
    }

    @Test
    void exactEnumerationOverGroupsEqualsTheGroupSumsOfTheClosedForm() throws Exception {
        FeatureGroups groups = FeatureGroups.builder(TestingExplainModels.names(F))
                .group("a", "f2", "f0", "f1")
                .group("b", "f3")
                .group("c", "f4", "f5")
                .group("d", "f6", "f7")
                .build();
        float[][] background = TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 16, 3L);
        KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(models.logisticScorer())).groups(groups).build();

        for (float[] x : TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 5, 4L)) {
            Explanation e = shap.explain(x, BackgroundSample.of(background));
            double[] perFeature = closedForm(models.logistic(), x, background);

            assertThat(e.exact()).isTrue();
            assertThat(e.samples()).isEqualTo(14);
            assertThat(e.names()).containsExactly("a", "b", "c", "d");
            assertThat(e.attribution("a")).isCloseTo(perFeature[0] + perFeature[1] + perFeature[2], within(1e-4));
            assertThat(e.attribution("b")).isCloseTo(perFeature[3], within(1e-4));
            assertThat(e.attribution("c")).isCloseTo(perFeature[4] + perFeature[5], within(1e-4));
            assertThat(e.attribution("d")).isCloseTo(perFeature[6] + perFeature[7], within(1e-4));
            assertThat(e.value(0)).as("the representative's value").isEqualTo(x[2]);
        }
    }

    @Test
    void theBundledIcuModelWithClinicalGroupsMatchesItsClosedForm() throws Exception {
        byte[] onnx;
        try (var in = KernelShapTest.class.getResourceAsStream("/dev/vigil/models/icu/icu-deterioration.onnx")) {
            onnx = in.readAllBytes();
        }
        var imported = dev.vigil.models.onnx.OnnxImport.logistic(onnx);
        Model icu = new Model(onnx, imported.mean(), imported.std());
        FeatureGroups groups = IcuFeatureGroups.clinical();
        float[][] background = TestingExplainModels.rows(icu, 40, 5L);
        try (OnnxScorer scorer = TestingExplainModels.scorer(onnx)) {
            KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(scorer))
                    .groups(groups)
                    .maxCoalitions(1024)
                    .backgroundSize(24)
                    .seed(9L)
                    .build();
            LinearShapley linear = LinearShapley.fromOnnx(onnx, groups, 24, 9L);

            for (float[] x : TestingExplainModels.rows(icu, 3, 6L)) {
                BackgroundSample sample = BackgroundSample.of(background);
                Explanation e = shap.explain(x, sample);
                Explanation expected = linear.explain(x, sample);

                assertThat(e.exact()).isTrue();
                assertThat(e.samples()).isEqualTo(1022);
                assertThat(e.modelRows()).isLessThanOrEqualTo(1 + 24 + 1022L * 24);
                assertThat(e.names()).isEqualTo(groups.groupNames());
                for (int g = 0; g < groups.groupCount(); g++) {
                    assertThat(e.attribution(g))
                            .as("group %s", groups.groupName(g))
                            .isCloseTo(expected.attribution(g), within(1e-4));
                }
                assertThat(e.baseValue()).isCloseTo(expected.baseValue(), within(1e-4));
            }
        }
    }

    @Test
    void sampledEstimatesConvergeToTheExactValuesAsTheBudgetGrows() throws Exception {
        Model wide = TestingExplainModels.mlp(12, 16, 21L);
        try (OnnxScorer scorer = TestingExplainModels.scorer(wide.onnx())) {
            BatchPredictor predictor = new OnnxBatchPredictor(scorer);
            BackgroundSample background = BackgroundSample.of(TestingExplainModels.rows(wide, 8, 7L));
            float[][] rows = TestingExplainModels.rows(wide, 4, 8L);
            KernelShap exact = KernelShap.builder(predictor).maxCoalitions(4094).build();
            double[][] truth = new double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                truth[r] = exact.explain(rows[r], background).attributions();
            }

            int[] budgets = {32, 128, 512, 2048};
            double[] error = new double[budgets.length];
            for (int k = 0; k < budgets.length; k++) {
                for (long seed = 1; seed <= 3; seed++) {
                    KernelShap sampled = KernelShap.builder(predictor).maxCoalitions(budgets[k]).seed(seed).build();
                    for (int r = 0; r < rows.length; r++) {
                        Explanation e = sampled.explain(rows[r], background);
                        assertThat(e.exact()).isFalse();
                        assertThat(e.samples()).isLessThanOrEqualTo(budgets[k]);
                        assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
                        error[k] += rmse(e.attributions(), truth[r]);
                    }
                }
            }
            for (int k = 1; k < budgets.length; k++) {
                assertThat(error[k]).as("error at %d vs %d coalitions", budgets[k], budgets[k - 1])
                        .isLessThan(error[k - 1]);
            }
            assertThat(error[budgets.length - 1]).isLessThan(error[0] / 4);
        }
    }

    /**
     * In logit space the tolerance is wider: the model outputs a float32 probability, whose rounding (about 6e-8)
     * becomes {@code 6e-8 / (p (1 - p))} in log-odds.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"LOGIT, 1e-5", "PROBABILITY, 1e-6"})
    void onAnMlpEfficiencySymmetryAndDummyHold(OutputSpace space, double tolerance) throws Exception {
        float[][] background = TestingExplainModels.twinRows(models.mlp(), 16, 9L);
        BackgroundSample sample = BackgroundSample.of(background);
        BatchPredictor predictor = new OnnxBatchPredictor(models.mlpScorer());
        KernelShap exact = KernelShap.builder(predictor).outputSpace(space).maxCoalitions(254).build();
        KernelShap sampled = KernelShap.builder(predictor).outputSpace(space).maxCoalitions(40).build();

        for (float[] x : TestingExplainModels.twinRows(models.mlp(), 5, 10L)) {
            Explanation e = exact.explain(x, sample);
            assertThat(e.exact()).isTrue();
            assertThat(e.prediction()).isCloseTo(output(space, models.mlpScorer(), x), within(1e-6));
            assertThat(e.baseValue()).isCloseTo(meanOutput(space, models.mlpScorer(), background), within(1e-6));
            assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-5));
            assertThat(e.attribution(TestingExplainModels.TWIN_A))
                    .isCloseTo(e.attribution(TestingExplainModels.TWIN_B), within(tolerance));
            assertThat(e.attribution(TestingExplainModels.UNUSED)).isCloseTo(0.0, within(tolerance));
            assertThat(Math.abs(e.attribution(TestingExplainModels.TWIN_A))).isGreaterThan(100 * tolerance);

            Explanation approximate = sampled.explain(x, sample);
            assertThat(approximate.exact()).isFalse();
            assertThat(approximate.efficiencyGap()).isCloseTo(0.0, within(1e-5));
        }
    }

    @Test
    void inProbabilitySpaceTheAttributionsAddUpToTheProbabilityGap() throws Exception {
        float[][] background = TestingExplainModels.rows(models.mlp(), 16, 13L);
        KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(models.mlpScorer()))
                .outputSpace(OutputSpace.PROBABILITY)
                .maxCoalitions(254)
                .build();
        float[] x = TestingExplainModels.rows(models.mlp(), 1, 14L)[0];

        Explanation e = shap.explain(x, BackgroundSample.of(background));

        assertThat(e.outputSpace()).isEqualTo(OutputSpace.PROBABILITY);
        assertThat(e.prediction())
                .isCloseTo(models.mlpScorer().score(new float[][] {x}, 1).probability(0), within(1e-7));
        assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void playersEqualToEveryBackgroundRowGetZeroAndShrinkTheDesign() throws Exception {
        float[][] background = TestingExplainModels.rows(models.mlp(), 10, 15L);
        float[] x = TestingExplainModels.rows(models.mlp(), 1, 16L)[0];
        for (float[] row : background) {
            row[5] = x[5];
        }
        KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(models.mlpScorer())).maxCoalitions(254).build();

        Explanation e = shap.explain(x, BackgroundSample.of(background));

        assertThat(e.attribution(5)).isZero();
        assertThat(e.samples()).isEqualTo(126); // 2^7 - 2: seven players left
        assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void theSameSeedGivesTheSameResultWhateverCameBefore() throws Exception {
        BackgroundSample background = BackgroundSample.of(TestingExplainModels.rows(models.mlp(), 12, 17L));
        float[][] rows = TestingExplainModels.rows(models.mlp(), 2, 18L);
        BatchPredictor predictor = new OnnxBatchPredictor(models.mlpScorer());
        KernelShap first = KernelShap.builder(predictor).maxCoalitions(48).seed(5).build();
        KernelShap second = KernelShap.builder(predictor).maxCoalitions(48).seed(5).build();
        KernelShap other = KernelShap.builder(predictor).maxCoalitions(48).seed(6).build();

        double[] a = first.explain(rows[0], background).attributions();
        second.explain(rows[1], background);
        double[] b = second.explain(rows[0], background).attributions();
        double[] c = other.explain(rows[0], background).attributions();

        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void costIsBoundedAndTheBackgroundIsEvaluatedOncePerChange() throws Exception {
        BackgroundSample background = new BackgroundSample(8, F, 3L);
        for (float[] row : TestingExplainModels.rows(models.mlp(), 8, 19L)) {
            background.offer(row);
        }
        KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(models.mlpScorer()))
                .maxCoalitions(50)
                .backgroundSize(8)
                .batchRows(100)
                .build();
        float[] x = TestingExplainModels.rows(models.mlp(), 1, 20L)[0];

        Explanation first = shap.explain(x, background);
        Explanation second = shap.explain(x, background);
        background.offer(x);
        background.offer(TestingExplainModels.rows(models.mlp(), 1, 21L)[0]);
        Explanation afterChange = shap.explain(x, background);

        long coalitionRows = 8L * first.samples();
        assertThat(first.samples()).isBetween(40, 50);
        assertThat(first.modelRows()).isEqualTo(1 + 8 + coalitionRows);
        assertThat(first.modelCalls()).isEqualTo((int) ((first.modelRows() + 99) / 100));
        assertThat(second.modelRows()).isEqualTo(1 + coalitionRows);
        assertThat(second.attributions()).containsExactly(first.attributions());
        assertThat(afterChange.modelRows()).isEqualTo(1 + 8 + 8L * afterChange.samples());
    }

    @Test
    void aLargerSampleIsSubsampledAsTheLinearClosedFormSubsamplesIt() throws Exception {
        float[][] rows = TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 50, 22L);
        BackgroundSample background = BackgroundSample.of(rows);
        KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(models.logisticScorer()))
                .maxCoalitions(254)
                .backgroundSize(10)
                .seed(4)
                .build();
        LinearShapley linear = LinearShapley.fromOnnx(models.logistic().onnx(), FeatureGroups.singletons(F), 10, 4);
        float[] x = TestingExplainModels.rows(TestingExplainModels.model(models.logistic()), 1, 23L)[0];

        Explanation e = shap.explain(x, background);
        Explanation expected = linear.explain(x, background);

        assertThat(e.modelRows()).isEqualTo(1 + 10 + 254 * 10);
        for (int i = 0; i < F; i++) {
            assertThat(e.attribution(i)).isCloseTo(expected.attribution(i), within(1e-4));
        }
    }

    @Test
    void invalidParametersAndInputsAreRejected() {
        BatchPredictor predictor = new OnnxBatchPredictor(models.mlpScorer());
        assertThatThrownBy(() -> KernelShap.builder(predictor).maxCoalitions(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCoalitions");
        assertThatThrownBy(() -> KernelShap.builder(predictor).maxCoalitions((1 << 20) + 1).build())
                .hasMessageContaining("maxCoalitions");
        assertThatThrownBy(() -> KernelShap.builder(predictor).backgroundSize(0).build())
                .hasMessageContaining("backgroundSize");
        assertThatThrownBy(() -> KernelShap.builder(predictor).batchRows(0).build())
                .hasMessageContaining("batchRows");
        assertThatThrownBy(() -> KernelShap.builder(predictor).groups(FeatureGroups.singletons(F + 1)).build())
                .hasMessageContaining("features");
        assertThatThrownBy(() -> KernelShap.builder(null)).isInstanceOf(NullPointerException.class);

        KernelShap shap = KernelShap.builder(predictor).build();
        BackgroundSample background = BackgroundSample.of(TestingExplainModels.rows(models.mlp(), 4, 1L));
        assertThatThrownBy(() -> shap.explain(new float[F - 1], background)).hasMessageContaining("features");
        assertThatThrownBy(() -> shap.explain(new float[F], new BackgroundSample(4, F, 1L)))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> shap.explain(new float[F], new BackgroundSample(4, F + 1, 1L)))
                .hasMessageContaining("background");
    }

    // ------------------------------------------------------------------------------------------------------------

    /** {@code w_i / sigma_i (x_i - mean_b z_i)}, computed here independently of {@link LinearShapley}. */
    static double[] closedForm(Logistic model, float[] x, float[][] background) {
        double[] phi = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (float[] z : background) {
                mean += z[i];
            }
            mean /= background.length;
            phi[i] = model.weights()[i] / model.std()[i] * (x[i] - mean);
        }
        return phi;
    }

    static double logit(Logistic model, float[] x) {
        double s = model.bias();
        for (int i = 0; i < x.length; i++) {
            s += model.weights()[i] * (x[i] - model.mean()[i]) / model.std()[i];
        }
        return s;
    }

    static double output(OutputSpace space, OnnxScorer scorer, float[] x) throws Exception {
        return space.apply(scorer.score(new float[][] {x}, 1).probability(0));
    }

    static double meanOutput(OutputSpace space, OnnxScorer scorer, float[][] rows) throws Exception {
        double sum = 0;
        for (float[] row : rows) {
            sum += output(space, scorer, row);
        }
        return sum / rows.length;
    }

    static double rmse(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }
}
