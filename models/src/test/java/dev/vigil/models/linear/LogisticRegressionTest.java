package dev.vigil.models.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.core.TestingDatasets;
import dev.vigil.models.core.TestingTrainer;
import dev.vigil.models.loss.ClassWeights;
import dev.vigil.models.optim.Adam;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    private static final int F = 6;
    private static final int N = 40;

    private static LogisticRegression randomModel(Random random) {
        double[] w = new double[F];
        for (int i = 0; i < F; i++) {
            w[i] = random.nextGaussian();
        }
        return LogisticRegression.of(w, 0.3);
    }

    private static double[][] randomRows(Random random) {
        double[][] x = new double[N][F];
        for (double[] row : x) {
            for (int j = 0; j < F; j++) {
                row[j] = 1.5 * random.nextGaussian();
            }
        }
        return x;
    }

    private static int[] randomLabels(Random random) {
        int[] y = new int[N];
        for (int i = 0; i < N; i++) {
            y[i] = random.nextDouble() < 0.3 ? 1 : 0;
        }
        y[0] = 1;
        y[1] = 0;
        return y;
    }

    @Test
    void batchGradientMatchesCentralFiniteDifferences() {
        Random random = new Random(11);
        LogisticRegression model = randomModel(random);
        double[][] x = randomRows(random);
        int[] y = randomLabels(random);
        ClassWeights weights = new ClassWeights(0.7, 2.5);
        double l2 = 0.05;
        int count = N - 3; // only a prefix of the buffer is the batch

        double[] grad = new double[F + 1];
        double loss = model.batchLossAndGradient(x, y, count, weights, l2, grad);
        assertThat(loss).isCloseTo(model.batchLoss(x, y, count, weights, l2), within(1e-15));

        double h = 1e-6;
        double[] params = model.parameters();
        for (int k = 0; k < params.length; k++) {
            double saved = params[k];
            params[k] = saved + h;
            double plus = model.batchLoss(x, y, count, weights, l2);
            params[k] = saved - h;
            double minus = model.batchLoss(x, y, count, weights, l2);
            params[k] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertThat(grad[k]).as("dJ/dparam[%s]", k).isCloseTo(numeric, within(1e-8 + 1e-6 * Math.abs(numeric)));
        }
    }

    @Test
    void biasIsNotRegularized() {
        LogisticRegression model = LogisticRegression.of(new double[] {2.0, -1.0}, 5.0);
        double[][] x = {{0.0, 0.0}};
        int[] y = {1};
        double[] without = new double[3];
        double[] with = new double[3];
        double lossWithout = model.batchLossAndGradient(x, y, 1, ClassWeights.UNIT, 0.0, without);
        double lossWith = model.batchLossAndGradient(x, y, 1, ClassWeights.UNIT, 0.1, with);

        assertThat(lossWith - lossWithout).isCloseTo(0.5 * 0.1 * (4 + 1), within(1e-15));
        assertThat(with[0] - without[0]).isCloseTo(0.1 * 2.0, within(1e-15));
        assertThat(with[1] - without[1]).isCloseTo(0.1 * -1.0, within(1e-15));
        assertThat(with[2]).isEqualTo(without[2]);
    }

    @Test
    void singleExampleGradientMatchesFiniteDifferences() {
        Random random = new Random(5);
        LogisticRegression model = randomModel(random);
        double[] x = randomRows(random)[0];
        double weight = 3.0;
        double l2 = 0.2;
        double[] grad = new double[F + 1];
        double[] scratch = new double[F + 1];
        model.lossAndGradient(x, 0, weight, l2, grad);

        double h = 1e-6;
        double[] params = model.parameters();
        for (int k = 0; k < params.length; k++) {
            double saved = params[k];
            params[k] = saved + h;
            double plus = model.lossAndGradient(x, 0, weight, l2, scratch);
            params[k] = saved - h;
            double minus = model.lossAndGradient(x, 0, weight, l2, scratch);
            params[k] = saved;
            assertThat(grad[k]).isCloseTo((plus - minus) / (2 * h), within(1e-6));
        }
    }

    @Test
    void contributionsSumToLogitMinusBias() {
        LogisticRegression model = LogisticRegression.of(new double[] {0.5, -2.0, 1.0}, -1.0);
        double[] z = {2.0, 0.25, -1.0};
        assertThat(model.contributions(z)).containsExactly(1.0, -0.5, -1.0);
        assertThat(model.logit(z)).isEqualTo(-1.5);
        assertThat(model.predict(z)).isCloseTo(1 / (1 + Math.exp(1.5)), within(1e-15));
    }

    @Test
    void parametersAreLiveAndCopiesAreIndependent() {
        LogisticRegression model = new LogisticRegression(2);
        assertThat(model.predict(new double[] {3, 4})).isEqualTo(0.5);
        model.parameters()[model.biasIndex()] = 1.0;
        assertThat(model.bias()).isEqualTo(1.0);
        LogisticRegression copy = model.copy();
        model.parameters()[0] = 7.0;
        assertThat(copy.weights()).containsExactly(0.0, 0.0);
        assertThat(model.weights()).containsExactly(7.0, 0.0);
    }

    @Test
    void rejectsMismatchedShapes() {
        LogisticRegression model = new LogisticRegression(2);
        assertThatThrownBy(() -> model.logit(new double[3])).hasMessageContaining("2 features");
        assertThatThrownBy(() -> model.batchLossAndGradient(new double[][] {{1, 2}}, new int[] {2}, 1,
                        ClassWeights.UNIT, 0, new double[3]))
                .hasMessageContaining("label");
        assertThatThrownBy(() -> model.batchLossAndGradient(new double[][] {{1, 2}}, new int[] {1}, 2,
                        ClassWeights.UNIT, 0, new double[3]))
                .hasMessageContaining("count");
    }

    @Test
    void differentiableModelStepAccumulatesTheUnregularizedExampleGradient() {
        Random random = new Random(21);
        LogisticRegression model = randomModel(random);
        double[][] x = randomRows(random);
        int[] y = randomLabels(random);
        ClassWeights weights = new ClassWeights(0.5, 4.0);
        DifferentiableModel asModel = model;
        assertThat(asModel.numClasses()).isEqualTo(2);

        double[] accumulated = new double[F + 1];
        double loss = 0;
        for (int i = 0; i < N; i++) {
            loss += asModel.lossAndGradient(x[i], y[i], weights.of(y[i]), accumulated, null);
        }
        double[] batch = new double[F + 1];
        double batchLoss = model.batchLossAndGradient(x, y, N, weights, 0.0, batch);
        assertThat(loss / N).isCloseTo(batchLoss, within(1e-12));
        for (int k = 0; k <= F; k++) {
            assertThat(accumulated[k] / N).isCloseTo(batch[k], within(1e-12));
        }

        double[] out = {Double.NaN};
        asModel.predict(x[3], out);
        assertThat(out[0]).isEqualTo(model.predict(x[3]));
    }

    @Test
    void convergesOnASeparableProblem() {
        // Two well-separated blobs: the linear boundary exists, so training accuracy must reach ~1.
        TestingDatasets.Dataset data = TestingDatasets.blobs(400, 2, 0.4, null, 13);
        LogisticRegression model = new LogisticRegression(2);
        TestingTrainer.train(model, data, ClassWeights.UNIT, new Adam(0.05), 20, 16, 1);
        assertThat(TestingTrainer.accuracy(model, data)).isGreaterThan(0.99);
        assertThat(model.lossAndGradient(data.x()[0], data.y()[0], 1.0, new double[model.numParameters()], new SplittableRandom(1)))
                .isLessThan(0.1);
    }
}
