package dev.vigil.models.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.models.core.GradientCheck;
import dev.vigil.models.core.TestingDatasets;
import dev.vigil.models.core.TestingTrainer;
import dev.vigil.models.optim.Adam;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MlpTest {

    private static Mlp.Builder builder(int features, int numClasses, int... hidden) {
        return Mlp.builder().numFeatures(features).hiddenLayers(hidden).numClasses(numClasses).seed(42);
    }

    @Test
    void layoutChainsTheLayersWithWeightsBeforeBiases() {
        Mlp binary = builder(5, 2, 4, 3).build();
        assertThat(binary.numLayers()).isEqualTo(3);
        assertThat(binary.hiddenSizes()).containsExactly(4, 3);
        assertThat(binary.outputSize()).isEqualTo(1);
        assertThat(binary.layerInputSize(0)).isEqualTo(5);
        assertThat(binary.layerOutputSize(0)).isEqualTo(4);
        assertThat(binary.layerInputSize(2)).isEqualTo(3);
        assertThat(binary.layerOutputSize(2)).isEqualTo(1);
        assertThat(binary.weightOffset(0)).isZero();
        assertThat(binary.biasOffset(0)).isEqualTo(20);
        assertThat(binary.weightOffset(1)).isEqualTo(24);
        assertThat(binary.biasOffset(1)).isEqualTo(36);
        assertThat(binary.weightOffset(2)).isEqualTo(39);
        assertThat(binary.biasOffset(2)).isEqualTo(42);
        assertThat(binary.numParameters()).isEqualTo(43).isEqualTo(binary.parameters().length);

        Mlp multiclass = builder(5, 4, 6).build();
        assertThat(multiclass.outputSize()).isEqualTo(4);
        assertThat(multiclass.numParameters()).isEqualTo(5 * 6 + 6 + 6 * 4 + 4);
        assertThatThrownBy(() -> multiclass.weightOffset(2)).hasMessageContaining("layer");
    }

    @Test
    void heInitializationIsSeededWithTheVarianceOfThePaper() {
        Mlp mlp = builder(200, 3, 150).build();
        double[] p = mlp.parameters();
        assertThat(variance(p, mlp.weightOffset(0), 200 * 150)).isCloseTo(2.0 / 200, within(0.05 * 2.0 / 200));
        assertThat(variance(p, mlp.weightOffset(1), 150 * 3)).isCloseTo(2.0 / 153, within(0.2 * 2.0 / 153));
        for (int l = 0; l < mlp.numLayers(); l++) {
            for (int o = 0; o < mlp.layerOutputSize(l); o++) {
                assertThat(p[mlp.biasOffset(l) + o]).isZero();
            }
        }
        assertThat(builder(200, 3, 150).build().parameters()).containsExactly(p);
        assertThat(builder(200, 3, 150).seed(43).build().parameters()).isNotEqualTo(p);
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

    @Test
    void gradientOfTheThinnedNetworkMatchesFiniteDifferences() {
        TestingDatasets.Dataset data = TestingDatasets.random(8, 4, 3, 2);
        double[] weights = {1, 2, 0.5, 1, 1, 3, 1, 0.25};
        for (int[] hidden : new int[][] {{6}, {6, 5}}) {
            for (int k : new int[] {2, 3}) {
                for (double dropout : new double[] {0.0, 0.25}) {
                    Mlp mlp = builder(4, k, hidden).dropout(dropout).build();
                    int[] y = data.y().clone();
                    for (int i = 0; i < y.length; i++) {
                        y[i] %= k;
                    }
                    GradientCheck.assertGradientMatches(mlp, data.x(), y, weights, 31, 1e-6);
                }
            }
        }
    }

    @Test
    void dropoutIsInactiveInPredictAndInvertedInTraining() {
        double p = 0.4;
        Mlp withDropout = builder(3, 2, 50).dropout(p).build();
        Mlp without = builder(3, 2, 50).build();
        assertThat(withDropout.parameters()).containsExactly(without.parameters());
        // All first-layer biases large: every hidden unit is active, so only dropout zeroes one.
        for (Mlp m : new Mlp[] {withDropout, without}) {
            Arrays.fill(m.parameters(), m.biasOffset(0), m.biasOffset(0) + 50, 5.0);
        }
        double[] x = {0.3, -0.2, 0.1};
        double[] a = new double[1];
        double[] b = new double[1];
        withDropout.predict(x, a);
        without.predict(x, b);
        assertThat(a).containsExactly(b);
        withDropout.predict(x, b);
        assertThat(b).containsExactly(a);

        // The output layer's gradient holds the hidden activations: dL/dW_o[0][i] = dL/db_o * a_i.
        double[] plain = activations(without, x, null);
        SplittableRandom rng = new SplittableRandom(3);
        int dropped = 0;
        int draws = 400;
        for (int d = 0; d < draws; d++) {
            double[] thinned = activations(withDropout, x, rng);
            for (int i = 0; i < 50; i++) {
                if (thinned[i] == 0.0) {
                    dropped++;
                } else {
                    assertThat(thinned[i]).isCloseTo(plain[i] / (1 - p), within(1e-9));
                }
            }
        }
        assertThat((double) dropped / (draws * 50)).isCloseTo(p, within(0.02));

        // Same rng state, same masks; the masks change the loss from draw to draw.
        double[] g = new double[withDropout.numParameters()];
        double l1 = withDropout.lossAndGradient(x, 1, 1.0, g, new SplittableRandom(9));
        double l2 = withDropout.lossAndGradient(x, 1, 1.0, g, new SplittableRandom(9));
        double l3 = withDropout.lossAndGradient(x, 1, 1.0, g, new SplittableRandom(10));
        assertThat(l2).isEqualTo(l1);
        assertThat(l3).isNotEqualTo(l1);
        assertThatThrownBy(() -> withDropout.lossAndGradient(x, 1, 1.0, g, null)).hasMessageContaining("rng");
        assertThat(without.lossAndGradient(x, 1, 1.0, g, null)).isPositive();
    }

    /** The last hidden layer's activations of one training pass, read off the output layer's gradient. */
    private static double[] activations(Mlp mlp, double[] x, SplittableRandom rng) {
        double[] g = new double[mlp.numParameters()];
        mlp.lossAndGradient(x, 0, 1.0, g, rng);
        int out = mlp.numLayers() - 1;
        double dBias = g[mlp.biasOffset(out)];
        double[] a = new double[mlp.layerInputSize(out)];
        for (int i = 0; i < a.length; i++) {
            a[i] = g[mlp.weightOffset(out) + i] / dBias;
        }
        return a;
    }

    @Test
    void learnsXor() {
        TestingDatasets.Dataset train = TestingDatasets.xor(400, 1);
        TestingDatasets.Dataset test = TestingDatasets.xor(400, 2);
        Mlp mlp = builder(2, 2, 16).build();
        TestingTrainer.train(mlp, train, null, new Adam(0.02), 60, 16, 3);
        assertThat(TestingTrainer.accuracy(mlp, test)).isGreaterThan(0.95);
    }

    @Test
    void learnsTwoMoonsWithTwoHiddenLayersAndDropout() {
        TestingDatasets.Dataset train = TestingDatasets.twoMoons(600, 0.1, 1);
        TestingDatasets.Dataset test = TestingDatasets.twoMoons(600, 0.1, 2);
        Mlp mlp = builder(2, 2, 32, 16).dropout(0.1).build();
        TestingTrainer.train(mlp, train, null, new Adam(0.01), 60, 16, 3);
        assertThat(TestingTrainer.accuracy(mlp, test)).isGreaterThan(0.95);
    }

    @Test
    void learnsThreeBlobsWithASoftmaxOutput() {
        TestingDatasets.Dataset train = TestingDatasets.blobs(600, 3, 0.6, null, 5);
        TestingDatasets.Dataset test = TestingDatasets.blobs(300, 3, 0.6, null, 6);
        Mlp mlp = builder(2, 3, 16).build();
        TestingTrainer.train(mlp, train, null, new Adam(0.01), 20, 16, 3);
        assertThat(TestingTrainer.accuracy(mlp, test)).isGreaterThan(0.95);
    }

    @Test
    void checkpointedParametersRestoreTheSameNetwork() {
        Mlp mlp = builder(3, 3, 5, 4).dropout(0.2).build();
        mlp.parameters()[7] = 1.5;
        Mlp restored = builder(3, 3, 5, 4).dropout(0.2).seed(-1).parameters(mlp.parameters()).build();
        assertThat(restored.parameters()).containsExactly(mlp.parameters()).isNotSameAs(mlp.parameters());
        assertThatThrownBy(() -> builder(3, 3, 5).parameters(new double[3]).build()).hasMessageContaining("length");
        double[] bad = mlp.parameters().clone();
        bad[0] = Double.NaN;
        assertThatThrownBy(() -> builder(3, 3, 5, 4).parameters(bad).build()).hasMessageContaining("not finite");
    }

    @Test
    void perExamplePassesDoNotAllocate() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        Mlp mlp = builder(16, 4, 32, 16).dropout(0.2).build();
        double[] x = TestingDatasets.random(1, 16, 2, 1).x()[0];
        double[] grad = new double[mlp.numParameters()];
        double[] out = new double[4];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) { // lazy buffers and class initialization
            mlp.lossAndGradient(x, i & 3, 1.0, grad, rng);
            mlp.predict(x, out);
        }
        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 2_000; i++) {
            mlp.lossAndGradient(x, i & 3, 1.0, grad, rng);
            mlp.predict(x, out);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;
        assertThat(allocated).as("bytes allocated by 2,000 training and inference passes").isLessThan(4_096);
    }

    @Test
    void builderValidatesTheArchitecture() {
        assertThatThrownBy(() -> Mlp.builder().numFeatures(2).numClasses(2).build()).hasMessageContaining("hidden");
        assertThatThrownBy(() -> builder(2, 2).build()).hasMessageContaining("1 or 2 hidden layers");
        assertThatThrownBy(() -> builder(2, 2, 3, 3, 3).build()).hasMessageContaining("1 or 2 hidden layers");
        assertThatThrownBy(() -> builder(2, 2, 0).build()).hasMessageContaining("> 0");
        assertThatThrownBy(() -> builder(0, 2, 3).build()).hasMessageContaining("numFeatures");
        assertThatThrownBy(() -> builder(2, 1, 3).build()).hasMessageContaining("numClasses");
        assertThatThrownBy(() -> builder(2, 2, 3).dropout(1.0).build()).hasMessageContaining("dropout");
        assertThatThrownBy(() -> builder(2, 2, 3).dropout(-0.1).build()).hasMessageContaining("dropout");
    }
}
