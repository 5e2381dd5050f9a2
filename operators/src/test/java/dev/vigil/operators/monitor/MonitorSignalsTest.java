package dev.vigil.operators.monitor;

import static dev.vigil.operators.monitor.TestingSignals.MODEL;
import static dev.vigil.operators.monitor.TestingSignals.PIPELINE;
import static dev.vigil.operators.monitor.TestingSignals.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.schema.common.LabeledExample;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class MonitorSignalsTest {

    private static final Map<String, String> GROUP = Map.of("sexAtBirth", "F");

    private static DriftSettings settings(List<String> features, SignalKind... kinds) {
        Map<SignalKind, DetectorConfig> m = new EnumMap<>(SignalKind.class);
        for (SignalKind k : kinds) {
            m.put(k, DetectorConfig.of("adwin"));
        }
        return new DriftSettings(m, features, 0.3, false, Duration.ZERO, Duration.ofMinutes(1));
    }

    @Test
    void lossesFollowTheirDefinitions() {
        assertThat(MonitorSignals.error(0.3, 1, 0.3)).isZero(); // a score at the threshold is a positive decision
        assertThat(MonitorSignals.error(0.29, 1, 0.3)).isOne();
        assertThat(MonitorSignals.error(0.9, 0, 0.3)).isOne();
        assertThat(MonitorSignals.error(0.1, 0, 0.3)).isZero();
        assertThat(MonitorSignals.brier(0.8, 0)).isCloseTo(0.64, within(1e-12));
        assertThat(MonitorSignals.brier(0.8, 1)).isCloseTo(0.04, within(1e-12));
        assertThat(MonitorSignals.logLoss(0.8, 1)).isCloseTo(-Math.log(0.8), within(1e-12));
        assertThat(MonitorSignals.logLoss(0.8, 0)).isCloseTo(-Math.log(0.2), within(1e-12));
        double max = -Math.log(MonitorSignals.LOG_LOSS_EPSILON);
        assertThat(MonitorSignals.logLoss(0.0, 1)).isCloseTo(max, within(1e-12));
        assertThat(MonitorSignals.logLoss(1.0, 0)).isCloseTo(max, within(1e-9));
    }

    @Test
    void labelledExamplesGiveTheirMonitoredSignalsAtTheStreamTimestamp() throws Exception {
        var fn = MonitorSignals.fromLabeled(settings(List.of(), SignalKind.ERROR, SignalKind.LOG_LOSS));
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            h.processElement(TestingSignals.labeled(T0, 0.2, 1, GROUP, "v4"), T0 + 42);
            assertThat(h.extractOutputValues()).containsExactly(
                    new MonitorSignal(PIPELINE, "error/" + MODEL, T0 + 42, 1, MODEL, "v4"),
                    new MonitorSignal(PIPELINE, "log-loss/" + MODEL, T0 + 42, MonitorSignals.logLoss(0.2, 1),
                            MODEL, "v4"));
        }
        var brier = MonitorSignals.fromLabeled(settings(List.of(), SignalKind.BRIER));
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(brier)) {
            h.processElement(TestingSignals.labeled(T0, 0.2, 0, GROUP, "v4"), T0 + 7);
            assertThat(h.extractOutputValues()).singleElement().satisfies(s -> {
                assertThat(s.signal).isEqualTo("brier/" + MODEL);
                assertThat(s.value).isEqualTo(MonitorSignals.brier(0.2, 0));
            });
        }
    }

    @Test
    void examplesWithoutAUsableScoreOrLabelAreCountedNotSignalled() throws Exception {
        var fn = MonitorSignals.fromLabeled(settings(List.of(), SignalKind.ERROR));
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            h.processElement(TestingSignals.labeled(T0, null, 1, GROUP, "none"), T0);
            h.processElement(TestingSignals.labeled(T0, 0.4, 3, GROUP, "v1"), T0);
            h.processElement(TestingSignals.labeled(T0, Double.NaN, 0, GROUP, "v1"), T0);
            h.processElement(TestingSignals.labeled(T0, 1.5, 0, GROUP, "v1"), T0);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(fn.skipped()).isEqualTo(4);
        }
    }

    @Test
    void predictionsGiveTheirScoreAndWatchedFeatures() throws Exception {
        List<String> names = List.of("hr", "spo2", "rr");
        var fn = MonitorSignals.fromPredictions(settings(List.of("rr", "hr"), SignalKind.SCORE, SignalKind.FEATURE),
                names);
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
            h.processElement(TestingSignals.prediction(T0, 0.25, List.of(80f, 95f, 18f), "v2"), T0 + 3);
            h.processElement(TestingSignals.prediction(T0 + 1, null, List.of(81f, 94f, Float.NaN), "v2"), T0 + 4);
            h.processElement(TestingSignals.prediction(T0 + 2, 0.5, List.of(82f), "v2"), T0 + 5);
            assertThat(h.extractOutputValues()).containsExactly(
                    new MonitorSignal(PIPELINE, "score/" + MODEL, T0 + 3, 0.25, MODEL, "v2"),
                    new MonitorSignal(PIPELINE, "feature/rr", T0 + 3, 18, MODEL, "v2"),
                    new MonitorSignal(PIPELINE, "feature/hr", T0 + 3, 80, MODEL, "v2"),
                    new MonitorSignal(PIPELINE, "feature/hr", T0 + 4, 81, MODEL, "v2"),
                    new MonitorSignal(PIPELINE, "score/" + MODEL, T0 + 5, 0.5, MODEL, "v2"),
                    new MonitorSignal(PIPELINE, "feature/hr", T0 + 5, 82, MODEL, "v2"));
            assertThat(fn.skipped()).isEqualTo(3); // no score, a NaN, a missing feature
        }
    }

    /**
     * A 10% sample keeps about 10% of the predictions, the same ones on every run, and keeps a prediction's labelled
     * example exactly when it keeps the prediction (same entity, same prediction time).
     */
    @Test
    void aSampleRateKeepsTheSamePredictionsAndTheirExamples() throws Exception {
        Map<SignalKind, DetectorConfig> detectors = new EnumMap<>(SignalKind.class);
        detectors.put(SignalKind.SCORE, DetectorConfig.of("psi"));
        detectors.put(SignalKind.ERROR, DetectorConfig.of("adwin"));
        DriftSettings tenth = new DriftSettings(detectors, List.of(), 0.3, false, Duration.ZERO,
                Duration.ofMinutes(1), Duration.ZERO, 0.1);
        int n = 20_000;
        java.util.Set<Long> keptPredictions = new java.util.HashSet<>();
        var predictions = MonitorSignals.fromPredictions(tenth, List.of("hr"));
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(predictions)) {
            for (int i = 0; i < n; i++) {
                h.processElement(TestingSignals.prediction(T0 + i * 1_000L, 0.5, List.of(80f), "v1"), T0 + i);
            }
            for (MonitorSignal s : h.extractOutputValues()) {
                keptPredictions.add((s.eventTime - T0) * 1_000L + T0); // stream timestamp T0 + i → time T0 + 1000 i
            }
        }
        assertThat(keptPredictions.size()).isBetween(n / 10 - 300, n / 10 + 300); // ±5 sd of Binomial(n, 0.1)

        var labeled = MonitorSignals.fromLabeled(tenth);
        java.util.Set<Long> keptExamples = new java.util.HashSet<>();
        try (var h = ProcessFunctionTestHarnesses.forProcessFunction(labeled)) {
            for (int i = 0; i < n; i++) {
                long predictionTime = T0 + i * 1_000L;
                // the same entity as TestingSignals.prediction(predictionTime, ...) gives
                LabeledExample e = TestingSignals.labeled(predictionTime + 3_600_000L, 0.5, 1, GROUP, "v1");
                e.setEntityId("patient-" + (predictionTime % 97));
                h.processElement(e, predictionTime);
            }
            for (MonitorSignal s : h.extractOutputValues()) {
                keptExamples.add(s.eventTime);
            }
        }
        assertThat(keptExamples).isEqualTo(keptPredictions);
        assertThat(MonitorSignals.unsignedFraction(0.5)).isEqualTo(Long.MIN_VALUE); // 2^63 as unsigned
        assertThatThrownBy(() -> new DriftSettings(detectors, List.of(), 0.3, false, Duration.ZERO,
                        Duration.ofMinutes(1), Duration.ZERO, 0.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample rate");
    }

    @Test
    void watchedFeaturesMustBeFeaturesOfTheModel() {
        assertThat(MonitorSignals.featureIndices(List.of("c", "a"), List.of("a", "b", "c"))).containsExactly(2, 0);
        assertThatThrownBy(() -> MonitorSignals.fromPredictions(settings(List.of("hr", "bp"), SignalKind.FEATURE),
                        List.of("hr")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bp'");
        assertThat(Arrays.asList(SignalKind.values())).extracting(SignalKind::labelBased)
                .containsExactly(true, true, true, false, false);
    }
}
