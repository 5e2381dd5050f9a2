package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.linear.LogisticRegression;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every {@link Optimizer} promises: exact resume, size checks, and convergence on a separable problem. */
class OptimizerContractTest {

    /** Each optimizer with settings that train the separable problem below (minibatches of 20, 30 epochs). */
    static Stream<Arguments> optimizers() {
        return Stream.of(
                of("sgd", () -> new Sgd(0.5)),
                of("sgd (inverse time decay)", () -> new Sgd(LearningRateSchedule.inverseTimeDecay(1.0, 0.01))),
                of("momentum", () -> new Momentum(0.1, 0.9)),
                of("nesterov", () -> new Nesterov(0.1, 0.9)),
                of("adagrad", () -> new AdaGrad(0.5)),
                of("rmsprop", () -> new RMSprop(0.01)),
                of("rmsprop (centered)", () -> new RMSprop(LearningRateSchedule.constant(0.01), 0.9, 1e-8, true)),
                of("adam", () -> new Adam(0.05)),
                of("adamw", () -> new AdamW(
                        LearningRateSchedule.constant(0.05), 1e-4, 0.9, 0.999, 1e-8, ParameterMask.excluding(4, 3))),
                of("ftrl", () -> new Ftrl(0.5, 1.0, 0.0, 0.0)),
                of("ftrl (l1, l2)", () -> new Ftrl(0.5, 1.0, 0.01, 0.001)));
    }

    private static Arguments of(String name, Supplier<Optimizer> factory) {
        return Arguments.of(name, factory);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void snapshotRestoreAndContinueEqualsUninterrupted(String name, Supplier<Optimizer> factory) {
        TestingLogisticProblem data = TestingLogisticProblem.separable(5);
        LogisticRegression uninterrupted = new LogisticRegression(3);
        Optimizer optimizer = factory.get();
        stepOnRows(uninterrupted, optimizer, data, 0, 50);

        // Checkpoint: the parameters and the optimizer state, as plain arrays.
        double[] savedParams = uninterrupted.parameters().clone();
        OptimizerState saved = optimizer.snapshot();
        assertThat(saved.steps()).isEqualTo(50);

        stepOnRows(uninterrupted, optimizer, data, 50, 120);

        LogisticRegression resumed = LogisticRegression.fromParameters(savedParams);
        Optimizer restored = factory.get();
        restored.restore(saved);
        stepOnRows(resumed, restored, data, 50, 120);

        assertThat(resumed.parameters()).containsExactly(uninterrupted.parameters());
        assertThat(restored.snapshot()).isEqualTo(optimizer.snapshot());
        assertThat(restored.steps()).isEqualTo(120);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void snapshotIsACopy(String name, Supplier<Optimizer> factory) {
        Optimizer optimizer = factory.get();
        OptimizerState empty = optimizer.snapshot();
        assertThat(empty.steps()).isZero();
        assertThat(empty.slotNames()).isEmpty();

        double[] params = {0.1, -0.2, 0.3, 0.0};
        optimizer.step(params, new double[] {0.5, -0.5, 1.0, 0.2});
        OptimizerState first = optimizer.snapshot();
        optimizer.step(params, new double[] {0.5, -0.5, 1.0, 0.2});
        assertThat(optimizer.snapshot()).isNotEqualTo(first);
        assertThat(first.steps()).isEqualTo(1);

        // A state taken before the first step restores to a fresh optimizer.
        optimizer.restore(empty);
        assertThat(optimizer.steps()).isZero();
        assertThat(optimizer.snapshot()).isEqualTo(empty);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void javaSerializationMidTrainingResumesExactly(String name, Supplier<Optimizer> factory) throws Exception {
        TestingLogisticProblem data = TestingLogisticProblem.separable(6);
        LogisticRegression a = new LogisticRegression(3);
        Optimizer optimizer = factory.get();
        stepOnRows(a, optimizer, data, 0, 30);
        Optimizer copy = roundTrip(optimizer);
        LogisticRegression b = a.copy();

        stepOnRows(a, optimizer, data, 30, 60);
        stepOnRows(b, copy, data, 30, 60);
        assertThat(b.parameters()).containsExactly(a.parameters());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void convergesOnASeparableLogisticProblem(String name, Supplier<Optimizer> factory) {
        TestingLogisticProblem data = TestingLogisticProblem.separable(7);
        LogisticRegression model = new LogisticRegression(3);
        double initialLoss = data.loss(model);

        data.train(model, factory.get(), 30, 20, 0.0);

        assertThat(data.accuracy(model)).as("training accuracy").isGreaterThanOrEqualTo(0.97);
        assertThat(data.loss(model)).as("log loss").isLessThan(0.25 * initialLoss);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void stateIsSizedOnTheFirstStepAndChecked(String name, Supplier<Optimizer> factory) {
        Optimizer optimizer = factory.get();
        double[] grad = {0.1, 0.2, 0.3, 0.4};
        double[] gradCopy = grad.clone();
        optimizer.step(new double[4], grad);
        assertThat(grad).as("grad is not modified").containsExactly(gradCopy);
        if (!optimizer.snapshot().slotNames().isEmpty()) {
            assertThat(optimizer.snapshot().slotLength()).isEqualTo(4);
            assertThatThrownBy(() -> optimizer.step(new double[3], new double[3])).hasMessageContaining("sized for 4");
        }
        assertThatThrownBy(() -> optimizer.step(new double[4], new double[3])).hasMessageContaining("differ");
        assertThatThrownBy(() -> optimizer.step(null, new double[4])).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void restoreRejectsAnotherAlgorithmsState(String name, Supplier<Optimizer> factory) {
        Optimizer optimizer = factory.get();
        String own = optimizer.snapshot().algorithm();
        OptimizerState foreign = new OptimizerState(
                own.equals("adam") ? "adagrad" : "adam", 3, java.util.Map.of("m", new double[2], "v", new double[2]));
        assertThatThrownBy(() -> optimizer.restore(foreign)).hasMessageContaining("cannot restore");
        OptimizerState wrongSlots = new OptimizerState(own, 3, java.util.Map.of("bogus", new double[2]));
        if (!(optimizer instanceof Sgd)) {
            assertThatThrownBy(() -> optimizer.restore(wrongSlots)).hasMessageContaining("slots");
        }
    }

    /** One optimizer step per row {@code from .. to-1}, on the single-example gradient. */
    private static void stepOnRows(
            LogisticRegression model, Optimizer optimizer, TestingLogisticProblem data, int from, int to) {
        double[] grad = new double[model.numParameters()];
        for (int i = from; i < to; i++) {
            model.lossAndGradient(data.x[i], data.y[i], 1.0, 1e-3, grad);
            optimizer.step(model.parameters(), grad);
        }
    }

    private static Optimizer roundTrip(Optimizer optimizer) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(optimizer);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (Optimizer) in.readObject();
        }
    }
}
