package dev.vigil.models.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.linear.SoftmaxRegression;
import dev.vigil.models.nn.Mlp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the online learner relies on, checked for every {@link DifferentiableModel}. */
class DifferentiableModelContractTest {

    private static final int F = 5;

    static Stream<Arguments> models() {
        return Stream.of(
                model("logistic", () -> randomized(new LogisticRegression(F), 1)),
                model("softmax K=4", () -> randomized(new SoftmaxRegression(F, 4), 2)),
                model("mlp [8] binary", () -> mlp(2, 0.0, 8)),
                model("mlp [7, 6] K=3", () -> mlp(3, 0.0, 7, 6)),
                model("mlp [9] K=4 dropout 0.3", () -> mlp(4, 0.3, 9)),
                model("mlp [8, 5] binary dropout 0.5", () -> mlp(2, 0.5, 8, 5)));
    }

    private static Arguments model(String name, Supplier<DifferentiableModel> factory) {
        return Arguments.of(name, factory);
    }

    private static DifferentiableModel randomized(DifferentiableModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] p = model.parameters();
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.7 * random.nextGaussian();
        }
        return model;
    }

    private static Mlp mlp(int numClasses, double dropout, int... hidden) {
        Mlp mlp = Mlp.builder()
                .numFeatures(F)
                .hiddenLayers(hidden)
                .numClasses(numClasses)
                .dropout(dropout)
                .seed(17)
                .build();
        // Non-zero biases, so the gradient check covers them away from the all-zero start.
        SplittableRandom random = new SplittableRandom(5);
        for (int l = 0; l < mlp.numLayers(); l++) {
            for (int o = 0; o < mlp.layerOutputSize(l); o++) {
                mlp.parameters()[mlp.biasOffset(l) + o] = 0.1 * random.nextGaussian();
            }
        }
        return mlp;
    }

    private static double[] weights(int n, double value) {
        double[] w = new double[n];
        Arrays.fill(w, value);
        return w;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientMatchesCentralFiniteDifferences(String name, Supplier<DifferentiableModel> factory) {
        DifferentiableModel model = factory.get();
        TestingDatasets.Dataset data = TestingDatasets.random(6, F, model.numClasses(), 3);
        double[] w = {1.0, 0.4, 2.5, 1.0, 0.0, 1.7};
        GradientCheck.assertGradientMatches(model, data.x(), data.y(), w, 99, 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradientIsAddedIntoTheBufferAndScalesWithTheExampleWeight(
            String name, Supplier<DifferentiableModel> factory) {
        DifferentiableModel model = factory.get();
        TestingDatasets.Dataset data = TestingDatasets.random(1, F, model.numClasses(), 4);
        double[] x = data.x()[0];
        int y = data.y()[0];
        int n = model.parameters().length;

        double[] once = new double[n];
        double loss = model.lossAndGradient(x, y, 1.0, once, new SplittableRandom(7));
        assertThat(loss).isPositive().isFinite();

        double[] twice = once.clone();
        model.lossAndGradient(x, y, 1.0, twice, new SplittableRandom(7));
        double[] weighted = new double[n];
        double weightedLoss = model.lossAndGradient(x, y, 2.5, weighted, new SplittableRandom(7));
        assertThat(weightedLoss).isCloseTo(2.5 * loss, within(1e-12 * loss));
        for (int k = 0; k < n; k++) {
            assertThat(twice[k]).isCloseTo(2 * once[k], within(1e-12));
            assertThat(weighted[k]).isCloseTo(2.5 * once[k], within(1e-12));
        }

        double[] zero = new double[n];
        assertThat(model.lossAndGradient(x, y, 0.0, zero, new SplittableRandom(7))).isZero();
        assertThat(zero).containsOnly(0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void trainingStepLeavesParametersAloneAndPredictIsADistribution(
            String name, Supplier<DifferentiableModel> factory) {
        DifferentiableModel model = factory.get();
        double[] before = model.parameters().clone();
        TestingDatasets.Dataset data = TestingDatasets.random(20, F, model.numClasses(), 5);
        double[] grad = new double[before.length];
        SplittableRandom rng = new SplittableRandom(1);
        double[] out = new double[model.numClasses()];
        for (int i = 0; i < data.size(); i++) {
            model.lossAndGradient(data.x()[i], data.y()[i], 1.0, grad, rng);
            model.predict(data.x()[i], out);
            if (model.numClasses() == 2) {
                assertThat(out[0]).isStrictlyBetween(0.0, 1.0);
            } else {
                assertThat(Arrays.stream(out).sum()).isCloseTo(1.0, within(1e-12));
                for (double p : out) {
                    assertThat(p).isStrictlyBetween(0.0, 1.0);
                }
            }
        }
        assertThat(model.parameters()).containsExactly(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void copyIsDeepAndIndependent(String name, Supplier<DifferentiableModel> factory) {
        DifferentiableModel model = factory.get();
        DifferentiableModel copy = model.copy();
        assertThat(copy).isNotSameAs(model).hasSameClassAs(model);
        assertThat(copy.parameters()).isNotSameAs(model.parameters()).containsExactly(model.parameters());
        assertThat(copy.numFeatures()).isEqualTo(model.numFeatures());
        assertThat(copy.numClasses()).isEqualTo(model.numClasses());

        double[] x = TestingDatasets.random(1, F, 2, 6).x()[0];
        double[] expected = new double[model.numClasses()];
        double[] actual = new double[model.numClasses()];
        model.predict(x, expected);
        copy.predict(x, actual);
        assertThat(actual).containsExactly(expected);

        Arrays.fill(copy.parameters(), 0.25);
        model.predict(x, actual);
        assertThat(actual).containsExactly(expected);
        double[] original = model.parameters().clone();
        copy.lossAndGradient(x, 1, 1.0, new double[original.length], new SplittableRandom(1));
        assertThat(model.parameters()).containsExactly(original);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void javaSerializationRoundTripsAndTheCopyTrains(String name, Supplier<DifferentiableModel> factory)
            throws Exception {
        DifferentiableModel model = factory.get();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        DifferentiableModel back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (DifferentiableModel) in.readObject();
        }
        assertThat(back.parameters()).containsExactly(model.parameters());

        TestingDatasets.Dataset data = TestingDatasets.random(3, F, model.numClasses(), 8);
        double[] expected = new double[model.numClasses()];
        double[] actual = new double[model.numClasses()];
        double[] g1 = new double[model.parameters().length];
        double[] g2 = new double[model.parameters().length];
        for (int i = 0; i < data.size(); i++) {
            model.predict(data.x()[i], expected);
            back.predict(data.x()[i], actual);
            assertThat(actual).containsExactly(expected);
            double l1 = model.lossAndGradient(data.x()[i], data.y()[i], 1.0, g1, new SplittableRandom(i));
            double l2 = back.lossAndGradient(data.x()[i], data.y()[i], 1.0, g2, new SplittableRandom(i));
            assertThat(l2).isEqualTo(l1);
        }
        assertThat(g2).containsExactly(g1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void rejectsMalformedArguments(String name, Supplier<DifferentiableModel> factory) {
        DifferentiableModel model = factory.get();
        int n = model.parameters().length;
        double[] x = new double[F];
        SplittableRandom rng = new SplittableRandom(1);
        assertThatThrownBy(() -> model.lossAndGradient(new double[F + 1], 0, 1.0, new double[n], rng))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("features");
        assertThatThrownBy(() -> model.lossAndGradient(x, model.numClasses(), 1.0, new double[n], rng))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label");
        assertThatThrownBy(() -> model.lossAndGradient(x, -1, 1.0, new double[n], rng))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.lossAndGradient(x, 0, -1.0, new double[n], rng))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weight");
        assertThatThrownBy(() -> model.lossAndGradient(x, 0, Double.NaN, new double[n], rng))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> model.lossAndGradient(x, 0, 1.0, new double[n + 1], rng))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grad");
        assertThatThrownBy(() -> model.predict(new double[F - 1], new double[model.numClasses()]))
                .isInstanceOf(IllegalArgumentException.class);
        if (model.numClasses() > 2) {
            assertThatThrownBy(() -> model.predict(x, new double[model.numClasses() - 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("out");
        }
    }
}
