package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.inference.ModelLoader;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ScoringExplainer} on real ONNX models: which rows, which estimator, against which background. */
class ScoringExplainerTest {

    private static final int F = 6;
    private static final int BACKGROUND = 8;

    private final List<OnnxScorer> scorers = new ArrayList<>();

    @AfterEach
    void closeScorers() throws Exception {
        for (OnnxScorer scorer : scorers) {
            scorer.close();
        }
    }

    private OnnxScorer open(byte[] onnx) throws Exception {
        OnnxScorer scorer = TestingExplainModels.scorer(onnx);
        scorers.add(scorer);
        return scorer;
    }

    private static Configuration options(int maxPerBatch) {
        Configuration options = new Configuration();
        options.set(ExplainOptions.BACKGROUND_SIZE, BACKGROUND);
        options.set(ExplainOptions.MAX_PER_BATCH, maxPerBatch);
        return options;
    }

    private static ScoringExplainer explainer(Configuration options, double threshold, ModelLoader loader) {
        return ScoringExplainer.builder(FeatureGroups.singletons(TestingExplainModels.names(F)))
                .options(options)
                .threshold(threshold)
                .modelLoader(loader)
                .build();
    }

    private static ModelLoader serving(byte[] onnx) {
        return (ref, classLoader) -> onnx.clone();
    }

    private static Explanation[] explain(ScoringExplainer explainer, OnnxScorer scorer, float[][] rows)
            throws Exception {
        ScoreBatch scores = scorer.score(rows, rows.length);
        return explainer.explain(scorer, scores, i -> rows[i]).clone();
    }

