package dev.vigil.models.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.Ftrl;
import dev.vigil.models.optim.GradientClipping;
import dev.vigil.models.optim.LearningRateSchedule;
import dev.vigil.models.optim.Momentum;
import dev.vigil.models.optim.Nesterov;
import dev.vigil.models.optim.Optimizer;
import dev.vigil.models.optim.OptimizerState;
import dev.vigil.models.optim.ParameterMask;
import dev.vigil.models.optim.Sgd;
import dev.vigil.models.optim.TestingLogisticProblem;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegularizedOptimizerTest {

    /** Clip to norm 1, add lambda2 w (not to the bias), SGD step, soft-threshold by eta lambda1 (not the bias). */
    @Test
    void clipsThenAddsL2ThenStepsThenThresholds() {
        double eta = 0.1;
        double lambda1 = 0.5;
        double lambda2 = 0.2;
        ParameterMask mask = ParameterMask.excluding(3, 2);
        Optimizer optimizer = RegularizedOptimizer.builder(new Sgd(eta))
                .clipNorm(1.0)
                .regularizer(Regularizer.elasticNet(lambda1, lambda2, mask))
                .proximalStepSize(LearningRateSchedule.constant(eta))
                .build();
        double[] params = {1.0, -0.02, 0.5};
        double[] grad = {3.0, 4.0, 0.0};

        optimizer.step(params, grad);

        // clipped: (0.6, 0.8, 0); + L2: (0.6 + 0.2 * 1, 0.8 + 0.2 * -0.02, 0) = (0.8, 0.796, 0)
        // SGD: (1 - 0.08, -0.02 - 0.0796, 0.5) = (0.92, -0.0996, 0.5); threshold 0.1 * 0.5 = 0.05
        assertThat(params[0]).isCloseTo(0.87, within(1e-15));
        assertThat(params[1]).isCloseTo(-0.0496, within(1e-15));
        assertThat(params[2]).isEqualTo(0.5);
        assertThat(grad).containsExactly(3.0, 4.0, 0.0);

        // Second step (no clipping): SGD takes w_1 to -0.0496 - 0.1 * (0.1 + 0.2 * -0.0496) = -0.058608, whose
        // magnitude exceeds the threshold 0.05, so it shrinks to -0.008608.
        optimizer.step(params, new double[] {0.0, 0.1, 0.0});
        double w1 = -0.0496 - eta * (0.1 + lambda2 * -0.0496);
        assertThat(params[1]).isCloseTo(w1 + 0.05, within(1e-15));
        // Third step: SGD takes w_1 to -0.008608 - 0.1 * (-0.1 + 0.2 * -0.008608) = 0.00156416, within the
        // threshold, so it becomes exactly zero.
        optimizer.step(params, new double[] {0.0, -0.1, 0.0});
        assertThat(params[1]).isEqualTo(0.0);
        assertThat(optimizer.steps()).isEqualTo(3);
    }

    /**
     * Minibatches of 100 keep the noise of an irrelevant feature's gradient (about 0.05) under lambda1 = 0.15, so its
     * weight is thresholded back to exactly zero; per-example gradients are too noisy for plain proximal SGD (the
     * case Tsuruoka et al.'s cumulative penalty and FTRL address).
     */
    @Test
    void l1WithMinibatchSgdGivesExactZerosForIrrelevantFeatures() {
        TestingLogisticProblem data =
                TestingLogisticProblem.create(4_000, 10, new double[] {1.5, -1.0}, 0.5, 0.5, 12);
        LogisticRegression model = new LogisticRegression(10);
        double eta = 0.5;
        Optimizer optimizer = RegularizedOptimizer.builder(new Sgd(eta))
                .regularizer(Regularizer.elasticNet(0.15, 0.0, ParameterMask.excluding(11, model.biasIndex())))
                .proximalStepSize(LearningRateSchedule.constant(eta))
                .build();
        data.train(model, optimizer, 10, 100, 0.0);

        double[] w = model.parameters();
        for (int j = 2; j < 10; j++) {
            assertThat(w[j]).as("irrelevant w_%s", j).isEqualTo(0.0);
        }
        assertThat(w[0]).isGreaterThan(0.3);
        assertThat(w[1]).isLessThan(-0.1);
        assertThat(w[model.biasIndex()]).isNotEqualTo(0.0);
        assertThat(data.accuracy(model)).isGreaterThan(0.8);
    }

    /**
     * With gradients clipped to norm c: SGD moves at most eta c per step; momentum and Nesterov at most eta c / (1 -
     * mu), the bound on their velocity. Without clipping an outlier gradient moves them far.
     */
    @Test
    void clippingBoundsTheStep() {
        double eta = 0.1;
        double c = 1.0;
        double mu = 0.9;
        assertStepBounded(new Sgd(eta), c, eta * c);
        assertStepBounded(new Momentum(eta, mu), c, eta * c / (1 - mu));
        assertStepBounded(new Nesterov(eta, mu), c, eta * c / (1 - mu));

        double[] params = new double[4];
        Optimizer unclipped = RegularizedOptimizer.builder(new Sgd(eta)).build();
        unclipped.step(params, new double[] {1e4, 0, 0, 0});
        assertThat(params[0]).isEqualTo(-1e3);
    }

    private static void assertStepBounded(Optimizer inner, double maxNorm, double bound) {
        Optimizer optimizer = RegularizedOptimizer.builder(inner).clipNorm(maxNorm).build();
        Random random = new Random(4);
        double[] params = new double[4];
        double maxStep = 0.0;
        for (int t = 0; t < 200; t++) {
            double scale = t % 10 == 0 ? 1e6 : 1.0; // an outlier every 10 steps
            double[] grad = new double[4];
            for (int i = 0; i < 4; i++) {
                grad[i] = scale * random.nextGaussian() + 3.0; // a persistent direction, so momentum builds up
            }
            double[] before = params.clone();
            optimizer.step(params, grad);
            double[] delta = new double[4];
            for (int i = 0; i < 4; i++) {
                delta[i] = params[i] - before[i];
            }
            maxStep = Math.max(maxStep, GradientClipping.norm(delta));
        }
        assertThat(maxStep).as("largest step of %s", inner).isLessThanOrEqualTo(bound * (1 + 1e-12));
        assertThat(maxStep).as("largest step of %s", inner).isGreaterThan(0.5 * bound);
    }

    @Test
    void clipByValueThenByNorm() {
        Optimizer optimizer = RegularizedOptimizer.builder(new Sgd(1.0)).clipValue(0.5).clipNorm(0.6).build();
        double[] params = new double[3];
        optimizer.step(params, new double[] {10.0, 0.0, -0.3});
        // by value: (0.5, 0, -0.3), norm sqrt(0.34) < 0.6: unchanged by the norm clip
        assertThat(params).containsExactly(-0.5, 0.0, 0.3);
    }

    @Test
    void nonFiniteGradientsAreSkipped() {
        RegularizedOptimizer optimizer = RegularizedOptimizer.builder(new Adam(0.1)).clipNorm(1.0).build();
        double[] params = {1.0, 2.0};
        optimizer.step(params, new double[] {Double.NaN, 1.0});
        optimizer.step(params, new double[] {Double.POSITIVE_INFINITY, 1.0});
        assertThat(params).containsExactly(1.0, 2.0);
        assertThat(optimizer.skippedSteps()).isEqualTo(2);
        assertThat(optimizer.steps()).isZero();
        optimizer.step(params, new double[] {3.0, 4.0});
        assertThat(optimizer.lastGradientNorm()).isEqualTo(5.0);
        assertThat(optimizer.steps()).isEqualTo(1);
    }

    @Test
    void stateIsTheWrappedOptimizersAndResumesExactly() {
        RegularizedOptimizer original = wrappedAdam();
        double[] params = {0.3, -0.4, 0.1};
        Random random = new Random(9);
        for (int t = 0; t < 20; t++) {
            original.step(params, new double[] {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()});
        }
        OptimizerState saved = original.snapshot();
        assertThat(saved.algorithm()).isEqualTo("adam");
        double[] savedParams = params.clone();

        RegularizedOptimizer resumed = wrappedAdam();
        resumed.restore(saved);
        for (int t = 0; t < 20; t++) {
            double[] g = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            original.step(params, g);
            resumed.step(savedParams, g);
        }
        assertThat(savedParams).containsExactly(params);
        assertThat(resumed.snapshot()).isEqualTo(original.snapshot());
    }

    private static RegularizedOptimizer wrappedAdam() {
        return RegularizedOptimizer.builder(new Adam(0.05))
                .clipNorm(1.0)
                .regularizer(Regularizer.elasticNet(1e-3, 1e-2, ParameterMask.excluding(3, 2)))
                .proximalStepSize(LearningRateSchedule.constant(0.05))
                .build();
    }

    @Test
    void validates() {
        assertThatThrownBy(() -> RegularizedOptimizer.builder(new Ftrl(0.1))
                        .regularizer(Regularizer.l1(1.0))
                        .proximalStepSize(LearningRateSchedule.constant(0.1))
                        .build())
                .hasMessageContaining("ftrl");
        assertThatThrownBy(() -> RegularizedOptimizer.builder(new Sgd(0.1))
                        .regularizer(Regularizer.l1(1.0))
                        .build())
                .hasMessageContaining("proximalStepSize");
        assertThatThrownBy(() -> RegularizedOptimizer.builder(new Sgd(0.1)).clipNorm(0.0))
                .hasMessageContaining("clipNorm");
        assertThatThrownBy(() -> RegularizedOptimizer.builder(new Sgd(0.1)).clipValue(-1.0))
                .hasMessageContaining("clipValue");
        assertThatThrownBy(() -> RegularizedOptimizer.builder(null)).isInstanceOf(NullPointerException.class);
        // L2 alone needs no proximal step and is fine with FTRL's own L1.
        RegularizedOptimizer.builder(new Ftrl(0.1)).regularizer(Regularizer.l2(0.1)).build();
    }
}
