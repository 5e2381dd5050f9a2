package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.icu.IcuFeatures;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FeatureGroupsTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    @Test
    void groupsPartitionTheFeaturesWithTheFirstAsRepresentative() {
        FeatureGroups groups = FeatureGroups.builder(NAMES).group("x", "c", "a").group("y", "b", "d").build();

        assertThat(groups.groupCount()).isEqualTo(2);
        assertThat(groups.groupNames()).containsExactly("x", "y");
        assertThat(groups.members(0)).containsExactly(2, 0);
        assertThat(groups.representative(0)).isEqualTo(2);
        assertThat(groups.groupOf(3)).isEqualTo(1);
        assertThat(groups.isSingletons()).isFalse();
    }

    @Test
    void theRestCanBeSingletons() {
        FeatureGroups groups = FeatureGroups.builder(NAMES).group("x", "a", "b").restAsSingletons().build();

        assertThat(groups.groupNames()).containsExactly("x", "c", "d");
        assertThat(groups.groupOf(3)).isEqualTo(2);
    }

    @Test
    void singletonsNameGroupsAfterFeatures() {
        FeatureGroups groups = FeatureGroups.singletons(NAMES);

        assertThat(groups.groupNames()).isEqualTo(NAMES);
        assertThat(groups.isSingletons()).isTrue();
        assertThat(FeatureGroups.singletons(3).featureNames()).containsExactly("f0", "f1", "f2");
    }

    @Test
    void anythingButAPartitionIsRejected() {
        assertThatThrownBy(() -> FeatureGroups.builder(NAMES).group("x", "a", "b").build())
                .hasMessageContaining("no group")
                .hasMessageContaining("c");
        assertThatThrownBy(() -> FeatureGroups.builder(NAMES).group("x", "a", "b").group("y", "b", "c", "d").build())
                .hasMessageContaining("'b' is in groups 'x' and 'y'");
        assertThatThrownBy(() -> FeatureGroups.builder(NAMES).group("x", "a", "z"))
                .hasMessageContaining("unknown feature 'z'");
        assertThatThrownBy(() -> FeatureGroups.builder(NAMES).group("x", "a").group("x", "b"))
                .hasMessageContaining("duplicate group");
        assertThatThrownBy(() -> FeatureGroups.builder(NAMES).group("x")).hasMessageContaining("no features");
        assertThatThrownBy(() -> FeatureGroups.builder(NAMES).group("c", "a").restAsSingletons().build())
                .hasMessageContaining("clashes");
        assertThatThrownBy(() -> FeatureGroups.singletons(List.of("a", "a"))).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> FeatureGroups.singletons(List.of())).hasMessageContaining("empty");
    }

    @Test
    void theIcuFeaturesFormTenClinicalGroups() {
        FeatureGroups groups = IcuFeatureGroups.clinical();

        assertThat(groups.featureNames()).isEqualTo(IcuFeatures.NAMES);
        assertThat(groups.groupNames()).containsExactly(
                "heart rate", "respiratory rate", "SpO2", "temperature", "systolic BP", "diastolic BP", "oxygen",
                "consciousness", "age", "NEWS2");
        Set<Integer> covered = new HashSet<>();
        for (int g = 0; g < groups.groupCount(); g++) {
            for (int f : groups.members(g)) {
                assertThat(covered.add(f)).isTrue();
            }
        }
        assertThat(covered).hasSize(IcuFeatures.SIZE);
        assertThat(groups.members(0)).hasSize(11);
        assertThat(name(groups, 0)).isEqualTo("heart_rate_last");
        assertThat(name(groups, 2)).isEqualTo("spo2_last");
        assertThat(name(groups, 6)).isEqualTo("o2_flow_last");
        assertThat(groups.groupOf(IcuFeatures.ON_OXYGEN)).isEqualTo(6);
        assertThat(name(groups, 7)).isEqualTo("acvpu_last");
        assertThat(name(groups, 8)).isEqualTo("age_years");
        assertThat(name(groups, 9)).isEqualTo("news2_total");
        assertThat(groups.groupOf(IcuFeatures.NEWS2_SCALE)).isEqualTo(9);
        for (int f = 0; f < IcuFeatures.SIZE; f++) {
            String feature = IcuFeatures.NAMES.get(f);
            String representative = name(groups, groups.groupOf(f));
            String prefix = representative.substring(0, representative.indexOf('_'));
            assertThat(feature.startsWith(prefix) || feature.equals("on_oxygen"))
                    .as("%s in the group of %s", feature, representative)
                    .isTrue();
        }
    }

    private static String name(FeatureGroups groups, int group) {
        return groups.featureNames().get(groups.representative(group));
    }
}
