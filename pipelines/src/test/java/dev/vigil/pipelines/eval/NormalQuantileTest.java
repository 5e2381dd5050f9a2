package dev.vigil.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.fairness.WilsonInterval;
import org.junit.jupiter.api.Test;

class NormalQuantileTest {

    @Test
    void matchesPublishedQuantiles() {
        assertThat(NormalQuantile.twoSided(0.95)).isCloseTo(WilsonInterval.Z_95, within(1e-12));
        assertThat(NormalQuantile.twoSided(0.90)).isCloseTo(1.6448536269514722, within(1e-12));
        assertThat(NormalQuantile.twoSided(0.99)).isCloseTo(2.5758293035489004, within(1e-12));
        assertThat(NormalQuantile.twoSided(0.999)).isCloseTo(3.2905267314919255, within(1e-11));
        assertThat(NormalQuantile.cdf(0)).isEqualTo(0.5);
        assertThat(NormalQuantile.cdf(-1.959963984540054)).isCloseTo(0.025, within(1e-15));
        assertThatThrownBy(() -> NormalQuantile.twoSided(1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
