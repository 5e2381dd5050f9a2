package dev.vigil.operators.icu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IcuFeaturesTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final long RETENTION = 4 * HOUR;

    private static float f(PatientFeatureState s, long asOf, String name) {
        return s.features(asOf)[IcuFeatures.indexOf(name)];
    }

    @Test
    void namesAreTheDocumentedSchema() {
        assertThat(IcuFeatures.SIZE).isEqualTo(76).isEqualTo(IcuFeatures.NAMES.size());
        assertThat(new HashSet<>(IcuFeatures.NAMES)).hasSize(IcuFeatures.SIZE);
        assertThat(IcuFeatures.NAMES.subList(0, 11))
                .containsExactly(
                        "heart_rate_last",
                        "heart_rate_mean_1h",
                        "heart_rate_min_1h",
                        "heart_rate_max_1h",
                        "heart_rate_mean_4h",
                        "heart_rate_min_4h",
                        "heart_rate_max_4h",
                        "heart_rate_slope_1h",
                        "heart_rate_slope_4h",
                        "heart_rate_minutes_since_last",
                        "heart_rate_missing");
        assertThat(IcuFeatures.NAMES.subList(66, 76))
                .containsExactly(
                        "o2_flow_last",
                        "o2_flow_max_4h",
                        "o2_flow_missing",
                        "acvpu_last",
                        "acvpu_max_4h",
                        "acvpu_missing",
                        "age_years",
                        "on_oxygen",
                        "news2_total",
                        "news2_scale");
        assertThat(IcuFeatures.indexOf("news2_total")).isEqualTo(IcuFeatures.NEWS2_TOTAL).isEqualTo(74);
        assertThat(IcuFeatures.indexOf("nope")).isEqualTo(-1);
        assertThatThrownBy(() -> IcuFeatures.NAMES.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyStateGivesDefaultsAndNoNaN() {
        PatientFeatureState s = new PatientFeatureState();
        float[] x = s.features(T0);
        for (float v : x) {
            assertThat(Float.isFinite(v)).isTrue();
        }
        assertThat(x[IcuFeatures.indexOf("heart_rate_last")]).isEqualTo(75f);
        assertThat(x[IcuFeatures.indexOf("heart_rate_min_1h")]).isEqualTo(75f);
        assertThat(x[IcuFeatures.indexOf("resp_rate_mean_4h")]).isEqualTo(16f);
        assertThat(x[IcuFeatures.indexOf("spo2_last")]).isEqualTo(97f);
        assertThat(x[IcuFeatures.indexOf("temperature_last")]).isEqualTo(37f);
        assertThat(x[IcuFeatures.indexOf("sbp_last")]).isEqualTo(120f);
        assertThat(x[IcuFeatures.indexOf("dbp_last")]).isEqualTo(75f);
        assertThat(x[IcuFeatures.indexOf("sbp_slope_4h")]).isZero();
        assertThat(x[IcuFeatures.indexOf("sbp_minutes_since_last")]).isEqualTo(240f);
        assertThat(x[IcuFeatures.indexOf("sbp_missing")]).isEqualTo(1f);
        assertThat(x[IcuFeatures.indexOf("o2_flow_missing")]).isEqualTo(1f);
        assertThat(x[IcuFeatures.indexOf("acvpu_last")]).isZero();
        assertThat(x[IcuFeatures.AGE_YEARS]).isEqualTo(65f);
        assertThat(x[IcuFeatures.ON_OXYGEN]).isZero();
        assertThat(x[IcuFeatures.NEWS2_TOTAL]).isZero();
        assertThat(x[IcuFeatures.NEWS2_SCALE]).isEqualTo(1f);
    }

    @Test
    void windowsAndStatistics() {
        PatientFeatureState s = new PatientFeatureState();
        s.add(VitalSign.HEART_RATE, T0 - 4 * HOUR, 200, RETENTION); // on the 4 h edge: excluded
        s.add(VitalSign.HEART_RATE, T0 - 3 * HOUR, 60, RETENTION);
        s.add(VitalSign.HEART_RATE, T0 - HOUR, 300, RETENTION); // on the 1 h edge: in 4 h only
        s.add(VitalSign.HEART_RATE, T0 - 30 * MIN, 80, RETENTION);
        s.add(VitalSign.HEART_RATE, T0, 90, RETENTION);
        s.add(VitalSign.HEART_RATE, T0 + MIN, 250, RETENTION); // after asOf: excluded

        assertThat(f(s, T0, "heart_rate_last")).isEqualTo(90f);
        assertThat(f(s, T0, "heart_rate_mean_1h")).isEqualTo(85f);
        assertThat(f(s, T0, "heart_rate_min_1h")).isEqualTo(80f);
        assertThat(f(s, T0, "heart_rate_max_1h")).isEqualTo(90f);
        assertThat(f(s, T0, "heart_rate_slope_1h")).isEqualTo(20f); // +10 in 30 min
        assertThat(f(s, T0, "heart_rate_mean_4h")).isEqualTo((60f + 300f + 80f + 90f) / 4);
        assertThat(f(s, T0, "heart_rate_min_4h")).isEqualTo(60f);
        assertThat(f(s, T0, "heart_rate_max_4h")).isEqualTo(300f);
        assertThat(f(s, T0, "heart_rate_minutes_since_last")).isZero();
        assertThat(f(s, T0, "heart_rate_missing")).isZero();
        assertThat(f(s, T0 + 10 * MIN, "heart_rate_minutes_since_last")).isEqualTo(9f);
    }

    @Test
    void shortWindowCarriesTheLastValueForwardAndMissingAfterFourHours() {
        PatientFeatureState s = new PatientFeatureState();
        s.add(VitalSign.TEMPERATURE, T0, 38.2, RETENTION);
        long asOf = T0 + 2 * HOUR;
        assertThat(f(s, asOf, "temperature_mean_1h")).isEqualTo(38.2f);
        assertThat(f(s, asOf, "temperature_min_1h")).isEqualTo(38.2f);
        assertThat(f(s, asOf, "temperature_slope_1h")).isZero();
        assertThat(f(s, asOf, "temperature_minutes_since_last")).isEqualTo(120f);
        assertThat(f(s, asOf, "temperature_missing")).isZero();
        assertThat(f(s, T0 + 4 * HOUR, "temperature_missing")).isEqualTo(1f);
        assertThat(f(s, T0 + 4 * HOUR, "temperature_last")).isEqualTo(37f);
        assertThat(f(s, T0 + 4 * HOUR - 1, "temperature_minutes_since_last")).isLessThan(240f);
    }

    @Test
    void patientLevelFeaturesAndNews2FromLatestValues() {
        PatientFeatureState s = new PatientFeatureState();
        s.setPatientContext(81, true);
        s.add(VitalSign.RESPIRATORY_RATE, T0 - 5 * HOUR, 30, 6 * HOUR); // beyond the 4 h look-back
        s.add(VitalSign.RESPIRATORY_RATE, T0 - 2 * HOUR, 22, RETENTION); // 2
        s.add(VitalSign.SPO2, T0 - HOUR, 95, RETENTION); // scale 2 on oxygen: 2
        s.add(VitalSign.OXYGEN_FLOW, T0 - 2 * HOUR, 0, RETENTION);
        s.add(VitalSign.OXYGEN_FLOW, T0 - HOUR, 2, RETENTION); // oxygen: 2
        s.add(VitalSign.HEART_RATE, T0, 112, RETENTION); // 2
        s.add(VitalSign.CONSCIOUSNESS, T0 - 10 * MIN, 2, RETENTION); // Voice: 3

        News2Inputs in = s.latestNews2Inputs(T0, true);
        assertThat(in.respRate()).isEqualTo(22);
        assertThat(in.spo2()).isEqualTo(95);
        assertThat(in.onOxygen()).isTrue();
        assertThat(in.pulse()).isEqualTo(112);
        assertThat(in.acvpu()).isEqualTo(2);
        assertThat(in.systolicBp()).isNaN();
        assertThat(in.temperatureC()).isNaN();

        float[] x = s.features(T0);
        assertThat(x[IcuFeatures.AGE_YEARS]).isEqualTo(81f);
        assertThat(x[IcuFeatures.ON_OXYGEN]).isEqualTo(1f);
        assertThat(x[IcuFeatures.NEWS2_TOTAL]).isEqualTo(11f);
        assertThat(x[IcuFeatures.NEWS2_SCALE]).isEqualTo(2f);
        assertThat(x[IcuFeatures.indexOf("o2_flow_last")]).isEqualTo(2f);
        assertThat(x[IcuFeatures.indexOf("acvpu_max_4h")]).isEqualTo(2f);
        assertThat(s.news2(T0).missingParameters()).isEqualTo(2);
        assertThat(s.news2(T0).response()).isEqualTo(News2Response.HIGH);
    }

    @Test
    void equalTimesKeepBothValuesAndLastIsTheLarger() {
        PatientFeatureState a = new PatientFeatureState();
        a.add(VitalSign.HEART_RATE, T0, 90, RETENTION);
        a.add(VitalSign.HEART_RATE, T0, 80, RETENTION);
        PatientFeatureState b = new PatientFeatureState();
        b.add(VitalSign.HEART_RATE, T0, 80, RETENTION);
        b.add(VitalSign.HEART_RATE, T0, 90, RETENTION);
        assertThat(a).isEqualTo(b);
        assertThat(f(a, T0, "heart_rate_last")).isEqualTo(90f);
        assertThat(f(a, T0, "heart_rate_mean_1h")).isEqualTo(85f);
        assertThat(f(a, T0, "heart_rate_slope_1h")).isZero();
    }

    /** Every permutation of a small set, with duplicates and one observation beyond retention. */
    @Test
    void everyPermutationGivesIdenticalStateAndFeatures() {
        List<Obs> obs =
                List.of(
                        new Obs(VitalSign.HEART_RATE, T0 - 5 * HOUR, 70), // late or evicted, whatever the order
                        new Obs(VitalSign.HEART_RATE, T0 - 3 * HOUR, 80),
                        new Obs(VitalSign.HEART_RATE, T0 - 20 * MIN, 95),
                        new Obs(VitalSign.HEART_RATE, T0 - 20 * MIN, 95), // exact duplicate
                        new Obs(VitalSign.SPO2, T0 - 40 * MIN, 93),
                        new Obs(VitalSign.OXYGEN_FLOW, T0 - 10 * MIN, 2),
                        new Obs(VitalSign.RESPIRATORY_RATE, T0, 24));
        PatientFeatureState reference = load(obs);
        float[] expected = reference.features(T0);
        float[] earlier = reference.features(T0 - 30 * MIN);
        int[] count = {0};
        List<String> mismatches = new ArrayList<>();
        float[] buffer = new float[IcuFeatures.SIZE];
        permute(new ArrayList<>(obs), 0, perm -> {
            PatientFeatureState s = load(perm);
            if (!s.equals(reference)
                    || !Arrays.equals(s.features(T0, buffer), expected)
                    || !Arrays.equals(s.features(T0 - 30 * MIN, buffer), earlier)) {
                mismatches.add(perm.toString());
            }
            count[0]++;
        });
        assertThat(mismatches).isEmpty();
        assertThat(count[0]).isEqualTo(5040);
        assertThat(reference.series(VitalSign.HEART_RATE).size()).isEqualTo(2);
    }

    /** Random data: shuffles agree bit for bit, and agree with a brute-force computation. */
    @Test
    void randomShufflesMatchBruteForce() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            List<Obs> obs = randomObservations(random, 150 + random.nextInt(150));
            PatientFeatureState reference = load(obs);
            reference.setPatientContext(random.nextInt(90), random.nextBoolean());
            long newest = reference.newestEventTime();
            long[] asOfs = {newest, newest - 17 * MIN, newest - 2 * HOUR - 5 * MIN};
            for (int shuffle = 0; shuffle < 10; shuffle++) {
                List<Obs> shuffled = new ArrayList<>(obs);
                Collections.shuffle(shuffled, random);
                PatientFeatureState s = load(shuffled);
                s.setPatientContext(reference.ageYears, reference.spo2Scale2);
                for (long asOf : asOfs) {
                    assertThat(s.features(asOf)).containsExactly(reference.features(asOf));
                }
            }
            List<Obs> kept = new ArrayList<>();
            for (Obs o : new HashSet<>(obs)) {
                if (o.time >= newest - RETENTION) {
                    kept.add(o);
                }
            }
            for (long asOf : asOfs) {
                float[] brute = bruteForce(kept, asOf, reference.ageYears, reference.spo2Scale2);
                float[] actual = reference.features(asOf);
                for (int i = 0; i < IcuFeatures.SIZE; i++) {
                    assertThat(actual[i])
                            .as(IcuFeatures.NAMES.get(i))
                            .isCloseTo(brute[i], within(1e-3f * Math.max(1f, Math.abs(brute[i]))));
                }
            }
        }
    }

    @Test
    void lateAndDuplicateAreReported() {
        PatientFeatureState s = new PatientFeatureState();
        assertThat(s.add(VitalSign.SPO2, T0, 96, RETENTION)).isEqualTo(PatientFeatureState.Insert.ACCEPTED);
        assertThat(s.add(VitalSign.SPO2, T0, 96, RETENTION)).isEqualTo(PatientFeatureState.Insert.DUPLICATE);
        assertThat(s.add(VitalSign.SPO2, T0 - RETENTION, 95, RETENTION))
                .isEqualTo(PatientFeatureState.Insert.ACCEPTED);
        assertThat(s.add(VitalSign.SPO2, T0 - RETENTION - 1, 95, RETENTION))
                .isEqualTo(PatientFeatureState.Insert.LATE);
        assertThat(s.add(VitalSign.HEART_RATE, T0 + RETENTION + 1, 80, RETENTION))
                .isEqualTo(PatientFeatureState.Insert.ACCEPTED);
        assertThat(s.series(VitalSign.SPO2).size()).isZero(); // evicted when the newest time advanced
        assertThat(s.newestEventTime()).isEqualTo(T0 + RETENTION + 1);
        assertThatThrownBy(() -> s.add(VitalSign.SPO2, T0, Double.NaN, RETENTION))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.add(VitalSign.SPO2, T0, 90, HOUR)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void seriesGrowsAndShrinks() {
        PatientFeatureState s = new PatientFeatureState();
        for (int i = 0; i < 1000; i++) {
            s.add(VitalSign.HEART_RATE, T0 + (i * 7919L % 1000) * 10_000L, 60 + i % 40, RETENTION);
        }
        VitalSeries hr = s.series(VitalSign.HEART_RATE);
        assertThat(hr.size()).isEqualTo(1000);
        assertThat(hr.times.length).isGreaterThanOrEqualTo(1000).isLessThan(2000);
        for (int i = 1; i < hr.size(); i++) {
            assertThat(hr.timeAt(i)).isGreaterThan(hr.timeAt(i - 1));
        }
        s.add(VitalSign.HEART_RATE, T0 + 999 * 10_000L + RETENTION + 1, 70, RETENTION);
        assertThat(hr.size()).isEqualTo(1);
        assertThat(hr.times.length).isEqualTo(8);
    }

    // ---------------------------------------------------------------------------------------------------------

    record Obs(VitalSign vital, long time, double value) {}

    private static PatientFeatureState load(List<Obs> obs) {
        PatientFeatureState s = new PatientFeatureState();
        for (Obs o : obs) {
            s.add(o.vital, o.time, o.value, RETENTION);
        }
        return s;
    }

    private static List<Obs> randomObservations(Random random, int n) {
        List<Obs> obs = new ArrayList<>();
        VitalSign[] vitals = VitalSign.values();
        long span = 9 * HOUR;
        for (int i = 0; i < n; i++) {
            VitalSign v = vitals[random.nextInt(vitals.length)];
            // Unique times so "last" is unambiguous; seconds resolution, spread over 9 h.
            long t = T0 - span + (long) random.nextInt((int) (span / 1000)) * 1000 + i % 1000;
            double value;
            if (v == VitalSign.CONSCIOUSNESS) {
                value = random.nextInt(10) < 8 ? 0 : 1 + random.nextInt(4);
            } else if (v == VitalSign.OXYGEN_FLOW) {
                value = random.nextBoolean() ? 0 : random.nextInt(15);
            } else {
                double lo = Math.max(v.minPossible(), 30);
                double hi = Math.min(v.maxPossible(), 200);
                value = Math.round((lo + random.nextDouble() * (hi - lo)) * 10) / 10.0;
            }
            obs.add(new Obs(v, t, value));
            if (random.nextInt(20) == 0) {
                obs.add(new Obs(v, t, value)); // duplicate delivery
            }
        }
        return obs;
    }

    /** Straightforward recomputation from the list, with the one-pass slope formula. */
    private static float[] bruteForce(List<Obs> kept, long asOf, int age, boolean scale2) {
        List<Float> out = new ArrayList<>();
        for (VitalSign v : IcuFeatures.TREND_VITALS) {
            List<Obs> w4 = window(kept, v, asOf, 4 * HOUR);
            List<Obs> w1 = window(kept, v, asOf, HOUR);
            if (w4.isEmpty()) {
                float d = (float) IcuFeatures.defaultValue(v);
                out.addAll(List.of(d, d, d, d, d, d, d, 0f, 0f, 240f, 1f));
                continue;
            }
            Obs last = w4.get(w4.size() - 1);
            out.add((float) last.value);
            List<Obs> w1OrLast = w1.isEmpty() ? List.of(last) : w1;
            addStats(out, w1OrLast);
            addStats(out, w4);
            out.add((float) slope(w1));
            out.add((float) slope(w4));
            out.add((float) Math.min(240.0, (asOf - last.time) / 60_000.0));
            out.add(0f);
        }
        for (VitalSign v : IcuFeatures.STATE_VITALS) {
            List<Obs> w4 = window(kept, v, asOf, 4 * HOUR);
            if (w4.isEmpty()) {
                out.addAll(List.of(0f, 0f, 1f));
            } else {
                out.add((float) w4.get(w4.size() - 1).value);
                out.add((float) w4.stream().mapToDouble(Obs::value).max().getAsDouble());
                out.add(0f);
            }
        }
        out.add((float) (age >= 0 ? age : 65));
        double o2 = latestOrNaN(kept, VitalSign.OXYGEN_FLOW, asOf);
        out.add(o2 > 0 ? 1f : 0f);
        double acvpu = latestOrNaN(kept, VitalSign.CONSCIOUSNESS, asOf);
        News2Result news2 =
                News2.score(
                        new News2Inputs(
                                latestOrNaN(kept, VitalSign.RESPIRATORY_RATE, asOf),
                                latestOrNaN(kept, VitalSign.SPO2, asOf),
                                o2 > 0,
                                latestOrNaN(kept, VitalSign.SYSTOLIC_BP, asOf),
                                latestOrNaN(kept, VitalSign.HEART_RATE, asOf),
                                Double.isNaN(acvpu) ? -1 : (int) acvpu,
                                latestOrNaN(kept, VitalSign.TEMPERATURE, asOf),
                                scale2));
        out.add((float) news2.total());
        out.add((float) news2.scale());
        float[] result = new float[out.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = out.get(i);
        }
        return result;
    }

    private static List<Obs> window(List<Obs> all, VitalSign v, long asOf, long width) {
        List<Obs> w = new ArrayList<>();
        for (Obs o : all) {
            if (o.vital == v && o.time <= asOf && o.time > asOf - width) {
                w.add(o);
            }
        }
        w.sort(Comparator.comparingLong(Obs::time).thenComparingDouble(Obs::value));
        return w;
    }

    private static double latestOrNaN(List<Obs> all, VitalSign v, long asOf) {
        List<Obs> w = window(all, v, asOf, 4 * HOUR);
        return w.isEmpty() ? Double.NaN : w.get(w.size() - 1).value;
    }

    private static void addStats(List<Float> out, List<Obs> w) {
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (Obs o : w) {
            sum += o.value;
            min = Math.min(min, o.value);
            max = Math.max(max, o.value);
        }
        out.add((float) (sum / w.size()));
        out.add((float) min);
        out.add((float) max);
    }

    private static double slope(List<Obs> w) {
        int n = w.size();
        if (n < 2) {
            return 0;
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        long origin = w.get(0).time;
        for (Obs o : w) {
            double x = (o.time - origin) / 3_600_000.0;
            sx += x;
            sy += o.value;
            sxx += x * x;
            sxy += x * o.value;
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? 0 : (n * sxy - sx * sy) / den;
    }

    private interface PermutationConsumer {
        void accept(List<Obs> permutation);
    }

    private static void permute(List<Obs> list, int k, PermutationConsumer consumer) {
        if (k == list.size()) {
            consumer.accept(list);
            return;
        }
        for (int i = k; i < list.size(); i++) {
            Collections.swap(list, k, i);
            permute(list, k + 1, consumer);
            Collections.swap(list, k, i);
        }
    }
}
