package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.explain.TestingExplainModels.Logistic;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearShapleyTest {

    private static final int F = 6;
    private static final Logistic MODEL = TestingExplainModels.logistic(F, 41L);

    @Test
    void fromOnnxReadsTheExportedParametersAndGivesTheClosedForm() {
        float[][] background = TestingExplainModels.rows(TestingExplainModels.model(MODEL), 9, 1L);
        LinearShapley linear = LinearShapley.fromOnnx(MODEL.onnx(), FeatureGroups.singletons(F), 16, 0L);

        for (float[] x : TestingExplainModels.rows(TestingExplainModels.model(MODEL), 3, 2L)) {
            Explanation e = linear.explain(x, BackgroundSample.of(background));
            double[] expected = KernelShapTest.closedForm(MODEL, x, background);

            for (int i = 0; i < F; i++) {
                assertThat(e.attribution(i)).isCloseTo(expected[i], within(1e-9));
            }
            assertThat(e.prediction()).isCloseTo(KernelShapTest.logit(MODEL, x), within(1e-9));
            assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
            assertThat(e.exact()).isTrue();
            assertThat(e.estimator()).isEqualTo(Explanation.Estimator.LINEAR);
            assertThat(e.modelRows()).isZero();
            assertThat(e.outputSpace()).isEqualTo(OutputSpace.LOGIT);
        }
    }

    @Test
    void rawCoefficientsGroupsAndTheBaseValue() {
        FeatureGroups groups = FeatureGroups.builder(List.of("a", "b", "c")).group("ab", "b", "a").group("c", "c")
                .build();
        LinearShapley linear = new LinearShapley(new double[] {1, 2, -3}, 0.5, groups, 8, 0L);
        BackgroundSample background = BackgroundSample.of(new float[][] {{0, 0, 0}, {2, 4, 2}});

        Explanation e = linear.explain(new float[] {3, 1, 0}, background);

        // means (1, 2, 1): a: 1 * (3 - 1) = 2, b: 2 * (1 - 2) = -2, c: -3 * (0 - 1) = 3
        assertThat(e.attribution("ab")).isCloseTo(0.0, within(1e-12));
        assertThat(e.attribution("c")).isCloseTo(3.0, within(1e-12));
        assertThat(e.baseValue()).isCloseTo(0.5 + 1 + 4 - 3, within(1e-12));
        assertThat(e.prediction()).isCloseTo(0.5 + 3 + 2, within(1e-12));
        assertThat(e.value(0)).as("representative b").isEqualTo(1.0);
    }

    @Test
    void standardizedWeightsBecomeRawCoefficients() {
        LinearShapley linear = LinearShapley.standardized(
                new double[] {2, -1}, 0.25, new double[] {10, 1}, new double[] {4, 0.5}, FeatureGroups.singletons(2),
                4, 0L);

        assertThat(linear.coefficients()).containsExactly(0.5, -2.0);
        assertThat(linear.intercept()).isCloseTo(0.25 - 5 + 2, within(1e-12));
    }

    @Test
    void invalidArgumentsAreRejected() {
        FeatureGroups two = FeatureGroups.singletons(2);
        assertThatThrownBy(() -> new LinearShapley(new double[] {1}, 0, two, 4, 0L)).hasMessageContaining("features");
        assertThatThrownBy(() -> new LinearShapley(new double[] {1, Double.NaN}, 0, two, 4, 0L))
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> new LinearShapley(new double[] {1, 1}, 0, two, 0, 0L))
                .hasMessageContaining("backgroundSize");
        assertThatThrownBy(() -> LinearShapley.standardized(
                        new double[] {1, 1}, 0, new double[2], new double[] {1, 0}, two, 4, 0L))
                .hasMessageContaining("sigma");
        LinearShapley linear = new LinearShapley(new double[] {1, 1}, 0, two, 4, 0L);
        assertThatThrownBy(() -> linear.explain(new float[2], new BackgroundSample(2, 2, 0L)))
                .hasMessageContaining("empty");
    }
}
