package dev.vigil.operators.drift.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.drift.DriftDetectors;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Calibration to a target ERT: the calibrated threshold, re-measured on fresh seeds, has the target ERT within
 * statistical error; the run-length curve is monotone; the search reports targets it cannot reach.
 */
class ErtCalibratorTest {

    private static final double Z95 = 1.959963984540054;
    private static final NullStream ERRORS = NullStream.bernoulli(0.1);

    @ParameterizedTest(name = "{0} to ERT {1}")
    @CsvSource({
        "page-hinkley, 500, 1000",
        "page-hinkley, 2000, 1000",
        "adwin, 4000, 200",
        "adwin, 10000, 200",
    })
    void calibratedThresholdHasTheTargetErtOnFreshSeeds(String detector, double target, int runs) {
        ErtCalibrator calibrator = ErtCalibrator.forDetector(detector)
                .nullStream(ERRORS)
                .targetErt(target)
                .runs(runs)
                .maxRunLengthFactor(4)
                .seed(11)
                .build();
        Calibration c = calibrator.calibrate();

        assertThat(c.status()).isEqualTo(Calibration.Status.CONVERGED);
        assertThat(c.estimate().ert() / target).isBetween(0.98, 1.02);
        assertThat(c.estimate().runs()).isEqualTo(runs);
        assertThat(c.params()).contains(c.parameter().name() + "=" + c.value());
        // bounded cost: far below evaluations x runs x cut-off thanks to early stopping
        assertThat(c.observations()).isLessThan((long) c.evaluations() * runs * calibrator.maxRunLength() / 2);

        // fresh seeds: the new estimate's interval, widened by the calibration's own error, holds the target
        ErtEstimate fresh = calibrator.estimate(c.value(), 12_345);
        double se = Math.hypot(fresh.relativeStandardError(), c.estimate().relativeStandardError());
        assertThat(Math.abs(Math.log(fresh.ert() / target))).as("fresh %s", fresh)
                .isLessThanOrEqualTo(Z95 * se + Math.log(1.02));
        // and a detector created from the returned settings is the one measured
        List<String> params = c.params();
        ErtEstimate viaRegistry = ErtCalibrator.measure(() -> DriftDetectors.create(detector, params), ERRORS,
                runs, calibrator.maxRunLength(), 12_345, 0.95);
        assertThat(viaRegistry).isEqualTo(fresh);
    }

    @Test
    void runLengthGrowsMonotonicallyWithTheThreshold() {
        ErtCalibrator ph = ErtCalibrator.forDetector("page-hinkley").nullStream(ERRORS).targetErt(1000).runs(100)
                .seed(3).build();
        double previous = 0;
        for (double lambda : new double[] {2, 4, 8, 12, 16}) {
            double ert = ph.estimate(lambda).ert();
            assertThat(ert).as("lambda %s", lambda).isGreaterThan(previous);
            previous = ert;
        }
        ErtCalibrator adwin = ErtCalibrator.forDetector("adwin").nullStream(ERRORS).targetErt(2000).runs(100)
                .seed(3).build();
        previous = Double.POSITIVE_INFINITY;
        for (double delta : new double[] {0.05, 0.2, 0.5, 0.9}) {
            double ert = adwin.estimate(delta).ert();
            assertThat(ert).as("delta %s", delta).isLessThan(previous);
            previous = ert;
        }
    }

