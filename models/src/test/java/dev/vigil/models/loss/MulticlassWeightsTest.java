package dev.vigil.models.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MulticlassWeightsTest {

    @Test
    void balancedWeightsGiveEveryClassTheSameTotalAndAverageOne() {
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 1, 2};
        MulticlassWeights w = MulticlassWeights.balanced(labels, 3);
        assertThat(w.numClasses()).isEqualTo(3);
        assertThat(w.of(0)).isCloseTo(10.0 / (3 * 6), within(1e-15));
        assertThat(w.of(1)).isCloseTo(10.0 / (3 * 3), within(1e-15));
        assertThat(w.of(2)).isCloseTo(10.0 / 3, within(1e-15));
        double total = 0;
        for (int y : labels) {
            total += w.of(y);
        }
        assertThat(total / labels.length).isCloseTo(1.0, within(1e-12));
        assertThat(6 * w.of(0)).isCloseTo(w.of(2), within(1e-12));
    }

    @Test
    void twoClassBalancedWeightsEqualTheBinaryOnes() {
        int[] labels = {0, 0, 0, 1, 0, 0, 1, 0};
        MulticlassWeights multi = MulticlassWeights.balanced(labels, 2);
        ClassWeights binary = ClassWeights.balanced(labels);
        LabelWeights[] both = {multi, binary};
        for (LabelWeights w : both) {
            assertThat(w.numClasses()).isEqualTo(2);
            assertThat(w.of(0)).isCloseTo(binary.negative(), within(1e-15));
            assertThat(w.of(1)).isCloseTo(binary.positive(), within(1e-15));
        }
    }

    @Test
    void weightsAreCopiedAndValidated() {
        double[] raw = {1.0, 2.0, 0.5};
        MulticlassWeights w = new MulticlassWeights(raw);
        raw[0] = 100;
        w.weights()[1] = 100;
        assertThat(w.weights()).containsExactly(1.0, 2.0, 0.5);
        assertThat(w).isEqualTo(new MulticlassWeights(new double[] {1.0, 2.0, 0.5})).hasToString(
                "MulticlassWeights[1.0, 2.0, 0.5]");
        assertThat(MulticlassWeights.uniform(4).weights()).containsExactly(1.0, 1.0, 1.0, 1.0);

        assertThatThrownBy(() -> new MulticlassWeights(new double[] {1.0})).hasMessageContaining("two classes");
        assertThatThrownBy(() -> new MulticlassWeights(new double[] {1.0, 0.0})).hasMessageContaining("weights[1]");
        assertThatThrownBy(() -> new MulticlassWeights(new double[] {1.0, Double.NaN})).hasMessageContaining("> 0");
        assertThatThrownBy(() -> w.of(3)).hasMessageContaining("label");
        assertThatThrownBy(() -> MulticlassWeights.balanced(new int[] {0, 1, 1}, 3)).hasMessageContaining("class 2");
        assertThatThrownBy(() -> MulticlassWeights.balanced(new int[] {0, 1, 3}, 3)).hasMessageContaining("labels[2]");
        assertThatThrownBy(() -> MulticlassWeights.balanced(new int[0], 3)).hasMessageContaining("class 0");
    }
}
