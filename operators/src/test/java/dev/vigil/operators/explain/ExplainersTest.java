package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The options, the factory, the output spaces and a pure-Java model with known Shapley values. */
class ExplainersTest {

    /** {@code f(x) = x0 * x1 + x2}: not additive in x0 and x1. */
    private static final BatchPredictor PRODUCT = new BatchPredictor() {
        @Override
        public int featureCount() {
            return 3;
        }

        @Override
        public void predict(float[][] rows, int n, double[] out) {
            for (int i = 0; i < n; i++) {
                out[i] = (double) rows[i][0] * rows[i][1] + rows[i][2];
            }
        }
    };

    @Test
    void theDefaultsAreAKernelExplainerInLogitSpace() {
        Explainer explainer = Explainers.create(new Configuration(), PRODUCT, FeatureGroups.singletons(3));

        assertThat(explainer).isInstanceOf(KernelShap.class);
        assertThat(explainer.outputSpace()).isEqualTo(OutputSpace.LOGIT);
        assertThat(((KernelShap) explainer).maxCoalitions()).isEqualTo(1024);
    }

    @Test
    void yamlStyleSettingsSelectTheSamplingExplainer() {
        Configuration config = Configuration.fromMap(Map.of(
                "vigil.explain.method", "sampling",
                "vigil.explain.output-space", "probability",
                "vigil.explain.permutations", "10",
                "vigil.explain.background-size", "5"));

        Explainer explainer = Explainers.create(config, PRODUCT, FeatureGroups.singletons(3));

        assertThat(explainer).isInstanceOf(SamplingShapley.class);
        assertThat(((SamplingShapley) explainer).permutations()).isEqualTo(10);
        assertThat(explainer.outputSpace()).isEqualTo(OutputSpace.PROBABILITY);
    }

    @Test
    void outOfRangeSettingsAreRejected() {
        Configuration config = new Configuration();
        config.set(ExplainOptions.MAX_COALITIONS, 1);
        assertThatThrownBy(() -> Explainers.create(config, PRODUCT, FeatureGroups.singletons(3)))
                .hasMessageContaining("maxCoalitions");
        config.set(ExplainOptions.METHOD, ExplainOptions.Method.SAMPLING);
        config.set(ExplainOptions.PERMUTATIONS, 3);
        assertThatThrownBy(() -> Explainers.create(config, PRODUCT, FeatureGroups.singletons(3)))
                .hasMessageContaining("permutations");
    }

    /**
     * With one background row {@code z}, the Shapley values of {@code x0 x1 + x2} are {@code (x0 - z0)(x1 + z1) / 2},
     * {@code (x1 - z1)(x0 + z0) / 2} and {@code x2 - z2}; both estimators are exact here (three players: six
     * coalitions; every ordering pair covers both orders of x0 and x1).
     */
    @Test
    void bothEstimatorsGiveTheKnownValuesOfANonAdditiveModel() throws Exception {
        BackgroundSample background = BackgroundSample.of(new float[][] {{1, 2, 3}});
        float[] x = {3, 5, 4};
        double[] expected = {(3 - 1) * (5 + 2) / 2.0, (5 - 2) * (3 + 1) / 2.0, 4 - 3};
        Explainer kernel = KernelShap.builder(PRODUCT).outputSpace(OutputSpace.PROBABILITY).build();
        Explainer sampling = SamplingShapley.builder(PRODUCT).outputSpace(OutputSpace.PROBABILITY).build();

        for (Explainer explainer : new Explainer[] {kernel, sampling}) {
            Explanation e = explainer.explain(x, background);
            assertThat(e.prediction()).isEqualTo(19.0);
            assertThat(e.baseValue()).isEqualTo(5.0);
            for (int i = 0; i < 3; i++) {
                assertThat(e.attribution(i)).as("%s feature %d", e.estimator(), i).isCloseTo(expected[i],
                        within(1e-9));
            }
        }
    }

    @Test
    void theLogitLinkIsFiniteAtSaturatedProbabilities() {
        assertThat(OutputSpace.LOGIT.apply(0.5)).isZero();
        assertThat(OutputSpace.LOGIT.apply(0.9)).isCloseTo(Math.log(9), within(1e-12));
        assertThat(OutputSpace.LOGIT.apply(1.0)).isCloseTo(16.6355, within(1e-3));
        assertThat(OutputSpace.LOGIT.apply(0.0)).isCloseTo(-103.28, within(1e-2));
        assertThat(OutputSpace.LOGIT.apply(Double.NaN)).isNaN();
        assertThat(OutputSpace.PROBABILITY.apply(0.25)).isEqualTo(0.25);
    }
}
