package dev.vigil.operators.drift.calibration;

import dev.vigil.operators.drift.Adwin;
import dev.vigil.operators.drift.Ddm;
import dev.vigil.operators.drift.Eddm;
import dev.vigil.operators.drift.HddmA;
import dev.vigil.operators.drift.HddmW;
import dev.vigil.operators.drift.JensenShannon;
import dev.vigil.operators.drift.KsTest;
import dev.vigil.operators.drift.Kswin;
import dev.vigil.operators.drift.PageHinkley;
import dev.vigil.operators.drift.Psi;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A detector parameter that sets its false-alarm rate, with the direction in which the expected run length grows and
 * the range the calibration may search. Every registered detector has one by default ({@link #of(String)}): ADWIN's
 * {@code delta}, DDM's {@code drift-level}, EDDM's {@code beta}, Page-Hinkley's {@code lambda}, HDDM's {@code
 * drift-confidence}, the significance {@code alpha} of KSWIN and the windowed KS test, the {@code threshold} of PSI
 * and Jensen-Shannon; Page-Hinkley's {@code delta} can be calibrated too.
 *
 * <p>Some detectors require their warning setting not to be stricter than the drift setting (DDM {@code w <= d}, EDDM
 * {@code beta <= alpha}, HDDM {@code alpha_W >= alpha_D}, PSI/JS {@code warning-threshold <= threshold}). That
 * warning parameter is the {@code companion}: while searching, it is moved along with the calibrated value whenever it
 * would become stricter, so the detector stays valid. Warnings do not change when a drift fires, so this does not
 * change the run length.
 *
 * @param detector the detector's registry name
 * @param name the parameter's kebab-case name
 * @param monotonicity how the expected run length moves as the parameter grows
 * @param lower smallest value searched (&gt; 0)
 * @param upper largest value searched
 * @param companion the warning parameter kept no stricter than this one, or {@code null}
 */
public record ThresholdParameter(String detector, String name, Monotonicity monotonicity, double lower, double upper,
        String companion) {

    /** How the expected run length under the null moves as the parameter grows. */
    public enum Monotonicity {
        /** Larger values alarm less often (thresholds, levels in σ). */
        INCREASING,
        /** Larger values alarm more often (significance levels, confidences). */
        DECREASING
    }

    private static final List<ThresholdParameter> KNOWN = List.of(
            new ThresholdParameter(Adwin.NAME, "delta", Monotonicity.DECREASING, 1e-15, 0.999, null),
            new ThresholdParameter(Ddm.NAME, "drift-level", Monotonicity.INCREASING, 0.05, 50, "warning-level"),
            new ThresholdParameter(Eddm.NAME, "beta", Monotonicity.DECREASING, 1e-4, 0.999, "alpha"),
            new ThresholdParameter(PageHinkley.NAME, "lambda", Monotonicity.INCREASING, 1e-4, 1e7, null),
            new ThresholdParameter(PageHinkley.NAME, "delta", Monotonicity.INCREASING, 1e-6, 1e4, null),
            new ThresholdParameter(HddmA.NAME, "drift-confidence", Monotonicity.DECREASING, 1e-15, 0.999,
                    "warning-confidence"),
            new ThresholdParameter(HddmW.NAME, "drift-confidence", Monotonicity.DECREASING, 1e-15, 0.999,
                    "warning-confidence"),
            new ThresholdParameter(Kswin.NAME, "alpha", Monotonicity.DECREASING, 1e-15, 0.999, null),
            new ThresholdParameter(KsTest.NAME, "alpha", Monotonicity.DECREASING, 1e-15, 0.999, null),
            new ThresholdParameter(Psi.NAME, "threshold", Monotonicity.INCREASING, 1e-6, 100, "warning-threshold"),
            new ThresholdParameter(JensenShannon.NAME, "threshold", Monotonicity.INCREASING, 1e-6, 1,
                    "warning-threshold"));

    public ThresholdParameter {
        if (detector == null || name == null || monotonicity == null) {
            throw new IllegalArgumentException("detector, name and monotonicity are required");
        }
        if (!(lower > 0 && lower < upper) || Double.isInfinite(upper)) {
            throw new IllegalArgumentException(
                    "search range must satisfy 0 < lower < upper < inf, got [" + lower + ", " + upper + "]");
        }
    }

    /** The default calibrated parameter of {@code detector}. */
    public static ThresholdParameter of(String detector) {
        String d = normalize(detector);
        for (ThresholdParameter t : KNOWN) {
            if (t.detector.equals(d)) {
                return t;
            }
        }
        throw new IllegalArgumentException("no calibratable parameter known for detector '" + detector + "'");
    }

    /** The calibratable parameter {@code name} of {@code detector}; an error lists the known ones. */
    public static ThresholdParameter of(String detector, String name) {
        String d = normalize(detector);
        String n = normalize(name).replace('_', '-');
        List<String> names = new ArrayList<>();
        for (ThresholdParameter t : KNOWN) {
            if (t.detector.equals(d)) {
                if (t.name.equals(n)) {
                    return t;
                }
                names.add(t.name);
            }
        }
        throw new IllegalArgumentException("parameter '" + name + "' of '" + detector + "' cannot be calibrated"
                + (names.isEmpty() ? "" : "; calibratable: " + String.join(", ", names)));
    }

    /** All known calibratable parameters, one default per detector first. */
    public static List<ThresholdParameter> known() {
        return KNOWN;
    }

    /** Whether a larger value makes the detector stricter (fewer false alarms). */
    public boolean stricterWhenLarger() {
        return monotonicity == Monotonicity.INCREASING;
    }

    /** {@code value} clamped into the search range. */
    double clamp(double value) {
        return Math.max(lower, Math.min(upper, value));
    }

    private static String normalize(String s) {
        if (s == null) {
            throw new IllegalArgumentException("name must not be null");
        }
        return s.strip().toLowerCase(Locale.ROOT);
    }
}
