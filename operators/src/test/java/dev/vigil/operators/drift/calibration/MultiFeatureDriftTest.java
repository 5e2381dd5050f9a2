package dev.vigil.operators.drift.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.drift.DetectorState;
import dev.vigil.operators.drift.calibration.MultipleTesting.Correction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Many features, one false-alarm budget: on 20 features without drift the corrected monitor raises far fewer alarms
 * than uncorrected per-feature detectors, and it still finds a real shift in one feature.
 */
class MultiFeatureDriftTest {

    private static final int FEATURES = 20;

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < FEATURES; i++) {
            names.add("f" + i);
        }
        return names;
    }

    /**
     * {@code steps} rows of 20 independent features with different locations and scales; feature {@code shifted}
     * moves by {@code shift} of its standard deviation from step {@code changeAt} on.
     */
    private static double[][] stream(long seed, int steps, int shifted, int changeAt, double shift) {
        Random rng = new Random(seed);
        double[][] rows = new double[steps][FEATURES];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < FEATURES; i++) {
                double sd = 1 + i;
                double z = rng.nextGaussian() + (i == shifted && t >= changeAt ? shift : 0);
                rows[t][i] = 10 * i + sd * z;
            }
        }
        return rows;
    }

    /**
     * Alarms per feature over the rows; sets {@code firstAfter[0]} to the first step at or after {@code from} at which
     * {@code feature} drifted (-1 if none).
     */
    private static int[] run(MultiFeatureDrift monitor, double[][] rows, int feature, int from, int[] firstAfter) {
        int[] alarms = new int[FEATURES];
        firstAfter[0] = -1;
        for (int t = 0; t < rows.length; t++) {
            if (monitor.update(rows[t])) {
                for (int i = 0; i < FEATURES; i++) {
                    if (monitor.drifted(i)) {
                        alarms[i]++;
                        if (i == feature && t >= from && firstAfter[0] < 0) {
                            firstAfter[0] = t;
                        }
                    }
                }
            }
        }
        return alarms;
    }

    private static int total(int[] alarms) {
        int s = 0;
        for (int a : alarms) {
            s += a;
        }
        return s;
    }

    @Test
    void pValueCorrectionsCutFalseAlarmsAndKeepDetection() {
        List<String> window = List.of("reference-size=40", "window-size=40");
        double level = 0.05;
        double[][] noDrift = stream(1, 2000, -1, 0, 0);
        double[][] drift = stream(2, 2000, 7, 1000, 1.5);
        int[] first = new int[1];

        // uncorrected: every feature's detector at the family level
        MultiFeatureDrift uncorrected = MultiFeatureDrift.builder("ks-window", append(window, "alpha=" + level))
                .features(names()).build();
        int falseUncorrected = total(run(uncorrected, noDrift, -1, 0, first));
        assertThat(falseUncorrected).isGreaterThanOrEqualTo(20);
        for (Correction c : new Correction[] {Correction.BONFERRONI, Correction.HOLM,
                Correction.BENJAMINI_HOCHBERG}) {
            MultiFeatureDrift corrected = MultiFeatureDrift.builder("ks-window", window).features(names())
                    .correction(c).level(level).build();
            int falseCorrected = total(run(corrected, noDrift, -1, 0, first));
            assertThat(falseCorrected).as("%s vs uncorrected %s", c, falseUncorrected)
                    .isLessThanOrEqualTo(falseUncorrected / 5);
        }
        for (Correction c : new Correction[] {Correction.HOLM, Correction.BENJAMINI_HOCHBERG}) {
            MultiFeatureDrift corrected = MultiFeatureDrift.builder("ks-window", window).features(names())
                    .correction(c).level(level).build();
            run(corrected, drift, 7, 1000, first);
            assertThat(first[0]).as("%s detects the shift of feature 7", c).isBetween(1000, 1040);
        }
    }

    @Test
    void bonferroniCalibratedSequentialDetectorsKeepTheGlobalBudget() {
        double globalErt = 500;
        NullStream standardized = NullStream.normal(0, 1);
        ErtCalibrator.Builder ph = ErtCalibrator.forDetector("page-hinkley").nullStream(standardized).runs(200)
                .maxRunLengthFactor(3).seed(5);
        Calibration perFeature = ph.targetErt(globalErt).build().calibrate();
        Calibration split = ph.targetErt(MultiFeatureDrift.perFeatureErt(globalErt, FEATURES)).build().calibrate();
        assertThat(split.value()).isGreaterThan(perFeature.value());

        int steps = 10_000;
        double[][] rows = stream(3, steps, 3, 5000, 1.0);
        for (double[] row : rows) {
            for (int i = 0; i < FEATURES; i++) {
                row[i] = (row[i] - 10 * i) / (1 + i); // standardized, as calibrated
            }
        }
        int[] first = new int[1];
        int[] uncorrected = run(MultiFeatureDrift.builder("page-hinkley", perFeature.params()).features(names())
                .build(), rows, 3, 5000, first);
        int[] corrected = run(MultiFeatureDrift.builder("page-hinkley", split.params()).features(names()).build(),
                rows, 3, 5000, first);
        int falseUncorrected = total(uncorrected) - uncorrected[3];
        int falseCorrected = total(corrected) - corrected[3];
        // 19 drift-free features over 10000 steps: about 19 * 10000 / 500 = 380 alarms per-feature calibrated,
        // about 19/20 * 10000 / 500 = 19 with the budget split
        assertThat(falseUncorrected).isGreaterThan(250);
        assertThat(falseCorrected).isLessThanOrEqualTo(30);
        assertThat(first[0]).as("detects the 1-sd shift of feature 3").isBetween(5000, 5100);
    }

    @Test
    void snapshotAndRestoreContinueBitForBit() {
        double[][] rows = stream(4, 600, 2, 300, 2.0);
        rows[100][5] = Double.NaN; // a missing value
        for (MultiFeatureDrift.Builder b : List.of(
                MultiFeatureDrift.builder("ks-window", List.of("reference-size=40", "window-size=30"))
                        .features(names()).correction(Correction.BENJAMINI_HOCHBERG).level(0.01),
                MultiFeatureDrift.builder("kswin", List.of("window-size=60", "stat-size=20"))
                        .features(names()).correction(Correction.HOLM).level(0.01),
                MultiFeatureDrift.builder("page-hinkley", List.of("lambda=8")).features(names()))) {
            MultiFeatureDrift original = b.build();
            for (int t = 0; t < 250; t++) {
                original.update(rows[t]);
            }
            DetectorState state = original.snapshot();
            MultiFeatureDrift restored = b.build();
            restored.restore(state);
            assertThat(restored.snapshot()).isEqualTo(state);
            int drifts = 0;
            for (int t = 250; t < rows.length; t++) {
                boolean a = original.update(rows[t]);
                assertThat(restored.update(rows[t])).isEqualTo(a);
                drifts += a ? 1 : 0;
                for (int i = 0; i < FEATURES; i++) {
                    assertThat(restored.drifted(i)).isEqualTo(original.drifted(i));
                    assertThat(Double.doubleToLongBits(restored.pValue(i)))
                            .isEqualTo(Double.doubleToLongBits(original.pValue(i)));
                }
            }
            assertThat(drifts).as(original.detector()).isPositive();
            assertThat(restored.snapshot()).isEqualTo(original.snapshot());
        }
    }

    @Test
    void missingValuesLeaveAFeatureUntested() {
        MultiFeatureDrift m = MultiFeatureDrift.builder("ks-window", List.of("reference-size=5", "window-size=5"))
                .features(List.of("a", "b")).correction(Correction.HOLM).level(0.05).build();
        for (int t = 0; t < 10; t++) {
            m.update(new double[] {t < 5 ? 0 : 10 + t, Double.NaN});
        }
        // a reference of five 0s against a window of five values above 10: D = 1, p = 2 / C(10, 5)
        assertThat(m.pValue(0)).isEqualTo(2.0 / 252);
        assertThat(m.adjustedPValue(0)).isEqualTo(2 * 2.0 / 252);
        assertThat(m.drifted(0)).isTrue();
        assertThat(m.pValue(1)).isEqualTo(1.0);
        assertThat(m.drifted(1)).isFalse();
        assertThat(m.snapshot().slot("f1.reference")).isEmpty();
    }

    @Test
    void validatesSettings() {
        assertThatThrownBy(() -> MultiFeatureDrift.builder("page-hinkley", List.of()).features(names())
                .correction(Correction.HOLM).level(0.01).build())
                .hasMessageContaining("needs detectors with p-values");
        assertThatThrownBy(() -> MultiFeatureDrift.builder("kswin", List.of()).features(names()).level(0.01).build())
                .hasMessageContaining("a level needs a p-value correction");
        assertThatThrownBy(() -> MultiFeatureDrift.builder("kswin", List.of()).features(names())
                .correction(Correction.BONFERRONI).build()).hasMessageContaining("level must be in (0, 1)");
        assertThatThrownBy(() -> MultiFeatureDrift.builder("kswin", List.of()).build())
                .hasMessageContaining("at least one feature");
        assertThatThrownBy(() -> MultiFeatureDrift.builder("kswin", List.of()).feature("a").feature("a"))
                .hasMessageContaining("given twice");
        MultiFeatureDrift m = MultiFeatureDrift.builder("page-hinkley", List.of("lambda=10"))
                .feature("a").feature("b", List.of("threshold=20")).build();
        assertThat(m.params(1)).contains("lambda=20").doesNotContain("lambda=10");
        assertThatThrownBy(() -> m.update(new double[3])).hasMessageContaining("expected 2 feature values");
        assertThat(MultiFeatureDrift.perFeatureErt(1000, 20)).isEqualTo(20_000);
        assertThatThrownBy(() -> m.restore(MultiFeatureDrift.builder("page-hinkley", List.of()).feature("x")
                .build().snapshot())).hasMessageContaining("cannot restore 2");
    }

    private static List<String> append(List<String> list, String kv) {
        List<String> out = new ArrayList<>(list);
        out.add(kv);
        return out;
    }
}
