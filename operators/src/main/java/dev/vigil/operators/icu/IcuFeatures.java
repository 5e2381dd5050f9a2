package dev.vigil.operators.icu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ICU deterioration feature vector: names, order, defaults and the computation from a {@link
 * PatientFeatureState}. {@link #NAMES} is the model's feature schema (ONNX input {@code features}, see {@code
 * docs/CONTRACTS.md}); changing it changes the fingerprint and needs a retrained model.
 *
 * <p>For {@code asOf}, only observations with time ≤ {@code asOf} are used, over two windows: the short window
 * {@code (asOf - 1h, asOf]} and the long window {@code (asOf - 4h, asOf]}.
 *
 * <p><b>Trend vitals</b> (heart rate, respiratory rate, SpO2, temperature, systolic and diastolic BP), 11 features
 * each, prefixed by {@link VitalSign#featureName()}:
 *
 * <ul>
 *   <li>{@code _last}: latest value in the long window;
 *   <li>{@code _mean_1h, _min_1h, _max_1h, _mean_4h, _min_4h, _max_4h}: over the window; when the short window is empty
 *       but the long one is not, the 1 h statistics carry the latest value forward;
 *   <li>{@code _slope_1h, _slope_4h}: ordinary least-squares slope of value on time, in units per hour; 0 with fewer
 *       than two observations (or all at one instant);
 *   <li>{@code _minutes_since_last}: minutes from the latest observation to {@code asOf}, capped at 240;
 *   <li>{@code _missing}: 1 when the long window is empty, else 0. The value features then take the population-normal
 *       {@link #defaultValue default} (heart rate 75/min, respiratory rate 16/min, SpO2 97%, temperature 37.0 °C,
 *       systolic 120 mmHg, diastolic 75 mmHg), slopes are 0 and minutes since last is 240, so the model never sees
 *       NaN.
 * </ul>
 *
 * <p><b>State vitals</b>, 3 features each: {@code o2_flow_last, o2_flow_max_4h, o2_flow_missing} (default 0 L/min:
 * air) and {@code acvpu_last, acvpu_max_4h, acvpu_missing} (default 0: Alert).
 *
 * <p><b>Patient level</b>: {@code age_years} (from the context; 65 when unknown), {@code on_oxygen} (1 when the
 * latest oxygen flow in the long window is above 0), {@code news2_total} and {@code news2_scale} ({@link News2} over
 * the latest value of each parameter in the long window, on the patient's SpO2 scale; missing parameters score 0).
 *
 * <p><b>Exactness.</b> The stored series are in a canonical order (see {@link VitalSeries}) and every sum runs in that
 * order, so the same observations give bit-identical features whatever order they arrived in. If two observations of
 * one vital share the latest time, {@code _last} is the larger value. The computation allocates nothing but NEWS2's
 * two small records.
 */
public final class IcuFeatures {

    /** The short window, 1 h. */
    public static final long SHORT_WINDOW_MILLIS = 3_600_000L;

    /** The long window, 4 h: also the look-back for "latest" values and the minimum retention. */
    public static final long LONG_WINDOW_MILLIS = 4 * SHORT_WINDOW_MILLIS;

    /** Cap of {@code _minutes_since_last}, and its value when the vital is missing. */
    public static final float MINUTES_SINCE_LAST_CAP = 240f;

    /** Age used when the patient's context is unknown. */
    public static final int DEFAULT_AGE_YEARS = 65;

    /** The six vitals with the full set of 11 trend features, in feature order. */
    public static final List<VitalSign> TREND_VITALS =
            List.of(
                    VitalSign.HEART_RATE,
                    VitalSign.RESPIRATORY_RATE,
                    VitalSign.SPO2,
                    VitalSign.TEMPERATURE,
                    VitalSign.SYSTOLIC_BP,
                    VitalSign.DIASTOLIC_BP);

    /** The vitals with last / max over 4 h / missing only, in feature order. */
    public static final List<VitalSign> STATE_VITALS = List.of(VitalSign.OXYGEN_FLOW, VitalSign.CONSCIOUSNESS);

    private static final String[] TREND_SUFFIXES = {
        "_last", "_mean_1h", "_min_1h", "_max_1h", "_mean_4h", "_min_4h", "_max_4h", "_slope_1h", "_slope_4h",
        "_minutes_since_last", "_missing"
    };
    private static final String[] STATE_SUFFIXES = {"_last", "_max_4h", "_missing"};

    /** Feature names in vector order: the model's feature schema. */
    public static final List<String> NAMES;

    /** {@code NAMES.size()}. */
    public static final int SIZE;

    /** Index of {@code age_years}. */
    public static final int AGE_YEARS;

    /** Index of {@code on_oxygen}. */
    public static final int ON_OXYGEN;

    /** Index of {@code news2_total}. */
    public static final int NEWS2_TOTAL;

    /** Index of {@code news2_scale}. */
    public static final int NEWS2_SCALE;

    private static final Map<String, Integer> INDEX;
    private static final VitalSign[] TREND = TREND_VITALS.toArray(new VitalSign[0]);
    private static final VitalSign[] STATE = STATE_VITALS.toArray(new VitalSign[0]);
    private static final double MILLIS_PER_HOUR = 3_600_000.0;
    private static final double MILLIS_PER_MINUTE = 60_000.0;

    static {
        List<String> names = new ArrayList<>();
        for (VitalSign v : TREND) {
            for (String suffix : TREND_SUFFIXES) {
                names.add(v.featureName() + suffix);
            }
        }
        for (VitalSign v : STATE) {
            for (String suffix : STATE_SUFFIXES) {
                names.add(v.featureName() + suffix);
            }
        }
        AGE_YEARS = names.size();
        names.add("age_years");
        ON_OXYGEN = names.size();
        names.add("on_oxygen");
        NEWS2_TOTAL = names.size();
        names.add("news2_total");
        NEWS2_SCALE = names.size();
        names.add("news2_scale");
        NAMES = Collections.unmodifiableList(names);
        SIZE = NAMES.size();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < SIZE; i++) {
            index.put(NAMES.get(i), i);
        }
        INDEX = Collections.unmodifiableMap(index);
    }

    private IcuFeatures() {}

    /** Index of a feature name in the vector, or -1. */
    public static int indexOf(String name) {
        Integer i = INDEX.get(name);
        return i == null ? -1 : i;
    }

    /** Population-normal value used when a vital has no observation in the long window. */
    public static double defaultValue(VitalSign vital) {
        switch (vital) {
            case HEART_RATE:
                return 75;
            case RESPIRATORY_RATE:
                return 16;
            case SPO2:
                return 97;
            case TEMPERATURE:
                return 37.0;
            case SYSTOLIC_BP:
                return 120;
            case DIASTOLIC_BP:
                return 75;
            case OXYGEN_FLOW:
            case CONSCIOUSNESS:
                return 0;
            default:
                throw new IllegalArgumentException("no default for " + vital);
        }
    }

    /**
     * Computes the feature vector of {@code state} as of {@code asOf} into {@code out}.
     *
     * @return {@code out}
     */
    public static float[] compute(PatientFeatureState state, long asOf, float[] out) {
        if (out.length != SIZE) {
            throw new IllegalArgumentException("feature array length " + out.length + " != " + SIZE);
        }
        int k = 0;
        for (VitalSign v : TREND) {
            k = trend(state.series(v), v, asOf, out, k);
        }
        for (VitalSign v : STATE) {
            k = stateVital(state.series(v), v, asOf, out, k);
        }
        out[k++] = state.ageYears >= 0 ? state.ageYears : DEFAULT_AGE_YEARS;
        double o2 = state.latest(VitalSign.OXYGEN_FLOW, asOf);
        out[k++] = o2 > 0 ? 1f : 0f;
        News2Result news2 = state.news2(asOf);
        out[k++] = news2.total();
        out[k++] = news2.scale();
        return out;
    }

    private static int trend(VitalSeries s, VitalSign v, long asOf, float[] out, int k) {
        int hi = s.upperBound(asOf);
        int lo4 = s.upperBound(asOf - LONG_WINDOW_MILLIS);
        if (hi == lo4) {
            float d = (float) defaultValue(v);
            for (int i = 0; i < 7; i++) {
                out[k++] = d; // last, mean/min/max 1h, mean/min/max 4h
            }
            out[k++] = 0f;
            out[k++] = 0f;
            out[k++] = MINUTES_SINCE_LAST_CAP;
            out[k++] = 1f;
            return k;
        }
        int lo1 = s.upperBound(asOf - SHORT_WINDOW_MILLIS);
        double last = s.valueAt(hi - 1);
        out[k++] = (float) last;
        if (hi == lo1) {
            out[k++] = (float) last;
            out[k++] = (float) last;
            out[k++] = (float) last;
        } else {
            k = meanMinMax(s, lo1, hi, out, k);
        }
        k = meanMinMax(s, lo4, hi, out, k);
        out[k++] = (float) slopePerHour(s, lo1, hi, asOf);
        out[k++] = (float) slopePerHour(s, lo4, hi, asOf);
        double minutes = (asOf - s.timeAt(hi - 1)) / MILLIS_PER_MINUTE;
        out[k++] = (float) Math.min(minutes, MINUTES_SINCE_LAST_CAP);
        out[k++] = 0f;
        return k;
    }

    private static int stateVital(VitalSeries s, VitalSign v, long asOf, float[] out, int k) {
        int hi = s.upperBound(asOf);
        int lo4 = s.upperBound(asOf - LONG_WINDOW_MILLIS);
        if (hi == lo4) {
            float d = (float) defaultValue(v);
            out[k++] = d;
            out[k++] = d;
            out[k++] = 1f;
            return k;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = lo4; i < hi; i++) {
            max = Math.max(max, s.valueAt(i));
        }
        out[k++] = (float) s.valueAt(hi - 1);
        out[k++] = (float) max;
        out[k++] = 0f;
        return k;
    }

    private static int meanMinMax(VitalSeries s, int lo, int hi, float[] out, int k) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = lo; i < hi; i++) {
            double x = s.valueAt(i);
            sum += x;
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        out[k++] = (float) (sum / (hi - lo));
        out[k++] = (float) min;
        out[k++] = (float) max;
        return k;
    }

    /** Least-squares slope of value on time (hours), two-pass for numerical stability; 0 when undefined. */
    private static double slopePerHour(VitalSeries s, int lo, int hi, long asOf) {
        int n = hi - lo;
        if (n < 2) {
            return 0;
        }
        double sumX = 0;
        double sumY = 0;
        for (int i = lo; i < hi; i++) {
            sumX += (s.timeAt(i) - asOf) / MILLIS_PER_HOUR;
            sumY += s.valueAt(i);
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        double sxx = 0;
        double sxy = 0;
        for (int i = lo; i < hi; i++) {
            double dx = (s.timeAt(i) - asOf) / MILLIS_PER_HOUR - meanX;
            sxx += dx * dx;
            sxy += dx * (s.valueAt(i) - meanY);
        }
        return sxx > 0 ? sxy / sxx : 0;
    }
}
