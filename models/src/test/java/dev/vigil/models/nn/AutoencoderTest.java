package dev.vigil.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.models.optim.Sgd;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class AutoencoderTest {

    private static final double H = 1e-6;

    private static Autoencoder.Builder builder(int features, int... encoder) {
        return Autoencoder.builder().numFeatures(features).encoderLayers(encoder).seed(42);
    }

    @Test
    void layoutMirrorsTheEncoderWithWeightsBeforeBiases() {
        Autoencoder ae = builder(6, 4, 2).build();
        assertThat(ae.numLayers()).isEqualTo(4);
        assertThat(ae.encoderLayers()).containsExactly(4, 2);
        assertThat(ae.bottleneck()).isEqualTo(2);
        int[][] shapes = {{6, 4}, {4, 2}, {2, 4}, {4, 6}};
        int offset = 0;
        for (int l = 0; l < 4; l++) {
            assertThat(ae.layerInputSize(l)).isEqualTo(shapes[l][0]);
            assertThat(ae.layerOutputSize(l)).isEqualTo(shapes[l][1]);
            assertThat(ae.weightOffset(l)).isEqualTo(offset);
            offset += shapes[l][0] * shapes[l][1];
            assertThat(ae.biasOffset(l)).isEqualTo(offset);
            assertThat(ae.isWeight(ae.weightOffset(l))).isTrue();
            assertThat(ae.isWeight(ae.biasOffset(l))).isFalse();
            offset += shapes[l][1];
        }
        assertThat(ae.numParameters()).isEqualTo(offset).isEqualTo(ae.parameters().length);

        Autoencoder single = builder(5, 3).build();
        assertThat(single.numLayers()).isEqualTo(2);
        assertThat(single.bottleneck()).isEqualTo(3);
        assertThat(single.toString()).isEqualTo("Autoencoder{5 -> 3 -> 5, TANH}");
    }

    @Test
    void initializationIsSeededAndScaledByTheActivation() {
        Autoencoder tanh = builder(200, 100).build();
        Autoencoder relu = builder(200, 100).activation(Autoencoder.Activation.RELU).build();
        assertThat(variance(tanh.parameters(), 0, 200 * 100)).isCloseTo(2.0 / 300, within(0.05 * 2.0 / 300));
        assertThat(variance(relu.parameters(), 0, 200 * 100)).isCloseTo(2.0 / 200, within(0.05 * 2.0 / 200));
        assertThat(builder(200, 100).build().parameters()).containsExactly(tanh.parameters());
        assertThat(builder(200, 100).seed(43).build().parameters()).isNotEqualTo(tanh.parameters());
        assertThat(tanh.parameters()[tanh.biasOffset(0)]).isZero();
    }

    private static double variance(double[] p, int from, int n) {
        double sum = 0;
        double sumSq = 0;
        for (int i = from; i < from + n; i++) {
            sum += p[i];
            sumSq += p[i] * p[i];
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    @ParameterizedTest
    @EnumSource(Autoencoder.Activation.class)
    void gradientMatchesCentralFiniteDifferences(Autoencoder.Activation activation) {
        SplittableRandom random = new SplittableRandom(11);
        for (int[] encoder : new int[][] {{3}, {4, 2}}) {
            Autoencoder ae = builder(5, encoder).activation(activation).build();
            double[] p = ae.parameters();
            for (int k = 0; k < p.length; k++) {
                p[k] += 0.3 * random.nextGaussian(); // biases too, so no ReLU unit sits exactly at its kink
            }
            double[][] rows = new double[6][5];
            double[] weights = {1, 0.5, 2, 1, 0.25, 3};
            for (double[] row : rows) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = random.nextGaussian();
                }
            }
            double[] analytic = new double[p.length];
            double loss = loss(ae, rows, weights, analytic);
            double direct = 0;
            for (int i = 0; i < rows.length; i++) {
                direct += weights[i] * ae.anomalyScore(rows[i]);
            }
            assertThat(loss).isCloseTo(direct, within(1e-12));
            double[] scratch = new double[p.length];
            for (int k = 0; k < p.length; k++) {
                double saved = p[k];
                p[k] = saved + H;
                double plus = loss(ae, rows, weights, scratch);
                p[k] = saved - H;
                double minus = loss(ae, rows, weights, scratch);
                p[k] = saved;
                double numeric = (plus - minus) / (2 * H);
                double scale = Math.max(1.0, Math.abs(analytic[k]) + Math.abs(numeric));
                assertThat(Math.abs(analytic[k] - numeric) / scale)
                        .as("%s %s d loss / d param[%s]: analytic %s, numeric %s",
                                activation, encoder.length, k, analytic[k], numeric)
                        .isLessThan(1e-6);
            }
        }
    }

    private static double loss(Autoencoder ae, double[][] rows, double[] weights, double[] grad) {
        java.util.Arrays.fill(grad, 0.0);
        double sum = 0;
        for (int i = 0; i < rows.length; i++) {
            sum += ae.lossAndGradient(rows[i], weights[i], grad);
        }
        return sum;
    }

    @Test
    void contributionsAreTheSquaredErrorsOverFAndSumToTheScore() {
        Autoencoder ae = builder(4, 2).build();
        double[] z = {0.5, -1.0, 2.0, 0.0};
        double[] r = new double[4];
        ae.reconstruct(z, r);
        double[] c = new double[4];
        double score = ae.contributions(z, c);
        double sum = 0;
        for (int j = 0; j < 4; j++) {
            assertThat(c[j]).isCloseTo((r[j] - z[j]) * (r[j] - z[j]) / 4, within(1e-15));
            sum += c[j];
        }
        assertThat(score).isCloseTo(sum, within(1e-15)).isEqualTo(ae.anomalyScore(z));
    }

    /** Rows near a 2-d plane in 8-d space, plus rows off it. */
    private static double[][] planeRows(int n, SplittableRandom random, boolean offPlane) {
        double[][] rows = new double[n][8];
        for (double[] row : rows) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            for (int j = 0; j < 8; j++) {
                row[j] = 10 * j + (j % 2 == 0 ? a : b) * (1 + j) + 0.05 * random.nextGaussian();
            }
            if (offPlane) {
                row[3] += 4 * (1 + 3); // the even/odd structure broken in one feature
            }
        }
        return rows;
    }

    @Test
    void trainingLearnsTheStructureSoOffStructureRowsScoreHigh() {
        SplittableRandom random = new SplittableRandom(5);
        double[][] train = planeRows(2_000, random, false);
        double[][] validation = planeRows(300, random, false);
        AutoencoderTrainer trainer = AutoencoderTrainer.builder()
                .batchSize(64).maxEpochs(40).patience(3).clipNorm(5).l2(1e-5).seed(9).build();

        AutoencoderTrainer.Result result = trainer.fit(builder(8, 6, 2).build(), train, validation);

        assertThat(result.trainLoss().get(result.epochsRun() - 1)).isLessThan(result.trainLoss().get(0) / 5);
        assertThat(result.validationLoss()).hasSize(result.epochsRun());
        double[] normal = result.anomalyScores(planeRows(200, random, false));
        double[] odd = result.anomalyScores(planeRows(200, random, true));
        double[] scores = new double[400];
        int[] labels = new int[400];
        System.arraycopy(normal, 0, scores, 0, 200);
        System.arraycopy(odd, 0, scores, 200, 200);
        java.util.Arrays.fill(labels, 200, 400, 1);
        assertThat(BinaryClassificationMetrics.auroc(scores, labels)).isGreaterThan(0.99);
        // On average, the contributions name the broken feature.
        double[] c = new double[8];
        double[] mean = new double[8];
        for (double[] row : planeRows(200, random, true)) {
            result.model().contributions(result.standardizer().transform(row), c);
            for (int j = 0; j < 8; j++) {
                mean[j] += c[j] / 200;
            }
        }
        int top = 0;
        for (int j = 1; j < 8; j++) {
            top = mean[j] > mean[top] ? j : top;
        }
        assertThat(top).isEqualTo(3);
    }

    @Test
    void sameDataAndSeedGiveBitIdenticalParameters() {
        double[][] train = planeRows(500, new SplittableRandom(1), false);
        AutoencoderTrainer trainer = AutoencoderTrainer.builder()
                .optimizer(() -> new Sgd(0.01)).batchSize(32).maxEpochs(3).seed(3).build();
        double[] a = trainer.fit(builder(8, 4).build(), train).model().parameters();
        double[] b = trainer.fit(builder(8, 4).build(), train).model().parameters();
        assertThat(a).containsExactly(b);
        AutoencoderTrainer other = AutoencoderTrainer.builder()
                .optimizer(() -> new Sgd(0.01)).batchSize(32).maxEpochs(3).seed(4).build();
        assertThat(other.fit(builder(8, 4).build(), train).model().parameters()).isNotEqualTo(a);
    }

    @Test
    void builderRejectsBadArchitectures() {
        assertThatThrownBy(() -> builder(0, 1).build()).hasMessageContaining("numFeatures");
        assertThatThrownBy(() -> Autoencoder.builder().numFeatures(4).build()).hasMessageContaining("encoderLayers");
        assertThatThrownBy(() -> builder(4, 4).build()).hasMessageContaining("narrower");
        assertThatThrownBy(() -> builder(8, 3, 4).build()).hasMessageContaining("narrower");
        assertThatThrownBy(() -> builder(8, 6, 4, 2).build()).hasMessageContaining("1 or 2 encoder layers");
        assertThatThrownBy(() -> builder(4, 2).parameters(new double[3]).build()).hasMessageContaining("length");
        assertThatThrownBy(() -> builder(4, 2).build().anomalyScore(new double[3])).hasMessageContaining("4 features");
        assertThatThrownBy(() -> AutoencoderTrainer.builder().batchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> AutoencoderTrainer.builder().l2(-1)).hasMessageContaining("l2");
    }

    @Test
    void copyIsIndependent() {
        Autoencoder ae = builder(4, 2).build();
        Autoencoder copy = ae.copy();
        assertThat(copy.parameters()).containsExactly(ae.parameters());
        copy.parameters()[0] += 1;
        assertThat(copy.parameters()[0]).isNotEqualTo(ae.parameters()[0]);
        Autoencoder restored = builder(4, 2).seed(99).parameters(ae.parameters()).build();
        assertThat(restored.parameters()).containsExactly(ae.parameters());
    }
}
