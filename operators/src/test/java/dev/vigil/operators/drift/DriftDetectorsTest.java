package dev.vigil.operators.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The registry: names, typed parameters, defaults, key=value parsing and its errors. */
class DriftDetectorsTest {

    static List<String> names() {
        List<String> names = new ArrayList<>();
        for (DriftDetectors.Spec s : DriftDetectors.all()) {
            names.add(s.name());
        }
        return names;
    }

    @Test
    void registersAllDetectors() {
        assertThat(names()).containsExactly("adwin", "ddm", "eddm", "page-hinkley", "hddm-a", "hddm-w", "kswin", "ks-window", "psi",
                "js");
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyDetectorBuildsWithItsDefaultsAndRoundTripsItsState(String name) {
        DriftDetectors.Spec spec = DriftDetectors.spec(name);
        assertThat(spec.params()).allSatisfy(p -> {
            assertThat(p.name()).matches("[a-z][a-z0-9-]*");
            assertThat(p.description()).isNotBlank();
            assertThat(p.defaultValue()).isNotBlank();
        });
        DriftDetector d = DriftDetectors.create(name);
        assertThat(d.name()).isEqualTo(name);
        // 0/1 values fit every detector's input domain
        Random rng = new Random(11);
        for (int i = 0; i < 700; i++) {
            d.update(rng.nextInt(2));
        }
        DriftDetector copy = DriftDetectors.create(name);
        copy.restore(d.snapshot());
        for (int i = 0; i < 700; i++) {
            double x = i < 300 ? rng.nextInt(2) : 1.0;
            assertThat(copy.update(x)).isEqualTo(d.update(x));
            assertThat(copy.warningDetected()).isEqualTo(d.warningDetected());
        }
        assertThat(copy.snapshot()).isEqualTo(d.snapshot());
    }

    @Test
    void publishedDefaults() {
        assertThat(defaults("kswin")).containsExactly("alpha=0.005", "window-size=100", "stat-size=30", "seed=42");
        assertThat(defaults("page-hinkley"))
                .containsExactly("min-instances=30", "delta=0.005", "lambda=50", "alpha=0.9999", "mode=both");
        assertThat(defaults("adwin")).startsWith("delta=0.002", "clock=32");
        assertThat(defaults("ddm")).containsExactly("min-instances=30", "warning-level=2.0", "drift-level=3.0");
        assertThat(defaults("psi")).contains("bins=10", "threshold=0.2", "warning-threshold=0.1");
    }

    private static List<String> defaults(String name) {
        List<String> out = new ArrayList<>();
        for (DriftDetectors.Param p : DriftDetectors.spec(name).params()) {
            out.add(p.name() + "=" + p.defaultValue());
        }
        return out;
    }

    @Test
    void parsesKeyValuesAliasesAndRiverSpellings() {
        Kswin k = (Kswin) DriftDetectors.create("kswin", List.of("alpha=1e-4", "window_size=200", " stat-size = 50"));
        assertThat(k.alpha()).isEqualTo(1e-4);
        assertThat(k.windowSize()).isEqualTo(200);
        assertThat(k.statSize()).isEqualTo(50);
        assertThat(k.seed()).isEqualTo(Kswin.DEFAULT_SEED);
        assertThat(DriftDetectors.create("KSWIN").name()).isEqualTo("kswin");
        assertThat(DriftDetectors.create("page-hinkley", List.of("threshold=20", "mode=UP")).name())
                .isEqualTo("page-hinkley");
        assertThat(DriftDetectors.spec("page-hinkley").param("threshold").name()).isEqualTo("lambda");
        assertThat(DriftDetectors.spec("hddm-a").param("two_sided_test").name()).isEqualTo("two-sided");
    }

    @Test
    void rejectsInvalidInputWithClearErrors() {
        assertThatThrownBy(() -> DriftDetectors.create("nope"))
                .hasMessageContaining("unknown detector 'nope'").hasMessageContaining("kswin");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("beta=1")))
                .hasMessageContaining("unknown parameter 'beta' for kswin")
                .hasMessageContaining("alpha, window-size, stat-size, seed");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("alpha")))
                .hasMessageContaining("must be key=value");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("=3")))
                .hasMessageContaining("must be key=value");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("alpha=abc")))
                .hasMessage("parameter alpha of kswin must be a number, got 'abc'");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("alpha=NaN")))
                .hasMessageContaining("must be a number");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("window-size=1.5")))
                .hasMessage("parameter window-size of kswin must be an integer, got '1.5'");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("alpha=0.1", "alpha=0.2")))
                .hasMessageContaining("given twice");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("alpha=2")))
                .hasMessageStartingWith("invalid parameters for kswin: alpha must be in (0, 1)");
        assertThatThrownBy(() -> DriftDetectors.create("kswin", List.of("stat-size=60")))
                .hasMessageContaining("window-size must be >= 2 * stat-size");
        assertThatThrownBy(() -> DriftDetectors.create("page-hinkley", List.of("mode=sideways")))
                .hasMessageContaining("must be a one of up|down|both");
        assertThatThrownBy(() -> DriftDetectors.create("hddm-a", List.of("two-sided=yes")))
                .hasMessageContaining("true|false");
        assertThatThrownBy(() -> DriftDetectors.create("psi", List.of("warning-threshold=0.5")))
                .hasMessageContaining("invalid parameters for psi");
    }
}
