package dev.vigil.operators.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.News2Response;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.schema.common.Reason;
import dev.vigil.schema.icu.AlertLevel;
import dev.vigil.schema.icu.AlertTrigger;
import dev.vigil.schema.icu.DeteriorationAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DeteriorationAlertFunctionTest {

    private static final long T0 = Instant.parse("2026-02-01T08:00:00Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final String P1 = "patient-001";
    private static final String P2 = "patient-002";

    private static KeyedOneInputStreamOperatorTestHarness<String, ScoredSnapshot, DeteriorationAlert> harness()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(DeteriorationAlertFunction.fromConfig(new Configuration())),
                s -> s.patientId,
                Types.STRING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, ScoredSnapshot, DeteriorationAlert> opened()
            throws Exception {
        var h = harness();
        h.open();
        return h;
    }

    private static ScoredSnapshot scored(String patient, long minute, Double risk, News2Response news2) {
        ScoredSnapshot s = new ScoredSnapshot();
        s.patientId = patient;
        s.encounterId = "enc-" + patient;
        s.eventTime = T0 + minute * MIN;
        s.ingestTime = s.eventTime + 100;
        s.features = new float[IcuFeatures.SIZE];
        for (int i = 0; i < s.features.length; i++) {
            s.features[i] = i;
        }
        s.news2Response = news2;
        s.news2Total = news2 == News2Response.HIGH ? 8 : news2 == News2Response.MEDIUM ? 5 : 1;
        s.news2Scale = 1;
        s.riskScore = risk;
        s.modelName = "icu-deterioration";
        s.modelVersion = risk == null ? ScoredSnapshot.NO_MODEL : "v7";
        if (risk != null) {
            s.contributions = new float[IcuFeatures.SIZE];
            s.contributions[IcuFeatures.indexOf("resp_rate_last")] = 0.9f;
            s.contributions[IcuFeatures.indexOf("spo2_min_1h")] = 0.4f;
            s.contributions[IcuFeatures.indexOf("age_years")] = -1.5f;
            s.contributions[IcuFeatures.indexOf("heart_rate_slope_4h")] = 0.1f;
        }
        return s;
    }

    private static void push(
            KeyedOneInputStreamOperatorTestHarness<String, ScoredSnapshot, DeteriorationAlert> h, ScoredSnapshot s)
            throws Exception {
        h.processElement(s, s.eventTime);
    }

    @Test
    void raisesAModelAlertWithReasons() throws Exception {
        try (var h = opened()) {
            h.setProcessingTime(T0 + 1234);
            push(h, scored(P1, 0, 0.10, News2Response.LOW));
            push(h, scored(P1, 10, 0.42, News2Response.LOW));
            List<DeteriorationAlert> alerts = h.extractOutputValues();
            assertThat(alerts).hasSize(1);
            DeteriorationAlert a = alerts.get(0);
            assertThat(a.getPatientId()).isEqualTo(P1);
            assertThat(a.getEncounterId()).isEqualTo("enc-" + P1);
            assertThat(a.getEventTime()).isEqualTo(Instant.ofEpochMilli(T0 + 10 * MIN));
            assertThat(a.getRaisedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 1234));
            assertThat(a.getLevel()).isEqualTo(AlertLevel.MEDIUM);
            assertThat(a.getTrigger()).isEqualTo(AlertTrigger.MODEL);
            assertThat(a.getEscalation()).isFalse();
            assertThat(a.getRiskScore()).isEqualTo(0.42);
            assertThat(a.getHorizonHours()).isEqualTo(12);
            assertThat(a.getNews2Score()).isEqualTo(1);
            assertThat(a.getNews2Scale()).isEqualTo(1);
            assertThat(a.getNews2Response()).isEqualTo("LOW");
            assertThat(a.getModelName()).isEqualTo("icu-deterioration");
            assertThat(a.getModelVersion()).isEqualTo("v7");
            assertThat(a.getReasons())
                    .extracting(Reason::getFeature)
                    .containsExactly("resp_rate_last", "spo2_min_1h", "heart_rate_slope_4h");
            assertThat(a.getReasons().get(0).getValue()).isEqualTo(IcuFeatures.indexOf("resp_rate_last"));
            assertThat(a.getReasons().get(0).getContribution()).isCloseTo(0.9, within(1e-6));
            assertThat(a.getAlertId())
                    .isEqualTo(
                            DeteriorationAlertFunction.alertId(
                                    P1,
                                    T0 + 10 * MIN,
                                    new AlertDecision(AlertLevel.MEDIUM, AlertTrigger.MODEL, false)));
        }
    }

    @Test
    void anExplainedScoreAlertsWithTheGroupedReasonsAndTheirDirection() throws Exception {
        try (var h = opened()) {
            ScoredSnapshot s = scored(P1, 10, 0.42, News2Response.LOW);
            s.withReasons(
                    new String[] {"heart rate", "respiratory rate", "SpO2", "age", "NEWS2"},
                    new float[] {121, 29, 88, 82, 1},
                    new float[] {0.2f, 1.1f, 0.6f, -0.3f, 0f});
            push(h, s);

            List<Reason> reasons = h.extractOutputValues().get(0).getReasons();

            // The explanation wins over the graph's per-feature contributions (resp_rate_last, ...).
            assertThat(reasons).extracting(Reason::getFeature)
                    .containsExactly("respiratory rate", "SpO2", "heart rate");
            assertThat(reasons).extracting(Reason::getValue).containsExactly(29.0, 88.0, 121.0);
            assertThat(reasons.get(0).getContribution()).isCloseTo(1.1, within(1e-6));
        }
    }

    @Test
    void aDecreasingExplanationFillsInWithTheNegativePlayers() throws Exception {
        try (var h = opened()) {
            ScoredSnapshot s = scored(P1, 10, 0.42, News2Response.LOW);
            s.withReasons(new String[] {"age", "oxygen"}, new float[] {40, 0}, new float[] {0.5f, -0.8f});
            push(h, s);

            assertThat(h.extractOutputValues().get(0).getReasons())
                    .extracting(r -> r.getFeature() + ":" + (r.getContribution() > 0 ? "up" : "down"))
                    .containsExactly("age:up", "oxygen:down");
        }
    }

    @Test
    void hysteresisSuppressionAndEscalation() throws Exception {
        try (var h = opened()) {
            push(h, scored(P1, 0, 0.35, News2Response.LOW)); // MEDIUM
            push(h, scored(P1, 10, 0.38, News2Response.LOW)); // same episode
            push(h, scored(P1, 20, 0.15, News2Response.LOW)); // re-armed
            push(h, scored(P1, 30, 0.35, News2Response.LOW)); // suppressed (inside 4 h)
            push(h, scored(P1, 40, 0.70, News2Response.LOW)); // escalates to HIGH
            push(h, scored(P1, 50, 0.70, News2Response.LOW)); // quiet
            push(h, scored(P1, 60, 0.10, News2Response.LOW));
            push(h, scored(P1, 300, 0.40, News2Response.LOW)); // window over, re-armed: new alert
            assertThat(h.extractOutputValues())
                    .extracting(a -> (a.getEventTime().toEpochMilli() - T0) / MIN + ":" + a.getLevel() + ":"
                            + a.getEscalation())
                    .containsExactly("0:MEDIUM:false", "40:HIGH:true", "300:MEDIUM:false");
        }
    }

    @Test
    void news2FallbackWhenTheModelIsUnavailable() throws Exception {
        try (var h = opened()) {
            push(h, scored(P1, 0, null, News2Response.LOW));
            push(h, scored(P1, 5, null, News2Response.MEDIUM));
            push(h, scored(P1, 10, 0.05, News2Response.HIGH)); // model low, NEWS2 high: escalates
            List<DeteriorationAlert> alerts = h.extractOutputValues();
            assertThat(alerts).hasSize(2);
            DeteriorationAlert fallback = alerts.get(0);
            assertThat(fallback.getTrigger()).isEqualTo(AlertTrigger.NEWS2);
            assertThat(fallback.getLevel()).isEqualTo(AlertLevel.MEDIUM);
            assertThat(fallback.getRiskScore()).isNull();
            assertThat(fallback.getModelVersion()).isEqualTo(ScoredSnapshot.NO_MODEL);
            assertThat(fallback.getReasons()).isEmpty();
            assertThat(fallback.getNews2Response()).isEqualTo("MEDIUM");
            assertThat(fallback.getNews2Score()).isEqualTo(5);
            DeteriorationAlert high = alerts.get(1);
            assertThat(high.getLevel()).isEqualTo(AlertLevel.HIGH);
            assertThat(high.getTrigger()).isEqualTo(AlertTrigger.NEWS2);
            assertThat(high.getEscalation()).isTrue();
        }
    }

    @Test
    void patientsAreIndependent() throws Exception {
        try (var h = opened()) {
            push(h, scored(P1, 0, 0.35, News2Response.LOW));
            push(h, scored(P2, 1, 0.35, News2Response.LOW));
            push(h, scored(P1, 2, 0.36, News2Response.LOW));
            assertThat(h.extractOutputValues()).extracting(DeteriorationAlert::getPatientId).containsExactly(P1, P2);
        }
    }

    @Test
    void snapshotAndRestoreKeepSuppressionAndHysteresis() throws Exception {
        OperatorSubtaskState snapshot;
        List<DeteriorationAlert> expected;
        List<ScoredSnapshot> after =
                List.of(
                        scored(P1, 30, 0.40, News2Response.LOW), // same episode: quiet
                        scored(P1, 40, 0.10, News2Response.LOW), // re-armed
                        scored(P1, 50, 0.40, News2Response.LOW), // suppressed
                        scored(P1, 60, 0.65, News2Response.LOW), // escalation
                        scored(P2, 60, 0.40, News2Response.LOW)); // P2 is still inside its episode
        try (var original = opened()) {
            push(original, scored(P1, 0, 0.35, News2Response.LOW));
            push(original, scored(P2, 0, 0.35, News2Response.LOW));
            assertThat(original.extractOutputValues()).hasSize(2);
            snapshot = original.snapshot(1L, T0);
            for (ScoredSnapshot s : after) {
                push(original, s);
            }
            expected = original.extractOutputValues().subList(2, original.extractOutputValues().size());
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            for (ScoredSnapshot s : after) {
                push(restored, s);
            }
            List<DeteriorationAlert> alerts = restored.extractOutputValues();
            assertThat(alerts).hasSize(1);
            assertThat(alerts.get(0).getLevel()).isEqualTo(AlertLevel.HIGH);
            assertThat(alerts.get(0).getEscalation()).isTrue();
            assertThat(alerts).isEqualTo(expected);
        }
    }

    @Test
    void replayGivesTheSameAlertId() throws Exception {
        String first;
        try (var h = opened()) {
            push(h, scored(P1, 0, 0.35, News2Response.LOW));
            first = h.extractOutputValues().get(0).getAlertId();
        }
        try (var h = opened()) {
            push(h, scored(P1, 0, 0.35, News2Response.LOW));
            assertThat(h.extractOutputValues().get(0).getAlertId()).isEqualTo(first);
        }
        assertThat(first)
                .isNotEqualTo(
                        DeteriorationAlertFunction.alertId(
                                P2, T0, new AlertDecision(AlertLevel.MEDIUM, AlertTrigger.MODEL, false)))
                .doesNotContain(P1);
    }

    @Test
    void stateTypeIsAPojo() {
        assertThat(DeteriorationAlertFunction.stateType()).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false);
        assertThat(DeteriorationAlertFunction.stateType().createSerializer(noGenerics)).isNotNull();
    }

    @Test
    void stateTtlMustCoverSuppression() {
        AlertPolicy eightHours = new AlertPolicy(0.3, 0.2, 0.6, Duration.ofHours(8));
        assertThatThrownBy(() -> new DeteriorationAlertFunction(eightHours, 12, 3, Duration.ofHours(4)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
