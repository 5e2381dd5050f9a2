package dev.vigil.pipelines.sim.icu;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.vigil.operators.icu.VitalSign;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bias and drift injected into an {@link IcuSimulator} run, so that tests and the demo can show that the fairness
 * and drift monitors find a real effect and stay quiet without one. Each switch is a component; {@code null} means
 * off. {@link #CLEAN} (all off) is the default and leaves the simulator's output bit-for-bit what it is without
 * scenarios: every scenario draws its randomness from streams of its own.
 *
 * <ul>
 *   <li>{@link MeasurementBias}: pulse oximetry overestimates SpO2 for a group (occult hypoxaemia), so early-warning
 *       scores and models under-detect the group's deteriorations: a true-positive-rate (equal opportunity) gap.
 *   <li>{@link LabelBias}: a group's outcomes are documented later, and part of its adverse outcomes never.
 *   <li>{@link CalibrationDrift}: covariate drift; from a change time a new monitor fleet reads one vital off by a
 *       fixed offset.
 *   <li>{@link ConceptDrift}: from a change time deteriorations present with a different vital-sign signature.
 * </ul>
 *
 * <p>Scenarios have names for the command line ({@link #parse}): {@code clean}, {@code bias} (= {@code spo2-bias}),
 * {@code label-bias}, {@code drift} (= {@code calibration-drift+concept-drift}), {@code calibration-drift}, {@code
 * concept-drift}; names combine with {@code +}. Named scenarios use the {@code DEFAULT} of each switch; drifts change
 * {@link #DEFAULT_CHANGE_AFTER} after the start unless moved with {@link #withChangeAfter}.
 *
 * <pre>{@code
 * IcuSimulationConfig config = IcuSimulationConfig.builder()
 *         .duration(Duration.ofHours(48))
 *         .scenario(IcuScenario.parse("bias+drift").withChangeAfter(Duration.ofHours(24)))
 *         .build();
 * }</pre>
 *
 * @param measurementBias SpO2 measurement bias for a group, or {@code null}
 * @param labelBias delayed and missing outcome records for a group, or {@code null}
 * @param calibrationDrift a vital's calibration offset from a change time, or {@code null}
 * @param conceptDrift a different deterioration signature from a change time, or {@code null}
 */
public record IcuScenario(
        MeasurementBias measurementBias,
        LabelBias labelBias,
        CalibrationDrift calibrationDrift,
        ConceptDrift conceptDrift) {

    /** No bias and no drift: the simulator's calibrated world. */
    public static final IcuScenario CLEAN = new IcuScenario(null, null, null, null);

    /** Change time of the named drift scenarios, from the simulation start: the middle of the default 48 h run. */
    public static final Duration DEFAULT_CHANGE_AFTER = Duration.ofHours(24);

    /** Scenario names {@link #parse} accepts. */
    public static final List<String> NAMES =
            List.of("clean", "bias", "spo2-bias", "label-bias", "drift", "calibration-drift", "concept-drift");

    /** Whether no switch is on. */
    public boolean isClean() {
        return measurementBias == null && labelBias == null && calibrationDrift == null && conceptDrift == null;
    }

    /**
     * Parses scenario names joined by {@code +}, e.g. {@code clean}, {@code bias}, {@code bias+drift} (case-insensitive;
     * see {@link #NAMES}). Fails on an unknown name, on {@code clean} combined with another, and on a switch named twice.
     */
    public static IcuScenario parse(String spec) {
        checkNotNull(spec, "spec");
        IcuScenario scenario = CLEAN;
        String[] names = spec.trim().toLowerCase(Locale.ROOT).split("\\s*\\+\\s*");
        for (String name : names) {
            if (name.equals("clean")) {
                checkArgument(names.length == 1, "'clean' cannot be combined with other scenarios: %s", spec);
                continue;
            }
            scenario =
                    switch (name) {
                        case "bias", "spo2-bias" -> {
                            checkArgument(scenario.measurementBias == null, "SpO2 bias named twice: %s", spec);
                            yield scenario.withMeasurementBias(MeasurementBias.DEFAULT);
                        }
                        case "label-bias" -> {
                            checkArgument(scenario.labelBias == null, "label bias named twice: %s", spec);
                            yield scenario.withLabelBias(LabelBias.DEFAULT);
                        }
                        case "drift" -> {
                            checkArgument(
                                    scenario.calibrationDrift == null && scenario.conceptDrift == null,
                                    "drift named twice: %s",
                                    spec);
                            yield scenario.withCalibrationDrift(CalibrationDrift.DEFAULT)
                                    .withConceptDrift(ConceptDrift.DEFAULT);
                        }
                        case "calibration-drift" -> {
                            checkArgument(scenario.calibrationDrift == null, "calibration drift named twice: %s", spec);
                            yield scenario.withCalibrationDrift(CalibrationDrift.DEFAULT);
                        }
                        case "concept-drift" -> {
                            checkArgument(scenario.conceptDrift == null, "concept drift named twice: %s", spec);
                            yield scenario.withConceptDrift(ConceptDrift.DEFAULT);
                        }
                        default -> throw new IllegalArgumentException(
                                "unknown scenario '" + name + "' (known: " + String.join(", ", NAMES) + ")");
                    };
        }
        return scenario;
    }

    public IcuScenario withMeasurementBias(MeasurementBias bias) {
        return new IcuScenario(bias, labelBias, calibrationDrift, conceptDrift);
    }

    public IcuScenario withLabelBias(LabelBias bias) {
        return new IcuScenario(measurementBias, bias, calibrationDrift, conceptDrift);
    }

    public IcuScenario withCalibrationDrift(CalibrationDrift drift) {
        return new IcuScenario(measurementBias, labelBias, drift, conceptDrift);
    }

    public IcuScenario withConceptDrift(ConceptDrift drift) {
        return new IcuScenario(measurementBias, labelBias, calibrationDrift, drift);
    }

    /** This scenario with every bias switch that is on applied to {@code group} instead. */
    public IcuScenario withGroup(PatientGroup group) {
        checkNotNull(group, "group");
        return new IcuScenario(
                measurementBias == null ? null : measurementBias.withGroup(group),
                labelBias == null ? null : labelBias.withGroup(group),
                calibrationDrift,
                conceptDrift);
    }

    /** This scenario with every drift switch that is on changing {@code after} the simulation start. */
    public IcuScenario withChangeAfter(Duration after) {
        return new IcuScenario(
                measurementBias,
                labelBias,
                calibrationDrift == null ? null : calibrationDrift.withAfter(after),
                conceptDrift == null ? null : conceptDrift.withAfter(after));
    }

    /** The earliest drift change time, from the simulation start; empty without drift. */
    public Optional<Duration> changeAfter() {
        Duration a = calibrationDrift == null ? null : calibrationDrift.after();
        Duration b = conceptDrift == null ? null : conceptDrift.after();
        if (a == null || (b != null && b.compareTo(a) < 0)) {
            a = b;
        }
        return Optional.ofNullable(a);
    }

    /** Fails unless every change time falls inside a run of {@code duration}. */
    void checkFits(Duration duration) {
        checkChangeFits(calibrationDrift == null ? null : calibrationDrift.after(), duration);
        checkChangeFits(conceptDrift == null ? null : conceptDrift.after(), duration);
    }

    private static void checkChangeFits(Duration after, Duration duration) {
        checkArgument(
                after == null || after.compareTo(duration) < 0,
                "drift change after %s falls outside the %s run",
                after,
                duration);
    }

    /** One line for logs and summaries, e.g. {@code SpO2 bias +3.0 (sd 1.0) for sexAtBirth=FEMALE}; no patient data. */
    public String summary() {
        if (isClean()) {
            return "clean";
        }
        List<String> parts = new ArrayList<>(4);
        if (measurementBias != null) {
            parts.add(measurementBias.summary());
        }
        if (labelBias != null) {
            parts.add(labelBias.summary());
        }
        if (calibrationDrift != null) {
            parts.add(calibrationDrift.summary());
        }
        if (conceptDrift != null) {
            parts.add(conceptDrift.summary());
        }
        return String.join("; ", parts);
    }

    /**
     * Pulse oximeters overestimate arterial oxygen saturation in some patients: Sjoding et al. (2020, "Racial bias in
     * pulse oximetry measurement", NEJM 383:2477-2478) found occult hypoxaemia (SaO2 &lt; 88% while SpO2 read 92-96%,
     * an overestimate of at least 4 points) in 11.7% of paired readings of Black patients against 3.6% of White
     * patients. The simulator's schema carries no ethnicity, so the mechanism is attached to a group the monitors do
     * see: every SpO2 reading of an affected patient reads {@code spo2Offset} points high at a true saturation of 96%
     * and above, growing linearly to twice that at 88% and below (the overestimate grows as saturation falls: Feiner et
     * al. 2007, "Dark skin decreases the accuracy of pulse oximeters at low oxygen saturation", Anesth Analg
     * 105:S18-S23, who also found sex among its predictors), before the charted value is capped at 100, with extra noise
     * of standard deviation {@code spo2Noise}. Nurses titrate oxygen to the displayed
     * reading, so affected patients also get supplemental oxygen later (the harm Sjoding et al. describe). NEWS2 and
     * models then score the group's deteriorations lower: their true-positive rate falls.
     *
     * @param group the patients at risk of the bias
     * @param fraction probability that a member of the group is affected, in (0, 1] (e.g. the share of the group
     *     whose skin pigmentation the oximeter handles badly)
     * @param spo2Offset points added to the SpO2 readings of an affected patient at normal saturation (twice that at
     *     88% and below), in [-10, 10]
     * @param spo2Noise standard deviation of extra reading noise of an affected patient, points, in [0, 5]
     */
    public record MeasurementBias(PatientGroup group, double fraction, double spo2Offset, double spo2Noise) {

        /** Women's readings 3 points high with 1 point of extra noise: a stand-in group (see the class Javadoc). */
        public static final MeasurementBias DEFAULT =
                new MeasurementBias(PatientGroup.parse("sexAtBirth=FEMALE"), 1.0, 3.0, 1.0);

        public MeasurementBias {
            checkNotNull(group, "group");
            checkArgument(fraction > 0 && fraction <= 1, "fraction must be in (0, 1]: %s", fraction);
            checkArgument(spo2Offset >= -10 && spo2Offset <= 10, "spo2Offset must be in [-10, 10]: %s", spo2Offset);
            checkArgument(spo2Noise >= 0 && spo2Noise <= 5, "spo2Noise must be in [0, 5]: %s", spo2Noise);
            checkArgument(spo2Offset != 0 || spo2Noise > 0, "spo2Offset and spo2Noise are both 0: no bias");
        }

        public MeasurementBias withGroup(PatientGroup group) {
            return new MeasurementBias(group, fraction, spo2Offset, spo2Noise);
        }

        public MeasurementBias withSpo2Offset(double spo2Offset) {
            return new MeasurementBias(group, fraction, spo2Offset, spo2Noise);
        }

        public MeasurementBias withFraction(double fraction) {
            return new MeasurementBias(group, fraction, spo2Offset, spo2Noise);
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "SpO2 bias %+.1f (sd %.1f) for %s%s",
                    spo2Offset,
                    spo2Noise,
                    fraction < 1 ? String.format(Locale.ROOT, "%.0f%% of ", 100 * fraction) : "",
                    group);
        }
    }

    /**
     * Label bias: the outcomes of a group are documented {@code extraDelay} later than everyone else's (each delay
     * drawn uniformly between 0.5 and 1.5 times it), and a {@code missingFraction} of its adverse outcomes (ICU
     * transfer, rapid response, cardiac arrest, death) is never recorded at all, so that group looks healthier in the
     * labels than it is. This is the mechanism behind label-choice bias (Obermeyer et al. 2019, "Dissecting racial
     * bias in an algorithm used to manage the health of populations", Science 366:447-453): the recorded label
     * understates one group's need. An outcome that is never recorded has no {@code ClinicalOutcome} event and a
     * {@code null} {@link PatientTruth#outcomeRecordedAt()}; discharges are always recorded.
     *
     * @param group the patients whose labels are biased
     * @param missingFraction probability that an adverse outcome of the group is never recorded, in [0, 1]
     * @param extraDelay mean extra documentation delay of the group's outcomes, 0 to 7 days
     */
    public record LabelBias(PatientGroup group, double missingFraction, Duration extraDelay) {

        /** A third of women's adverse outcomes unrecorded, the rest recorded 12 h later (stand-in group). */
        public static final LabelBias DEFAULT =
                new LabelBias(PatientGroup.parse("sexAtBirth=FEMALE"), 0.3, Duration.ofHours(12));

        public LabelBias {
            checkNotNull(group, "group");
            checkNotNull(extraDelay, "extraDelay");
            checkArgument(
                    missingFraction >= 0 && missingFraction <= 1, "missingFraction must be in [0, 1]: %s", missingFraction);
            checkArgument(
                    !extraDelay.isNegative() && extraDelay.compareTo(Duration.ofDays(7)) <= 0,
                    "extraDelay must be between 0 and 7 days: %s",
                    extraDelay);
            checkArgument(missingFraction > 0 || !extraDelay.isZero(), "missingFraction and extraDelay are both 0");
        }

        public LabelBias withGroup(PatientGroup group) {
            return new LabelBias(group, missingFraction, extraDelay);
        }

        public LabelBias withMissingFraction(double missingFraction) {
            return new LabelBias(group, missingFraction, extraDelay);
        }

        public LabelBias withExtraDelay(Duration extraDelay) {
            return new LabelBias(group, missingFraction, extraDelay);
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "label bias for %s: %.0f%% of adverse outcomes unrecorded, the rest %s later",
                    group,
                    100 * missingFraction,
                    hours(extraDelay));
        }
    }

    /**
     * Covariate drift: from {@code after} the simulation start, a new monitor fleet reads {@code vital} off by {@code
     * offset} (in the vital's canonical unit) for every patient; the physiology is unchanged. Oximeters are certified to
     * an accuracy (root-mean-square error against arterial blood) of 4 points or better (ISO 80601-2-61), so a fleet
     * that reads 2 points low is within specification yet shifts the SpO2 distribution (and NEWS2) of a whole ward.
     * SpO2 offsets also move the oxygen the nurses titrate to the displayed reading.
     *
     * @param after change time, from the simulation start (positive; must fall inside the run)
     * @param vital the vital that drifts: heart rate, SpO2, temperature or blood pressure ({@link
     *     VitalSign#SYSTOLIC_BP}, which moves systolic and diastolic readings together)
     * @param offset added to every reading of {@code vital} from the change time, canonical unit (non-zero, at most
     *     30 in magnitude)
     */
    public record CalibrationDrift(Duration after, VitalSign vital, double offset) {

        /** The vitals a calibration drift may affect. */
        public static final List<VitalSign> VITALS =
                List.of(VitalSign.HEART_RATE, VitalSign.SPO2, VitalSign.TEMPERATURE, VitalSign.SYSTOLIC_BP);

        /** SpO2 reads 2 points low from 24 h. */
        public static final CalibrationDrift DEFAULT = new CalibrationDrift(DEFAULT_CHANGE_AFTER, VitalSign.SPO2, -2.0);

        public CalibrationDrift {
            checkAfter(after);
            checkNotNull(vital, "vital");
            checkArgument(VITALS.contains(vital), "vital must be one of %s: %s", VITALS, vital);
            checkArgument(
                    Double.isFinite(offset) && offset != 0 && Math.abs(offset) <= 30,
                    "offset must be non-zero and at most 30 in magnitude: %s",
                    offset);
        }

        public CalibrationDrift withAfter(Duration after) {
            return new CalibrationDrift(after, vital, offset);
        }

        public CalibrationDrift withVital(VitalSign vital, double offset) {
            return new CalibrationDrift(after, vital, offset);
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "calibration drift %s %+.1f %s after %s",
                    vital.name(),
                    offset,
                    vital.unit(),
                    hours(after));
        }
    }

    /**
     * Concept drift: deteriorations whose onset is {@code after} the simulation start or later present with a
     * different vital-sign signature, so that the relation between vitals and outcome changes while stable patients
     * look exactly as before. The tachycardic and febrile responses shrink by the factor {@code 1 - magnitude} and the
     * respiratory-rate response grows by {@code 1 + magnitude}: the picture of a population increasingly on
     * rate-controlling drugs (beta-blockers) and of older patients, in whom infection often presents without fever
     * (Norman 2000, "Fever in the elderly", Clin Infect Dis 31:148-151) and with tachypnoea as the early sign.
     * Bradycardic arrests and hypothermic sepsis are unchanged; courses already under way at the change keep their
     * signature.
     *
     * @param after change time, from the simulation start (positive; must fall inside the run)
     * @param magnitude in (0, 1]: 1 removes the heart-rate and fever responses and doubles the respiratory-rate
     *     response
     */
    public record ConceptDrift(Duration after, double magnitude) {

        /** Heart-rate and fever responses cut by 70%, respiratory-rate response up 70%, from 24 h. */
        public static final ConceptDrift DEFAULT = new ConceptDrift(DEFAULT_CHANGE_AFTER, 0.7);

        public ConceptDrift {
            checkAfter(after);
            checkArgument(magnitude > 0 && magnitude <= 1, "magnitude must be in (0, 1]: %s", magnitude);
        }

        public ConceptDrift withAfter(Duration after) {
            return new ConceptDrift(after, magnitude);
        }

        public ConceptDrift withMagnitude(double magnitude) {
            return new ConceptDrift(after, magnitude);
        }

        String summary() {
            return String.format(
                    Locale.ROOT,
                    "concept drift after %s: heart-rate and fever responses x%.2f, respiratory-rate response x%.2f",
                    hours(after),
                    1 - magnitude,
                    1 + magnitude);
        }
    }

    /** A duration in hours for summaries: {@code 12 h}, {@code 2.5 h}. */
    private static String hours(Duration d) {
        double h = d.toMillis() / 3_600_000.0;
        return (h == Math.rint(h) ? String.valueOf((long) h) : String.format(Locale.ROOT, "%.2f", h).replaceAll("0+$", ""))
                + " h";
    }

    private static void checkAfter(Duration after) {
        checkNotNull(after, "after");
        checkArgument(after.compareTo(Duration.ZERO) > 0, "change time must be after the start: %s", after);
    }
}
