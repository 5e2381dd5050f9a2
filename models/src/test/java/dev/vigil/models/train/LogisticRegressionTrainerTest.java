package dev.vigil.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.models.loss.ClassWeighting;
import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.LearningRateSchedule;
import dev.vigil.models.optim.Sgd;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LogisticRegressionTrainerTest {

    private static double accuracy(double[] p, int[] y) {
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += (p[i] >= 0.5 ? 1 : 0) == y[i] ? 1 : 0;
        }
        return (double) correct / y.length;
    }

    private static double mean(int[] y) {
        return Arrays.stream(y).average().orElseThrow();
    }

    @Test
    void separableProblemReachesHighAccuracy() {
        TestingProblems data = TestingProblems.linear(6_000, 12, 12, 0.0, 0.0, 1);
        TrainingResult result = LogisticRegressionTrainer.builder()
                .optimizer(() -> new Adam(0.05))
                .l2(1e-6)
                .maxEpochs(40)
                .seed(7)
                .build()
                .fit(data.x(0, 4_000), data.y(0, 4_000), data.x(4_000, 5_000), data.y(4_000, 5_000));

        double[] p = result.predictAll(data.x(5_000, 6_000));
        assertThat(accuracy(p, data.y(5_000, 6_000))).isGreaterThan(0.98);
        assertThat(result.report().trainLoss().get(0)).isGreaterThan(result.report().bestTrainLoss());
    }

    @Test
    void noisyProblemBeatsTheConstantPredictor() {
        // About 15 % positives, labels only partly predictable.
        TestingProblems data = TestingProblems.linear(20_000, 20, 5, 1.0, 2.5, 2);
        double[][] xTrain = data.x(0, 12_000);
        int[] yTrain = data.y(0, 12_000);
        double[][] xTest = data.x(16_000, 20_000);
        int[] yTest = data.y(16_000, 20_000);
        double prevalence = mean(yTrain);
        assertThat(prevalence).isBetween(0.05, 0.3);

        TrainingResult plain = LogisticRegressionTrainer.builder()
                .optimizer(() -> new Adam(0.01))
                .seed(3)
                .build()
                .fit(xTrain, yTrain, data.x(12_000, 16_000), data.y(12_000, 16_000));
        double[] p = plain.predictAll(xTest);
        double[] constant = new double[yTest.length];
        Arrays.fill(constant, prevalence);

        BinaryClassificationMetrics model = BinaryClassificationMetrics.compute(p, yTest, 0.5);
        BinaryClassificationMetrics baseline = BinaryClassificationMetrics.compute(constant, yTest, 0.5);
        assertThat(model.logLoss()).isLessThan(0.8 * baseline.logLoss());
        assertThat(model.brierScore()).isLessThan(baseline.brierScore());
        assertThat(model.auroc()).isGreaterThan(0.8);
        assertThat(baseline.auroc()).isEqualTo(0.5);

        // Balanced class weights rank as well and flag far more of the rare class at 0.5.
        TrainingResult balanced = LogisticRegressionTrainer.builder()
                .optimizer(() -> new Adam(0.01))
                .classWeighting(ClassWeighting.balanced())
                .seed(3)
                .build()
                .fit(xTrain, yTrain, data.x(12_000, 16_000), data.y(12_000, 16_000));
        BinaryClassificationMetrics weighted =
                BinaryClassificationMetrics.compute(balanced.predictAll(xTest), yTest, 0.5);
        assertThat(weighted.auroc()).isCloseTo(model.auroc(), within(0.01));
        assertThat(weighted.sensitivity()).isGreaterThan(model.sensitivity() + 0.2);
        assertThat(balanced.report().classWeights().positive()).isGreaterThan(1.5);
    }

    @Test
    void earlyStoppingReturnsTheBestEpoch() {
        // Few rows, many useless features, no L2: the validation loss turns up once the model starts to overfit.
        TestingProblems data = TestingProblems.linear(1_300, 60, 2, 1.0, 0.0, 4);
        TrainingResult result = LogisticRegressionTrainer.builder()
                .optimizer(() -> new Sgd(LearningRateSchedule.constant(0.2)))
                .l2(0.0)
                .batchSize(16)
                .maxEpochs(200)
                .patience(4)
                .seed(5)
                .build()
                .fit(data.x(0, 300), data.y(0, 300), data.x(300, 1_300), data.y(300, 1_300));

        TrainingReport report = result.report();
        assertThat(report.stoppedEarly()).isTrue();
        assertThat(report.epochsRun()).isLessThan(200).isEqualTo(report.bestEpoch() + 4);
        double best = report.validationLoss().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertThat(report.bestValidationLoss()).isEqualTo(best);
        assertThat(report.validationLoss()).hasSize(report.epochsRun());
        // The returned parameters are the best epoch's: their validation loss is the best one.
        double[] p = result.predictAll(data.x(300, 1_300));
        assertThat(BinaryClassificationMetrics.logLoss(p, data.y(300, 1_300))).isCloseTo(best, within(1e-12));
        assertThat(report.trainRows()).isEqualTo(300);
        assertThat(report.validationRows()).isEqualTo(1_000);
    }

    @Test
    void sameSeedGivesTheSameModel() {
        TestingProblems data = TestingProblems.linear(2_000, 8, 4, 1.0, 0.0, 6);
        LogisticRegressionTrainer trainer = LogisticRegressionTrainer.builder().maxEpochs(5).seed(11).build();
        double[] first = trainer.fit(data.x, data.y).model().parameters();
        double[] second = trainer.fit(data.x, data.y).model().parameters();
        double[] otherSeed = LogisticRegressionTrainer.builder()
                .maxEpochs(5)
                .seed(12)
                .build()
                .fit(data.x, data.y)
                .model()
                .parameters();
        assertThat(second).containsExactly(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void standardizerSeesOnlyTheTrainingRows() {
        TestingProblems data = TestingProblems.linear(1_000, 3, 3, 1.0, 0.0, 8);
        TrainingResult result = LogisticRegressionTrainer.builder()
                .maxEpochs(2)
                .build()
                .fit(data.x(0, 600), data.y(0, 600), data.x(600, 1_000), data.y(600, 1_000));
        assertThat(result.standardizer().count()).isEqualTo(600);
        assertThat(result.report().epochsRun()).isEqualTo(2);
        assertThat(result.report().stoppedEarly()).isFalse();
    }

    @Test
    void trainsOneHundredThousandRowsOfOneHundredFeaturesInSeconds() {
        TestingProblems data = TestingProblems.linear(100_000, 100, 10, 1.0, 2.0, 9);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isCurrentThreadCpuTimeSupported());

        long cpuStart = threads.getCurrentThreadCpuTime();
        TrainingResult result = LogisticRegressionTrainer.builder()
                .classWeighting(ClassWeighting.balanced())
                .maxEpochs(5)
                .seed(1)
                .build()
                .fit(data.x, data.y);
        long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;

        assertThat(result.report().epochsRun()).isEqualTo(5);
        // About 0.1 s of CPU per epoch here; CPU time, unlike wall time, does not grow when other processes load
        // the machine. The bound only catches a gross regression (boxing, a stream or allocation per row).
        assertThat(cpuMillis).isLessThan(5_000);
    }

    @Test
    void rejectsInconsistentInput() {
        LogisticRegressionTrainer trainer = LogisticRegressionTrainer.builder().build();
        double[][] x = {{1, 2}, {3, 4}};
        assertThatThrownBy(() -> trainer.fit(x, new int[] {1})).hasMessageContaining("labels");
        assertThatThrownBy(() -> trainer.fit(x, new int[] {1, 2})).hasMessageContaining("yTrain[1]");
        assertThatThrownBy(() -> trainer.fit(new double[][] {{1, 2}, {3}}, new int[] {0, 1}))
                .hasMessageContaining("length 2");
        assertThatThrownBy(() -> trainer.fit(x, new int[] {0, 1}, new double[][] {{1}}, new int[] {0}))
                .hasMessageContaining("xValidation[0]");
        assertThatThrownBy(() -> trainer.fit(x, new int[] {0, 1}, x, null)).hasMessageContaining("neither");
        assertThatThrownBy(() -> LogisticRegressionTrainer.builder()
                        .classWeighting(ClassWeighting.balanced())
                        .build()
                        .fit(x, new int[] {0, 0}))
                .hasMessageContaining("both classes");
        assertThatThrownBy(() -> LogisticRegressionTrainer.builder().batchSize(0)).hasMessageContaining("batchSize");
    }
}
