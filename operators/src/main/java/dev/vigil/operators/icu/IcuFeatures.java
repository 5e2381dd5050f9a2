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
        return compute(state, asOf, out, state.news2(asOf));
    }

    /**
     * {@link #compute(PatientFeatureState, long, float[])} with the state's NEWS2 as of {@code asOf} already at hand
     * ({@code state.news2(asOf)}), so that a caller that needs both computes it once.
     *
     * @return {@code out}
     */
    public static float[] compute(PatientFeatureState state, long asOf, float[] out, News2Result news2) {
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
        long[] times = s.times;
        double[] values = s.values;
        double last = values[hi - 1];
        out[k++] = (float) last;

        // One pass over the long window for both windows' sums, extremes and time sums. Each sum still runs over its
        // own window from its first observation in stored order, so the results are bit-identical to summing the two
        // windows separately.
        double sum1 = 0;
        double min1 = Double.POSITIVE_INFINITY;
        double max1 = Double.NEGATIVE_INFINITY;
        double sumX1 = 0;
        double sum4 = 0;
        double min4 = Double.POSITIVE_INFINITY;
        double max4 = Double.NEGATIVE_INFINITY;
        double sumX4 = 0;
        for (int i = lo4; i < hi; i++) {
            double y = values[i];
            double x = (times[i] - asOf) / MILLIS_PER_HOUR;
            sum4 += y;
            min4 = Math.min(min4, y);
            max4 = Math.max(max4, y);
            sumX4 += x;
            if (i >= lo1) {
                sum1 += y;
                min1 = Math.min(min1, y);
                max1 = Math.max(max1, y);
                sumX1 += x;
            }
        }
        int n1 = hi - lo1;
        int n4 = hi - lo4;
        if (n1 == 0) {
            out[k++] = (float) last;
            out[k++] = (float) last;
            out[k++] = (float) last;
        } else {
            out[k++] = (float) (sum1 / n1);
            out[k++] = (float) min1;
            out[k++] = (float) max1;
        }
        out[k++] = (float) (sum4 / n4);
        out[k++] = (float) min4;
        out[k++] = (float) max4;

        // Least-squares slopes of value on time (hours), two-pass for numerical stability; 0 when undefined.
        double slope1 = 0;
        double slope4 = 0;
        if (n4 >= 2) {
            double meanX1 = sumX1 / n1;
            double meanY1 = sum1 / n1;
            double meanX4 = sumX4 / n4;
            double meanY4 = sum4 / n4;
            double sxx1 = 0;
            double sxy1 = 0;
            double sxx4 = 0;
            double sxy4 = 0;
            for (int i = lo4; i < hi; i++) {
                double x = (times[i] - asOf) / MILLIS_PER_HOUR;
                double y = values[i];
                double dx4 = x - meanX4;
                sxx4 += dx4 * dx4;
                sxy4 += dx4 * (y - meanY4);
                if (i >= lo1) {
                    double dx1 = x - meanX1;
                    sxx1 += dx1 * dx1;
                    sxy1 += dx1 * (y - meanY1);
                }
            }
            slope4 = sxx4 > 0 ? sxy4 / sxx4 : 0;
            if (n1 >= 2) {
                slope1 = sxx1 > 0 ? sxy1 / sxx1 : 0;
            }
        }
        out[k++] = (float) slope1;
        out[k++] = (float) slope4;
        double minutes = (asOf - times[hi - 1]) / MILLIS_PER_MINUTE;
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
}
