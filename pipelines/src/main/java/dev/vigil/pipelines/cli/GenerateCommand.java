package dev.vigil.pipelines.cli;

import dev.vigil.operators.icu.VitalSign;
import dev.vigil.pipelines.icu.IcuTrafficGenerator;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.icu.BadRecords;
import dev.vigil.pipelines.sim.icu.IcuScenario;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.PatientGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigil generate icu}: sends a simulated cohort to a Kafka cluster (e.g. the local broker process). */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = "Send simulated input streams to Kafka.")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "Stream to generate: icu.")
    String stream;

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--patients", defaultValue = "500", description = "Simulated patients (default: ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--hours", defaultValue = "48", description = "Simulated hours (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate", defaultValue = "0", description = "Events per second, 0 = unpaced (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--bad-per-defect", defaultValue = "0", description = "Bad records per defect kind (default: ${DEFAULT-VALUE}).")
    int badPerDefect;

    @Mixin
    IcuScenarioOptions scenario = new IcuScenarioOptions();

    @Override
    public Integer call() {
        if (!"icu".equals(stream)) {
            System.err.println("Unknown stream: " + stream + " (known: icu)");
            return 2;
        }
        Duration duration = Duration.ofHours(hours);
        IcuScenario injected;
        IcuSimulator simulator;
        try {
            injected = scenario.resolve(duration);
            simulator = new IcuSimulator(IcuSimulationConfig.builder()
                    .seed(seed).patients(patients).duration(duration).scenario(injected).build());
        } catch (IllegalArgumentException e) {
            System.err.println("Invalid settings: " + e.getMessage());
            return 2;
        }
        if (!injected.isClean()) {
            System.out.println("scenario: " + injected.summary());
        }
        List<BadRecord<BadRecords.Defect>> bad = badPerDefect > 0 ? BadRecords.generate(seed, badPerDefect) : List.of();
        try (Producer<byte[], byte[]> producer = IcuTrafficGenerator.producer(bootstrapServers)) {
            IcuTrafficGenerator.Stats stats = IcuTrafficGenerator.send(simulator, bad, producer, rate);
            System.out.printf("sent %,d records (%,d vitals, %,d context, %,d outcomes, %d bad) in %.1f s%n",
                    stats.total(), stats.vitals(), stats.contexts(), stats.outcomes(), stats.badTotal(),
                    stats.nanos() / 1e9);
        }
        return 0;
    }

    /**
     * The ICU simulator's bias and drift switches ({@link IcuScenario}) as command-line options, for any command that
     * simulates ICU patients ({@code @Mixin GenerateCommand.IcuScenarioOptions scenario;} then {@link #resolve}).
     * {@code --scenario} picks named switches with their defaults; the finer options override one setting of a
     * switch and are rejected when that switch is off.
     */
    static final class IcuScenarioOptions {

        @Option(names = "--scenario", defaultValue = "clean", paramLabel = "NAME[+NAME...]",
                description = "Injected bias or drift: clean, bias (SpO2 reads high for a group), label-bias (a group's"
                        + " outcomes recorded late or never), drift (= calibration-drift + concept-drift),"
                        + " calibration-drift (SpO2 reads 2 points low from the change time), concept-drift (later"
                        + " deteriorations show less tachycardia and fever, more tachypnoea); join with '+'."
                        + " Default: ${DEFAULT-VALUE}.")
        String names;

        @Option(names = "--bias-group", paramLabel = "ATTRIBUTE=VALUE",
                description = "Group of bias and label-bias: sexAtBirth=FEMALE|MALE|UNKNOWN or"
                        + " ageBand=18-39|40-64|65-79|80+ (default: sexAtBirth=FEMALE).")
        String biasGroup;

        @Option(names = "--spo2-bias", paramLabel = "POINTS",
                description = "bias: points the oximeter reads high at 96%% and above, doubling towards 88%% (default: 3).")
        Double spo2Bias;

        @Option(names = "--bias-fraction", paramLabel = "FRACTION",
                description = "bias: share of the group whose readings are biased (default: 1).")
        Double biasFraction;

        @Option(names = "--label-missing", paramLabel = "FRACTION",
                description = "label-bias: share of the group's adverse outcomes never recorded (default: 0.3).")
        Double labelMissing;

        @Option(names = "--label-delay-hours", paramLabel = "HOURS",
                description = "label-bias: mean extra documentation delay of the group's outcomes (default: 12).")
        Double labelDelayHours;

        @Option(names = "--drift-after-hours", paramLabel = "HOURS",
                description = "drift: hours from the start to the change (default: half the run).")
        Double driftAfterHours;

        @Option(names = "--drift-vital", paramLabel = "VITAL",
                description = "calibration-drift: HEART_RATE, SPO2, TEMPERATURE or SYSTOLIC_BP (default: SPO2).")
        VitalSign driftVital;

        @Option(names = "--drift-offset", paramLabel = "VALUE",
                description = "calibration-drift: offset in the vital's canonical unit (default: -2 for SpO2;"
                        + " required with another vital).")
        Double driftOffset;

        @Option(names = "--concept-drift-magnitude", paramLabel = "M",
                description = "concept-drift: in (0, 1], heart-rate and fever responses x(1-M), respiratory-rate"
                        + " response x(1+M) (default: 0.7).")
        Double conceptMagnitude;

        /** The scenario for a run of {@code duration}; fails with {@link IllegalArgumentException} on bad settings. */
        IcuScenario resolve(Duration duration) {
            IcuScenario s = IcuScenario.parse(names);
            if (biasGroup != null) {
                require(s.measurementBias() != null || s.labelBias() != null, "--bias-group", "bias or label-bias");
                s = s.withGroup(PatientGroup.parse(biasGroup));
            }
            if (spo2Bias != null || biasFraction != null) {
                require(s.measurementBias() != null, spo2Bias != null ? "--spo2-bias" : "--bias-fraction", "bias");
                IcuScenario.MeasurementBias b = s.measurementBias();
                if (spo2Bias != null) {
                    b = b.withSpo2Offset(spo2Bias);
                }
                if (biasFraction != null) {
                    b = b.withFraction(biasFraction);
                }
                s = s.withMeasurementBias(b);
            }
            if (labelMissing != null || labelDelayHours != null) {
                require(s.labelBias() != null, labelMissing != null ? "--label-missing" : "--label-delay-hours",
                        "label-bias");
                IcuScenario.LabelBias b = s.labelBias();
                if (labelMissing != null) {
                    b = b.withMissingFraction(labelMissing);
                }
                if (labelDelayHours != null) {
                    b = b.withExtraDelay(hours(labelDelayHours));
                }
                s = s.withLabelBias(b);
            }
            if (driftVital != null || driftOffset != null) {
                require(s.calibrationDrift() != null, driftVital != null ? "--drift-vital" : "--drift-offset",
                        "calibration-drift");
                IcuScenario.CalibrationDrift d = s.calibrationDrift();
                VitalSign vital = driftVital != null ? driftVital : d.vital();
                if (driftOffset == null && vital != d.vital()) {
                    throw new IllegalArgumentException("--drift-vital " + vital + " needs --drift-offset");
                }
                s = s.withCalibrationDrift(d.withVital(vital, driftOffset != null ? driftOffset : d.offset()));
            }
            if (conceptMagnitude != null) {
                require(s.conceptDrift() != null, "--concept-drift-magnitude", "concept-drift");
                s = s.withConceptDrift(s.conceptDrift().withMagnitude(conceptMagnitude));
            }
            if (s.changeAfter().isPresent()) {
                s = s.withChangeAfter(driftAfterHours != null ? hours(driftAfterHours) : duration.dividedBy(2));
            } else if (driftAfterHours != null) {
                require(false, "--drift-after-hours", "drift, calibration-drift or concept-drift");
            }
            return s;
        }

        private static void require(boolean on, String option, String scenario) {
            if (!on) {
                throw new IllegalArgumentException(option + " needs --scenario " + scenario);
            }
        }

        private static Duration hours(double hours) {
            if (!(hours >= 0) || Double.isInfinite(hours)) {
                throw new IllegalArgumentException("hours must be a non-negative number: " + hours);
            }
            return Duration.ofMillis(Math.round(hours * 3_600_000));
        }
    }
}
