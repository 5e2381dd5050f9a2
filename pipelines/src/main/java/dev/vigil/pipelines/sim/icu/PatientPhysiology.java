package dev.vigil.pipelines.sim.icu;

import dev.vigil.operators.icu.VitalSign;
import dev.vigil.schema.icu.OutcomeType;
import java.util.SplittableRandom;

/**
 * The physiology of one patient over time: baseline, circadian rhythm, smooth autocorrelated variation
 * (Ornstein-Uhlenbeck per vital), confounders, the deterioration course and the nurses' oxygen titration. Each vital
 * must be queried at non-decreasing times (the Ornstein-Uhlenbeck states move forward only).
 *
 * <p>Returned values are the true values plus measurement noise, unrounded; the caller rounds them as they would be
 * charted. The bias and drift of an {@link IcuScenario} enter here too: a patient's SpO2 measurement bias and a
 * calibration offset are part of the reading (and of what the nurses titrate oxygen to), a concept drift scales the
 * deterioration's responses. Their random draws (extra reading noise) come from a stream of their own, so that the
 * draws of the physiology are the same with and without a scenario.
 */
final class PatientPhysiology {
    private static final double MINUTE = 60_000.0;
    private static final double HOUR = 60 * MINUTE;

    private final PatientPlan plan;
    private final SplittableRandom rng;
    /** Draws of the scenario's extra SpO2 reading noise; {@code null} when the patient has none. */
    private final SplittableRandom scenarioRng;
    /** Whether the displayed SpO2 can differ from the true SpO2 plus noise (measurement bias, calibration drift). */
    private final boolean spo2Offset;
    private final boolean rapidResponse;
    /** When the hypercapnic SpO2 target (88-92%) applies; {@link Long#MAX_VALUE} when it never does. */
    private final long scale2From;

    private final Ou heartRate;
    private final Ou respRate;
    private final Ou spo2;
    private final Ou systolic;
    private final Ou temperature;

    private double o2Flow;

    PatientPhysiology(PatientPlan plan, SplittableRandom rng) {
        this.plan = plan;
        this.rng = rng;
        this.scenarioRng = plan.spo2BiasNoise != 0 ? new SplittableRandom(plan.scenarioSeed) : null;
        this.spo2Offset = plan.spo2Biased() || plan.calibrationVital == VitalSign.SPO2;
        this.rapidResponse = plan.truth.outcome() == OutcomeType.RAPID_RESPONSE;
        long t0 = plan.truth.observedFrom().toEpochMilli();
        this.scale2From =
                !plan.truth.spo2Scale2()
                        ? Long.MAX_VALUE
                        : plan.scale2PrescribedAtMillis == Long.MAX_VALUE ? t0 : plan.scale2PrescribedAtMillis;
        this.heartRate = new Ou(45 * MINUTE, plan.heartRateNoise, t0, rng);
        this.respRate = new Ou(90 * MINUTE, 1.2, t0, rng);
        this.spo2 = new Ou(40 * MINUTE, 0.8, t0, rng);
        this.systolic = new Ou(90 * MINUTE, 7.0, t0, rng);
        this.temperature = new Ou(4 * HOUR, 0.15, t0, rng);
        this.o2Flow = plan.baselineO2Flow;
    }

    /** Deterioration severity in [0, 1]: 0 before onset, 1 at the outcome, receding after a rapid response. */
    double severity(long t) {
        if (!plan.truth.deteriorates() || t < plan.onsetMillis) {
            return 0.0;
        }
        if (t < plan.outcomeMillis) {
            double u = (double) (t - plan.onsetMillis) / (plan.outcomeMillis - plan.onsetMillis);
            return Math.pow(u, plan.shape);
        }
        return rapidResponse ? 0.3 + 0.7 * Math.exp(-(t - plan.outcomeMillis) / (4 * HOUR)) : 1.0;
    }

    /** How strongly nurses watch the patient, in [0, 1]: rises with severity, high for hours after a rapid response. */
    double urgency(long t) {
        double s = severity(t);
        if (rapidResponse && t >= plan.outcomeMillis) {
            s = Math.max(s, 0.8 * Math.exp(-(t - plan.outcomeMillis) / (12 * HOUR)));
        }
        return Math.min(1.0, 1.5 * s);
    }

    private double circadian(long t) {
        double hourOfDay = (t / HOUR) % 24.0;
        return Math.cos(2 * Math.PI * (hourOfDay - 16 - plan.circadianShiftHours) / 24.0);
    }

    double heartRate(long t) {
        double severity = severity(t);
        double s = severity * plan.magnitude;
        double hr = plan.heartRate + 4 * circadian(t) + feverExcess(t) * 9 + postOp(t) * 16;
        if (plan.truth.confounder() == Confounder.CHRONIC_TACHYCARDIA) {
            hr += plan.confounderLevel;
        }
        switch (plan.truth.deterioration()) {
            case SEPSIS -> hr += 34 * plan.magnitude * Math.pow(severity, 0.9) * plan.heartRateResponse;
            case RESPIRATORY_FAILURE -> hr += 20 * s * plan.heartRateResponse;
            case HEMORRHAGE -> hr += 40 * s * plan.heartRateResponse;
            case CARDIAC -> hr += plan.bradycardicArrest ? -38 * s : 34 * s * plan.heartRateResponse;
            default -> {}
        }
        hr += heartRate.next(t) + 1.5 * rng.nextGaussian();
        if (calibrated(VitalSign.HEART_RATE, t)) {
            hr += plan.calibrationOffset;
        }
        return CohortPlanner.clamp(hr, 25, 220);
    }

