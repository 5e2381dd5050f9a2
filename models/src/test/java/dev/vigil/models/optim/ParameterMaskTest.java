package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParameterMaskTest {

    @Test
    void excludingLeavesOutTheGivenIndices() {
        ParameterMask mask = ParameterMask.excluding(4, 3);
        assertThat(mask.includes(0)).isTrue();
        assertThat(mask.includes(3)).isFalse();
        assertThat(mask.size()).isEqualTo(4);
        assertThat(mask.isAll()).isFalse();
        assertThat(mask).isEqualTo(ParameterMask.of(new boolean[] {true, true, true, false}));
        assertThat(mask.toString()).isEqualTo("ParameterMask[size=4, excluded={3}]");
        mask.checkSize(4);
        assertThatThrownBy(() -> mask.checkSize(5)).hasMessageContaining("length 4");
    }

    @Test
    void allFitsAnyLength() {
        ParameterMask all = ParameterMask.all();
        all.checkSize(1);
        all.checkSize(1000);
        assertThat(all.includes(999)).isTrue();
        assertThat(all.size()).isEqualTo(-1);
    }

    @Test
    void rejectsBadIndicesAndCopiesItsInput() {
        assertThatThrownBy(() -> ParameterMask.excluding(3, 3)).hasMessageContaining("outside");
        assertThatThrownBy(() -> ParameterMask.excluding(0)).hasMessageContaining("size");
        assertThatThrownBy(() -> ParameterMask.of(new boolean[0])).hasMessageContaining("at least one");
        boolean[] included = {true, false};
        ParameterMask mask = ParameterMask.of(included);
        included[1] = true;
        assertThat(mask.includes(1)).isFalse();
    }
}
