package dev.vigil.pipelines.sim.icu;

import dev.vigil.operators.icu.VitalSign;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig.Cadence;
import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.VitalObservation;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates one patient's events lazily, in event-time order, and hands them out in delivery order. An event is
 * released only when no event still to be generated can be delivered before it: every future event has an event time
 * (and so a delivery time) at or after {@link #clock()}, the earliest scheduled time.
 */
final class PatientEventSource {
    static final Comparator<SimEvent> DELIVERY_ORDER =
            Comparator.comparingLong(SimEvent::deliveryTimeMillis).thenComparingLong(SimEvent::eventTimeMillis);

    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final String MONITOR = "monitor";
    private static final String MANUAL = "manual";

    private final PatientPlan plan;
    private final IcuSimulationConfig config;
    private final SplittableRandom rng;
    private final PatientPhysiology body;
    private final String patientId;
    private final String encounterId;
    private final long observedUntil;
    private final String spo2Code;

    private final PriorityQueue<SimEvent> pending = new PriorityQueue<>(DELIVERY_ORDER);
    /** Context and outcome events, few and known up front, in event-time order. */
    private final ArrayDeque<SimEvent> administrative = new ArrayDeque<>(4);

    private long nextHeartRate;
    private long nextSpo2;
    private long nextRound;
    private long nextNursing;
    private long offMonitorUntil = Long.MIN_VALUE;

    PatientEventSource(PatientPlan plan, IcuSimulationConfig config) {
        this.plan = plan;
        this.config = config;
        this.rng = new SplittableRandom(plan.streamSeed);
        this.body = new PatientPhysiology(plan, rng.split());
        PatientTruth truth = plan.truth;
        this.patientId = truth.patientId();
        this.encounterId = truth.encounterId();
        this.observedUntil = truth.observedUntil().toEpochMilli();
        this.spo2Code = plan.pulseOximetryCode ? VitalSign.LOINC_SPO2_PULSE_OXIMETRY : VitalSign.SPO2.loinc();

        long from = truth.observedFrom().toEpochMilli();
        // Observations start a minute after admission, so that the admission context is always delivered first.
        long first = from + MINUTE;
        nextHeartRate = first + uniform(0, config.monitorCadence().max().toMillis());
        nextSpo2 = first + uniform(0, config.monitorCadence().max().toMillis());
        nextRound = first + uniform(0, Math.min(15 * MINUTE, config.roundCadence().max().toMillis()));
        nextNursing = first + uniform(0, Math.min(HOUR, config.nursingCadence().max().toMillis()));
        planAdministrativeEvents(from);
    }

    private void planAdministrativeEvents(long from) {
        PatientTruth truth = plan.truth;
        boolean scale2AtAdmission = truth.spo2Scale2() && plan.scale2PrescribedAtMillis == Long.MAX_VALUE;
        List<SimEvent> events = new ArrayList<>(4);
        events.add(context(from, truth.ward(), scale2AtAdmission));
        long scale2At = plan.scale2PrescribedAtMillis;
        long wardAt = plan.wardChangeAtMillis;
        if (scale2At != Long.MAX_VALUE) {
            String ward = wardAt < scale2At ? plan.wardAfterChange : truth.ward();
            events.add(context(scale2At, ward, true));
        }
        if (wardAt != Long.MAX_VALUE) {
            events.add(context(wardAt, plan.wardAfterChange, scale2AtAdmission || scale2At < wardAt));
        }
        if (truth.outcomeRecorded()) { // a label-bias scenario leaves some adverse outcomes unrecorded
            ClinicalOutcome outcome =
                    new ClinicalOutcome(
                            patientId, encounterId, truth.outcome(), truth.outcomeAt(), truth.outcomeRecordedAt());
            events.add(
                    new SimEvent(
                            SimEvent.Kind.OUTCOME,
                            patientId,
                            outcome,
                            truth.outcomeAt().toEpochMilli(),
                            truth.outcomeRecordedAt().toEpochMilli()));
        }
        events.sort(Comparator.comparingLong(SimEvent::eventTimeMillis)); // stable: admission context first
        administrative.addAll(events);
    }

    private SimEvent context(long at, String ward, boolean scale2) {
        PatientTruth truth = plan.truth;
        PatientContext context =
                new PatientContext(
                        patientId,
                        encounterId,
                        truth.admittedAt(),
                        truth.ageYears(),
                        truth.sexAtBirth(),
                        ward,
                        scale2,
                        Instant.ofEpochMilli(at));
        return new SimEvent(SimEvent.Kind.CONTEXT, patientId, context, at, at + uniform(SECOND, 30 * SECOND));
    }

    PatientPlan plan() {
        return plan;
    }

    /** Earliest time at which something is still scheduled; {@link Long#MAX_VALUE} when all is generated. */
    long clock() {
        long t = Math.min(Math.min(nextHeartRate, nextSpo2), Math.min(nextRound, nextNursing));
        if (t >= observedUntil) {
            t = Long.MAX_VALUE;
        }
        SimEvent admin = administrative.peekFirst();
        return admin == null ? t : Math.min(t, admin.eventTimeMillis());
    }

    /** The next event in delivery order, or {@code null} when the patient has no more events. */
    SimEvent peek() {
        while (true) {
            SimEvent head = pending.peek();
            long clock = clock();
            if (clock == Long.MAX_VALUE || (head != null && head.deliveryTimeMillis() <= clock)) {
                return head;
            }
            step(clock);
        }
    }

    SimEvent poll() {
        SimEvent head = peek();
        if (head != null) {
            pending.poll();
        }
        return head;
    }

    private void step(long t) {
        SimEvent admin = administrative.peekFirst();
        if (admin != null && admin.eventTimeMillis() == t) {
            pending.add(administrative.pollFirst());
        } else if (t == nextHeartRate) {
            heartRate(t);
        } else if (t == nextSpo2) {
            spo2(t);
        } else if (t == nextRound) {
            round(t);
        } else {
            nursing(t);
        }
    }

    private void heartRate(long t) {
        nextHeartRate = t + interval(config.monitorCadence(), 0.0);
        if (t < offMonitorUntil) {
            return;
        }
        // Spells off the monitor (walking, imaging, washing), 20 to 90 minutes long: 1.5 per hour times the
        // missing rate, about one a day at the default 3%.
        if (rng.nextDouble() < 1.5 * config.missingRate() * (nextHeartRate - t) / HOUR) {
            offMonitorUntil = t + uniform(20 * MINUTE, 90 * MINUTE);
            return;
        }
        double hr = body.heartRate(t);
        if (rng.nextDouble() < config.missingRate()) {
            return;
        }
        if (rng.nextDouble() < config.artifactRate()) {
            hr = Math.min(250, hr * (1.6 + 0.7 * rng.nextDouble())); // motion artifact
        }
        String unit = rng.nextDouble() < config.unitVariantRate() / 2 ? "beats/min" : VitalSign.HEART_RATE.unit();
        monitor(VitalSign.HEART_RATE.loinc(), Math.round(hr), unit, t);
    }

    private void spo2(long t) {
        nextSpo2 = t + interval(config.monitorCadence(), 0.0);
        if (t < offMonitorUntil) {
            return;
        }
        double sat = body.spo2(t);
        if (rng.nextDouble() < config.missingRate()) {
            return;
        }
        if (rng.nextDouble() < config.artifactRate()) {
            sat = 45 + 33 * rng.nextDouble(); // probe dropout: one implausibly low reading
        }
        monitor(spo2Code, Math.min(100, Math.round(sat)), VitalSign.SPO2.unit(), t);
    }

    private void monitor(String code, double value, String unit, long t) {
        long delivery = t + uniform(SECOND, 10 * SECOND);
        if (rng.nextDouble() < config.outOfOrderRate()) {
            delivery += uniform(30 * SECOND, 5 * MINUTE - 10 * SECOND);
        }
        pending.add(vital(code, value, unit, t, MONITOR, delivery));
    }

    /** Respiratory rate, blood pressure and oxygen flow, taken together and charted together. */
    private void round(long t) {
        nextRound = t + interval(config.roundCadence(), body.urgency(t));
        long charted = chartingTime(t + 3 * MINUTE);
        if (rng.nextDouble() >= config.missingRate()) {
            double rr = body.respRate(t);
            long counted = Math.round(rr);
            if (counted % 2 != 0 && rng.nextDouble() < 0.5) {
                counted += rr > counted ? 1 : -1; // digit preference for even counts
            }
            String unit =
                    rng.nextDouble() < config.unitVariantRate() / 2
                            ? "breaths/min"
                            : VitalSign.RESPIRATORY_RATE.unit();
            pending.add(vital(VitalSign.RESPIRATORY_RATE.loinc(), counted, unit, t, MANUAL, charted));
        }
        double flow = body.titrateOxygen(t);
        if (rng.nextDouble() >= config.missingRate()) {
            pending.add(vital(VitalSign.OXYGEN_FLOW.loinc(), flow, VitalSign.OXYGEN_FLOW.unit(), t, MANUAL, charted));
        }
        long bpAt = Math.min(t + uniform(0, 3 * MINUTE), observedUntil - 1);
        if (rng.nextDouble() >= config.missingRate()) {
            double sbp = body.systolic(bpAt);
            double dbp = body.diastolic(sbp, bpAt);
            String unit = rng.nextDouble() < config.unitVariantRate() / 2 ? "mmHg" : VitalSign.SYSTOLIC_BP.unit();
            pending.add(vital(VitalSign.SYSTOLIC_BP.loinc(), Math.round(sbp), unit, bpAt, MANUAL, charted));
            pending.add(vital(VitalSign.DIASTOLIC_BP.loinc(), Math.round(dbp), unit, bpAt, MANUAL, charted));
        }
    }

    /** Temperature and level of consciousness. */
    private void nursing(long t) {
        nextNursing = t + interval(config.nursingCadence(), body.urgency(t));
        long charted = chartingTime(t + 2 * MINUTE);
        if (rng.nextDouble() >= config.missingRate()) {
            double celsius = Math.round(body.temperature(t) * 10) / 10.0;
            if (rng.nextDouble() < config.unitVariantRate()) {
                double fahrenheit = Math.round((celsius * 9 / 5 + 32) * 10) / 10.0;
                pending.add(vital(VitalSign.TEMPERATURE.loinc(), fahrenheit, "[degF]", t, MANUAL, charted));
            } else {
                String unit = VitalSign.TEMPERATURE.unit();
                pending.add(vital(VitalSign.TEMPERATURE.loinc(), celsius, unit, t, MANUAL, charted));
            }
        }
        if (rng.nextDouble() >= config.missingRate()) {
            long at = Math.min(t + uniform(0, MINUTE), observedUntil - 1);
            pending.add(
                    vital(
                            VitalSign.CONSCIOUSNESS.loinc(),
                            body.consciousness(at),
                            VitalSign.CONSCIOUSNESS.unit(),
                            at,
                            MANUAL,
                            charted));
        }
    }

    /** Manual observations are charted in one go, usually within minutes, sometimes 10 to 60 minutes late. */
    private long chartingTime(long earliest) {
        return rng.nextDouble() < config.lateChartingRate()
                ? earliest + uniform(10 * MINUTE - 3 * MINUTE, 60 * MINUTE - 3 * MINUTE)
                : earliest + uniform(0, 2 * MINUTE);
    }

    private long interval(Cadence cadence, double urgency) {
        long min = cadence.min().toMillis();
        long max = cadence.max().toMillis();
        return min + (long) ((max - min) * rng.nextDouble() * (1.0 - 0.8 * urgency));
    }

    private long uniform(long lo, long hi) {
        return hi <= lo ? lo : lo + (long) (rng.nextDouble() * (hi - lo));
    }

    private SimEvent vital(String code, double value, String unit, long at, String source, long delivery) {
        VitalObservation observation =
                new VitalObservation(patientId, encounterId, code, value, unit, Instant.ofEpochMilli(at), source);
        return new SimEvent(SimEvent.Kind.VITAL, patientId, observation, at, delivery);
    }
}
