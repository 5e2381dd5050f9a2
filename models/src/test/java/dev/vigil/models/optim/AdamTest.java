package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AdamTest {

    /**
     * Minimizes f(theta) = ||theta||^2 / 2 (gradient = theta) from (1, -2, 0.5) with alpha = 0.1 and the default
     * betas. Expected values are Algorithm 1 of Kingma & Ba evaluated by hand (in double precision):
     *
     * <pre>
     * t=1: m = 0.1 g, v = 0.001 g^2, m^ = g, v^ = g^2  =>  theta -= 0.1 * g / (|g| + 1e-8)
     *      theta_1 = (0.900000001, -1.9000000005, 0.400000002)
     * t=2: g = theta_1, m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g^2, m^ = m / 0.19, v^ = v / (1 - 0.999^2)
     * t=3: likewise with 1 - 0.9^3 and 1 - 0.999^3
     * </pre>
     */
    @Test
    void firstThreeUpdatesFollowAlgorithmOne() {
        Adam adam = new Adam(0.1);
        double[] theta = {1.0, -2.0, 0.5};
        double[][] expected = {
            {0.900000001, -1.9000000005, 0.40000000199999997},
            {0.8004122297123382, -1.800166486621093, 0.30118742373064034},
            {0.701586274504415, -1.700623392812114, 0.20487125573945109},
        };
        for (int t = 0; t < 3; t++) {
            adam.step(theta, theta.clone());
            for (int i = 0; i < 3; i++) {
                assertThat(theta[i]).as("theta_%s[%s]", t + 1, i).isCloseTo(expected[t][i], within(1e-15));
            }
        }
        assertThat(adam.steps()).isEqualTo(3);
        OptimizerState state = adam.snapshot();
        assertThat(state.slot("m")[0]).isCloseTo(0.24204122306123377, within(1e-15));
        assertThat(state.slot("v")[1]).isCloseTo(0.010838993381451839, within(1e-15));
    }

    @Test
    void firstStepMovesEveryCoordinateByTheLearningRate() {
        // With bias correction, step 1 is -alpha * sign(g) (up to epsilon) whatever the gradient's scale.
        Adam adam = new Adam(0.01);
        double[] theta = new double[3];
        adam.step(theta, new double[] {1e-4, -250.0, 3.0});
        assertThat(theta[0]).isCloseTo(-0.01 * 1e-4 / (1e-4 + 1e-8), within(1e-15)); // epsilon shows at tiny g
        assertThat(theta[1]).isCloseTo(0.01, within(1e-12));
        assertThat(theta[2]).isCloseTo(-0.01, within(1e-10));
    }

    @Test
    void restoredStateContinuesBitForBit() {
        Adam original = new Adam(0.05, 0.8, 0.99, 1e-7);
        double[] theta = {0.3, -0.7};
        original.step(theta, new double[] {0.2, -0.1});
        original.step(theta, new double[] {0.5, 0.4});
        OptimizerState saved = original.snapshot();
        double[] thetaCopy = theta.clone();

        Adam restored = new Adam(0.05, 0.8, 0.99, 1e-7);
        restored.restore(saved);
        double[] g = {-0.3, 0.9};
        original.step(theta, g);
        restored.step(thetaCopy, g);

        assertThat(thetaCopy).containsExactly(theta);
        assertThat(restored.snapshot()).isEqualTo(original.snapshot());
        assertThat(saved.steps()).isEqualTo(2);
    }

    @Test
    void stateIsSizedOnFirstStepAndChecked() {
        Adam adam = new Adam(0.1);
        assertThat(adam.snapshot().slotNames()).isEmpty();
        adam.step(new double[2], new double[] {1, 1});
        assertThat(adam.snapshot().slotLength()).isEqualTo(2);
        assertThatThrownBy(() -> adam.step(new double[3], new double[3])).hasMessageContaining("sized for 2");
        assertThatThrownBy(() -> adam.step(new double[2], new double[3])).hasMessageContaining("differ");
        assertThatThrownBy(() -> adam.restore(new Sgd(0.1).snapshot())).hasMessageContaining("sgd");
    }

    @Test
    void validatesHyperParameters() {
        assertThatThrownBy(() -> new Adam(0.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Adam(0.1, 1.0, 0.999, 1e-8)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new Adam(0.1, 0.9, -0.1, 1e-8)).hasMessageContaining("beta2");
        assertThatThrownBy(() -> new Adam(0.1, 0.9, 0.999, 0)).hasMessageContaining("epsilon");
    }
}