    private static int explainedCount(Explanation[] explained, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += explained[i] == null ? 0 : 1;
        }
        return count;
    }

    private static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    @Test
    void aLogisticModelGetsTheExactClosedFormAgainstTheScoredBackground() throws Exception {
        TestingExplainModels.Logistic model = TestingExplainModels.logistic(F, 11);
        TestingExplainModels.Model rowsOf = TestingExplainModels.model(model);
        OnnxScorer scorer = open(model.onnx());
        ScoringExplainer explainer = explainer(options(16), 0.0, serving(model.onnx()));
        float[][] warmUp = TestingExplainModels.rows(rowsOf, BACKGROUND, 1);
        float[][] rows = TestingExplainModels.rows(rowsOf, 5, 2);

        assertThat(explainedCount(explain(explainer, scorer, warmUp), BACKGROUND)).isZero();
        Explanation[] explained = explain(explainer, scorer, rows);

        // The background is the warm-up batch; the linear Shapley value of feature i is c_i (x_i - mean_b z_i).
        double[] backgroundMean = BackgroundSample.of(warmUp).mean();
        ScoreBatch scores = scorer.score(rows, rows.length);
        for (int r = 0; r < rows.length; r++) {
            Explanation e = explained[r];
            assertThat(e.estimator()).isEqualTo(Explanation.Estimator.LINEAR);
            assertThat(e.exact()).isTrue();
            assertThat(e.modelRows()).isZero();
            for (int i = 0; i < F; i++) {
                double c = model.weights()[i] / model.std()[i];
                assertThat(e.attribution(i)).isCloseTo(c * (rows[r][i] - backgroundMean[i]), within(1e-9));
                assertThat(e.value(i)).isEqualTo(rows[r][i]);
            }
            assertThat(e.prediction()).isCloseTo(logit(scores.probability(r)), within(1e-4));
        }
        assertThat(explainer.explanations()).isEqualTo(rows.length);
        assertThat(explainer.skippedNoBackground()).isEqualTo(BACKGROUND);
    }

    @Test
    void anMlpGetsKernelShapOverTheLiveSessionWithoutReadingTheModelAgain() throws Exception {
        TestingExplainModels.Model model = TestingExplainModels.mlp(F, 8, 5);
        OnnxScorer scorer = open(model.onnx());
        AtomicInteger reads = new AtomicInteger();
        ScoringExplainer explainer = explainer(options(16), 0.0, (ref, cl) -> {
            reads.incrementAndGet();
            throw new IOException("not needed for an MLP");
        });
        explain(explainer, scorer, TestingExplainModels.rows(model, BACKGROUND, 1));
        float[][] rows = TestingExplainModels.rows(model, 4, 2);

        Explanation[] explained = explain(explainer, scorer, rows);

        ScoreBatch scores = scorer.score(rows, rows.length);
        for (int r = 0; r < rows.length; r++) {
            Explanation e = explained[r];
            assertThat(e.estimator()).isEqualTo(Explanation.Estimator.KERNEL_SHAP);
            assertThat(e.exact()).isTrue(); // 2^6 - 2 coalitions fit the default budget
            assertThat(e.efficiencyGap()).isCloseTo(0.0, within(1e-9));
            assertThat(e.prediction()).isCloseTo(logit(scores.probability(r)), within(1e-5));
            assertThat(e.attribution(TestingExplainModels.UNUSED)).isCloseTo(0.0, within(1e-9));
        }
        assertThat(reads).hasValue(0);
    }

    @Test
    void onlyRowsAtOrAboveTheThresholdAreExplained() throws Exception {
        TestingExplainModels.Model model = TestingExplainModels.mlp(F, 8, 5);
        OnnxScorer scorer = open(model.onnx());
        float[][] rows = TestingExplainModels.rows(model, 12, 3);
        ScoreBatch scores = scorer.score(rows, rows.length);
        float[] sorted = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            sorted[i] = scores.probability(i);
        }
        java.util.Arrays.sort(sorted);
        double threshold = sorted[rows.length / 2]; // the upper half, ties included
        ScoringExplainer explainer = explainer(options(rows.length), threshold, serving(model.onnx()));
        explain(explainer, scorer, TestingExplainModels.rows(model, BACKGROUND, 1));

        Explanation[] explained = explain(explainer, scorer, rows);

        for (int i = 0; i < rows.length; i++) {
            assertThat(explained[i] != null).as("row %s", i).isEqualTo(scores.probability(i) >= threshold);
        }
        assertThat(explainer.skippedOverCap()).isZero();
    }

    @Test
    void atMostMaxPerBatchRowsAreExplainedTheRiskiestFirst() throws Exception {
        TestingExplainModels.Model model = TestingExplainModels.mlp(F, 8, 5);
        OnnxScorer scorer = open(model.onnx());
        ScoringExplainer explainer = explainer(options(3), 0.0, serving(model.onnx()));
        explain(explainer, scorer, TestingExplainModels.rows(model, BACKGROUND, 1));
        float[][] rows = TestingExplainModels.rows(model, 10, 4);
        ScoreBatch scores = scorer.score(rows, rows.length);

        Explanation[] explained = explain(explainer, scorer, rows);

        assertThat(explainedCount(explained, rows.length)).isEqualTo(3);
        float leastExplained = Float.MAX_VALUE;
        float mostUnexplained = -1;
        for (int i = 0; i < rows.length; i++) {
            if (explained[i] != null) {
                leastExplained = Math.min(leastExplained, scores.probability(i));
            } else {
                mostUnexplained = Math.max(mostUnexplained, scores.probability(i));
            }
        }
        assertThat(leastExplained).isGreaterThanOrEqualTo(mostUnexplained);
        assertThat(explainer.explanations()).isEqualTo(3);
        assertThat(explainer.skippedOverCap()).isEqualTo(7);
    }

    @Test
    void nothingIsExplainedUntilTheBackgroundIsFull() throws Exception {
        TestingExplainModels.Model model = TestingExplainModels.mlp(F, 8, 5);
        OnnxScorer scorer = open(model.onnx());
        ScoringExplainer explainer = explainer(options(16), 0.0, serving(model.onnx()));

        assertThat(explainedCount(explain(explainer, scorer, TestingExplainModels.rows(model, 5, 1)), 5)).isZero();
        assertThat(explainer.backgroundRows()).isEqualTo(5);
        assertThat(explainedCount(explain(explainer, scorer, TestingExplainModels.rows(model, 5, 2)), 5)).isZero();
        assertThat(explainer.backgroundRows()).isEqualTo(BACKGROUND);
        assertThat(explainedCount(explain(explainer, scorer, TestingExplainModels.rows(model, 5, 3)), 5))
                .isEqualTo(5);

        assertThat(explainer.skippedNoBackground()).isEqualTo(10);
        assertThat(explainer.explanations()).isEqualTo(5);
    }

    @Test
    void aSwappedScorerGetsItsOwnExplainer() throws Exception {
        TestingExplainModels.Logistic linear = TestingExplainModels.logistic(F, 11);
        TestingExplainModels.Model mlp = TestingExplainModels.mlp(F, 8, 5);
        Map<String, byte[]> files = new HashMap<>();
        OnnxScorer first = open(linear.onnx());
        files.put(first.modelRef().sha256(), linear.onnx());
        ScoringExplainer explainer = explainer(options(16), 0.0, (ref, cl) -> files.get(ref.sha256()).clone());
        float[][] rows = TestingExplainModels.rows(mlp, BACKGROUND, 1);
        explain(explainer, first, rows);

        explain(explainer, first, rows);
        Explainer linearExplainer = explainer.currentExplainer();
        explain(explainer, first, rows);
        assertThat(explainer.currentExplainer()).isSameAs(linearExplainer).isInstanceOf(LinearShapley.class);

        OnnxScorer second = open(mlp.onnx());
        Explanation[] afterSwap = explain(explainer, second, rows);
        assertThat(explainer.currentExplainer()).isInstanceOf(KernelShap.class);
        ScoreBatch scores = second.score(rows, rows.length);
        assertThat(afterSwap[0].prediction()).isCloseTo(logit(scores.probability(0)), within(1e-5));

        OnnxScorer third = open(linear.onnx()); // the same version reopened: a new instance, a new explainer
        explain(explainer, third, rows);
        assertThat(explainer.currentExplainer()).isInstanceOf(LinearShapley.class).isNotSameAs(linearExplainer);
    }

    @Test
    void aLogisticModelWhoseBytesCannotBeReadFallsBackToKernelShap() throws Exception {
        TestingExplainModels.Logistic model = TestingExplainModels.logistic(F, 11);
        OnnxScorer scorer = open(model.onnx());
        byte[] tampered = model.onnx().clone();
        tampered[tampered.length - 1] ^= 1;
        ScoringExplainer explainer = explainer(options(16), 0.0, serving(tampered)); // sha-256 differs
        TestingExplainModels.Model rowsOf = TestingExplainModels.model(model);
        float[][] warmUp = TestingExplainModels.rows(rowsOf, BACKGROUND, 1);
        explain(explainer, scorer, warmUp);
        float[] x = TestingExplainModels.rows(rowsOf, 1, 2)[0];

        Explanation e = explain(explainer, scorer, new float[][] {x})[0];

        assertThat(e.estimator()).isEqualTo(Explanation.Estimator.KERNEL_SHAP);
        LinearShapley closedForm =
                LinearShapley.fromOnnx(model.onnx(), FeatureGroups.singletons(TestingExplainModels.names(F)), BACKGROUND,
                        ExplainOptions.SEED.defaultValue());
        Explanation exact = closedForm.explain(x, BackgroundSample.of(warmUp));
        for (int i = 0; i < F; i++) {
            // Kernel SHAP on the float32 session agrees with the closed form up to float32 rounding.
            assertThat(e.attribution(i)).isCloseTo(exact.attribution(i), within(1e-3));
        }
    }

    @Test
    void aModelErrorLeavesTheRowUnexplainedAndIsCounted() throws Exception {
        TestingExplainModels.Model model = TestingExplainModels.mlp(F, 8, 5);
        OnnxScorer scorer = TestingExplainModels.scorer(model.onnx());
        ScoringExplainer explainer = explainer(options(16), 0.0, serving(model.onnx()));
        float[][] warmUp = TestingExplainModels.rows(model, BACKGROUND, 1);
        explain(explainer, scorer, warmUp);
        float[][] rows = TestingExplainModels.rows(model, 3, 2);
        ScoreBatch scores = scorer.score(rows, rows.length);
        scorer.close(); // every model call of the explainer now fails

        Explanation[] explained = explainer.explain(scorer, scores, i -> rows[i]);

        assertThat(explainedCount(explained, rows.length)).isZero();
        assertThat(explainer.failures()).isEqualTo(3);
        assertThat(explainer.backgroundRows()).isEqualTo(BACKGROUND);
    }

    @Test
    void zeroMaxPerBatchTurnsExplainingOff() throws Exception {
        TestingExplainModels.Model model = TestingExplainModels.mlp(F, 8, 5);
        OnnxScorer scorer = open(model.onnx());
        ScoringExplainer explainer = explainer(options(0), 0.0, serving(model.onnx()));

        for (int batch = 0; batch < 3; batch++) {
            float[][] rows = TestingExplainModels.rows(model, BACKGROUND, batch);
            assertThat(explainedCount(explain(explainer, scorer, rows), rows.length)).isZero();
        }
        assertThat(explainer.backgroundRows()).isZero();
        assertThat(explainer.explanations() + explainer.skippedNoBackground() + explainer.skippedOverCap()).isZero();
    }

    @Test
    void theMetricsAreRegisteredOnTheGivenGroup() throws Exception {
        Map<String, Metric> metrics = new HashMap<>();
        UnregisteredMetricsGroup group = new UnregisteredMetricsGroup() {
            @Override
            public <C extends Counter> C counter(String name, C counter) {
                metrics.put(name, counter);
                return counter;
            }

            @Override
            public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
                metrics.put(name, gauge);
                return gauge;
            }
        };
        TestingExplainModels.Model model = TestingExplainModels.mlp(F, 8, 5);
        OnnxScorer scorer = open(model.onnx());
        ScoringExplainer explainer = ScoringExplainer.builder(FeatureGroups.singletons(TestingExplainModels.names(F)))
                .options(options(2))
                .threshold(0.0)
                .metricGroup(group)
                .build();
        assertThat(((Gauge<?>) metrics.get("explanationMethod")).getValue()).isEqualTo(ScoringExplainer.NO_METHOD);

        explain(explainer, scorer, TestingExplainModels.rows(model, BACKGROUND, 1));
        explain(explainer, scorer, TestingExplainModels.rows(model, 5, 2));

        assertThat(((Counter) metrics.get("explanations")).getCount()).isEqualTo(2);
        assertThat(((Counter) metrics.get("explanationsSkippedOverCap")).getCount()).isEqualTo(3);
        assertThat(((Counter) metrics.get("explanationsSkippedNoBackground")).getCount()).isEqualTo(BACKGROUND);
        assertThat(((Counter) metrics.get("explanationFailures")).getCount()).isZero();
        assertThat((Double) ((Gauge<?>) metrics.get("explanationMeanMillis")).getValue()).isPositive();
        assertThat(((Gauge<?>) metrics.get("explanationMethod")).getValue()).isEqualTo("KERNEL_SHAP");
    }

    @Test
    void settingsAreValidatedWhenBuilt() {
        FeatureGroups groups = FeatureGroups.singletons(F);
        assertThatThrownBy(() -> ScoringExplainer.builder(groups).build()).hasMessageContaining("threshold");
        assertThatThrownBy(() -> ScoringExplainer.builder(groups).threshold(1.5).build())
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> ScoringExplainer.builder(groups).options(options(-1)).threshold(0.5).build())
                .hasMessageContaining(ExplainOptions.MAX_PER_BATCH.key());
        Configuration badBudget = options(4);
        badBudget.set(ExplainOptions.MAX_COALITIONS, 1);
        assertThatThrownBy(() -> ScoringExplainer.builder(groups).options(badBudget).threshold(0.5).build())
                .hasMessageContaining("maxCoalitions");
    }
}
