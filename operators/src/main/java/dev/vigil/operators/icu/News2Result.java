package dev.vigil.operators.icu;

/**
 * A NEWS2 score with its parameter scores. Missing parameters score 0 and are counted in {@code missingParameters}
 * (0–6: respiration rate, SpO2, systolic BP, pulse, consciousness, temperature; air/oxygen is never missing).
 *
 * @param total aggregate score, 0–20
 * @param scale SpO2 scale used, 1 or 2
 */
public record News2Result(
        int total,
        int scale,
        int respScore,
        int spo2Score,
        int oxygenScore,
        int sbpScore,
        int pulseScore,
        int consciousnessScore,
        int temperatureScore,
        int missingParameters,
        News2Response response) {

    /** Whether any single parameter scored 3 (the chart 2 "red score" that asks for an urgent ward-based response). */
    public boolean anySingleThree() {
        return respScore == 3
                || spo2Score == 3
                || sbpScore == 3
                || pulseScore == 3
                || consciousnessScore == 3
                || temperatureScore == 3;
    }
}
