package dev.vigil.pipelines.sim.icu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.icu.VitalSign;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig.Cadence;
import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.OutcomeType;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IcuSimulatorTest {

    private static IcuSimulationConfig small(long seed) {
        return IcuSimulationConfig.builder().seed(seed).patients(40).duration(Duration.ofHours(24)).build();
    }

    @Test
    void sameSeedGivesIdenticalStream() {
        Iterator<SimEvent> a = new IcuSimulator(small(11)).iterator();
        Iterator<SimEvent> b = new IcuSimulator(small(11)).iterator();
        long n = 0;
        while (a.hasNext()) {
            assertThat(b.hasNext()).isTrue();
            SimEvent x = a.next();
            SimEvent y = b.next();
            assertThat(y).as("event %s", n).isEqualTo(x);
            n++;
        }
        assertThat(b.hasNext()).isFalse();
        assertThat(n).isGreaterThan(10_000);
    }

    @Test
    void iteratingTwiceReplaysTheStream() {
        IcuSimulator simulator = new IcuSimulator(small(3));
        assertThat(simulator.stream().limit(5_000).toList())
                .isEqualTo(simulator.stream().limit(5_000).toList());
    }

    @Test
    void differentSeedGivesDifferentStreamAndCohort() {
        List<SimEvent> a = new IcuSimulator(small(1)).stream().limit(2_000).toList();
        List<SimEvent> b = new IcuSimulator(small(2)).stream().limit(2_000).toList();
        assertThat(a).isNotEqualTo(b);
        assertThat(new IcuSimulator(small(1)).truths().values())
                .isNotEqualTo(new IcuSimulator(small(2)).truths().values());
    }

    @Test
    void deliversInDeliveryOrderNeverBeforeEventTimeAndWithinTheBound() {
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder().seed(5).patients(80).build());
        long maxVitalDelay = IcuSimulationConfig.MAX_DELIVERY_DELAY.toMillis();
        long previousDelivery = Long.MIN_VALUE;
        long outOfOrder = 0;
        long lateManual = 0;
        Map<String, Long> latestEventTime = new HashMap<>();
        for (SimEvent e : simulator) {
            assertThat(e.deliveryTimeMillis()).as("%s", e).isGreaterThanOrEqualTo(e.eventTimeMillis());
            assertThat(e.deliveryTimeMillis()).as("%s", e).isGreaterThanOrEqualTo(previousDelivery);
            previousDelivery = e.deliveryTimeMillis();
            long delay = e.deliveryTimeMillis() - e.eventTimeMillis();
            if (e.kind() != SimEvent.Kind.OUTCOME) {
                assertThat(delay).as("%s", e).isLessThanOrEqualTo(maxVitalDelay);
            }
            if (e.kind() == SimEvent.Kind.VITAL && e.vital().getSource().equals("manual") && delay >= 10 * 60_000L) {
                lateManual++;
            }
            Long latest = latestEventTime.merge(e.key(), e.eventTimeMillis(), Math::max);
            if (latest > e.eventTimeMillis()) {
                outOfOrder++;
            }
        }
        assertThat(outOfOrder).as("events behind a later event of the same patient").isGreaterThan(1_000);
        assertThat(lateManual).as("manual observations charted 10 min or more late").isGreaterThan(1_000);
    }

    @Test
    void observationCadencesStayWithinTheConfiguredBounds() {
        Cadence monitor = Cadence.of(Duration.ofMinutes(1), Duration.ofMinutes(3));
        Cadence round = Cadence.of(Duration.ofMinutes(20), Duration.ofMinutes(40));
        Cadence nursing = Cadence.of(Duration.ofHours(3), Duration.ofHours(5));
        IcuSimulationConfig config =
                IcuSimulationConfig.builder()
                        .seed(9)
                        .patients(60)
                        .missingRate(0.0)
                        .monitorCadence(monitor)
                        .roundCadence(round)
                        .nursingCadence(nursing)
                        .build();
        Map<String, List<Long>> times = new HashMap<>();
        for (SimEvent e : new IcuSimulator(config)) {
            if (e.kind() == SimEvent.Kind.VITAL) {
                VitalObservation v = e.vital();
                VitalSign sign = VitalSign.fromLoinc(v.getLoincCode()).orElseThrow();
                times.computeIfAbsent(e.key() + "/" + sign, k -> new ArrayList<>()).add(e.eventTimeMillis());
            }
        }
        Map<VitalSign, Cadence> cadence =
                Map.of(
                        VitalSign.HEART_RATE, monitor,
                        VitalSign.SPO2, monitor,
                        VitalSign.RESPIRATORY_RATE, round,
                        VitalSign.OXYGEN_FLOW, round,
                        VitalSign.TEMPERATURE, nursing);
        int checked = 0;
        for (Map.Entry<String, List<Long>> entry : times.entrySet()) {
            VitalSign sign = VitalSign.valueOf(entry.getKey().substring(entry.getKey().indexOf('/') + 1));
            Cadence bounds = cadence.get(sign);
            if (bounds == null) {
                continue;
            }
            List<Long> t = entry.getValue();
            t.sort(null);
            for (int i = 1; i < t.size(); i++) {
                long gap = t.get(i) - t.get(i - 1);
                assertThat(gap).as("%s gap %s", entry.getKey(), i).isGreaterThanOrEqualTo(bounds.min().toMillis());
                // Without missingness nothing is skipped: no missed readings, no spells off the monitor.
                assertThat(gap).as("%s gap %s", entry.getKey(), i).isLessThanOrEqualTo(bounds.max().toMillis());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(50_000);
    }

    @Test
    void everyPatientHasExactlyOneOutcomeAndDeterioratingOnesAnAdverseOutcomeAfterOnset() {
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder().seed(21).patients(300).build());
        Map<String, List<ClinicalOutcome>> outcomes = new HashMap<>();
        Map<String, Long> lastVital = new HashMap<>();
        Map<String, Long> firstVital = new HashMap<>();
        for (SimEvent e : simulator) {
            if (e.kind() == SimEvent.Kind.OUTCOME) {
                outcomes.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e.outcome());
                assertThat(e.deliveryTimeMillis()).isEqualTo(e.outcome().getRecordedAt().toEpochMilli());
            } else if (e.kind() == SimEvent.Kind.VITAL) {
                lastVital.merge(e.key(), e.eventTimeMillis(), Math::max);
                firstVital.merge(e.key(), e.eventTimeMillis(), Math::min);
            }
        }
        int deteriorating = 0;
        for (PatientTruth truth : simulator.truths().values()) {
            List<ClinicalOutcome> mine = outcomes.get(truth.patientId());
            assertThat(mine).as(truth.patientId()).hasSize(1);
            ClinicalOutcome outcome = mine.get(0);
            assertThat(outcome.getOutcome()).isEqualTo(truth.outcome());
            assertThat(outcome.getOccurredAt()).isEqualTo(truth.outcomeAt());
            assertThat(outcome.getEncounterId()).isEqualTo(truth.encounterId());
            assertThat(outcome.getRecordedAt()).isAfter(outcome.getOccurredAt());
            assertThat(firstVital.get(truth.patientId())).isGreaterThanOrEqualTo(truth.observedFrom().toEpochMilli());
            assertThat(lastVital.get(truth.patientId())).isLessThan(truth.observedUntil().toEpochMilli());
            if (truth.deteriorates()) {
                deteriorating++;
                assertThat(truth.adverse()).isTrue();
                assertThat(truth.onset()).isBefore(truth.outcomeAt());
                assertThat(Duration.between(truth.onset(), truth.outcomeAt()))
                        .isBetween(Duration.ofHours(4), Duration.ofHours(24));
                assertThat(truth.outcomeAt()).isBefore(simulator.config().end());
                if (truth.outcome() != OutcomeType.RAPID_RESPONSE) {
                    assertThat(truth.observedUntil()).isEqualTo(truth.outcomeAt());
                }
            } else {
                assertThat(truth.outcome()).isEqualTo(OutcomeType.DISCHARGE);
                assertThat(truth.onset()).isNull();
                assertThat(truth.outcomeAt()).isEqualTo(truth.observedUntil());
            }
        }
        assertThat(deteriorating).isBetween(15, 45); // 10% of 300, minus the few admitted too late to deteriorate
    }

    @Test
    void truthLabelsEveryPatientTime() {
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder().seed(6).patients(100).build());
        PatientTruth sick =
                simulator.truths().values().stream().filter(PatientTruth::deteriorates).findFirst().orElseThrow();
        Duration day = Duration.ofHours(24);
        assertThat(sick.adverseOutcomeWithin(sick.outcomeAt().minusSeconds(3600), day)).isTrue();
        assertThat(sick.adverseOutcomeWithin(sick.outcomeAt().minus(day), day)).isTrue();
        assertThat(sick.adverseOutcomeWithin(sick.outcomeAt().minus(day).minusMillis(1), day)).isFalse();
        assertThat(sick.adverseOutcomeWithin(sick.outcomeAt(), day)).isFalse();
        assertThat(sick.deterioratingAt(sick.onset())).isTrue();
        assertThat(sick.deterioratingAt(sick.onset().minusMillis(1))).isFalse();
        assertThat(simulator.truth(sick.patientId())).isSameAs(sick);

        PatientTruth well =
                simulator.truths().values().stream().filter(t -> !t.deteriorates()).findFirst().orElseThrow();
        assertThat(well.adverseOutcomeWithin(well.observedFrom(), day)).isFalse();
        assertThat(well.deterioratingAt(well.observedFrom())).isFalse();
        assertThat(well.observedAt(well.observedFrom())).isTrue();
        assertThat(well.observedAt(well.observedUntil())).isFalse();
        assertThatThrownBy(() -> simulator.truth("P999999")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contextAtAdmissionWithDistinctSyntheticIds() {
        IcuSimulator simulator = new IcuSimulator(small(4));
        Map<String, PatientContext> firstContext = new HashMap<>();
        Set<String> encounters = new HashSet<>();
        for (SimEvent e : simulator) {
            if (e.kind() == SimEvent.Kind.CONTEXT) {
                firstContext.putIfAbsent(e.key(), e.context());
            } else {
                assertThat(firstContext).as("context before other events of %s", e.key()).containsKey(e.key());
            }
        }
        for (PatientTruth truth : simulator.truths().values()) {
            assertThat(truth.patientId()).matches("P\\d{6}");
            assertThat(truth.encounterId()).isNotEqualTo(truth.patientId());
            assertThat(encounters.add(truth.encounterId())).isTrue();
            PatientContext context = firstContext.get(truth.patientId());
            assertThat(context.getEncounterId()).isEqualTo(truth.encounterId());
            assertThat(context.getAdmittedAt()).isEqualTo(truth.admittedAt());
            assertThat(context.getUpdatedAt()).isEqualTo(truth.observedFrom());
            assertThat(context.getAgeYears()).isEqualTo(truth.ageYears());
            assertThat(context.getWard()).isEqualTo(truth.ward()).isIn("ICU", "HDU", "MED", "SURG");
        }
    }

    @Test
    void producesArtifactsUnitVariantsAndHypercapnicPatients() {
        IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder().seed(8).patients(200).build());
        int fahrenheit = 0;
        int spo2Dropouts = 0;
        int heartRateSpikes = 0;
        int notAlert = 0;
        for (SimEvent e : simulator) {
            if (e.kind() != SimEvent.Kind.VITAL) {
                continue;
            }
            VitalObservation v = e.vital();
            VitalSign sign = VitalSign.fromLoinc(v.getLoincCode()).orElseThrow();
            double value = sign.toCanonical(v.getValue(), v.getUnit());
            assertThat(value).as("%s", v).isFinite();
            assertThat(sign.isPossible(value)).as("%s", v).isTrue();
            if (v.getUnit().equals("[degF]")) {
                fahrenheit++;
            }
            if (sign == VitalSign.SPO2 && value < 80) {
                spo2Dropouts++;
            }
            if (sign == VitalSign.HEART_RATE && value > 180) {
                heartRateSpikes++;
            }
            if (sign == VitalSign.CONSCIOUSNESS && value > 0) {
                notAlert++;
            }
        }
        assertThat(fahrenheit).isPositive();
        assertThat(spo2Dropouts).isPositive();
        assertThat(heartRateSpikes).isPositive();
        assertThat(notAlert).isPositive();
        assertThat(simulator.truths().values()).anyMatch(PatientTruth::spo2Scale2);
        assertThat(simulator.truths().values()).anyMatch(t -> t.confounder() != Confounder.NONE);
        assertThat(simulator.truths().values())
                .extracting(PatientTruth::deterioration)
                .contains(
                        DeteriorationType.SEPSIS,
                        DeteriorationType.RESPIRATORY_FAILURE,
                        DeteriorationType.HEMORRHAGE,
                        DeteriorationType.CARDIAC);
    }

    @Test
    void rejectsInvalidConfig() {
        assertThatThrownBy(() -> IcuSimulationConfig.builder().patients(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IcuSimulationConfig.builder().deterioratingFraction(1.5).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IcuSimulationConfig.builder().duration(Duration.ofMinutes(5)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Cadence.of(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> IcuSimulationConfig.builder()
                                .monitorCadence(Cadence.of(Duration.ofHours(1), Duration.ofHours(2)))
                                .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatesFiveHundredPatientsOverTwoDaysQuickly() {
        IcuSimulationConfig config = IcuSimulationConfig.builder().seed(1).patients(500).build();
        long start = System.nanoTime();
        long events = 0;
        for (SimEvent ignored : new IcuSimulator(config)) {
            events++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("IcuSimulator: 500 patients x 48 h: %d events in %.2f s (%.0f events/s)%n",
                events, seconds, events / seconds);
        assertThat(events).isGreaterThan(500_000);
        // The target is well under 10 s on two idle cores (about 1 s warm, 2-3 s in a fresh JVM); the bound is loose
        // so that a loaded build machine does not make the test flaky, while an accidental quadratic step still fails.
        assertThat(seconds).isLessThan(20.0);
    }
}
