package dev.vigil.pipelines.sim.icu;

import dev.vigil.schema.icu.OutcomeType;
import dev.vigil.schema.icu.Sex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the cohort: demographics, baselines, who deteriorates (more often the old, the multimorbid, those on oxygen
 * and in high-dependency beds), how and when, the confounders of the others, admission and discharge times.
 */
final class CohortPlanner {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private static final Confounder[] CONFOUNDERS = {
        Confounder.CHRONIC_TACHYCARDIA,
        Confounder.RESOLVING_FEVER,
        Confounder.CHRONIC_HYPOTENSION,
        Confounder.CHRONIC_TACHYPNEA,
        Confounder.DELIRIUM,
        Confounder.POSTOPERATIVE_PAIN
    };
    private static final double[] CONFOUNDER_CUMULATIVE = {0.22, 0.47, 0.62, 0.77, 0.87, 1.0};

    private CohortPlanner() {}

    /** Per-patient draws that the cohort-level deterioration decision needs first. */
    private static final class Draft {
        SplittableRandom rng;
        String ward;
        int age;
        Sex sex;
        int comorbidities;
        boolean hypercapnic;
        double baselineO2Flow;
        double risk;
    }

    static List<PatientPlan> plan(IcuSimulationConfig config) {
        int n = config.patients();
        Draft[] drafts = new Draft[n];
        double riskSum = 0;
        for (int i = 0; i < n; i++) {
            drafts[i] = demographics(new SplittableRandom(Seeds.derive(config.seed(), Seeds.PLAN, i)));
            riskSum += drafts[i].risk;
        }
        double meanRisk = riskSum / n;
        long encounterBase = 1_000_000L + Math.floorMod(Seeds.mix(config.seed() ^ Seeds.COHORT), 8_000_000L);
        List<PatientPlan> plans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            plans.add(patient(config, i, drafts[i], meanRisk, "E" + (encounterBase + i)));
        }
        return plans;
    }

    private static Draft demographics(SplittableRandom rng) {
        Draft d = new Draft();
        d.rng = rng;
        double u = rng.nextDouble();
        d.ward = u < 0.05 ? "ICU" : u < 0.20 ? "HDU" : u < 0.62 ? "MED" : "SURG";
        double meanAge =
                switch (d.ward) {
                    case "MED" -> 70;
                    case "SURG" -> 58;
                    default -> 63;
                };
        d.age = (int) Math.round(clamp(meanAge + 16 * rng.nextGaussian(), 18, 99));
        double s = rng.nextDouble();
        d.sex = s < 0.005 ? Sex.UNKNOWN : s < 0.5025 ? Sex.FEMALE : Sex.MALE;
        double pComorbidity = clamp(0.08 + 0.007 * (d.age - 40), 0.05, 0.5);
        for (int k = 0; k < 4; k++) {
            if (rng.nextDouble() < pComorbidity) {
                d.comorbidities++;
            }
        }
        double pCopd = 0.025 + (d.comorbidities >= 2 ? 0.03 : 0) + (d.ward.equals("MED") ? 0.01 : 0);
        d.hypercapnic = d.age >= 45 && rng.nextDouble() < pCopd;
        if (d.hypercapnic) {
            d.baselineO2Flow = rng.nextDouble() < 0.75 ? 1.0 + 0.5 * rng.nextInt(3) : 0.0;
        } else {
            double pOxygen =
                    switch (d.ward) {
                        case "ICU" -> 0.45;
                        case "HDU" -> 0.22;
                        case "MED" -> 0.10;
                        default -> 0.06;
                    };
            pOxygen += 0.025 * d.comorbidities;
            d.baselineO2Flow = rng.nextDouble() < pOxygen ? 2.0 + rng.nextInt(3) : 0.0;
        }
        double wardRisk =
                switch (d.ward) {
                    case "ICU" -> 0.5;
                    case "HDU" -> 0.3;
                    default -> 0.0;
                };
        d.risk =
                Math.exp(
                        0.02 * (d.age - 65)
                                + 0.25 * d.comorbidities
                                + (d.baselineO2Flow > 0 ? 0.5 : 0.0)
                                + (d.hypercapnic ? 0.3 : 0.0)
                                + wardRisk);
        return d;
    }

    private static PatientPlan patient(
            IcuSimulationConfig config, int index, Draft d, double meanRisk, String encounterId) {
        SplittableRandom rng = d.rng;
        long start = config.start().toEpochMilli();
        long end = config.end().toEpochMilli();
        long duration = end - start;

        // Admission: part of the cohort is already on the ward at the start, the rest arrives during the run.
        double pAlreadyAdmitted = clamp(3.0 * DAY / (3.0 * DAY + duration), 0.1, 0.9);
        long admittedAt;
        long observedFrom;
        long dischargeAt;
        if (rng.nextDouble() < pAlreadyAdmitted) {
            admittedAt = start - HOUR - (long) (rng.nextDouble() * 5 * DAY);
            observedFrom = start;
            dischargeAt = start + Math.max(3 * HOUR, logNormal(rng, 3 * DAY, 0.8));
        } else {
            admittedAt = start + (long) (rng.nextDouble() * 0.85 * duration);
            observedFrom = admittedAt;
            dischargeAt = admittedAt + Math.max(6 * HOUR, logNormal(rng, 4 * DAY, 0.7));
        }
        long naturalEnd = Math.min(dischargeAt, end);

        // Deterioration: probability proportional to the patient's risk, scaled to the configured fraction.
        double pDeteriorate = Math.min(0.95, config.deterioratingFraction() * d.risk / meanRisk);
        DeteriorationType type = DeteriorationType.NONE;
        long onset = 0;
        long outcomeAt = naturalEnd;
        OutcomeType outcome = OutcomeType.DISCHARGE;
        long earliestOutcome = observedFrom + 2 * HOUR;
        long latestOutcome = end - MINUTE;
        if (rng.nextDouble() < pDeteriorate && latestOutcome > earliestOutcome) {
            type = deteriorationType(rng, d);
            long course =
                    type == DeteriorationType.CARDIAC
                            ? clampLong(logNormal(rng, 8 * HOUR, 0.45), 4 * HOUR, 24 * HOUR)
                            : clampLong(logNormal(rng, 15 * HOUR, 0.4), 4 * HOUR, 24 * HOUR);
            outcomeAt = earliestOutcome + (long) (rng.nextDouble() * (latestOutcome - earliestOutcome));
            onset = outcomeAt - course;
            outcome = outcomeType(rng, type);
        }

        // Confounders go to patients who do not deteriorate, so that their overall fraction is the configured one.
        double pConfounder =
                type == DeteriorationType.NONE
                        ? Math.min(1.0, config.confounderFraction() / (1.0 - config.deterioratingFraction() + 1e-9))
                        : 0.0;
        Confounder confounder = rng.nextDouble() < pConfounder ? confounder(rng, d) : Confounder.NONE;

        long observedUntil =
                switch (outcome) {
                    case DISCHARGE -> naturalEnd;
                    case RAPID_RESPONSE -> end;
                    default -> outcomeAt;
                };
        Instant recordedAt = Instant.ofEpochMilli(outcomeAt + recordingDelay(rng, outcome));
        IcuScenario.LabelBias labelBias = config.scenario().labelBias();
        if (labelBias != null && labelBias.group().contains(d.age, d.sex)) {
            recordedAt = biasedRecording(labelBias, recordedAt, outcome != OutcomeType.DISCHARGE, config, index);
        }

        // The hypercapnic target is prescribed at admission for most, hours later (after a blood gas) for some.
        long scale2At = Long.MAX_VALUE;
        if (d.hypercapnic) {
            scale2At =
                    rng.nextDouble() < 0.65
                            ? observedFrom
                            : observedFrom + HOUR + (long) (rng.nextDouble() * 11 * HOUR);
        }
        boolean scale2 = scale2At < observedUntil;

        PatientTruth truth =
                new PatientTruth(
                        String.format("P%06d", index + 1),
                        encounterId,
                        d.age,
                        d.sex,
                        d.ward,
                        scale2,
                        d.baselineO2Flow > 0,
                        d.comorbidities,
                        confounder,
                        type,
                        Instant.ofEpochMilli(admittedAt),
                        Instant.ofEpochMilli(observedFrom),
                        Instant.ofEpochMilli(observedUntil),
                        type == DeteriorationType.NONE ? null : Instant.ofEpochMilli(onset),
                        outcome,
                        Instant.ofEpochMilli(outcomeAt),
                        recordedAt);
        PatientPlan p = new PatientPlan(index, truth, Seeds.derive(config.seed(), Seeds.OBSERVATIONS, index));
        p.scale2PrescribedAtMillis = scale2 && scale2At > observedFrom ? scale2At : Long.MAX_VALUE;
        if (outcome == OutcomeType.RAPID_RESPONSE && (d.ward.equals("MED") || d.ward.equals("SURG"))) {
            long moveAt = outcomeAt + 30 * MINUTE + (long) (rng.nextDouble() * 90 * MINUTE);
            if (moveAt < end) {
                p.wardChangeAtMillis = moveAt;
                p.wardAfterChange = "HDU";
            }
        }

        // Baselines.
        boolean highDependency = d.ward.equals("ICU") || d.ward.equals("HDU");
        p.heartRate =
                clamp(
                        78 + 9 * rng.nextGaussian() + (d.sex == Sex.FEMALE ? 3 : 0) - 0.08 * (d.age - 60)
                                + (highDependency ? 4 : 0),
                        52,
                        98);
        p.respRate =
                clamp(16 + 1.5 * rng.nextGaussian() + (d.hypercapnic ? 3 : 0) + (highDependency ? 1.5 : 0), 11, 22);
        if (d.hypercapnic) {
            p.spo2 = clamp(90.5 + 1.2 * rng.nextGaussian(), 88, 93);
        } else if (d.baselineO2Flow > 0) {
            p.spo2 = clamp(96.3 + 1.2 * rng.nextGaussian(), 93, 99);
        } else {
            p.spo2 = clamp(96.8 - 0.03 * (d.age - 60) - 0.3 * d.comorbidities + 1.2 * rng.nextGaussian(), 93, 100);
        }
        p.systolic =
                clamp(124 + 0.35 * (d.age - 60) + 15 * rng.nextGaussian() - (d.ward.equals("SURG") ? 3 : 0), 98, 185);
        p.diastolicRatio = clamp(0.6 + 0.05 * rng.nextGaussian(), 0.48, 0.72);
        p.temperature = clamp(36.75 + 0.25 * rng.nextGaussian(), 36.1, 37.4);
        if (type != DeteriorationType.NONE) {
            // Patients who go on to deteriorate are, on average, already less well before the course starts.
            double frailty = 0.5 + rng.nextDouble();
            p.heartRate += 6 * frailty;
            p.respRate += 1.5 * frailty;
            p.systolic -= 6 * frailty;
            p.spo2 = Math.max(88, p.spo2 - 1.0 * frailty);
            p.temperature += 0.15 * frailty;
        }
        p.baselineO2Flow = d.baselineO2Flow;
        p.circadianShiftHours = 1.5 * rng.nextGaussian();
        p.heartRateNoise = 4.0;
        p.pulseOximetryCode = rng.nextDouble() < 0.3;

        // Deterioration course.
        p.onsetMillis = onset;
        p.outcomeMillis = outcomeAt;
        p.magnitude = clamp(Math.exp(0.3 * rng.nextGaussian()), 0.45, 1.7);
        p.shape = 0.7 + 0.8 * rng.nextDouble();
        p.hypothermicSepsis = d.age >= 70 && rng.nextDouble() < 0.25;
        p.bradycardicArrest = rng.nextDouble() < 0.3;

        // Confounder.
        switch (confounder) {
            case CHRONIC_TACHYCARDIA -> {
                p.confounderLevel = 20 + 18 * rng.nextDouble();
                p.heartRateNoise = 7.0;
            }
            case RESOLVING_FEVER -> {
                long span = Math.max(0, naturalEnd - observedFrom - 6 * HOUR);
                p.confounderStartMillis = observedFrom + (long) (rng.nextDouble() * span);
                p.confounderEndMillis = p.confounderStartMillis + 8 * HOUR + (long) (rng.nextDouble() * 12 * HOUR);
                p.confounderLevel = 38.3 + 1.1 * rng.nextDouble();
            }
            case CHRONIC_HYPOTENSION -> p.confounderLevel = 95 + 12 * rng.nextDouble();
            case CHRONIC_TACHYPNEA -> p.confounderLevel = 21 + 3 * rng.nextDouble();
            case DELIRIUM -> {
                long span = Math.max(HOUR, naturalEnd - observedFrom);
                p.confounderStartMillis = observedFrom + (long) (rng.nextDouble() * span);
                p.confounderEndMillis = p.confounderStartMillis + 3 * HOUR + (long) (rng.nextDouble() * 7 * HOUR);
                p.secondEpisodeStartMillis = observedFrom + (long) (rng.nextDouble() * span);
                p.secondEpisodeEndMillis =
                        rng.nextDouble() < 0.5
                                ? p.secondEpisodeStartMillis + 3 * HOUR + (long) (rng.nextDouble() * 7 * HOUR)
                                : p.secondEpisodeStartMillis;
            }
            case POSTOPERATIVE_PAIN -> {
                p.confounderStartMillis = admittedAt;
                p.confounderLevel = 0.6 + 0.6 * rng.nextDouble();
            }
            default -> {}
        }

        if (!config.scenario().isClean()) {
            applyScenario(config, index, d, p);
        }
        return p;
    }

    /**
     * The scenario's per-patient settings. Its draws come from streams of their own (one per switch, so that turning
     * one switch on does not change what another does); everything above is drawn exactly as without a scenario.
     */
    private static void applyScenario(IcuSimulationConfig config, int index, Draft d, PatientPlan p) {
        IcuScenario scenario = config.scenario();
        long start = config.start().toEpochMilli();
        p.scenarioSeed = Seeds.derive(config.seed(), Seeds.SCENARIO_OBSERVATIONS, index);
        IcuScenario.MeasurementBias bias = scenario.measurementBias();
        if (bias != null
                && bias.group().contains(d.age, d.sex)
                && scenarioRandom(config, Seeds.SCENARIO_MEASUREMENT_BIAS, index).nextDouble() < bias.fraction()) {
            p.spo2Bias = bias.spo2Offset();
            p.spo2BiasNoise = bias.spo2Noise();
        }
        IcuScenario.CalibrationDrift calibration = scenario.calibrationDrift();
        if (calibration != null) {
            p.calibrationFromMillis = start + calibration.after().toMillis();
            p.calibrationVital = calibration.vital();
            p.calibrationOffset = calibration.offset();
        }
        IcuScenario.ConceptDrift concept = scenario.conceptDrift();
        if (concept != null
                && p.truth.deteriorates()
                && p.onsetMillis >= start + concept.after().toMillis()) {
            p.heartRateResponse = 1 - concept.magnitude();
            p.feverResponse = 1 - concept.magnitude();
            p.respiratoryResponse = 1 + concept.magnitude();
        }
    }

    /** When a biased group's outcome is recorded: later, or for part of the adverse outcomes never ({@code null}). */
    private static Instant biasedRecording(
            IcuScenario.LabelBias bias, Instant recordedAt, boolean adverse, IcuSimulationConfig config, int index) {
        SplittableRandom r = scenarioRandom(config, Seeds.SCENARIO_LABEL_BIAS, index);
        boolean missing = r.nextDouble() < bias.missingFraction();
        if (adverse && missing) {
            return null;
        }
        return recordedAt.plusMillis((long) (bias.extraDelay().toMillis() * (0.5 + r.nextDouble())));
    }

    private static SplittableRandom scenarioRandom(IcuSimulationConfig config, long salt, int index) {
        return new SplittableRandom(Seeds.derive(config.seed(), salt, index));
    }

    private static DeteriorationType deteriorationType(SplittableRandom rng, Draft d) {
        double sepsis = 0.35;
        double respiratory = d.hypercapnic ? 0.6 : 0.25;
        double hemorrhage = d.ward.equals("SURG") ? 0.3 : 0.12;
        double cardiac = d.ward.equals("ICU") || d.ward.equals("HDU") ? 0.32 : 0.25;
        double u = rng.nextDouble() * (sepsis + respiratory + hemorrhage + cardiac);
        if ((u -= sepsis) < 0) {
            return DeteriorationType.SEPSIS;
        }
        if ((u -= respiratory) < 0) {
            return DeteriorationType.RESPIRATORY_FAILURE;
        }
        return u - hemorrhage < 0 ? DeteriorationType.HEMORRHAGE : DeteriorationType.CARDIAC;
    }

    private static OutcomeType outcomeType(SplittableRandom rng, DeteriorationType type) {
        double u = rng.nextDouble();
        return switch (type) {
            case SEPSIS -> u < 0.62
                    ? OutcomeType.ICU_TRANSFER
                    : u < 0.90 ? OutcomeType.RAPID_RESPONSE : OutcomeType.DEATH;
            case RESPIRATORY_FAILURE -> u < 0.50
                    ? OutcomeType.ICU_TRANSFER
                    : u < 0.85 ? OutcomeType.RAPID_RESPONSE : u < 0.92 ? OutcomeType.CARDIAC_ARREST : OutcomeType.DEATH;
            case HEMORRHAGE -> u < 0.45
                    ? OutcomeType.RAPID_RESPONSE
                    : u < 0.92 ? OutcomeType.ICU_TRANSFER : OutcomeType.DEATH;
            default -> u < 0.50
                    ? OutcomeType.CARDIAC_ARREST
                    : u < 0.75 ? OutcomeType.RAPID_RESPONSE : u < 0.90 ? OutcomeType.ICU_TRANSFER : OutcomeType.DEATH;
        };
    }

    private static Confounder confounder(SplittableRandom rng, Draft d) {
        while (true) {
            double u = rng.nextDouble();
            int k = 0;
            while (u >= CONFOUNDER_CUMULATIVE[k]) {
                k++;
            }
            Confounder c = CONFOUNDERS[k];
            boolean fits =
                    (c != Confounder.DELIRIUM || d.age >= 65)
                            && (c != Confounder.POSTOPERATIVE_PAIN || d.ward.equals("SURG"));
            if (fits) {
                return c;
            }
        }
    }

    private static long recordingDelay(SplittableRandom rng, OutcomeType outcome) {
        return switch (outcome) {
            case ICU_TRANSFER -> 15 * MINUTE + (long) (rng.nextDouble() * 225 * MINUTE);
            case RAPID_RESPONSE -> 10 * MINUTE + (long) (rng.nextDouble() * 80 * MINUTE);
            case CARDIAC_ARREST -> 30 * MINUTE + (long) (rng.nextDouble() * 150 * MINUTE);
            case DEATH -> HOUR + (long) (rng.nextDouble() * 11 * HOUR);
            default -> 30 * MINUTE + (long) (rng.nextDouble() * 330 * MINUTE);
        };
    }

    private static long logNormal(SplittableRandom rng, long median, double sigma) {
        return (long) (median * Math.exp(sigma * rng.nextGaussian()));
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    private static long clampLong(long v, long lo, long hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
