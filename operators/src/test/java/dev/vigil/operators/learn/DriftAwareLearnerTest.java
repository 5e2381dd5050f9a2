package dev.vigil.operators.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.continual.LearnerState;
import dev.vigil.models.continual.OnlineLearner;
import dev.vigil.models.continual.Prediction;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.optim.AdaGrad;
import dev.vigil.models.optim.Adam;
import dev.vigil.operators.drift.DriftDetectors;
import dev.vigil.operators.learn.DriftAwareLearner.Adaptation;
import dev.vigil.operators.learn.DriftAwareLearner.Detection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The drift policy of {@link DriftAwareLearner}: adaptation on a real concept change, the exact rules, state. */
class DriftAwareLearnerTest {

    private static final int D = 10;

    /**
     * A seeded stream whose label is {@code 1[w . x > 0]} with 5% of labels flipped; {@code w} is one random vector
     * before {@code change} and another after it (an abrupt concept change, as in the SEA and rotating-hyperplane
     * benchmarks). Features are standard normal.
     */
    private record Stream(double[][] x, int[] y) {
        static Stream of(int n, int change, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            double[] before = gaussian(r);
            double[] after = gaussian(r);
            double[][] x = new double[n][];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                x[i] = gaussian(r);
                double[] w = i < change ? before : after;
                double s = 0;
                for (int j = 0; j < D; j++) {
                    s += w[j] * x[i][j];
                }
                int label = s > 0 ? 1 : 0;
                y[i] = r.nextDouble() < 0.05 ? 1 - label : label;
            }
            return new Stream(x, y);
        }