    double respRate(long t) {
        double s = severity(t) * plan.magnitude;
        double rr = plan.respRate + 0.5 * circadian(t) + feverExcess(t) * 1.5 + postOp(t) * 4;
        if (plan.truth.confounder() == Confounder.CHRONIC_TACHYPNEA) {
            rr = plan.confounderLevel + 0.5 * circadian(t);
        }
        switch (plan.truth.deterioration()) {
            case SEPSIS -> rr += 10 * s * plan.respiratoryResponse;
            case RESPIRATORY_FAILURE -> rr += 13 * plan.magnitude * Math.pow(severity(t), 0.8) * plan.respiratoryResponse;
            case HEMORRHAGE -> rr += 7 * s * plan.respiratoryResponse;
            case CARDIAC -> rr += 8 * s * plan.respiratoryResponse;
            default -> {}
        }
        rr += respRate.next(t) + 0.8 * rng.nextGaussian();
        return CohortPlanner.clamp(rr, 4, 60);
    }

    /** SpO2 drop the deterioration would cause on the patient's baseline oxygen. */
    private double hypoxaemia(long t) {
        double s = severity(t) * plan.magnitude;
        return switch (plan.truth.deterioration()) {
            case SEPSIS -> 3 * s;
            case RESPIRATORY_FAILURE -> 11 * s;
            case HEMORRHAGE -> 1.5 * s;
            case CARDIAC -> 5 * s;
            default -> 0.0;
        };
    }

    /**
     * SpO2 without noise. Extra oxygen above the baseline flow raises it towards 98% (about 1 point per L/min), less
     * effectively the worse the deterioration (shunt).
     */
    private double trueSpo2(long t) {
        double unaided = plan.spo2 - hypoxaemia(t);
        double extraFlow = Math.max(0.0, o2Flow - plan.baselineO2Flow);
        double gain = Math.min(Math.max(0.0, 98 - unaided), 1.2 * extraFlow) * 0.85 * (1 - 0.3 * severity(t));
        return unaided + gain;
    }

    /** The SpO2 reading: true SpO2, physiological variation, probe noise, and any scenario bias. */
    double spo2(long t) {
        double sat = trueSpo2(t);
        double v = sat + spo2.next(t) + 0.5 * rng.nextGaussian();
        if (spo2Offset) {
            v += spo2DisplayOffset(t, sat);
            if (scenarioRng != null) {
                v += plan.spo2BiasNoise * scenarioRng.nextGaussian();
            }
        }
        return CohortPlanner.clamp(v, 50, 100);
    }

    /**
     * Points by which the oximeter reads high at {@code t} when the true saturation is {@code sat}: the patient's bias,
     * which grows as the saturation falls (Feiner et al. 2007; here linearly, from 1x at 96% and above to 2x at 88% and
     * below), plus any calibration drift.
     */
    private double spo2DisplayOffset(long t, double sat) {
        double bias = plan.spo2Bias * (1 + CohortPlanner.clamp((96 - sat) / 8, 0, 1));
        return bias + (calibrated(VitalSign.SPO2, t) ? plan.calibrationOffset : 0.0);
    }

    /** Whether a calibration drift offsets the readings of {@code vital} at {@code t}. */
    private boolean calibrated(VitalSign vital, long t) {
        return t >= plan.calibrationFromMillis && plan.calibrationVital == vital;
    }

    double systolic(long t) {
        double s = severity(t);
        double m = plan.magnitude;
        double sbp = plan.systolic + 5 * circadian(t) + postOp(t) * 14 - feverExcess(t) * 3;
        if (plan.truth.confounder() == Confounder.CHRONIC_HYPOTENSION) {
            sbp = plan.confounderLevel + 5 * circadian(t);
        }
        switch (plan.truth.deterioration()) {
            case SEPSIS -> sbp -= 40 * m * Math.pow(s, 2.2);
            case RESPIRATORY_FAILURE -> sbp += 5 * m * s;
            case HEMORRHAGE -> sbp -= 48 * m * Math.pow(s, 1.3);
            case CARDIAC -> sbp -= 36 * m * Math.pow(s, 1.5);
            default -> {}
        }
        sbp += systolic.next(t) + 4 * rng.nextGaussian();
        sbp = CohortPlanner.clamp(sbp, 50, 250);
        return calibrated(VitalSign.SYSTOLIC_BP, t) ? sbp + plan.calibrationOffset : sbp;
    }

