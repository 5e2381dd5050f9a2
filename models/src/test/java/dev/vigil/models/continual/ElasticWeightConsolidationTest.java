package dev.vigil.models.continual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.optim.Sgd;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ElasticWeightConsolidationTest {

    private static final int F = 3;
    private static final double H = 1e-6;

    @Test
    void penaltyGradientMatchesFiniteDifferences() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 6;
        ElasticWeightConsolidation ewc = new ElasticWeightConsolidation(3.5, 0.0, n);
        double[] fisher = new double[n];
        double[] anchor = new double[n];
        double[] params = new double[n];
        for (int i = 0; i < n; i++) {
            fisher[i] = random.nextDouble() * 2;
            anchor[i] = random.nextGaussian();
            params[i] = random.nextGaussian();
        }
        ewc.consolidate(anchor, fisher);
        double[] grad = new double[n];

        ewc.addGradient(params, grad);

        for (int i = 0; i < n; i++) {
            double saved = params[i];
            params[i] = saved + H;
            double plus = ewc.penalty(params);
            params[i] = saved - H;
            double minus = ewc.penalty(params);
            params[i] = saved;
            assertThat(grad[i]).as("d penalty / d theta_%s", i).isCloseTo((plus - minus) / (2 * H), within(1e-7));
        }
        assertThat(ewc.penalty(anchor)).isZero();
    }

    @Test
    void noPenaltyBeforeTheFirstConsolidation() {
        ElasticWeightConsolidation ewc = new ElasticWeightConsolidation(10.0, 0.5, 2);
        double[] grad = {1.0, 2.0};
        ewc.addGradient(new double[] {5.0, -5.0}, grad);
        assertThat(grad).containsExactly(1.0, 2.0);
        assertThat(ewc.penalty(new double[] {5.0, -5.0})).isZero();
    }

    /**
     * End to end: the step an {@link OnlineLearner} with EWC takes under SGD is {@code -eta} times the gradient of
     * {@code loss(theta) + (lambda / 2) sum F_i (theta_i - theta*_i)^2}, checked against central differences of that
     * objective.
     */
    @Test
    void learnerStepIsTheGradientOfLossPlusPenalty() {
        double eta = 0.05;
        double lambda = 4.0;
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Sgd(eta))
                .freezeStandardizerAfter(0)
                .reservoir(64)
                .ewc(lambda)
                .build();
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 40; i++) {
            double[] x = OnlineLearnerTest.row(random);
            learner.evaluateThenTrain(x, x[0] > 0 ? 1 : 0, 1.0);
        }
        learner.consolidate();
        for (int i = 0; i < 40; i++) {
            double[] x = OnlineLearnerTest.row(random);
            learner.evaluateThenTrain(x, x[1] > 0 ? 1 : 0, 1.0);
        }
        LearnerState.Ewc ewc = learner.snapshot().ewc();
        double[] fisher = ewc.fisher();
        double[] anchor = ewc.anchor();
        double[] theta = learner.modelCopy().parameters();
        assertThat(learner.ewcPenalty()).isGreaterThan(0.0);
        double[] x = {0.7, -1.1, 0.4};
        int y = 1;

        learner.evaluateThenTrain(x, y, 1.0);

        double[] after = learner.modelCopy().parameters();
        for (int i = 0; i < theta.length; i++) {
            double analytic = (theta[i] - after[i]) / eta;
            double[] plus = theta.clone();
            plus[i] += H;
            double[] minus = theta.clone();
            minus[i] -= H;
            double numeric = (objective(plus, x, y, lambda, fisher, anchor)
                            - objective(minus, x, y, lambda, fisher, anchor))
                    / (2 * H);
            assertThat(analytic).as("dJ/dtheta_%s", i).isCloseTo(numeric, within(1e-6));
        }
    }

    @Test
    void fisherIsTheMeanSquaredLogLikelihoodGradientOnTheReservoir() {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1))
                .freezeStandardizerAfter(0)
                .reservoir(100)
                .ewc(1.0)
                .ewcDecay(0.5)
                .build();
        SplittableRandom random = new SplittableRandom(4);
        double[][] xs = new double[30][];
        int[] ys = new int[30];
        for (int i = 0; i < 30; i++) {
            xs[i] = OnlineLearnerTest.row(random);
            ys[i] = xs[i][2] > 0 ? 1 : 0;
            learner.evaluateThenTrain(xs[i], ys[i], 7.0); // example weights do not enter the Fisher
        }

        learner.consolidate();
        double[] first = expectedFisher(learner.modelCopy().parameters(), xs, ys);
        assertThat(learner.ewcFisher()).containsExactly(first, within(1e-15));
        assertThat(learner.snapshot().ewc().anchor()).isEqualTo(learner.modelCopy().parameters());

        for (int i = 0; i < 10; i++) {
            learner.evaluateThenTrain(OnlineLearnerTest.row(random), 0, 1.0);
        }
        learner.consolidate(); // online EWC: F <- 0.5 F + F_new, F_new on the 40 examples now in the reservoir

        LearnerState.Examples kept = learner.snapshot().reservoir().contents();
        double[] second = expectedFisher(learner.modelCopy().parameters(), kept.rows(), kept.labels());
        double[] fisher = learner.ewcFisher();
        for (int i = 0; i < fisher.length; i++) {
            assertThat(fisher[i]).isCloseTo(0.5 * first[i] + second[i], within(1e-14));
        }
        assertThat(learner.consolidations()).isEqualTo(2);
    }

    @Test
    void consolidatesEveryMUpdates() {
        OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(F), new Sgd(0.1))
                .minibatchSize(2)
                .reservoir(16)
                .ewc(1.0)
                .ewcConsolidateEvery(5)
                .build();
        SplittableRandom random = new SplittableRandom(6);
        for (int i = 0; i < 41; i++) {
            learner.evaluateThenTrain(OnlineLearnerTest.row(random), i % 2, 1.0);
        }
        assertThat(learner.updates()).isEqualTo(20);
        assertThat(learner.consolidations()).isEqualTo(4);
    }

    private static double objective(double[] theta, double[] x, int y, double lambda, double[] f, double[] anchor) {
        double loss = LogisticRegression.fromParameters(theta).lossAndGradient(x, y, 1.0, 0.0, new double[F + 1]);
        double penalty = 0.0;
        for (int i = 0; i < theta.length; i++) {
            penalty += f[i] * (theta[i] - anchor[i]) * (theta[i] - anchor[i]);
        }
        return loss + 0.5 * lambda * penalty;
    }

    private static double[] expectedFisher(double[] params, double[][] xs, int[] ys) {
        LogisticRegression model = LogisticRegression.fromParameters(params);
        double[] fisher = new double[params.length];
        double[] g = new double[params.length];
        for (int k = 0; k < xs.length; k++) {
            model.lossAndGradient(xs[k], ys[k], 1.0, 0.0, g);
            for (int i = 0; i < g.length; i++) {
                fisher[i] += g[i] * g[i];
            }
        }
        for (int i = 0; i < fisher.length; i++) {
            fisher[i] /= xs.length;
        }
        return fisher;
    }
}
