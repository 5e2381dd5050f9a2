package dev.vigil.operators.fraud.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.common.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class FraudReasonsTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    private static final float[] VALUES = {1f, 2f, 3f, 4f, 5f};

    @Test
    void largestMagnitudeFirstWithTheSignKept() {
        float[] contributions = {0.5f, -2.0f, 0f, 1.5f, -0.25f};

        List<Reason> reasons = FraudReasons.top(NAMES, VALUES, contributions, 3);

        assertThat(reasons).extracting(Reason::getFeature).containsExactly("b", "d", "a");
        assertThat(reasons).extracting(Reason::getContribution).containsExactly(-2.0, 1.5, 0.5);
        assertThat(reasons).extracting(Reason::getValue).containsExactly(2.0, 4.0, 1.0);
    }

    @Test
    void zeroAndNaNContributionsAreNeverReasonsAndTiesKeepFeatureOrder() {
        float[] contributions = {0f, 0.5f, Float.NaN, -0.5f, 0f};

        assertThat(FraudReasons.top(NAMES, VALUES, contributions, 5))
                .extracting(Reason::getFeature)
                .containsExactly("b", "d");
    }

    @Test
    void noContributionsOrNoRoomGiveNoReasons() {
        assertThat(FraudReasons.top(NAMES, VALUES, null, 3)).isEmpty();
        assertThat(FraudReasons.top(NAMES, VALUES, new float[] {1, 2, 3, 4, 5}, 0)).isEmpty();
        assertThat(FraudReasons.top(NAMES, VALUES, new float[] {1, 2, 3, 4, 5}, 9)).hasSize(5);
    }

    @Test
    void rejectsMisshapenInput() {
        assertThatThrownBy(() -> FraudReasons.top(NAMES, VALUES, new float[3], 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FraudReasons.top(NAMES, VALUES, new float[5], -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
