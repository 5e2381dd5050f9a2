package dev.vigil.models.continual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.loss.ClassWeights;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.Sgd;
import dev.vigil.models.regularization.Regularizer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LearnerStateTest {

    private static final int F = 5;

    /**
     * Everything that carries state is switched on: an MLP with dropout (random masks), Adam's moments, a minibatch
     * left half full at the snapshot, an updating standardizer, a reservoir with replay, periodic online EWC, class
     * weights, clipping and an L2 regularizer.
     */
    private static OnlineLearner fullLearner(long modelSeed) {
        Mlp mlp = Mlp.builder().numFeatures(F).hiddenLayers(8, 4).numClasses(2).dropout(0.2).seed(modelSeed).build();
        return OnlineLearner.builder(mlp, new Adam(0.01))
                .seed(42)
                .minibatchSize(3)
                .classWeights(new ClassWeights(1.0, 2.5))
                .regularizer(Regularizer.l2(1e-3))
                .clipNorm(2.0)
                .reservoir(64)
                .replay(4)
                .ewc(5.0)
                .ewcConsolidateEvery(20)
                .ewcDecay(0.8)
                .evaluationWindow(100)
                .build();
    }

    @Test
    void restoreThenContinueIsBitIdenticalToUninterruptedTraining() throws IOException {
        double[][] xs = stream(1_000, 7);
        OnlineLearner uninterrupted = fullLearner(1);
        OnlineLearner first = fullLearner(1);
        int cut = 500; // 500 % 3 = 2: two examples pending at the snapshot
        for (int i = 0; i < cut; i++) {
            uninterrupted.evaluateThenTrain(xs[i], label(xs[i]), 1.0);
            first.evaluateThenTrain(xs[i], label(xs[i]), 1.0);
        }
        byte[] checkpoint = LearnerStateSerializer.toBytes(first.snapshot());
        assertThat(first.pendingExamples()).isEqualTo(2);
        assertThat(first.consolidations()).isPositive();

        OnlineLearner resumed = fullLearner(999); // other initial weights: the state must overwrite them
        resumed.restore(LearnerStateSerializer.fromBytes(checkpoint));
        Prediction[] expected = new Prediction[xs.length - cut];
        Prediction[] actual = new Prediction[xs.length - cut];
        for (int i = cut; i < xs.length; i++) {
            expected[i - cut] = uninterrupted.evaluateThenTrain(xs[i], label(xs[i]), 1.0);
            actual[i - cut] = resumed.evaluateThenTrain(xs[i], label(xs[i]), 1.0);
        }

        assertThat(actual).containsExactly(expected);
        assertThat(resumed.modelCopy().parameters()).isEqualTo(uninterrupted.modelCopy().parameters());
        assertThat(resumed.snapshot()).isEqualTo(uninterrupted.snapshot());
        assertThat(resumed.metrics()).isEqualTo(uninterrupted.metrics());
    }

    @Test
    void sameSeedSameStreamSameParameters() {
        double[][] xs = stream(600, 8);
        OnlineLearner a = fullLearner(1);
        OnlineLearner b = fullLearner(1);
        for (double[] x : xs) {
            a.evaluateThenTrain(x, label(x), 1.0);
            b.evaluateThenTrain(x, label(x), 1.0);
        }
        assertThat(a.snapshot()).isEqualTo(b.snapshot());

        OnlineLearner otherSeed = OnlineLearner.builder(
                        Mlp.builder().numFeatures(F).hiddenLayers(8, 4).numClasses(2).dropout(0.2).seed(1).build(),
                        new Adam(0.01))
                .seed(43)
                .minibatchSize(3)
                .reservoir(64)
                .replay(4)
                .build();
        for (double[] x : xs) {
            otherSeed.evaluateThenTrain(x, label(x), 1.0);
        }
        assertThat(otherSeed.modelCopy().parameters()).isNotEqualTo(a.modelCopy().parameters());
    }

    @Test
    void serializerRoundTripIsExact() throws IOException {
        OnlineLearner learner = fullLearner(3);
        double[][] xs = stream(301, 9);
        for (double[] x : xs) {
            learner.evaluateThenTrain(x, label(x), 0.75);
        }
        LearnerState state = learner.snapshot();

        byte[] bytes = LearnerStateSerializer.toBytes(state);
        LearnerState back = LearnerStateSerializer.fromBytes(bytes);

        assertThat(back).isEqualTo(state);
        assertThat(LearnerStateSerializer.toBytes(back)).isEqualTo(bytes);
        assertThat(back.reservoir().contents().size()).isEqualTo(64);
        assertThat(back.pending().size()).isEqualTo(1);
        LearnerState.Evaluation e = back.evaluation();
        assertThat(Double.doubleToRawLongBits(e.sumLogLoss()))
                .isEqualTo(Double.doubleToRawLongBits(state.evaluation().sumLogLoss()));
    }

    @Test
    void serializerRoundTripsAMinimalState() throws IOException {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(2), new Sgd(0.1)).build();
        LearnerState empty = learner.snapshot();
        assertThat(empty.reservoir()).isNull();
        assertThat(empty.ewc()).isNull();
        assertThat(LearnerStateSerializer.fromBytes(LearnerStateSerializer.toBytes(empty))).isEqualTo(empty);
    }

    @Test
    void serializerRejectsForeignOrDamagedInput() {
        OnlineLearner learner = fullLearner(1);
        for (double[] x : stream(30, 1)) {
            learner.evaluateThenTrain(x, label(x), 1.0);
        }
        byte[] bytes = LearnerStateSerializer.toBytes(learner.snapshot());

        byte[] badMagic = bytes.clone();
        badMagic[0] ^= 1;
        assertThatThrownBy(() -> LearnerStateSerializer.fromBytes(badMagic)).hasMessageContaining("magic");
        byte[] badVersion = bytes.clone();
        badVersion[4] = 9;
        assertThatThrownBy(() -> LearnerStateSerializer.fromBytes(badVersion)).hasMessageContaining("version");
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);
        assertThatThrownBy(() -> LearnerStateSerializer.fromBytes(truncated)).isInstanceOf(IOException.class);
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> LearnerStateSerializer.fromBytes(trailing)).hasMessageContaining("trailing");
        assertThat(bytes.length).isLessThan(8_000); // 64 reservoir rows of 5 doubles dominate
    }

    @Test
    void readConsumesExactlyOneStateFromAStream() throws IOException {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(2), new Sgd(0.1)).build();
        learner.evaluateThenTrain(new double[] {1, 2}, 1, 1.0);
        byte[] one = LearnerStateSerializer.toBytes(learner.snapshot());
        byte[] two = new byte[2 * one.length];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(two));

        assertThat(LearnerStateSerializer.read(in)).isEqualTo(LearnerStateSerializer.read(in));
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void restoreRejectsAStateOfAnotherConfiguration() {
        LearnerState withReservoir = fullLearner(1).snapshot();
        OnlineLearner plain = OnlineLearner.builder(
                        Mlp.builder().numFeatures(F).hiddenLayers(8, 4).numClasses(2).seed(1).build(), new Adam(0.01))
                .build();
        assertThatThrownBy(() -> plain.restore(withReservoir)).hasMessageContaining("reservoir");

        OnlineLearner otherShape = OnlineLearner.builder(new LogisticRegression(F), new Adam(0.01)).build();
        assertThatThrownBy(() -> otherShape.restore(withReservoir)).hasMessageContaining("parameters");

        OnlineLearner otherOptimizer = OnlineLearner.builder(
                        Mlp.builder().numFeatures(F).hiddenLayers(8, 4).numClasses(2).seed(1).build(), new Sgd(0.1))
                .minibatchSize(3)
                .reservoir(64)
                .ewc(5.0)
                .evaluationWindow(100)
                .build();
        assertThatThrownBy(() -> otherOptimizer.restore(withReservoir)).hasMessageContaining("adam");

        OnlineLearner smallerReservoir = OnlineLearner.builder(
                        Mlp.builder().numFeatures(F).hiddenLayers(8, 4).numClasses(2).seed(1).build(), new Adam(0.01))
                .minibatchSize(3)
                .reservoir(32)
                .ewc(5.0)
                .evaluationWindow(100)
                .build();
        for (double[] x : stream(10, 3)) {
            smallerReservoir.evaluateThenTrain(x, label(x), 1.0);
        }
        LearnerState before = smallerReservoir.snapshot();
        assertThatThrownBy(() -> smallerReservoir.restore(withReservoir)).hasMessageContaining("reservoir");
        assertThat(smallerReservoir.snapshot()).as("a rejected state changes nothing").isEqualTo(before);
    }

    @Test
    void stateIsACopy() {
        OnlineLearner learner = fullLearner(1);
        for (double[] x : stream(10, 2)) {
            learner.evaluateThenTrain(x, label(x), 1.0);
        }
        LearnerState state = learner.snapshot();
        double[] params = state.parameters();
        params[0] += 1.0;
        state.pending().rows()[0][0] = 1e9;
        assertThat(state.parameters()[0]).isNotEqualTo(params[0]);
        assertThat(state).isEqualTo(learner.snapshot());
    }

    private static double[][] stream(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] xs = new double[n][F];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < F; j++) {
                xs[i][j] = 2.0 + 3.0 * random.nextGaussian(); // off-centre so standardization matters
            }
        }
        return xs;
    }

    private static int label(double[] x) {
        return x[0] - x[1] + 0.5 * x[2] > 2.0 ? 1 : 0;
    }
}
