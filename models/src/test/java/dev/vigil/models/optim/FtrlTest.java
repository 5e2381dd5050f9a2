package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.linear.LogisticRegression;
import org.junit.jupiter.api.Test;

class FtrlTest {

    /**
     * McMahan et al. (2013), Algorithm 1, per coordinate: w from (z, n) in closed form, predict, observe g at w,
     * sigma = (sqrt(n + g^2) - sqrt(n)) / alpha, z += g - sigma w, n += g^2.
     */
    @Test
    void firstThreeUpdatesFollowAlgorithmOne() {
        double alpha = 0.5;
        double beta = 1.0;
        double lambda1 = 0.12;
        double lambda2 = 0.1;
        Ftrl ftrl = new Ftrl(alpha, beta, lambda1, lambda2);
        double[] params = new double[3]; // w_1 = 0: z = n = 0

        double[] z = {0.0, 0.0, 0.0};
        double[] n = {0.0, 0.0, 0.0};
        double[] w = new double[3];
        for (int t = 1; t <= 3; t++) {
            ftrl.step(params, TinyQuadratic.gradient(params));

            for (int i = 0; i < 3; i++) {
                // w_{t,i} from the state before round t
                if (Math.abs(z[i]) <= lambda1) {
                    w[i] = 0.0;
                } else {
                    w[i] = -(z[i] - Math.signum(z[i]) * lambda1) / ((beta + Math.sqrt(n[i])) / alpha + lambda2);
                }
                double g = TinyQuadratic.A[i] * w[i] - TinyQuadratic.C[i];
                double sigma = (Math.sqrt(n[i] + g * g) - Math.sqrt(n[i])) / alpha;
                z[i] = z[i] + g - sigma * w[i];
                n[i] = n[i] + g * g;
            }
            // w_{t+1}, what the step leaves in the parameters
            double[] wNext = new double[3];
            for (int i = 0; i < 3; i++) {
                wNext[i] = Math.abs(z[i]) <= lambda1
                        ? 0.0
                        : -(z[i] - Math.signum(z[i]) * lambda1) / ((beta + Math.sqrt(n[i])) / alpha + lambda2);
                assertThat(params[i]).as("w_%s[%s]", t + 1, i).isCloseTo(wNext[i], within(1e-15));
            }
            if (t < 3) {
                // |z_2| = 0.05, then 0.1: inside the L1 ball, so the weight is exactly zero.
                assertThat(params[2]).isEqualTo(0.0);
            }
        }
        assertThat(params[2]).isNotEqualTo(0.0); // |z_2| = 0.15 > lambda1 at the third step
        assertThat(ftrl.snapshot().slot("z")).containsExactly(z);
        assertThat(ftrl.snapshot().slot("n")).containsExactly(n);
    }

    @Test
    void largeL1GivesExactZerosForIrrelevantFeatures() {
        // Two informative features, eight irrelevant ones, noisy labels; one pass, one example per step. An irrelevant
        // weight stays at zero while |z| = |sum of its gradients| <= lambda1: a random walk of about 25 after 4000
        // steps, against about 1000 for an informative one.
        TestingLogisticProblem data =
                TestingLogisticProblem.create(4_000, 10, new double[] {1.5, -1.0}, 0.0, 0.5, 11);
        double[] sparse = trainFtrl(data, new Ftrl(0.1, 1.0, 100.0, 0.0));
        double[] dense = trainFtrl(data, new Ftrl(0.1, 1.0, 0.0, 0.0));

        for (int j = 2; j < 10; j++) {
            assertThat(sparse[j]).as("irrelevant w_%s", j).isEqualTo(0.0);
            assertThat(dense[j]).as("irrelevant w_%s without L1", j).isNotEqualTo(0.0);
        }
        assertThat(sparse[0]).isGreaterThan(0.5);
        assertThat(sparse[1]).isLessThan(-0.3);
    }

    private static double[] trainFtrl(TestingLogisticProblem data, Ftrl ftrl) {
        LogisticRegression model = new LogisticRegression(data.features());
        double[] grad = new double[model.numParameters()];
        for (int i = 0; i < data.x.length; i++) {
            model.lossAndGradient(data.x[i], data.y[i], 1.0, 0.0, grad);
            ftrl.step(model.parameters(), grad);
        }
        assertThat(data.accuracy(model)).isGreaterThan(0.8);
        return model.parameters().clone();
    }

    @Test
    void maskedCoordinatesAreNotRegularized() {
        // With lambda1 huge every regularized weight stays at zero; the unmasked bias still learns.
        Ftrl ftrl = new Ftrl(0.5, 1.0, 1e6, 0.0, ParameterMask.excluding(3, 2));
        double[] params = new double[3];
        for (int t = 0; t < 5; t++) {
            ftrl.step(params, TinyQuadratic.gradient(params));
        }
        assertThat(params[0]).isEqualTo(0.0);
        assertThat(params[1]).isEqualTo(0.0);
        assertThat(params[2]).isGreaterThan(0.0);
    }

    @Test
    void restoreRejectsNegativeN() {
        Ftrl ftrl = new Ftrl(0.1);
        OptimizerState bad = new OptimizerState(
                "ftrl", 1, java.util.Map.of("z", new double[] {0.0}, "n", new double[] {-1.0}));
        assertThatThrownBy(() -> ftrl.restore(bad)).hasMessageContaining("n[0]");
    }

    @Test
    void validatesHyperParameters() {
        assertThatThrownBy(() -> new Ftrl(0.0)).hasMessageContaining("alpha");
        assertThatThrownBy(() -> new Ftrl(0.1, -1.0, 0.0, 0.0)).hasMessageContaining("beta");
        assertThatThrownBy(() -> new Ftrl(0.1, 1.0, -1.0, 0.0)).hasMessageContaining("lambda1");
        assertThatThrownBy(() -> new Ftrl(0.1, 1.0, 0.0, Double.NaN)).hasMessageContaining("lambda2");
        assertThatThrownBy(() -> new Ftrl(0.1, 1.0, 0.0, 0.0, null)).isInstanceOf(NullPointerException.class);
    }
}
