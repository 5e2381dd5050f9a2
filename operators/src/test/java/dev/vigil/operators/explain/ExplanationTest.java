package dev.vigil.operators.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.schema.common.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExplanationTest {

    private static final List<String> NAMES = List.of("a", "b", "c", "d", "e");
    private static final double[] VALUES = {1, 2, 3, 4, 5};

    @Test
    void reasonsPushingUpComeFirstLargestFirstThenTheStrongestPushingDown() {
        Explanation e = explanation(0.1, -2.0, 0.7, Double.NaN, -0.5);

        List<Reason> reasons = e.topReasons(3);

        assertThat(reasons).extracting(Reason::getFeature).containsExactly("c", "a", "b");
        assertThat(reasons.get(2).getValue()).isEqualTo(2.0);
        assertThat(reasons.get(2).getContribution()).isEqualTo(-2.0);
        assertThat(e.topReasons(10)).extracting(Reason::getFeature).containsExactly("c", "a", "b", "e");
    }

    @Test
    void zerosAreSkippedAndTiesGoToTheEarlierPlayer() {
        Explanation e = explanation(0.5, 0.5, 0, 0, 0);

        assertThat(e.topReasons(3)).extracting(Reason::getFeature).containsExactly("a", "b");
        assertThat(e.topReasons(0)).isEmpty();
    }

    @Test
    void efficiencyGapAndLookups() {
        Explanation e = explanation(0.1, -0.2, 0.3, 0.4, 0.5);

        assertThat(e.efficiencyGap()).isCloseTo(2.0 - (-0.1) - 1.1, within(1e-12));
        assertThat(e.attribution("c")).isEqualTo(0.3);
        assertThat(e.size()).isEqualTo(5);
        assertThat(e.toString()).contains("KERNEL_SHAP").contains("c=0.3000");
    }

    private static Explanation explanation(double... attributions) {
        return new Explanation(NAMES, VALUES.clone(), attributions, -0.1, 2.0, OutputSpace.LOGIT,
                Explanation.Estimator.KERNEL_SHAP, true, 30, 100, 1);
    }
}
