package dev.vigil.operators.icu;

/**
 * National Early Warning Score 2, exactly as charted by the Royal College of Physicians (2017): <i>National Early
 * Warning Score (NEWS) 2: Standardising the assessment of acute-illness severity in the NHS</i>, chart 1 (scoring) and
 * chart 2 (clinical response). The chart is reproduced in {@code reference/clinical.md}.
 *
 * <p><b>Rounding.</b> The chart bands are written in whole units (respiration rate, SpO2, systolic BP, pulse) and in
 * tenths of a degree (temperature). A measured value is first rounded half up to the chart's resolution, then looked
 * up: a respiration rate of 20.5/min scores as 21 (2 points), 20.4 as 20 (0 points); a temperature of 35.05 °C
 * scores as 35.1 °C (1 point), 35.04 °C as 35.0 °C (3 points); 38.05 °C as 38.1 °C (1 point). A tiny tolerance
 * (1e-9 of a chart unit) absorbs binary floating-point representation, so that the decimal literal 35.05 rounds up
 * like the number it denotes.
 *
 * <p><b>SpO2 scale 2</b> is used only for patients with a prescribed target of 88–92% (hypercapnic respiratory
 * failure): 88–92% scores 0, and so does 93% or more on air; on oxygen, 93–94% scores 1, 95–96% scores 2 and 97% or
 * more scores 3. Air/oxygen scores 2 for oxygen on both scales.
 *
 * <p><b>Consciousness</b> is ACVPU: Alert scores 0, new Confusion, Voice, Pain or Unresponsive score 3.
 *
 * <p><b>Missing values</b> ({@code NaN}, or a negative ACVPU) score 0 and are counted in {@link
 * News2Result#missingParameters()}; NEWS2 over incomplete observations understates risk, so callers should surface
 * the count.
 *
 * <p>Stateless and thread-safe; allocates only the result.
 */
public final class News2 {

    private News2() {}

    /** Scores one set of observations. */
    public static News2Result score(News2Inputs in) {
        int missing = 0;

        int resp = 0;
        if (isMissing(in.respRate())) {
            missing++;
        } else {
            resp = respScore(in.respRate());
        }

        int spo2 = 0;
        if (isMissing(in.spo2())) {
            missing++;
        } else {
            spo2 = in.spo2Scale2() ? spo2Scale2Score(in.spo2(), in.onOxygen()) : spo2Scale1Score(in.spo2());
        }

        int oxygen = oxygenScore(in.onOxygen());

        int sbp = 0;
        if (isMissing(in.systolicBp())) {
            missing++;
        } else {
            sbp = systolicBpScore(in.systolicBp());
        }

        int pulse = 0;
        if (isMissing(in.pulse())) {
            missing++;
        } else {
            pulse = pulseScore(in.pulse());
        }

        int consciousness = 0;
        if (in.acvpu() < 0) {
            missing++;
        } else {
            consciousness = consciousnessScore(in.acvpu());
        }

        int temperature = 0;
        if (isMissing(in.temperatureC())) {
            missing++;
        } else {
            temperature = temperatureScore(in.temperatureC());
        }

        int total = resp + spo2 + oxygen + sbp + pulse + consciousness + temperature;
        boolean anyThree =
                resp == 3 || spo2 == 3 || sbp == 3 || pulse == 3 || consciousness == 3 || temperature == 3;
        return new News2Result(
                total,
                in.spo2Scale2() ? 2 : 1,
                resp,
                spo2,
                oxygen,
                sbp,
                pulse,
                consciousness,
                temperature,
                missing,
                response(total, anyThree));
    }

    /** Chart 2: aggregate ≥ 7 high; 5–6 medium; a single 3 low–medium; otherwise low. */
    public static News2Response response(int total, boolean anySingleThree) {
        if (total >= 7) {
            return News2Response.HIGH;
        }
        if (total >= 5) {
            return News2Response.MEDIUM;
        }
        return anySingleThree ? News2Response.LOW_MEDIUM : News2Response.LOW;
    }

    /** Respiration rate (/min): ≤8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥25 → 3. */
    public static int respScore(double perMinute) {
        long r = roundHalfUp(perMinute);
        if (r <= 8) {
            return 3;
        }
        if (r <= 11) {
            return 1;
        }
        if (r <= 20) {
            return 0;
        }
        if (r <= 24) {
            return 2;
        }
        return 3;
    }

    /** SpO2 scale 1 (%): ≤91 → 3, 92–93 → 2, 94–95 → 1, ≥96 → 0. */
    public static int spo2Scale1Score(double percent) {
        long s = roundHalfUp(percent);
        if (s <= 91) {
            return 3;
        }
        if (s <= 93) {
            return 2;
        }
        if (s <= 95) {
            return 1;
        }
        return 0;
    }

    /**
     * SpO2 scale 2 (%): ≤83 → 3, 84–85 → 2, 86–87 → 1, 88–92 → 0, ≥93 on air → 0; on oxygen 93–94 → 1, 95–96 → 2, ≥97
     * → 3.
     */
    public static int spo2Scale2Score(double percent, boolean onOxygen) {
        long s = roundHalfUp(percent);
        if (s <= 83) {
            return 3;
        }
        if (s <= 85) {
            return 2;
        }
        if (s <= 87) {
            return 1;
        }
        if (s <= 92 || !onOxygen) {
            return 0;
        }
        if (s <= 94) {
            return 1;
        }
        if (s <= 96) {
            return 2;
        }
        return 3;
    }

    /** Air or oxygen: oxygen → 2, air → 0. */
    public static int oxygenScore(boolean onOxygen) {
        return onOxygen ? 2 : 0;
    }

    /** Systolic blood pressure (mmHg): ≤90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥220 → 3. */
    public static int systolicBpScore(double mmHg) {
        long p = roundHalfUp(mmHg);
        if (p <= 90) {
            return 3;
        }
        if (p <= 100) {
            return 2;
        }
        if (p <= 110) {
            return 1;
        }
        if (p <= 219) {
            return 0;
        }
        return 3;
    }

    /** Pulse (/min): ≤40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥131 → 3. */
    public static int pulseScore(double perMinute) {
        long p = roundHalfUp(perMinute);
        if (p <= 40) {
            return 3;
        }
        if (p <= 50) {
            return 1;
        }
        if (p <= 90) {
            return 0;
        }
        if (p <= 110) {
            return 1;
        }
        if (p <= 130) {
            return 2;
        }
        return 3;
    }

    /** ACVPU: 0 (Alert) → 0; new Confusion, Voice, Pain or Unresponsive (any value above 0) → 3. */
    public static int consciousnessScore(int acvpu) {
        return acvpu == 0 ? 0 : 3;
    }

    /** Temperature (°C, rounded half up to 0.1): ≤35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥39.1 → 2. */
    public static int temperatureScore(double celsius) {
        long tenths = roundHalfUp(celsius * 10.0);
        if (tenths <= 350) {
            return 3;
        }
        if (tenths <= 360) {
            return 1;
        }
        if (tenths <= 380) {
            return 0;
        }
        if (tenths <= 390) {
            return 1;
        }
        return 2;
    }

    private static boolean isMissing(double v) {
        return !Double.isFinite(v);
    }

    /** Rounds half up (toward +∞) to a whole chart unit, absorbing binary representation error of decimal input. */
    private static long roundHalfUp(double v) {
        return (long) Math.floor(v + 0.5 + 1e-9);
    }
}
