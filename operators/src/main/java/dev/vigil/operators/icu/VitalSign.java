package dev.vigil.operators.icu;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The vital signs the ICU pipeline reads, with their LOINC codes (FHIR R4 vital-signs profile), canonical UCUM unit
 * and the physiologically possible range. A value outside the possible range is a device or entry error, not a very
 * sick patient, and goes to the dead-letter topic.
 *
 * <p>Level of consciousness has no FHIR vital-signs code; Vigil carries ACVPU as LOINC {@code 80288-4} ("Level of
 * consciousness") with the numeric value 0 = Alert, 1 = new Confusion, 2 = Voice, 3 = Pain, 4 = Unresponsive and the
 * unit {@code {score}}. Supplemental oxygen is inferred from inhaled oxygen flow ({@code 3151-8}, L/min): any flow
 * above zero means "on oxygen" for NEWS2.
 */
public enum VitalSign {
    HEART_RATE("heart_rate", "8867-4", "/min", 0, 300),
    RESPIRATORY_RATE("resp_rate", "9279-1", "/min", 0, 80),
    SPO2("spo2", "2708-6", "%", 0, 100),
    TEMPERATURE("temperature", "8310-5", "Cel", 25, 45),
    SYSTOLIC_BP("sbp", "8480-6", "mm[Hg]", 0, 300),
    DIASTOLIC_BP("dbp", "8462-4", "mm[Hg]", 0, 250),
    OXYGEN_FLOW("o2_flow", "3151-8", "L/min", 0, 70),
    CONSCIOUSNESS("acvpu", "80288-4", "{score}", 0, 4);

    /** LOINC for SpO2 by pulse oximetry: read as {@link #SPO2}. */
    public static final String LOINC_SPO2_PULSE_OXIMETRY = "59408-5";

    private static final Map<String, VitalSign> BY_LOINC =
            Map.of(
                    HEART_RATE.loinc, HEART_RATE,
                    RESPIRATORY_RATE.loinc, RESPIRATORY_RATE,
                    SPO2.loinc, SPO2,
                    LOINC_SPO2_PULSE_OXIMETRY, SPO2,
                    TEMPERATURE.loinc, TEMPERATURE,
                    SYSTOLIC_BP.loinc, SYSTOLIC_BP,
                    DIASTOLIC_BP.loinc, DIASTOLIC_BP,
                    OXYGEN_FLOW.loinc, OXYGEN_FLOW,
                    CONSCIOUSNESS.loinc, CONSCIOUSNESS);

    private final String featureName;
    private final String loinc;
    private final String unit;
    private final double minPossible;
    private final double maxPossible;

    VitalSign(String featureName, String loinc, String unit, double minPossible, double maxPossible) {
        this.featureName = featureName;
        this.loinc = loinc;
        this.unit = unit;
        this.minPossible = minPossible;
        this.maxPossible = maxPossible;
    }

    /** Short snake-case name used as the prefix of this vital's features. */
    public String featureName() {
        return featureName;
    }

    /** The LOINC code Vigil's simulator and outputs use for this vital. */
    public String loinc() {
        return loinc;
    }

    /** Canonical UCUM unit; values are converted to it before validation. */
    public String unit() {
        return unit;
    }

    public double minPossible() {
        return minPossible;
    }

    public double maxPossible() {
        return maxPossible;
    }

    public boolean isPossible(double canonicalValue) {
        return canonicalValue >= minPossible && canonicalValue <= maxPossible;
    }

    public static Optional<VitalSign> fromLoinc(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(BY_LOINC.get(code.trim()));
    }

    /**
     * Converts a value in {@code unit} to this vital's canonical unit, or returns {@code NaN} when the unit is not one
     * this vital can be expressed in. Accepted: the canonical UCUM unit, {@code [degF]} for temperature, {@code
     * beats/min}/{@code breaths/min}/{@code {beats}/min}/{@code {breaths}/min} for rates, {@code mmHg} for pressures.
     */
    public double toCanonical(double value, String unit) {
        if (unit == null) {
            return Double.NaN;
        }
        String u = unit.trim();
        if (u.equals(this.unit)) {
            return value;
        }
        switch (this) {
            case TEMPERATURE:
                if (u.equals("[degF]") || u.equalsIgnoreCase("degF")) {
                    return (value - 32.0) * 5.0 / 9.0;
                }
                return u.equalsIgnoreCase("Cel") || u.equalsIgnoreCase("degC") ? value : Double.NaN;
            case HEART_RATE:
            case RESPIRATORY_RATE:
                String lower = u.toLowerCase(Locale.ROOT);
                return lower.equals("{beats}/min") || lower.equals("beats/min")
                                || lower.equals("{breaths}/min") || lower.equals("breaths/min")
                        ? value
                        : Double.NaN;
            case SYSTOLIC_BP:
            case DIASTOLIC_BP:
                return u.equals("mmHg") ? value : Double.NaN;
            case CONSCIOUSNESS:
                return u.isEmpty() || u.equals("1") ? value : Double.NaN;
            default:
                return Double.NaN;
        }
    }
}