    @Test
    void everyKnownParameterIsMonotoneAsDeclared() {
        double[] reference = new Random(5).doubles(500).map(u -> u * u).toArray(); // skewed, continuous
        for (ThresholdParameter p : ThresholdParameter.known()) {
            boolean labels = List.of("ddm", "eddm", "hddm-a", "hddm-w").contains(p.detector());
            NullStream stream = labels ? ERRORS : NullStream.bootstrap(reference);
            List<String> small = switch (p.detector()) {
                case "ks-window" -> List.of("reference-size=30", "window-size=30");
                case "psi" -> List.of("reference-size=100", "window-size=100");
                case "js" -> List.of("categories=4", "reference-size=50", "window-size=50");
                case "page-hinkley" -> p.name().equals("delta") ? List.of("lambda=3") : List.of();
                default -> List.of();
            };
            if (p.detector().equals("js")) {
                stream = NullStream.bootstrap(new double[] {0, 1, 1, 2, 2, 2, 3, 3, 3, 3});
            }
            ErtCalibrator c = ErtCalibrator.forDetector(p.detector()).parameter(p.name()).params(small)
                    .nullStream(stream).targetErt(300).runs(20).seed(1).build();
            double[] values = grid(p);
            double[] erts = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                ErtEstimate e = c.estimate(values[i]);
                // mean observed length: finite even when no run alarms
                erts[i] = (double) e.observations() / e.runs();
            }
            for (int i = 1; i < values.length; i++) {
                String what = p.detector() + " " + p.name() + " at " + values[i - 1] + " and " + values[i];
                if (p.stricterWhenLarger()) {
                    assertThat(erts[i]).as(what).isGreaterThanOrEqualTo(erts[i - 1]);
                } else {
                    assertThat(erts[i]).as(what).isLessThanOrEqualTo(erts[i - 1]);
                }
            }
            assertThat(erts[0]).as(p.detector() + " " + p.name() + " varies").isNotEqualTo(erts[erts.length - 1]);
        }
    }

    /** Four values spanning a useful part of the parameter's range, increasing. */
    private static double[] grid(ThresholdParameter p) {
        return switch (p.detector() + "/" + p.name()) {
            case "adwin/delta" -> new double[] {0.01, 0.1, 0.5, 0.99};
            case "ddm/drift-level" -> new double[] {1, 2, 3, 4};
            case "eddm/beta" -> new double[] {0.5, 0.7, 0.85, 0.95};
            case "page-hinkley/lambda" -> new double[] {0.5, 1, 2, 4};
            case "page-hinkley/delta" -> new double[] {0.001, 0.01, 0.05, 0.1};
            case "psi/threshold" -> new double[] {0.02, 0.05, 0.1, 0.2};
            case "js/threshold" -> new double[] {0.02, 0.05, 0.1, 0.2};
            default -> new double[] {1e-4, 1e-3, 1e-2, 0.1}; // significance levels and confidences
        };
    }

    @Test
    void deterministicForASeed() {
        Calibration a = ErtCalibrator.forDetector("page-hinkley").nullStream(ERRORS).targetErt(300).runs(50)
                .seed(9).build().calibrate();
        Calibration b = ErtCalibrator.forDetector("page-hinkley").nullStream(ERRORS).targetErt(300).runs(50)
                .seed(9).build().calibrate();
        Calibration other = ErtCalibrator.forDetector("page-hinkley").nullStream(ERRORS).targetErt(300).runs(50)
                .seed(10).build().calibrate();
        assertThat(a).isEqualTo(b);
        assertThat(other.value()).isNotEqualTo(a.value());
    }

    @Test
    void unreachableTargetIsReportedWithTheNearestValue() {
        // ADWIN checks for a cut every 32 values and needs a large difference of means: even at delta = 0.999 its
        // ERT on a 10% error stream is in the thousands
        Calibration c = ErtCalibrator.forDetector("adwin").nullStream(ERRORS).targetErt(500).runs(50).seed(2)
                .build().calibrate();
        assertThat(c.status()).isEqualTo(Calibration.Status.OUT_OF_RANGE);
        assertThat(c.reached()).isFalse();
        assertThat(c.value()).isEqualTo(c.parameter().upper());
        assertThat(c.estimate().lower()).isGreaterThan(500);
    }

    @Test
    void discreteStatisticsEndOnAStepOnTheSideOfFewerAlarms() {
        // DDM's statistic moves in steps of one error, so the ERT jumps across most targets
        Calibration c = ErtCalibrator.forDetector("ddm").nullStream(ERRORS).targetErt(1000).runs(60).seed(4)
                .build().calibrate();
        assertThat(c.reached()).isTrue();
        if (c.status() == Calibration.Status.STEP) {
            assertThat(c.estimate().ert()).isGreaterThan(1000);
        }
    }

    @Test
    void warningSettingFollowsTheCalibratedDriftSetting() {
        ErtCalibrator ddm = ErtCalibrator.forDetector("ddm").params(List.of("w=2.5", "n=50")).nullStream(ERRORS)
                .targetErt(1000).build();
        assertThat(ddm.settings(1.5)).containsExactly("min-instances=50", "warning-level=1.5", "drift-level=1.5");
        assertThat(ddm.settings(4.0)).containsExactly("min-instances=50", "warning-level=2.5", "drift-level=4.0");
        ErtCalibrator hddm = ErtCalibrator.forDetector("hddm-a").nullStream(ERRORS).targetErt(1000).build();
        assertThat(hddm.settings(0.01)).contains("warning-confidence=0.01", "drift-confidence=0.01");
        assertThat(hddm.settings(1e-4)).contains("warning-confidence=0.005", "drift-confidence=1.0E-4");
    }

    @Test
    void keepsTheGivenSettingsAndListsEveryParameter() {
        ErtCalibrator c = ErtCalibrator.forDetector("page-hinkley").params(List.of("threshold=9", "mode=up"))
                .nullStream(ERRORS).targetErt(700).runs(30).build();
        Calibration r = c.calibrate();
        // every parameter, in the registry's order, the given ones kept
        assertThat(r.params()).hasSize(5).contains("mode=up", "min-instances=30", "lambda=" + r.value());
        assertThat(r.params().get(2)).startsWith("lambda=");
    }

    @Test
    void validatesSettings() {
        assertThatThrownBy(() -> ErtCalibrator.forDetector("nope")).hasMessageContaining("unknown detector");
        assertThatThrownBy(() -> ErtCalibrator.forDetector("adwin").targetErt(100).build())
                .hasMessageContaining("null stream");
        assertThatThrownBy(() -> ErtCalibrator.forDetector("adwin").nullStream(ERRORS).build())
                .hasMessageContaining("target ERT");
        assertThatThrownBy(() -> ErtCalibrator.forDetector("adwin").nullStream(ERRORS).targetErt(100).runs(5)
                .build()).hasMessageContaining("runs must be >= 10");
        assertThatThrownBy(() -> ErtCalibrator.forDetector("adwin").parameter("clock"))
                .hasMessageContaining("cannot be calibrated; calibratable: delta");
        assertThatThrownBy(() -> ErtCalibrator.forDetector("kswin").params(List.of("window-size=10"))
                .nullStream(ERRORS).targetErt(100).build()).hasMessageContaining("window-size");
        assertThatThrownBy(() -> ErtCalibrator.forDetector("adwin").nullStream(ERRORS).targetErt(100).build()
                .estimate(1.5)).hasMessageContaining("delta of adwin must be in");
        assertThatThrownBy(() -> NullStream.parse("poisson:3")).hasMessageContaining("bernoulli:P or normal");
        assertThat(NullStream.parse(" Bernoulli:0.2 ")).isEqualTo(NullStream.bernoulli(0.2));
        assertThat(NullStream.parse("normal:1,2")).isEqualTo(NullStream.normal(1, 2));
        assertThatThrownBy(() -> NullStream.bootstrap(new double[] {1})).hasMessageContaining("at least 2");
    }
}
