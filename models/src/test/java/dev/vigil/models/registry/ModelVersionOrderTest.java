package dev.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelVersionOrderTest {

    @Test
    void digitsCompareAsIntegersOfAnyLength() {
        assertThat(ModelVersionOrder.compare("9", "10")).isNegative();
        assertThat(ModelVersionOrder.compare("10", "9")).isPositive();
        assertThat(ModelVersionOrder.compare("007", "7")).isZero();
        assertThat(ModelVersionOrder.compare("123456789012345678901234567890", "99")).isPositive();
        assertThat(ModelVersionOrder.isNewer("2", "1")).isTrue();
        assertThat(ModelVersionOrder.isNewer("2", "2")).isFalse();
    }

    @Test
    void numericLabelsAreNewerThanOtherLabels() {
        assertThat(ModelVersionOrder.isNewer("1", "bootstrap-2026")).isTrue();
        assertThat(ModelVersionOrder.isNewer("b27a1086b5c7", "1")).isFalse();
        assertThat(ModelVersionOrder.compare("a", "b")).isNegative();

        List<String> labels = new ArrayList<>(List.of("10", "x", "2", "1", "0"));
        labels.sort(ModelVersionOrder.OLDEST_FIRST);
        assertThat(labels).containsExactly("x", "0", "1", "2", "10");
    }
}
