package dev.vigil.operators.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.drift.Adwin;
import dev.vigil.operators.drift.DriftDetectors;
import dev.vigil.operators.drift.PageHinkley;
import dev.vigil.operators.fairness.FairnessReport;
import dev.vigil.operators.fairness.WilsonInterval;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** {@link MonitorOptions} read into {@link DriftSettings} and {@link FairnessSettings}: defaults and validation. */
class MonitorOptionsTest {

    @Test
    void defaults() {
        DriftSettings drift = MonitorOptions.drift(new Configuration());
        assertThat(drift.detectors()).containsOnlyKeys(SignalKind.ERROR, SignalKind.BRIER, SignalKind.SCORE,
                SignalKind.FEATURE);
        assertThat(drift.detector(SignalKind.ERROR)).isEqualTo(DetectorConfig.of("adwin"));
        assertThat(drift.detector(SignalKind.BRIER)).isEqualTo(DetectorConfig.of("adwin"));
        assertThat(drift.detector(SignalKind.SCORE)).isEqualTo(DetectorConfig.of("psi"));
        assertThat(drift.detector(SignalKind.LOG_LOSS)).isNull();
        assertThat(drift.features()).isEmpty();
        assertThat(drift.threshold()).isEqualTo(0.5);
        assertThat(drift.warnings()).isFalse();
        assertThat(drift.allowedLateness()).isZero();
        assertThat(drift.batchInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(drift.monitorsPredictions()).isTrue();

        FairnessSettings fairness = MonitorOptions.fairness(new Configuration());
        assertThat(fairness.attributes()).isEmpty();
        assertThat(fairness.window()).isEqualTo(Duration.ofHours(24));
        assertThat(fairness.slide()).isEqualTo(Duration.ofHours(6));
        assertThat(fairness.consecutiveWindows()).isEqualTo(4);
        assertThat(fairness.reportOptions()).isEqualTo(new FairnessReport.Options(
                30, 10, 10, WilsonInterval.Z_95, 0.8, MonitorOptions.FAIRNESS_MIN_GAP.defaultValue()));
        assertThat(fairness.allowedLateness()).isZero();
    }

    @Test
    void readsNestedKeysAsFlatStrings() {
        Configuration c = Configuration.fromMap(Map.of(
                "vigil.monitor.threshold", "0.3",
                "vigil.monitor.allowed-lateness", "2 min",
                "vigil.monitor.drift.error.detector", "page-hinkley",
                "vigil.monitor.drift.error.params", "lambda=20;mode=up",
                "vigil.monitor.drift.score.detector", "none",
                "vigil.monitor.drift.features", "resp_rate_last;spo2_min_1h",
                "vigil.monitor.drift.warnings", "true",
                "vigil.monitor.fairness.attributes", "sexAtBirth;ageBand",
                "vigil.monitor.fairness.window", "12 h",
                "vigil.monitor.fairness.slide", "3 h"));
        DriftSettings drift = MonitorOptions.drift(c);
        assertThat(drift.threshold()).isEqualTo(0.3);
        assertThat(drift.allowedLateness()).isEqualTo(Duration.ofMinutes(2));
        assertThat(drift.detector(SignalKind.ERROR).params()).containsExactly("lambda=20", "mode=up");
        assertThat(drift.detector(SignalKind.ERROR).create()).isInstanceOfSatisfying(PageHinkley.class, ph -> {
            assertThat(ph.lambda()).isEqualTo(20);
            assertThat(ph.mode()).isEqualTo(PageHinkley.Mode.UP);
        });
        assertThat(drift.detector(SignalKind.SCORE)).isNull();
        assertThat(drift.features()).containsExactly("resp_rate_last", "spo2_min_1h");
        assertThat(drift.warnings()).isTrue();
        assertThat(drift.monitorsPredictions()).isTrue();

        FairnessSettings fairness = MonitorOptions.fairness(c);
        assertThat(fairness.attributes()).containsExactly("sexAtBirth", "ageBand");
        assertThat(fairness.threshold()).isEqualTo(0.3);
        assertThat(fairness.windowMillis()).isEqualTo(4 * fairness.slideMillis());
        assertThat(fairness.allowedLateness()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void detectorParametersAreCanonicalAndComplete() {
        DetectorConfig kswin = new DetectorConfig("KSWIN", List.of("window_size=200", " alpha = 1e-4"));
        assertThat(kswin.detector()).isEqualTo("kswin");
        Map<String, String> params = kswin.parameters();
        assertThat(params.keySet()).containsExactlyElementsOf(
                DriftDetectors.spec("kswin").params().stream().map(DriftDetectors.Param::name).toList());
        assertThat(params).containsEntry("window-size", "200").containsEntry("alpha", "1e-4")
                .containsEntry("stat-size", DriftDetectors.spec("kswin").param("stat-size").defaultValue());
        assertThat(DetectorConfig.of("adwin", "delta=0.01").create())
                .isInstanceOfSatisfying(Adwin.class, a -> assertThat(a.delta()).isEqualTo(0.01));
    }

    @Test
    void invalidSettingsFailWithTheKey() {
        assertThatThrownBy(() -> MonitorOptions.drift(config("vigil.monitor.drift.error.detector", "adwn")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vigil.monitor.drift.error.detector")
                .hasMessageContaining("unknown detector 'adwn'");
        assertThatThrownBy(() -> MonitorOptions.drift(config("vigil.monitor.drift.brier.params", "dleta=0.1")))
                .hasMessageContaining("vigil.monitor.drift.brier.detector")
                .hasMessageContaining("unknown parameter 'dleta'");
        assertThatThrownBy(() -> MonitorOptions.drift(config("vigil.monitor.drift.score.params", "bins=1")))
                .hasMessageContaining("invalid parameters for psi");
        assertThatThrownBy(() -> MonitorOptions.drift(config(
                        "vigil.monitor.drift.log-loss.params", "lambda=3")))
                .hasMessageContaining("vigil.monitor.drift.log-loss.params is set but");
        assertThatThrownBy(() -> MonitorOptions.drift(config(
                        "vigil.monitor.drift.feature.detector", "none", "vigil.monitor.drift.features", "hr")))
                .hasMessageContaining("vigil.monitor.drift.features lists features");
        assertThatThrownBy(() -> MonitorOptions.drift(config("vigil.monitor.drift.features", "hr;hr")))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> MonitorOptions.drift(config("vigil.monitor.threshold", "1.5")))
                .hasMessageContaining("vigil.monitor.threshold");
        assertThatThrownBy(() -> MonitorOptions.drift(config("vigil.monitor.allowed-lateness", "-1 s")))
                .hasMessageContaining("vigil.monitor.allowed-lateness");
        assertThatThrownBy(() -> MonitorOptions.drift(config("vigil.monitor.drift.batch-interval", "0 s")))
                .hasMessageContaining("vigil.monitor.drift.batch-interval");
        assertThatThrownBy(() -> MonitorOptions.fairness(config("vigil.monitor.fairness.window", "10 h")))
                .hasMessageContaining("multiple of the slide");
        assertThatThrownBy(() -> MonitorOptions.fairness(config("vigil.monitor.fairness.consecutive-windows", "0")))
                .hasMessageContaining("consecutive windows");
        assertThatThrownBy(() -> MonitorOptions.fairness(config("vigil.monitor.fairness.min-group-count", "0")))
                .hasMessageContaining("minimum counts");
        assertThatThrownBy(() -> MonitorOptions.fairness(config("vigil.monitor.fairness.attributes", "a:b")))
                .hasMessageContaining("without ':'");
        assertThatThrownBy(() -> MonitorOptions.fairness(config("vigil.monitor.fairness.four-fifths", "1.2")))
                .hasMessageContaining("fourFifths");
    }

    @Test
    void settingsTravelInsideTheJobGraph() throws Exception {
        Configuration c = config("vigil.monitor.drift.features", "hr", "vigil.monitor.fairness.attributes", "ward");
        DriftSettings drift = MonitorOptions.drift(c);
        FairnessSettings fairness = MonitorOptions.fairness(c);
        assertThat(javaRoundTrip(drift)).isEqualTo(drift);
        assertThat(javaRoundTrip(fairness)).isEqualTo(fairness);
        assertThat(javaRoundTrip(new DriftMonitorFunction(drift))).isNotNull();
        assertThat(javaRoundTrip(new FairnessMonitorFunction(fairness))).isNotNull();
        assertThat(javaRoundTrip(MonitorSignals.fromPredictions(drift, List.of("x", "hr")))).isNotNull();
    }

    @Test
    void everyOptionKeyIsUnderVigilMonitor() {
        for (SignalKind kind : SignalKind.values()) {
            assertThat(MonitorOptions.detectorOption(kind).key())
                    .isEqualTo("vigil.monitor.drift." + kind.prefix() + ".detector");
            assertThat(MonitorOptions.paramsOption(kind).key())
                    .isEqualTo("vigil.monitor.drift." + kind.prefix() + ".params");
            assertThat(SignalKind.of(kind.signal("m"))).isEqualTo(kind);
        }
        assertThat(SignalKind.lookup("error/")).isNull();
        assertThat(SignalKind.lookup("errors/m")).isNull();
        assertThat(SignalKind.lookup("feature/hr/x")).isEqualTo(SignalKind.FEATURE);
    }

    private static Configuration config(String... keyValues) {
        Configuration c = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            c.setString(keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    private static <T> T javaRoundTrip(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
