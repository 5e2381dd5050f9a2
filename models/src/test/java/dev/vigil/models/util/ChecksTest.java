package dev.vigil.models.util;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksTest {

    @Test
    void formatsTemplateArgumentsOnlyOnFailure() {
        assertThatCode(() -> Checks.checkArgument(true, "never %s", "formatted")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Checks.checkArgument(false, "x must be %s, got %s", 3, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x must be 3, got 4");
        assertThatThrownBy(() -> Checks.checkArgument(false, "too few %s", 1, 2))
                .hasMessage("too few 1 [2]");
        assertThatThrownBy(() -> Checks.checkState(false, "state %s", "bad"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("state bad");
    }

    @Test
    void rejectsNonPositiveAndNonFiniteNumbers() {
        assertThatThrownBy(() -> Checks.checkPositive(0.0, "eta")).hasMessageContaining("eta");
        assertThatThrownBy(() -> Checks.checkPositive(Double.NaN, "eta")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checks.checkNonNegative(Double.POSITIVE_INFINITY, "l2"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checks.checkFinite(new double[] {1, Double.NaN}, "x"))
                .hasMessageContaining("x[1]");
        assertThatThrownBy(() -> Checks.checkNotNull(null, "model"))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("model must not be null");
    }
}
