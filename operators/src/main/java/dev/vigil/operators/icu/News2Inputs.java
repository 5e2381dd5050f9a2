package dev.vigil.operators.icu;

/**
 * The observations NEWS2 scores, in canonical units. A missing numeric parameter is {@code NaN}; a missing level of
 * consciousness is {@code -1} (otherwise ACVPU: 0 = Alert, 1 = new Confusion, 2 = Voice, 3 = Pain, 4 = Unresponsive).
 *
 * @param respRate respiration rate, /min
 * @param spo2 oxygen saturation, %
 * @param onOxygen supplemental oxygen (air when false)
 * @param systolicBp systolic blood pressure, mmHg
 * @param pulse pulse (heart) rate, /min
 * @param acvpu level of consciousness, 0–4, or -1 when missing
 * @param temperatureC temperature, °C
 * @param spo2Scale2 the patient has a prescribed SpO2 target of 88–92%: score SpO2 on scale 2
 */
public record News2Inputs(
        double respRate,
        double spo2,
        boolean onOxygen,
        double systolicBp,
        double pulse,
        int acvpu,
        double temperatureC,
        boolean spo2Scale2) {

    /** No observations at all: every parameter missing, on air, scale 1. */
    public static final News2Inputs NONE =
            new News2Inputs(Double.NaN, Double.NaN, false, Double.NaN, Double.NaN, -1, Double.NaN, false);
}
