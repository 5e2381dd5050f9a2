package dev.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PseudonymsTest {

    @Test
    void lettersCountLikeSpreadsheetColumns() {
        assertThat(Pseudonyms.letters(0)).isEqualTo("A");
        assertThat(Pseudonyms.letters(25)).isEqualTo("Z");
        assertThat(Pseudonyms.letters(26)).isEqualTo("AA");
        assertThat(Pseudonyms.letters(27)).isEqualTo("AB");
        assertThat(Pseudonyms.letters(26 + 26 * 26 - 1)).isEqualTo("ZZ");
        assertThat(Pseudonyms.letters(26 + 26 * 26)).isEqualTo("AAA");
        assertThatThrownBy(() -> Pseudonyms.letters(26 + 26 * 26 + 26 * 26 * 26))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sameIdSameLabelDistinctIdsDistinctLabels() {
        Pseudonyms names = new Pseudonyms();
        Set<String> labels = new HashSet<>();
        for (int i = 0; i < 800; i++) {
            String label = names.labelFor("id-" + i);
            assertThat(Pseudonyms.isLabel(label)).as(label).isTrue();
            assertThat(label).doesNotContain(String.valueOf(i));
            labels.add(label);
        }
        assertThat(labels).hasSize(800);
        assertThat(names.size()).isEqualTo(800);
        assertThat(names.labelFor("id-0")).isEqualTo("patient A");
        assertThat(names.labelFor("id-27")).isEqualTo("patient AB");
        assertThat(names.size()).isEqualTo(800);
    }

    @Test
    void onlyThePseudonymFormIsALabel() {
        assertThat(Pseudonyms.isLabel("patient Q")).isTrue();
        assertThat(Pseudonyms.isLabel("patient ABC")).isTrue();
        assertThat(Pseudonyms.isLabel("patient ABCD")).isFalse();
        assertThat(Pseudonyms.isLabel("patient a")).isFalse();
        assertThat(Pseudonyms.isLabel("patient 12")).isFalse();
        assertThat(Pseudonyms.isLabel("patient ")).isFalse();
        assertThat(Pseudonyms.isLabel("P-000123")).isFalse();
        assertThat(Pseudonyms.isLabel(null)).isFalse();
    }
}
