package dev.vigil.operators.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.schema.common.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertReasonsTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    private static final float[] VALUES = {1, 2, 3, 4, 5};

    @Test
    void positiveContributionsFirstLargestFirst() {
        float[] c = {0.1f, -2.0f, 0.7f, 0.3f, 0.0f};
        assertThat(AlertReasons.top(NAMES, VALUES, c, 3))
                .extracting(Reason::getFeature)
                .containsExactly("c", "d", "a");
    }

    @Test
    void negativesFillInByMagnitude() {
        float[] c = {-0.1f, -2.0f, 0.7f, Float.NaN, -0.5f};
        List<Reason> reasons = AlertReasons.top(NAMES, VALUES, c, 3);
        assertThat(reasons).extracting(Reason::getFeature).containsExactly("c", "b", "e");
        assertThat(reasons.get(1).getValue()).isEqualTo(2.0);
        assertThat(reasons.get(1).getContribution()).isEqualTo(-2.0);
    }

    @Test
    void tiesGoToTheEarlierFeatureAndZerosAreSkipped() {
        float[] c = {0.5f, 0.5f, 0f, 0f, 0f};
        assertThat(AlertReasons.top(NAMES, VALUES, c, 3)).extracting(Reason::getFeature).containsExactly("a", "b");
    }

    @Test
    void noContributionsNoReasons() {
        assertThat(AlertReasons.top(NAMES, VALUES, null, 3)).isEmpty();
        assertThat(AlertReasons.top(NAMES, VALUES, new float[] {1, 1, 1, 1, 1}, 0)).isEmpty();
    }

    @Test
    void explainedReasonsAreTheTopPlayersWithTheirDirection() {
        String[] groups = {"heart rate", "respiratory rate", "SpO2", "age"};
        float[] values = {118, 31, 89, 71};
        float[] attributions = {0.4f, 1.3f, 0.9f, -0.7f};

        List<Reason> reasons = AlertReasons.top(groups, values, attributions, 4);

        assertThat(reasons).extracting(Reason::getFeature)
                .containsExactly("respiratory rate", "SpO2", "heart rate", "age");
        assertThat(reasons).extracting(Reason::getValue).containsExactly(31.0, 89.0, 118.0, 71.0);
        assertThat(reasons.get(3).getContribution()).isEqualTo(-0.7f);
        // The same choice as the per-feature path over the same numbers.
        assertThat(reasons).isEqualTo(AlertReasons.top(List.of(groups), values, attributions, 4));
    }

    @Test
    void noExplanationNoExplainedReasons() {
        assertThat(AlertReasons.top(new String[] {"a"}, new float[] {1}, null, 3)).isEmpty();
        assertThat(AlertReasons.top((String[]) null, null, null, 3)).isEmpty();
    }
}
