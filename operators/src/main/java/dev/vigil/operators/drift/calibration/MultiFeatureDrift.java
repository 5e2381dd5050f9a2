package dev.vigil.operators.drift.calibration;

import dev.vigil.operators.drift.DetectorState;
import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.operators.drift.DriftDetectors;
import dev.vigil.operators.drift.KsTest;
import dev.vigil.operators.drift.Kswin;
import dev.vigil.operators.drift.calibration.MultipleTesting.Correction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drift monitoring of {@code m} features at once, one detector per feature, with the false-alarm budget split across
 * the features so that watching more features does not mean more false alarms.
 *
 * <p><b>Sequential detectors</b> (ADWIN, Page-Hinkley, DDM, …; {@link Correction#NONE}): the monitor alarms when any
 * feature's detector does. Calibrate each feature's detector ({@link ErtCalibrator}) to {@link #perFeatureErt
 * perFeatureErt(globalErt, m)} {@code = m × globalErt} on that feature's reference: by the union bound the rate of
 * false alarms over all features, the sum of the per-feature rates, is then at most {@code 1/globalErt}
 * (Bonferroni's split of a false-alarm budget, applied to rates).
 *
 * <p><b>Window tests with p-values</b> ({@code ks-window}, {@code kswin}; {@link Correction#BONFERRONI}, {@link
 * Correction#HOLM} or {@link Correction#BENJAMINI_HOCHBERG}): after every step the p-values of the features' last
 * tests are combined by the correction ({@link MultipleTesting}) at the family level {@code α}; the detectors' own
 * {@code alpha} is not used (each feature is reset by the monitor when it is rejected). Bonferroni and Holm keep the
 * probability of any false alarm in a step at most {@code α} whatever the dependence between features; BH keeps the
 * expected fraction of false features among those flagged at most {@code α} and is more powerful when several
 * features drift. So a family level {@code α} calibrated for one feature (the KS test is distribution-free for
 * continuous features) gives the whole family about the same expected run length. A feature whose value is
 * {@code NaN} in a step (missing) is not updated and counts with {@code p = 1}.
 *
 * <pre>{@code
 * MultiFeatureDrift monitor = MultiFeatureDrift.builder("ks-window", List.of("reference-size=200"))
 *         .features(List.of("hr", "spo2", "resp_rate"))
 *         .correction(Correction.BENJAMINI_HOCHBERG)
 *         .level(1e-4)
 *         .build();
 * if (monitor.update(values)) { for (int i = 0; i < monitor.size(); i++) if (monitor.drifted(i)) ... }
 * }</pre>
 *
 * <p>Plain Java, not thread-safe; {@link #snapshot()} / {@link #restore} checkpoint every feature's detector in one
 * {@link DetectorState} so a restored monitor continues bit-for-bit.
 */
public final class MultiFeatureDrift {

    /** The {@link DetectorState#detector()} of {@link #snapshot()}. */
    public static final String NAME = "multi-feature";

    private final String detector;
    private final List<String> features;
    private final List<List<String>> params;
    private final Correction correction;
    private final double level;
    private final DriftDetector[] detectors;

    private final double[] pValues;
    private final double[] adjusted;
    private final int[] order;
    private final boolean[] drifted;
    private boolean drift;

    private MultiFeatureDrift(Builder b, List<List<String>> params) {
        this.detector = b.detector;
        this.features = List.copyOf(b.features);
        this.params = params;
        this.correction = b.correction;
        this.level = b.level;
        int m = features.size();
        this.detectors = new DriftDetector[m];
        for (int i = 0; i < m; i++) {
            detectors[i] = DriftDetectors.create(detector, params.get(i));
        }
        this.pValues = new double[m];
        this.adjusted = new double[m];
        this.order = new int[m];
        this.drifted = new boolean[m];
        Arrays.fill(pValues, 1.0);
        Arrays.fill(adjusted, 1.0);
    }

    /** A builder of a monitor running detector {@code detector} with {@code params} on every feature. */
    public static Builder builder(String detector, List<String> params) {
        return new Builder(detector, params);
    }

    /**
     * The per-feature target ERT that gives {@code features} sequential detectors together an expected run length of
     * at least about {@code globalErt}: {@code features × globalErt} (union bound).
     */
    public static double perFeatureErt(double globalErt, int features) {
        if (!(globalErt > 1) || Double.isInfinite(globalErt) || features < 1) {
            throw new IllegalArgumentException(
                    "need a finite global ERT > 1 and at least one feature, got " + globalErt + ", " + features);
        }
        return globalErt * features;
    }

    /**
     * Adds one value per feature (in {@link #features()} order; {@code NaN} = missing) and returns {@link
     * #driftDetected()}.
     */
    public boolean update(double[] values) {
        int m = detectors.length;
        if (values.length != m) {
            throw new IllegalArgumentException("expected " + m + " feature values, got " + values.length);
        }
        drift = false;
        if (correction == Correction.NONE) {
            for (int i = 0; i < m; i++) {
                double x = values[i];
                drifted[i] = !Double.isNaN(x) && detectors[i].update(x);
                drift |= drifted[i];
            }
            return drift;
        }
        for (int i = 0; i < m; i++) {
            double x = values[i];
            if (Double.isNaN(x)) {
                pValues[i] = 1.0;
            } else {
                detectors[i].update(x);
                pValues[i] = pValue(detectors[i]);
            }
        }
        MultipleTesting.reject(correction, pValues, m, level, adjusted, order, drifted);
        for (int i = 0; i < m; i++) {
            if (drifted[i]) {
                drift = true;
                detectors[i] = DriftDetectors.create(detector, params.get(i));
            }
        }
        return drift;
    }

    private static double pValue(DriftDetector d) {
        if (d instanceof KsTest ks) {
            return ks.pValue();
        }
        return ((Kswin) d).pValue();
    }

    /** Whether the last update raised a drift on any feature. */
    public boolean driftDetected() {
        return drift;
    }

    /** Whether the last update raised a drift on feature {@code i}. */
    public boolean drifted(int i) {
        return drifted[i];
    }

    /** Whether feature {@code i}'s detector warned on the last update (sequential detectors only). */
    public boolean warning(int i) {
        return correction == Correction.NONE && detectors[i].warningDetected();
    }

    /** Feature {@code i}'s p-value in the last update (1 when not tested; {@code NaN} for sequential detectors). */
    public double pValue(int i) {
        return correction == Correction.NONE ? Double.NaN : pValues[i];
    }

    /** Feature {@code i}'s adjusted p-value in the last update ({@code NaN} for sequential detectors). */
    public double adjustedPValue(int i) {
        return correction == Correction.NONE ? Double.NaN : adjusted[i];
    }

    /** The features, in update order. */
    public List<String> features() {
        return features;
    }

    /** Number of features. */
    public int size() {
        return detectors.length;
    }

    /** The per-feature detector's registry name. */
    public String detector() {
        return detector;
    }

    public Correction correction() {
        return correction;
    }

    /** The family level α of a p-value correction ({@code NaN} with {@link Correction#NONE}). */
    public double level() {
        return level;
    }

    /** Feature {@code i}'s detector settings as {@code key=value}. */
    public List<String> params(int i) {
        return params.get(i);
    }

    /** Every feature's detector state plus the last step's decisions, as one {@link DetectorState}. */
    public DetectorState snapshot() {
        int m = detectors.length;
        Map<String, double[]> slots = new LinkedHashMap<>();
        double[] flags = new double[m + 1];
        for (int i = 0; i < m; i++) {
            flags[i] = drifted[i] ? 1 : 0;
            String prefix = prefix(i);
            detectors[i].snapshot().slots().forEach((k, v) -> slots.put(prefix + k, v));
        }
        flags[m] = drift ? 1 : 0;
        slots.put("drifted", flags);
        slots.put("p-values", pValues.clone());
        slots.put("adjusted", adjusted.clone());
        return new DetectorState(NAME, slots);
    }

    /** Restores a {@link #snapshot()} of a monitor built with the same settings. */
    public void restore(DetectorState state) {
        int m = detectors.length;
        if (state == null || !NAME.equals(state.detector())) {
            throw new IllegalArgumentException(
                    "cannot restore " + NAME + " from state of " + (state == null ? null : state.detector()));
        }
        double[] flags = state.slot("drifted");
        double[] p = state.slot("p-values");
        double[] a = state.slot("adjusted");
        if (flags.length != m + 1 || p.length != m || a.length != m) {
            throw new IllegalArgumentException("state of " + (flags.length - 1) + " features cannot restore " + m);
        }
        List<Map<String, double[]>> perFeature = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            perFeature.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, double[]> e : state.slots().entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            if (key.startsWith("f") && dot > 1) {
                int i = Integer.parseInt(key.substring(1, dot));
                if (i < 0 || i >= m) {
                    throw new IllegalArgumentException("state has feature " + i + ", monitor has " + m);
                }
                perFeature.get(i).put(key.substring(dot + 1), e.getValue());
            }
        }
        for (int i = 0; i < m; i++) {
            DriftDetector fresh = DriftDetectors.create(detector, params.get(i));
            fresh.restore(new DetectorState(detector, perFeature.get(i)));
            detectors[i] = fresh;
            drifted[i] = flags[i] != 0;
        }
        drift = flags[m] != 0;
        System.arraycopy(p, 0, pValues, 0, m);
        System.arraycopy(a, 0, adjusted, 0, m);
    }

    private static String prefix(int i) {
        return "f" + i + ".";
    }

    /** Settings of a {@link MultiFeatureDrift}; at least one feature is required. */
    public static final class Builder {
        private final String detector;
        private final List<String> params;
        private final List<String> features = new ArrayList<>();
        private final List<List<String>> overrides = new ArrayList<>();
        private Correction correction = Correction.NONE;
        private double level = Double.NaN;

        private Builder(String detector, List<String> params) {
            this.detector = DriftDetectors.spec(detector).name();
            this.params = List.copyOf(params);
        }

        /** Adds a feature with the shared settings. */
        public Builder feature(String name) {
            return feature(name, List.of());
        }

        /** Adds a feature whose settings override the shared ones (e.g. its calibrated threshold). */
        public Builder feature(String name, List<String> overrides) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("feature name must not be blank");
            }
            if (features.contains(name)) {
                throw new IllegalArgumentException("feature " + name + " given twice");
            }
            features.add(name);
            this.overrides.add(List.copyOf(overrides));
            return this;
        }

        /** Adds features with the shared settings. */
        public Builder features(List<String> names) {
            for (String n : names) {
                feature(n);
            }
            return this;
        }

        /** How the features' decisions are combined (default {@link Correction#NONE}). */
        public Builder correction(Correction correction) {
            this.correction = correction;
            return this;
        }

        /** The family level α of a p-value correction, in (0, 1). */
        public Builder level(double level) {
            this.level = level;
            return this;
        }

        public MultiFeatureDrift build() {
            if (features.isEmpty()) {
                throw new IllegalArgumentException("at least one feature is required");
            }
            if (correction == null) {
                throw new IllegalArgumentException("correction must not be null");
            }
            boolean pValued = detector.equals(KsTest.NAME) || detector.equals(Kswin.NAME);
            if (correction == Correction.NONE) {
                if (!Double.isNaN(level)) {
                    throw new IllegalArgumentException("a level needs a p-value correction; with none each detector"
                            + " uses its own threshold");
                }
            } else {
                if (!pValued) {
                    throw new IllegalArgumentException("correction " + correction + " needs detectors with p-values ("
                            + KsTest.NAME + ", " + Kswin.NAME + "), got " + detector
                            + "; calibrate sequential detectors to perFeatureErt(globalErt, m) instead");
                }
                if (!(level > 0 && level < 1)) {
                    throw new IllegalArgumentException("level must be in (0, 1), got " + level);
                }
            }
            DriftDetectors.Spec spec = DriftDetectors.spec(detector);
            List<List<String>> merged = new ArrayList<>();
            for (List<String> o : overrides) {
                Map<String, String> kv = new LinkedHashMap<>();
                put(spec, kv, params);
                put(spec, kv, o);
                if (correction != Correction.NONE) {
                    // the family decides; the detector's own test must not fire (it still does at p = 0, which
                    // every correction rejects too)
                    kv.put("alpha", String.valueOf(Double.MIN_NORMAL));
                }
                List<String> list = new ArrayList<>();
                kv.forEach((k, v) -> list.add(k + "=" + v));
                List<String> settings = List.copyOf(list);
                DriftDetectors.create(detector, settings); // validate now
                merged.add(settings);
            }
            return new MultiFeatureDrift(this, List.copyOf(merged));
        }

        private static void put(DriftDetectors.Spec spec, Map<String, String> into, List<String> keyValues) {
            for (String kv : keyValues) {
                int eq = kv == null ? -1 : kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("parameter must be key=value, got '" + kv + "'");
                }
                into.put(spec.param(kv.substring(0, eq)).name(), kv.substring(eq + 1).strip());
            }
        }
    }
}