        private static double[] gaussian(SplittableRandom r) {
            double[] v = new double[D];
            for (int j = 0; j < D; j++) {
                v[j] = r.nextGaussian();
            }
            return v;
        }
    }

    /** AdaGrad: per-coordinate rates that decay with the accumulated squared gradients. */
    private static OnlineLearner adagrad() {
        return OnlineLearner.builder(new LogisticRegression(D), new AdaGrad(0.1)).seed(7).build();
    }

    private static OnlineLearner adam() {
        return OnlineLearner.builder(new LogisticRegression(D), new Adam(0.01)).seed(7).minibatchSize(4).build();
    }

    private static double accuracy(List<Prediction> predictions, int[] y, int from, int to) {
        int correct = 0;
        for (int i = from; i < to; i++) {
            correct += predictions.get(i).correct(y[i]) ? 1 : 0;
        }
        return (double) correct / (to - from);
    }

    @Test
    void recoversFromAConceptChangeFasterThanTheSameLearnerWithoutADetector() {
        int change = 20_000;
        for (long seed = 1; seed <= 3; seed++) {
            Stream s = Stream.of(change + 2_000, change, seed);
            OnlineLearner plain = adagrad();
            DriftAwareLearner aware =
                    DriftAwareLearner.builder(DriftAwareLearnerTest::adagrad, DriftDetectors.create("ddm")).build();
            List<Prediction> plainPredictions = new ArrayList<>();
            List<Prediction> awarePredictions = new ArrayList<>();
            List<Detection> detections = new ArrayList<>();
            for (int i = 0; i < s.x().length; i++) {
                plainPredictions.add(plain.evaluateThenTrain(s.x()[i], s.y()[i], 1.0));
                awarePredictions.add(aware.evaluateThenTrain(s.x()[i], s.y()[i], 1.0));
                if (aware.driftDetected()) {
                    detections.add(aware.lastDetection());
                }
            }
            double before = accuracy(awarePredictions, s.y(), change - 2_000, change);
            double plainAfter = accuracy(plainPredictions, s.y(), change, change + 2_000);
            double awareAfter = accuracy(awarePredictions, s.y(), change, change + 2_000);
            assertThat(accuracy(plainPredictions, s.y(), change - 2_000, change)).as("seed %s", seed)
                    .isEqualTo(before); // identical until the first detection
            assertThat(awareAfter).as("seed %s: with DDM (plain %s)", seed, plainAfter)
                    .isGreaterThan(plainAfter + 0.15);
            assertThat(accuracy(awarePredictions, s.y(), change + 1_000, change + 2_000)).as("seed %s", seed)
                    .isGreaterThan(before - 0.05); // back to the accuracy it had before the change
            assertThat(detections).as("seed %s", seed).isNotEmpty();
            Detection first = detections.get(0);
            assertThat(first.index()).as("seed %s", seed).isBetween((long) change, change + 500L);
            assertThat(first.adaptation()).isEqualTo(Adaptation.RETRAINED);
            assertThat(first.warningIndex()).isBetween((long) change, first.index() - 1);
            assertThat(first.retrainedOn()).isEqualTo((int) (first.index() - first.warningIndex() + 1));
            assertThat(aware.drifts()).isEqualTo(detections.size());
            assertThat(aware.examplesSeen()).isEqualTo(s.x().length);
        }
    }

    @Test
    void staysQuietAndUnchangedOnAStationaryStream() {
        Stream s = Stream.of(20_000, Integer.MAX_VALUE, 11);
        OnlineLearner plain = adam();
        DriftAwareLearner aware =
                DriftAwareLearner.builder(DriftAwareLearnerTest::adam, DriftDetectors.create("ddm")).build();
        for (int i = 0; i < s.x().length; i++) {
            Prediction p = plain.evaluateThenTrain(s.x()[i], s.y()[i], 1.0);
            assertThat(aware.evaluateThenTrain(s.x()[i], s.y()[i], 1.0)).isEqualTo(p);
        }
        assertThat(aware.drifts()).isZero();
        assertThat(aware.lastDetection()).isNull();
        assertThat(aware.learner().snapshot()).isEqualTo(plain.snapshot());
    }

    @Test
    void retrainsAFreshLearnerOnTheExamplesSinceTheWarning() {
        // warning at 5..9 (buffered: 5..10), drift at 10; features x_i = (i, 0, ..., 0)
        TestingDriftDetector detector = new TestingDriftDetector(range(5, 10), Set.of(10L));
        DriftAwareLearner aware = DriftAwareLearner.builder(DriftAwareLearnerTest::adam, detector).build();
        OnlineLearner first = aware.learner();
        for (int i = 0; i <= 10; i++) {
            aware.evaluateThenTrain(row(i), i % 2, 1.0);
            assertThat(aware.warningActive()).as("after %s", i).isEqualTo(i >= 5 && i < 10);
            assertThat(aware.bufferedExamples()).as("after %s", i).isEqualTo(i >= 5 && i < 10 ? i - 4 : 0);
        }
        assertThat(aware.driftDetected()).isTrue();
        assertThat(aware.lastDetection()).isEqualTo(new Detection(10, 5, Adaptation.RETRAINED, 6));
        OnlineLearner fresh = aware.learner();
        assertThat(fresh).isNotSameAs(first);
        assertThat(fresh.examplesSeen()).isEqualTo(6);
        assertThat(fresh.pendingExamples()).isZero(); // the partial minibatch was stepped on
        assertThat(fresh.standardizerCopy().mean()[0]).isEqualTo((5 + 6 + 7 + 8 + 9 + 10) / 6.0);
        assertThat(aware.warnings()).isEqualTo(1);
        aware.evaluateThenTrain(row(11), 1, 1.0);
        assertThat(aware.driftDetected()).isFalse();
        assertThat(aware.lastDetection().index()).isEqualTo(10);
    }

    @Test
    void aLongWarningKeepsTheMostRecentExamples() {
        TestingDriftDetector detector = new TestingDriftDetector(range(2, 19), Set.of(20L));
        DriftAwareLearner aware =
                DriftAwareLearner.builder(DriftAwareLearnerTest::adam, detector).warningBufferCapacity(4).build();
        for (int i = 0; i <= 20; i++) {
            aware.evaluateThenTrain(row(i), i % 2, 1.0);
        }
        assertThat(aware.lastDetection()).isEqualTo(new Detection(20, 2, Adaptation.RETRAINED, 4));
        assertThat(aware.learner().standardizerCopy().mean()[0]).isEqualTo((17 + 18 + 19 + 20) / 4.0);
    }

    @Test
    void aWarningThatEndsWithoutDriftIsAFalseAlarm() {
        TestingDriftDetector detector = new TestingDriftDetector(Set.of(3L, 4L, 8L), Set.of(9L));
        DriftAwareLearner aware = DriftAwareLearner.builder(DriftAwareLearnerTest::adam, detector).build();
        for (int i = 0; i <= 9; i++) {
            aware.evaluateThenTrain(row(i), i % 2, 1.0);
            if (i == 5) {
                assertThat(aware.warningActive()).isFalse();
                assertThat(aware.bufferedExamples()).isZero();
            }
        }
        assertThat(aware.warnings()).isEqualTo(2);
        assertThat(aware.lastDetection()).isEqualTo(new Detection(9, 8, Adaptation.RETRAINED, 2));
    }

    @Test
    void aDriftWithoutWarningResetsTheOptimizerAndKeepsTheParameters() {
        TestingDriftDetector detector = new TestingDriftDetector(Set.of(), Set.of(40L));
        DriftAwareLearner aware = DriftAwareLearner.builder(DriftAwareLearnerTest::adam, detector).build();
        OnlineLearner learner = aware.learner();
        Stream s = Stream.of(41, Integer.MAX_VALUE, 3);
        LearnerState before = null;
        for (int i = 0; i <= 40; i++) {
            if (i == 40) {
                before = learner.snapshot();
            }
            aware.evaluateThenTrain(s.x()[i], s.y()[i], 1.0);
        }
        assertThat(aware.lastDetection()).isEqualTo(new Detection(40, -1, Adaptation.OPTIMIZER_RESET, 0));
        assertThat(aware.learner()).isSameAs(learner);
        LearnerState after = learner.snapshot();
        assertThat(after.optimizer()).isEqualTo(adam().snapshot().optimizer());
        assertThat(after.examplesSeen()).isEqualTo(41);
        // the example at 40 was trained on before the reset: the parameters are those of an uninterrupted learner
        OnlineLearner reference = adam();
        reference.restore(before);
        reference.evaluateThenTrain(s.x()[40], s.y()[40], 1.0);
        assertThat(after.parameters()).isEqualTo(reference.snapshot().parameters());
        assertThat(after.standardizer()).isEqualTo(reference.snapshot().standardizer());
    }

    @Test
    void withAdwinAndAdaGradTheOptimizerResetAlsoRecovers() {
        int change = 20_000;
        Stream s = Stream.of(change + 2_000, change, 5);
        OnlineLearner plain = adagrad();
        DriftAwareLearner aware =
                DriftAwareLearner.builder(DriftAwareLearnerTest::adagrad, DriftDetectors.create("adwin")).build();
        List<Prediction> plainPredictions = new ArrayList<>();
        List<Prediction> awarePredictions = new ArrayList<>();
        for (int i = 0; i < s.x().length; i++) {
            plainPredictions.add(plain.evaluateThenTrain(s.x()[i], s.y()[i], 1.0));
            awarePredictions.add(aware.evaluateThenTrain(s.x()[i], s.y()[i], 1.0));
        }
        assertThat(aware.lastDetection().adaptation()).isEqualTo(Adaptation.OPTIMIZER_RESET);
        assertThat(aware.lastDetection().index()).isGreaterThanOrEqualTo(change);
        assertThat(accuracy(awarePredictions, s.y(), change, change + 2_000))
                .isGreaterThan(accuracy(plainPredictions, s.y(), change, change + 2_000) + 0.1);
    }

    @Test
    void snapshotAndRestoreContinueBitForBit() throws IOException {
        int change = 3_000;
        Stream s = Stream.of(5_000, change, 9);
        DriftAwareLearner reference =
                DriftAwareLearner.builder(DriftAwareLearnerTest::adagrad, DriftDetectors.create("ddm")).build();
        List<Prediction> expected = new ArrayList<>();
        int cut = -1;
        for (int i = 0; i < s.x().length; i++) {
            expected.add(reference.evaluateThenTrain(s.x()[i], s.y()[i], 1.0));
            if (cut < 0 && reference.bufferedExamples() >= 3) {
                cut = i + 1; // cut in the middle of a warning: the buffer must survive
            }
        }
        assertThat(cut).as("a warning occurred").isPositive();
        assertThat(reference.drifts()).isPositive();

        DriftAwareLearner first =
                DriftAwareLearner.builder(DriftAwareLearnerTest::adagrad, DriftDetectors.create("ddm")).build();
        for (int i = 0; i < cut; i++) {
            first.evaluateThenTrain(s.x()[i], s.y()[i], 1.0);
        }
        DriftAwareLearner.State state = first.snapshot();
        assertThat(state.buffer().size()).isGreaterThanOrEqualTo(3);
        DriftAwareLearner.State decoded = DriftAwareLearner.State.fromBytes(state.toBytes());
        assertThat(decoded.learner()).isEqualTo(state.learner());
        assertThat(decoded.detector()).isEqualTo(state.detector());
        assertThat(decoded.buffer()).isEqualTo(state.buffer());

        DriftAwareLearner resumed =
                DriftAwareLearner.builder(DriftAwareLearnerTest::adagrad, DriftDetectors.create("ddm")).build();
        resumed.restore(decoded);
        for (int i = cut; i < s.x().length; i++) {
            assertThat(resumed.evaluateThenTrain(s.x()[i], s.y()[i], 1.0)).as("example %s", i)
                    .isEqualTo(expected.get(i));
        }
        assertThat(resumed.snapshot().learner()).isEqualTo(reference.snapshot().learner());
        assertThat(resumed.lastDetection()).isEqualTo(reference.lastDetection());
        assertThat(resumed.drifts()).isEqualTo(reference.drifts());
        assertThat(resumed.warnings()).isEqualTo(reference.warnings());
    }

    @Test
    void refusesInconsistentFactoriesAndStates() {
        int[] width = {D};
        DriftAwareLearner aware = DriftAwareLearner.builder(
                        () -> OnlineLearner.builder(new LogisticRegression(width[0]), new Adam(0.01)).build(),
                        new TestingDriftDetector(Set.of(), Set.of(0L)))
                .build();
        width[0] = D + 1;
        assertThatThrownBy(() -> aware.evaluateThenTrain(new double[D], 1, 1.0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("11 features");

        DriftAwareLearner small = DriftAwareLearner.builder(DriftAwareLearnerTest::adam,
                        new TestingDriftDetector(range(0, 9), Set.of()))
                .warningBufferCapacity(8)
                .build();
        for (int i = 0; i < 10; i++) {
            small.evaluateThenTrain(row(i), 1, 1.0);
        }
        DriftAwareLearner.State state = small.snapshot();
        DriftAwareLearner smaller = DriftAwareLearner.builder(DriftAwareLearnerTest::adam,
                        new TestingDriftDetector(Set.of(), Set.of()))
                .warningBufferCapacity(4)
                .build();
        assertThatThrownBy(() -> smaller.restore(state)).hasMessageContaining("capacity is 4");
        assertThatThrownBy(() -> DriftAwareLearner.builder(DriftAwareLearnerTest::adam,
                        new TestingDriftDetector(Set.of(), Set.of())).warningBufferCapacity(0))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] bytes = state.toBytes();
        bytes[0] ^= 1;
        assertThatThrownBy(() -> DriftAwareLearner.State.fromBytes(bytes)).isInstanceOf(IOException.class);
        byte[] truncated = Arrays.copyOf(state.toBytes(), 40);
        assertThatThrownBy(() -> DriftAwareLearner.State.fromBytes(truncated)).isInstanceOf(IOException.class);
    }

    private static double[] row(int i) {
        double[] x = new double[D];
        x[0] = i;
        return x;
    }

    private static Set<Long> range(long fromInclusive, long toInclusive) {
        return Set.copyOf(LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList());
    }
}
