package dev.vigil.models.continual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.linear.SoftmaxRegression;
import dev.vigil.models.loss.ClassWeights;
import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.Sgd;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OnlineLearnerTest {

    private static final int F = 3;

    @Test
    void firstPredictionIsTheUntrainedModels() {
        LogisticRegression model = LogisticRegression.of(new double[] {0.4, -1.2, 0.7}, 0.3);
        LogisticRegression untrained = model.copy();
        OnlineLearner learner = OnlineLearner.builder(model, new Sgd(0.5)).build();
        double[] x = {1.5, 0.25, -2.0};

        Prediction p = learner.evaluateThenTrain(x, 0, 1.0);

        // An empty standardizer is the identity, so the untrained model sees x as is.
        assertThat(p.probability()).isEqualTo(untrained.predict(x));
        assertThat(p.index()).isZero();
        assertThat(p.stepped()).isTrue();
        assertThat(learner.modelCopy().parameters()).isNotEqualTo(untrained.parameters());
    }

    @Test
    void everyPredictionPrecedesTheUpdateOnItsExample() {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Adam(0.05))
                .minibatchSize(2)
                .build();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            double[] x = row(random);
            int y = x[0] + 0.5 * x[1] > 0 ? 1 : 0;
            double before = learner.predictProbability(x);

            Prediction p = learner.evaluateThenTrain(x, y, 1.0);

            assertThat(p.probability()).as("example %s", i).isEqualTo(before);
            assertThat(p.labelProbability()).isEqualTo(y == 1 ? before : 1.0 - before);
            assertThat(p.index()).isEqualTo(i);
            assertThat(p.stepped()).isEqualTo(i % 2 == 1);
        }
        assertThat(learner.examplesSeen()).isEqualTo(200);
        assertThat(learner.updates()).isEqualTo(100);
    }

    @Test
    void oneStepIsTheHandComputedSgdUpdate() {
        double eta = 0.1;
        LogisticRegression model = LogisticRegression.of(new double[] {0.2, -0.1, 0.05}, -0.3);
        OnlineLearner learner = OnlineLearner.builder(model, new Sgd(eta)).freezeStandardizerAfter(0).build();
        double[] x = {1.0, 2.0, -1.0};
        double p = 1.0 / (1.0 + Math.exp(-(0.2 - 0.2 - 0.05 - 0.3)));

        learner.evaluateThenTrain(x, 1, 2.0);

        double r = 2.0 * (p - 1.0);
        double[] expected = {0.2 - eta * r * 1.0, -0.1 - eta * r * 2.0, 0.05 + eta * r, -0.3 - eta * r};
        double[] actual = learner.modelCopy().parameters();
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).isCloseTo(expected[i], within(1e-15));
        }
    }

    @Test
    void minibatchAccumulatesKExamplesThenStepsOnTheirMeanGradient() {
        double eta = 0.3;
        LogisticRegression model = LogisticRegression.of(new double[] {0.1, 0.2, -0.3}, 0.05);
        LogisticRegression reference = model.copy();
        OnlineLearner learner = OnlineLearner.builder(model, new Sgd(eta))
                .minibatchSize(4)
                .freezeStandardizerAfter(0)
                .build();
        SplittableRandom random = new SplittableRandom(11);
        double[][] xs = new double[4][];
        int[] ys = new int[4];
        for (int i = 0; i < 4; i++) {
            xs[i] = row(random);
            ys[i] = i % 2;
            Prediction p = learner.evaluateThenTrain(xs[i], ys[i], 1.0);
            assertThat(p.stepped()).isEqualTo(i == 3);
            assertThat(learner.pendingExamples()).isEqualTo((i + 1) % 4);
            if (i < 3) {
                assertThat(learner.modelCopy().parameters()).isEqualTo(reference.parameters());
                assertThat(learner.updates()).isZero();
            }
        }
        double[] grad = new double[F + 1];
        reference.batchLossAndGradient(xs, ys, 4, ClassWeights.UNIT, 0.0, grad);
        double[] expected = reference.parameters().clone();
        for (int i = 0; i < expected.length; i++) {
            expected[i] -= eta * grad[i];
        }
        assertThat(learner.modelCopy().parameters()).isEqualTo(expected);
        assertThat(learner.updates()).isEqualTo(1);
    }

    @Test
    void flushStepsOnAPartialMinibatch() {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1))
                .minibatchSize(10)
                .build();
        assertThat(learner.flush()).isFalse();
        learner.evaluateThenTrain(new double[] {1, 2, 3}, 1, 1.0);
        learner.evaluateThenTrain(new double[] {0, 1, 0}, 0, 1.0);

        assertThat(learner.flush()).isTrue();

        assertThat(learner.updates()).isEqualTo(1);
        assertThat(learner.pendingExamples()).isZero();
        assertThat(learner.flush()).isFalse();
    }

    @Test
    void classWeightsMultiplyTheExampleWeight() {
        double[] x = {0.5, -1.0, 2.0};
        OnlineLearner weighted = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1))
                .freezeStandardizerAfter(0)
                .classWeights(new ClassWeights(1.0, 3.0))
                .build();
        OnlineLearner byHand = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1))
                .freezeStandardizerAfter(0)
                .build();

        weighted.evaluateThenTrain(x, 1, 0.5);
        byHand.evaluateThenTrain(x, 1, 1.5);

        assertThat(weighted.modelCopy().parameters()).isEqualTo(byHand.modelCopy().parameters());
    }

    @Test
    void replayMixesReservoirExamplesIntoTheStep() {
        double eta = 0.2;
        LogisticRegression reference = new LogisticRegression(F);
        // Capacity 1: after the first step the reservoir holds exactly the first example, so the second step's
        // replayed example is known.
        OnlineLearner learner = OnlineLearner.builder(reference.copy(), new Sgd(eta))
                .freezeStandardizerAfter(0)
                .reservoir(1)
                .replay(1)
                .build();
        double[] x1 = {1.0, -0.5, 0.25};
        double[] x2 = {-2.0, 0.5, 1.0};
        learner.evaluateThenTrain(x1, 1, 1.0);
        double[] g = new double[F + 1];
        reference.lossAndGradient(x1, 1, 1.0, 0.0, g);
        step(reference.parameters(), g, eta);
        assertThat(learner.modelCopy().parameters()).isEqualTo(reference.parameters());
        assertThat(learner.reservoirSize()).isEqualTo(1);

        learner.evaluateThenTrain(x2, 0, 1.0);

        reference.batchLossAndGradient(new double[][] {x2, x1}, new int[] {0, 1}, 2, ClassWeights.UNIT, 0.0, g);
        step(reference.parameters(), g, eta);
        assertThat(learner.modelCopy().parameters()).isEqualTo(reference.parameters());
    }

    @Test
    void standardizerUpdatesUntilFrozen() {
        OnlineLearner updating = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1)).build();
        OnlineLearner frozen = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1))
                .freezeStandardizerAfter(3)
                .build();
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10; i++) {
            double[] x = row(random);
            updating.evaluateThenTrain(x, i % 2, 1.0);
            frozen.evaluateThenTrain(x, i % 2, 1.0);
        }
        assertThat(updating.standardizerCopy().count()).isEqualTo(10);
        assertThat(updating.standardizerUpdating()).isTrue();
        assertThat(frozen.standardizerCopy().count()).isEqualTo(3);
        assertThat(frozen.standardizerUpdating()).isFalse();
    }

    @Test
    void initialStandardizerIsUsedForTheFirstPrediction() {
        Standardizer fitted = Standardizer.fit(new double[][] {{10, 0, 1}, {12, 4, 3}});
        LogisticRegression model = LogisticRegression.of(new double[] {1, 1, 1}, 0);
        LogisticRegression untrained = model.copy();
        OnlineLearner learner = OnlineLearner.builder(model, new Sgd(0.1))
                .initialStandardizer(fitted.state())
                .freezeStandardizerAfter(0)
                .build();
        double[] x = {13, 1, 2};

        Prediction p = learner.evaluateThenTrain(x, 1, 1.0);

        assertThat(p.probability()).isEqualTo(untrained.predict(fitted.transform(x)));
    }

    @Test
    void aGradientWhoseNormOverflowsIsSkipped() {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1))
                .freezeStandardizerAfter(0)
                .build();
        double[] before = learner.modelCopy().parameters();

        learner.evaluateThenTrain(new double[] {1e200, 1e200, 0}, 1, 1.0);

        assertThat(learner.skippedUpdates()).isEqualTo(1);
        assertThat(learner.updates()).isZero();
        assertThat(learner.modelCopy().parameters()).isEqualTo(before);
        learner.evaluateThenTrain(new double[] {1, 0, 0}, 1, 1.0);
        assertThat(learner.updates()).isEqualTo(1);
    }

    @Test
    void clipNormBoundsTheStep() {
        double eta = 1.0;
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Sgd(eta))
                .freezeStandardizerAfter(0)
                .clipNorm(0.01)
                .build();

        learner.evaluateThenTrain(new double[] {30, -40, 10}, 1, 1.0);

        double[] p = learner.modelCopy().parameters();
        double norm = Math.sqrt(Arrays.stream(p).map(v -> v * v).sum());
        assertThat(norm).isCloseTo(0.01 * eta, within(1e-12));
    }

    @Test
    void metricsAreThePrequentialPredictions() {
        int window = 50;
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Adam(0.05))
                .evaluationWindow(window)
                .build();
        SplittableRandom random = new SplittableRandom(17);
        int n = 180;
        double[] scores = new double[n];
        int[] labels = new int[n];
        double sumLoss = 0.0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            double[] x = row(random);
            int y = x[0] - x[2] + 0.5 * random.nextGaussian() > 0 ? 1 : 0;
            Prediction p = learner.evaluateThenTrain(x, y, 1.0);
            scores[i] = p.probability();
            labels[i] = y;
            sumLoss += p.logLoss();
            correct += p.correct(y) ? 1 : 0;
            assertThat(p.logLoss()).isCloseTo(-Math.log(p.labelProbability()), within(1e-12));
        }

        PrequentialMetrics m = learner.metrics();

        assertThat(m.examples()).isEqualTo(n);
        assertThat(m.logLoss()).isCloseTo(sumLoss / n, within(1e-12));
        assertThat(m.accuracy()).isEqualTo((double) correct / n);
        assertThat(m.windowSize()).isEqualTo(window);
        double[] lastScores = Arrays.copyOfRange(scores, n - window, n);
        int[] lastLabels = Arrays.copyOfRange(labels, n - window, n);
        assertThat(m.windowAuroc()).isEqualTo(BinaryClassificationMetrics.auroc(lastScores, lastLabels));
        assertThat(m.windowAccuracy()).isGreaterThan(0.7);
    }

    @Test
    void metricsBeforeAnyExampleAreUndefined() {
        PrequentialMetrics m = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1)).build().metrics();
        assertThat(m.examples()).isZero();
        assertThat(m.logLoss()).isNaN();
        assertThat(m.windowAuroc()).isNaN();
    }

    @Test
    void learnsAMulticlassModel() {
        OnlineLearner learner = OnlineLearner.builder(new SoftmaxRegression(2, 3), new Adam(0.05))
                .minibatchSize(4)
                .evaluationWindow(300)
                .build();
        SplittableRandom random = new SplittableRandom(23);
        double[][] centres = {{3, 0}, {-3, 0}, {0, 3}};
        for (int i = 0; i < 3_000; i++) {
            int y = i % 3;
            double[] x = {centres[y][0] + random.nextGaussian(), centres[y][1] + random.nextGaussian()};
            Prediction p = learner.evaluateThenTrain(x, y, 1.0);
            assertThat(p.probability()).isGreaterThanOrEqualTo(1.0 / 3 - 1e-12);
        }
        PrequentialMetrics m = learner.metrics();
        assertThat(m.windowAccuracy()).isGreaterThan(0.9);
        assertThat(m.windowAuroc()).isNaN();
        double[] out = new double[3];
        learner.predict(new double[] {3, 0}, out);
        assertThat(out[0]).isGreaterThan(0.8);
    }

    @Test
    void rejectsBadExamplesAndConfigurations() {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1)).build();
        assertThatThrownBy(() -> learner.evaluateThenTrain(new double[2], 0, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> learner.evaluateThenTrain(new double[] {0, Double.NaN, 0}, 0, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> learner.evaluateThenTrain(new double[F], 2, 1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> learner.evaluateThenTrain(new double[F], 1, -1.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(learner.examplesSeen()).isZero();
        assertThatThrownBy(learner::consolidate).isInstanceOf(IllegalStateException.class);

        LogisticRegression m = new LogisticRegression(F);
        assertThatThrownBy(() -> OnlineLearner.builder(m, new Sgd(0.1)).replay(4).build())
                .hasMessageContaining("reservoir");
        assertThatThrownBy(() -> OnlineLearner.builder(m, new Sgd(0.1)).ewc(1.0).build())
                .hasMessageContaining("reservoir");
        assertThatThrownBy(() -> OnlineLearner.builder(m, new Sgd(0.1)).ewcConsolidateEvery(5).build())
                .hasMessageContaining("ewc");
        assertThatThrownBy(() -> OnlineLearner.builder(m, new Sgd(0.1)).minibatchSize(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnlineLearner.builder(m, new Sgd(0.1)).ewcDecay(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OnlineLearner.builder(m, new Sgd(0.1))
                        .initialStandardizer(new Standardizer(F + 1).state())
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    static double[] row(SplittableRandom random) {
        double[] x = new double[F];
        for (int i = 0; i < F; i++) {
            x[i] = random.nextGaussian();
        }
        return x;
    }

    private static void step(double[] params, double[] grad, double eta) {
        for (int i = 0; i < params.length; i++) {
            params[i] -= eta * grad[i];
        }
    }
}
