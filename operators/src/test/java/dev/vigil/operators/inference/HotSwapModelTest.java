package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.inference.HotSwapModel.Verdict;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The servable of the hot-swap operator, without Flink. */
class HotSwapModelTest {

    @TempDir Path dir;

    private final TestingOnnxModels.LinearModel linear = TestingOnnxModels.linear(3, 11L);

    private HotSwapModel model() {
        return new HotSwapModel("icu", linear.featureNames(), ModelLoader.fromUri(), new Configuration(), null);
    }

    private ModelRef write(String version) throws Exception {
        return TestingOnnxModels.write(dir, "icu", version, linear.toOnnx("icu", version));
    }

    @Test
    void judgesAnnouncementsAgainstTheActiveAndTheLoadingVersions() throws Exception {
        try (HotSwapModel model = model()) {
            ModelRef v2 = write("2");
            assertThat(model.judge(v2, null)).isEqualTo(Verdict.LOAD);
            assertThat(model.judge(v2, "2")).isEqualTo(Verdict.STALE);
            assertThat(model.judge(v2, "10")).isEqualTo(Verdict.STALE);
            assertThat(model.judge(new ModelRef("fraud", "9", v2.uri(), v2.sha256()), null))
                    .isEqualTo(Verdict.OTHER_MODEL);

            model.activate(model.load(v2), false);

            assertThat(model.judge(write("1"), null)).isEqualTo(Verdict.STALE);
            assertThat(model.judge(write("2"), null)).isEqualTo(Verdict.STALE);
            assertThat(model.judge(write("10"), null)).isEqualTo(Verdict.LOAD);
        }
    }

    @Test
    void theBootstrapIsOlderThanAnyAnnouncedVersion() throws Exception {
        try (HotSwapModel model = model()) {
            model.activate(model.load(write("99")), true);

            assertThat(model.isBootstrapActive()).isTrue();
            assertThat(model.judge(write("1"), null)).isEqualTo(Verdict.LOAD);
        }
    }

    @Test
    void activatingClosesThePreviousSessionAndCloseReleasesTheLast() throws Exception {
        int before = OnnxScorer.liveSessions();
        HotSwapModel model = model();
        model.activate(model.load(write("1")), false);
        model.activate(model.load(write("2")), false);
        assertThat(OnnxScorer.liveSessions()).isEqualTo(before + 1);
        assertThat(model.activeRef().version()).isEqualTo("2");

        model.close();

        assertThat(OnnxScorer.liveSessions()).isEqualTo(before);
        assertThat(model.active()).isNull();
    }

    @Test
    void refusesAModelWithOtherFeaturesAndClosesItsSession() throws Exception {
        int before = OnnxScorer.liveSessions();
        HotSwapModel model =
                new HotSwapModel("icu", List.of("a", "b", "c"), ModelLoader.fromUri(), new Configuration(), null);

        assertThatThrownBy(() -> model.load(write("1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Model icu:1 declares 3 features [f0, f1, f2] but the scorer extracts 3 features [a, b, c]");
        assertThat(OnnxScorer.liveSessions()).isEqualTo(before);
    }
}