    /** The diastolic reading taken with the systolic reading {@code systolicValue} at {@code t}. */
    double diastolic(double systolicValue, long t) {
        boolean calibrated = calibrated(VitalSign.SYSTOLIC_BP, t);
        double trueSystolic = calibrated ? systolicValue - plan.calibrationOffset : systolicValue;
        double dbp = trueSystolic * plan.diastolicRatio + 4 * rng.nextGaussian();
        dbp = CohortPlanner.clamp(dbp, 25, trueSystolic - 15);
        return calibrated ? dbp + plan.calibrationOffset : dbp;
    }

    double temperature(long t) {
        double s = severity(t);
        double temp = plan.temperature + 0.25 * circadian(t) + feverExcess(t) + postOp(t) * 0.5;
        switch (plan.truth.deterioration()) {
            case SEPSIS -> temp += plan.hypothermicSepsis
                    ? -1.6 * plan.magnitude * s
                    : 1.9 * plan.magnitude * Math.min(1.0, 1.6 * s) * plan.feverResponse;
            case RESPIRATORY_FAILURE -> temp += 0.5 * plan.magnitude * s * plan.feverResponse;
            case HEMORRHAGE -> temp -= 0.3 * plan.magnitude * s;
            default -> {}
        }
        temp += temperature.next(t) + 0.08 * rng.nextGaussian();
        if (calibrated(VitalSign.TEMPERATURE, t)) {
            temp += plan.calibrationOffset;
        }
        return CohortPlanner.clamp(temp, 33, 42.5);
    }

    /** ACVPU: 0 alert, 1 new confusion, 2 voice, 3 pain, 4 unresponsive. */
    int consciousness(long t) {
        Confounder c = plan.truth.confounder();
        if (c == Confounder.DELIRIUM
                && ((t >= plan.confounderStartMillis && t < plan.confounderEndMillis)
                        || (t >= plan.secondEpisodeStartMillis && t < plan.secondEpisodeEndMillis))) {
            return rng.nextDouble() < 0.85 ? 1 : 0;
        }
        double threshold =
                switch (plan.truth.deterioration()) {
                    case SEPSIS -> 0.70;
                    case HEMORRHAGE -> 0.80;
                    case RESPIRATORY_FAILURE, CARDIAC -> 0.85;
                    default -> 2.0;
                };
        double s = severity(t);
        if (s <= threshold) {
            return 0;
        }
        double p = Math.min(1.0, (s - threshold) / (1 - threshold) * plan.magnitude * 1.2);
        if (rng.nextDouble() >= p) {
            return 0;
        }
        double u = rng.nextDouble();
        return u < 0.05 * s ? 3 : u < 0.3 * s ? 2 : 1;
    }

    /**
     * A nurse's oxygen titration at an observation round: more oxygen while SpO2 is below target (94%, or 88% once a
     * hypercapnic target is prescribed), weaning back towards the baseline flow once it is comfortably above (97%, or
     * 91%). Nurses go by the displayed saturation: a scenario's oximeter bias or calibration offset misleads them.
     * Returns the flow after the round, L/min.
     */
    double titrateOxygen(long t) {
        boolean scale2 = t >= scale2From;
        double sat = trueSpo2(t);
        if (spo2Offset) {
            sat += spo2DisplayOffset(t, sat);
        }
        if (sat < (scale2 ? 88 : 94)) {
            o2Flow = Math.min(15.0, o2Flow + (o2Flow < 6 ? 2.0 : 4.0));
        } else if (sat >= (scale2 ? 91 : 97) && o2Flow > plan.baselineO2Flow) {
            o2Flow = Math.max(plan.baselineO2Flow, o2Flow - 1.0);
        }
        return o2Flow;
    }

    private double feverExcess(long t) {
        if (plan.truth.confounder() != Confounder.RESOLVING_FEVER
                || t < plan.confounderStartMillis
                || t >= plan.confounderEndMillis) {
            return 0.0;
        }
        double u = (double) (t - plan.confounderStartMillis) / (plan.confounderEndMillis - plan.confounderStartMillis);
        return (plan.confounderLevel - plan.temperature) * Math.pow(Math.sin(Math.PI * u), 0.7);
    }

    private double postOp(long t) {
        if (plan.truth.confounder() != Confounder.POSTOPERATIVE_PAIN || t < plan.confounderStartMillis) {
            return 0.0;
        }
        return plan.confounderLevel * Math.exp(-(t - plan.confounderStartMillis) / (14 * HOUR));
    }

    /** Ornstein-Uhlenbeck process with mean 0, stationary standard deviation {@code sd}, time constant {@code tau}. */
    private static final class Ou {
        private final double tau;
        private final double sd;
        private final SplittableRandom rng;
        private double x;
        private long last;

        Ou(double tau, double sd, long t0, SplittableRandom rng) {
            this.tau = tau;
            this.sd = sd;
            this.rng = rng;
            this.last = t0;
            this.x = sd * rng.nextGaussian();
        }

        double next(long t) {
            if (t > last) {
                double decay = Math.exp(-(t - last) / tau);
                x = x * decay + sd * Math.sqrt(1 - decay * decay) * rng.nextGaussian();
                last = t;
            }
            return x;
        }
    }
}
