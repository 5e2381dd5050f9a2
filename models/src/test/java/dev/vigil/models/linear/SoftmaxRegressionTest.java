package dev.vigil.models.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.core.GradientCheck;
import dev.vigil.models.core.TestingDatasets;
import dev.vigil.models.core.TestingTrainer;
import dev.vigil.models.loss.MulticlassWeights;
import dev.vigil.models.optim.Adam;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {

    @Test
    void parameterLayoutIsWeightsRowByRowThenBiases() {
        SoftmaxRegression model = SoftmaxRegression.of(
                new double[][] {{1, 2}, {3, 4}, {5, 6}}, new double[] {-1, -2, -3});
        assertThat(model.numFeatures()).isEqualTo(2);
        assertThat(model.numClasses()).isEqualTo(3);
        assertThat(model.numParameters()).isEqualTo(9);
        assertThat(model.parameters()).containsExactly(1, 2, 3, 4, 5, 6, -1, -2, -3);
        assertThat(model.weightIndex(1, 0)).isEqualTo(2);
        assertThat(model.biasIndex(2)).isEqualTo(8);
        assertThat(model.weights()).isDeepEqualTo(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        assertThat(model.biases()).containsExactly(-1, -2, -3);
        model.weights()[0][0] = 99; // a copy
        assertThat(model.parameters()[0]).isEqualTo(1);

        double[] logits = new double[3];
        model.logits(new double[] {1, -1}, logits);
        assertThat(logits).containsExactly(-2, -3, -4);
        SoftmaxRegression back = SoftmaxRegression.fromParameters(2, 3, model.parameters());
        assertThat(back.parameters()).containsExactly(model.parameters()).isNotSameAs(model.parameters());
    }

    @Test
    void probabilitiesAreTheSoftmaxOfTheLogitsAndStayFiniteForHugeLogits() {
        SoftmaxRegression model = SoftmaxRegression.of(
                new double[][] {{1, 0}, {0, 1}, {-1, -1}}, new double[] {0, 0, 0});
        double[] p = new double[3];
        model.predict(new double[] {1, 2}, p);
        double norm = Math.exp(1) + Math.exp(2) + Math.exp(-3);
        assertThat(p[0]).isCloseTo(Math.exp(1) / norm, within(1e-15));
        assertThat(p[1]).isCloseTo(Math.exp(2) / norm, within(1e-15));
        assertThat(p[2]).isCloseTo(Math.exp(-3) / norm, within(1e-15));

        double[] far = {800, 799};
        model.predict(far, p);
        assertThat(p).doesNotContain(Double.NaN);
        assertThat(p[0]).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
        double[] grad = new double[model.numParameters()];
        // Class 2's logit is -1599 below the best: the loss is ~1599, finite, and so is the gradient.
        double loss = model.lossAndGradient(far, 2, 1.0, grad, null);
        assertThat(loss).isCloseTo(800 + Math.log1p(Math.exp(-1)) + 1599, within(1e-9));
        assertThat(Arrays.stream(grad).allMatch(Double::isFinite)).isTrue();
    }

    @Test
    void gradientAtZeroIsTheHandComputedFormula() {
        // All logits 0: p_k = 1/K, so dW[k] = (1/K - [k = y]) x and db_k = 1/K - [k = y].
        SoftmaxRegression model = new SoftmaxRegression(2, 4);
        double[] grad = new double[model.numParameters()];
        double loss = model.lossAndGradient(new double[] {2, -3}, 1, 1.5, grad, null);
        assertThat(loss).isCloseTo(1.5 * Math.log(4), within(1e-15));
        for (int k = 0; k < 4; k++) {
            double d = 1.5 * (0.25 - (k == 1 ? 1 : 0));
            assertThat(grad[model.weightIndex(k, 0)]).isCloseTo(2 * d, within(1e-15));
            assertThat(grad[model.weightIndex(k, 1)]).isCloseTo(-3 * d, within(1e-15));
            assertThat(grad[model.biasIndex(k)]).isCloseTo(d, within(1e-15));
        }
    }

    @Test
    void classWeightsScaleEachExamplesGradient() {
        TestingDatasets.Dataset data = TestingDatasets.blobs(60, 3, 1.0, new double[] {0.7, 0.2, 0.1}, 3);
        MulticlassWeights weights = MulticlassWeights.balanced(data.y(), 3);
        SoftmaxRegression model = SoftmaxRegression.of(
                new double[][] {{0.3, -0.2}, {-0.5, 0.1}, {0.2, 0.4}}, new double[] {0.1, -0.1, 0.0});
        double[] w = new double[data.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.of(data.y()[i]);
        }
        GradientCheck.assertGradientMatches(model, data.x(), data.y(), w, 1, 1e-6);

        // The weighted gradient is the weighted sum of the unit-weight ones.
        double[] weighted = new double[model.numParameters()];
        double[] expected = new double[model.numParameters()];
        double[] unit = new double[model.numParameters()];
        for (int i = 0; i < data.size(); i++) {
            model.lossAndGradient(data.x()[i], data.y()[i], w[i], weighted, null);
            Arrays.fill(unit, 0);
            model.lossAndGradient(data.x()[i], data.y()[i], 1.0, unit, null);
            for (int k = 0; k < unit.length; k++) {
                expected[k] += w[i] * unit[k];
            }
        }
        for (int k = 0; k < unit.length; k++) {
            assertThat(weighted[k]).isCloseTo(expected[k], within(1e-12));
        }
    }

    @Test
    void convergesOnThreeBlobs() {
        TestingDatasets.Dataset data = TestingDatasets.blobs(900, 3, 0.6, null, 7);
        TestingDatasets.Dataset train = data.slice(0, 600);
        TestingDatasets.Dataset test = data.slice(600, 900);
        SoftmaxRegression model = new SoftmaxRegression(2, 3);
        double before = TestingTrainer.accuracy(model, test);
        TestingTrainer.train(model, train, null, new Adam(0.05), 20, 16, 1);
        assertThat(before).isLessThan(0.5);
        assertThat(TestingTrainer.accuracy(model, train)).isGreaterThan(0.95);
        assertThat(TestingTrainer.accuracy(model, test)).isGreaterThan(0.95);
    }

    @Test
    void balancedClassWeightsRaiseTheRecallOfARareClass() {
        double[] fractions = {0.80, 0.17, 0.03};
        TestingDatasets.Dataset train = TestingDatasets.blobs(3000, 3, 1.4, fractions, 11);
        TestingDatasets.Dataset test = TestingDatasets.blobs(3000, 3, 1.4, fractions, 12);
        SoftmaxRegression plain = new SoftmaxRegression(2, 3);
        SoftmaxRegression weighted = new SoftmaxRegression(2, 3);
        TestingTrainer.train(plain, train, null, new Adam(0.02), 10, 32, 1);
        TestingTrainer.train(weighted, train, MulticlassWeights.balanced(train.y(), 3), new Adam(0.02), 10, 32, 1);
        double plainRecall = TestingTrainer.recall(plain, test, 2);
        double weightedRecall = TestingTrainer.recall(weighted, test, 2);
        assertThat(weightedRecall).isGreaterThan(plainRecall + 0.1);
    }

    @Test
    void rejectsInvalidShapes() {
        assertThatThrownBy(() -> new SoftmaxRegression(3, 2)).hasMessageContaining("LogisticRegression");
        assertThatThrownBy(() -> new SoftmaxRegression(0, 3)).hasMessageContaining("numFeatures");
        assertThatThrownBy(() -> SoftmaxRegression.of(new double[][] {{1, 2}, {3}, {4, 5}}, new double[3]))
                .hasMessageContaining("weights[1]");
        assertThatThrownBy(() -> SoftmaxRegression.of(new double[][] {{1}, {2}, {3}}, new double[2]))
                .hasMessageContaining("biases");
        assertThatThrownBy(() -> SoftmaxRegression.fromParameters(2, 3, new double[8]))
                .hasMessageContaining("length");
        assertThatThrownBy(() -> SoftmaxRegression.fromParameters(1, 3, new double[] {1, 2, Double.NaN, 0, 0, 0}))
                .hasMessageContaining("not finite");
    }
}
