package dev.vigil.pipelines.sim.icu;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Settings of one {@link IcuSimulator} run. Every component is validated in the canonical constructor, so a config
 * built directly or through {@link #builder()} is always usable.
 *
 * <pre>{@code
 * IcuSimulationConfig config = IcuSimulationConfig.builder()
 *         .seed(7)
 *         .patients(500)
 *         .duration(Duration.ofHours(48))
 *         .deterioratingFraction(0.10)
 *         .build();
 * }</pre>
 *
 * @param seed seed of every random choice; the same config always yields the same event stream
 * @param patients number of patients (one encounter each)
 * @param start simulated wall-clock start; patients already on the ward at the start are charted from here
 * @param duration simulated time span
 * @param deterioratingFraction expected fraction of patients who deteriorate to an adverse outcome within the run
 * @param confounderFraction fraction of patients with abnormal but benign physiology (chronic tachycardia, a fever
 *     that resolves, ...): they raise early-warning scores without deteriorating
 * @param missingRate probability that a scheduled observation is not taken; monitor readings also stop for spells of
 *     20 to 90 minutes off the monitor, 1.5 times {@code missingRate} spells per hour (about one a day at 3%)
 * @param artifactRate probability that a monitor reading is an artifact (SpO2 probe dropout, HR motion spike)
 * @param unitVariantRate probability that an observation is charted in an accepted non-canonical unit (temperature
 *     in {@code [degF]}, {@code beats/min}, {@code mmHg})
 * @param lateChartingRate probability that a manual observation round is charted 10 to 60 minutes after it was taken
 *     (otherwise within 5 minutes)
 * @param outOfOrderRate probability that a monitor reading is delivered 30 s to 5 min late, behind later readings
 * @param monitorCadence interval between heart-rate readings and between SpO2 readings (bedside monitor)
 * @param roundCadence interval between observation rounds: respiratory rate, blood pressure, oxygen flow
 * @param nursingCadence interval between temperature and consciousness (ACVPU) assessments
 * @param scenario injected bias and drift ({@link IcuScenario#CLEAN} for none); drift change times must fall inside
 *     the run
 */
public record IcuSimulationConfig(
        long seed,
        int patients,
        Instant start,
        Duration duration,
        double deterioratingFraction,
        double confounderFraction,
        double missingRate,
        double artifactRate,
        double unitVariantRate,
        double lateChartingRate,
        double outOfOrderRate,
        Cadence monitorCadence,
        Cadence roundCadence,
        Cadence nursingCadence,
        IcuScenario scenario) {

    /** Fixed default start, so that runs without an explicit start are reproducible. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T00:00:00Z");

    /** Longest delay between the event time and the delivery time of a vital observation or a context record. */
    public static final Duration MAX_DELIVERY_DELAY = Duration.ofMinutes(65);

    public IcuSimulationConfig {
        checkArgument(patients > 0, "patients must be positive: %s", patients);
        checkNotNull(start, "start");
        checkNotNull(duration, "duration");
        checkArgument(
                duration.compareTo(Duration.ofHours(1)) >= 0 && duration.compareTo(Duration.ofDays(365)) <= 0,
                "duration must be between 1 hour and 365 days: %s",
                duration);
        checkFraction("deterioratingFraction", deterioratingFraction);
        checkFraction("confounderFraction", confounderFraction);
        checkArgument(
                deterioratingFraction + confounderFraction <= 1.0,
                "deterioratingFraction + confounderFraction must not exceed 1: %s + %s",
                deterioratingFraction,
                confounderFraction);
        checkFraction("missingRate", missingRate);
        checkArgument(missingRate < 1.0, "missingRate must be below 1: %s", missingRate);
        checkFraction("artifactRate", artifactRate);
        checkFraction("unitVariantRate", unitVariantRate);
        checkFraction("lateChartingRate", lateChartingRate);
        checkFraction("outOfOrderRate", outOfOrderRate);
        checkNotNull(monitorCadence, "monitorCadence");
        checkNotNull(roundCadence, "roundCadence");
        checkNotNull(nursingCadence, "nursingCadence");
        checkArgument(
                monitorCadence.max().compareTo(roundCadence.max()) <= 0
                        && roundCadence.max().compareTo(nursingCadence.max()) <= 0,
                "cadences must be ordered monitor <= round <= nursing: %s, %s, %s",
                monitorCadence,
                roundCadence,
                nursingCadence);
        checkNotNull(scenario, "scenario");
        scenario.checkFits(duration);
    }

    private static void checkFraction(String name, double value) {
        checkArgument(value >= 0.0 && value <= 1.0, "%s must be in [0, 1]: %s", name, value);
    }

    /** End of the simulated span. */
    public Instant end() {
        return start.plus(duration);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder()
                .seed(seed)
                .patients(patients)
                .start(start)
                .duration(duration)
                .deterioratingFraction(deterioratingFraction)
                .confounderFraction(confounderFraction)
                .missingRate(missingRate)
                .artifactRate(artifactRate)
                .unitVariantRate(unitVariantRate)
                .lateChartingRate(lateChartingRate)
                .outOfOrderRate(outOfOrderRate)
                .monitorCadence(monitorCadence)
                .roundCadence(roundCadence)
                .nursingCadence(nursingCadence)
                .scenario(scenario);
    }

    /**
     * Bounds of the interval between two scheduled observations of one kind. The simulator draws each interval within
     * the bounds, towards {@code min} when the patient is sicker (nurses observe deteriorating patients more often).
     */
    public record Cadence(Duration min, Duration max) {
        public Cadence {
            checkNotNull(min, "min");
            checkNotNull(max, "max");
            checkArgument(min.compareTo(Duration.ofSeconds(10)) >= 0, "min interval must be at least 10 s: %s", min);
            checkArgument(max.compareTo(min) >= 0, "max interval %s is below min interval %s", max, min);
        }

        public static Cadence of(Duration min, Duration max) {
            return new Cadence(min, max);
        }
    }

    /** Builder with realistic defaults for a mixed ward and ICU population; every setter is optional. */
    public static final class Builder {
        private long seed = 42L;
        private int patients = 500;
        private Instant start = DEFAULT_START;
        private Duration duration = Duration.ofHours(48);
        private double deterioratingFraction = 0.10;
        private double confounderFraction = 0.15;
        private double missingRate = 0.03;
        private double artifactRate = 0.005;
        private double unitVariantRate = 0.03;
        private double lateChartingRate = 0.30;
        private double outOfOrderRate = 0.02;
        private Cadence monitorCadence = Cadence.of(Duration.ofMinutes(2), Duration.ofMinutes(5));
        private Cadence roundCadence = Cadence.of(Duration.ofMinutes(15), Duration.ofMinutes(60));
        private Cadence nursingCadence = Cadence.of(Duration.ofHours(2), Duration.ofHours(6));
        private IcuScenario scenario = IcuScenario.CLEAN;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder patients(int patients) {
            this.patients = patients;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder deterioratingFraction(double deterioratingFraction) {
            this.deterioratingFraction = deterioratingFraction;
            return this;
        }

        public Builder confounderFraction(double confounderFraction) {
            this.confounderFraction = confounderFraction;
            return this;
        }

        public Builder missingRate(double missingRate) {
            this.missingRate = missingRate;
            return this;
        }

        public Builder artifactRate(double artifactRate) {
            this.artifactRate = artifactRate;
            return this;
        }

        public Builder unitVariantRate(double unitVariantRate) {
            this.unitVariantRate = unitVariantRate;
            return this;
        }

        public Builder lateChartingRate(double lateChartingRate) {
            this.lateChartingRate = lateChartingRate;
            return this;
        }

        public Builder outOfOrderRate(double outOfOrderRate) {
            this.outOfOrderRate = outOfOrderRate;
            return this;
        }

        public Builder monitorCadence(Cadence monitorCadence) {
            this.monitorCadence = monitorCadence;
            return this;
        }

        public Builder roundCadence(Cadence roundCadence) {
            this.roundCadence = roundCadence;
            return this;
        }

        public Builder nursingCadence(Cadence nursingCadence) {
            this.nursingCadence = nursingCadence;
            return this;
        }

        /** Injected bias and drift; {@link IcuScenario#CLEAN} (the default) for none. */
        public Builder scenario(IcuScenario scenario) {
            this.scenario = scenario;
            return this;
        }

        /** Validates and builds the config. */
        public IcuSimulationConfig build() {
            return new IcuSimulationConfig(
                    seed,
                    patients,
                    start,
                    duration,
                    deterioratingFraction,
                    confounderFraction,
                    missingRate,
                    artifactRate,
                    unitVariantRate,
                    lateChartingRate,
                    outOfOrderRate,
                    monitorCadence,
                    roundCadence,
                    nursingCadence,
                    scenario);
        }
    }
}
