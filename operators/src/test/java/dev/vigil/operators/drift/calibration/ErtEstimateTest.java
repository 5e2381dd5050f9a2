package dev.vigil.operators.drift.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The ERT estimator against closed forms, and its interval's coverage on geometric run lengths of known mean. */
class ErtEstimateTest {

    private static final double Z95 = 1.959963984540054;

    @Test
    void withoutCensoringItIsTheSampleMeanWithTheUsualStandardError() {
        long[] lengths = {3, 9, 4, 12, 7};
        ErtEstimate e = ErtEstimate.of(lengths, new boolean[] {true, true, true, true, true}, 100, 0.95);
        double mean = 7.0;
        double sd = Math.sqrt((16 + 4 + 9 + 25 + 0) / 4.0); // sample sd
        double relSe = sd / Math.sqrt(5) / mean;
        assertThat(e.ert()).isEqualTo(mean);
        assertThat(e.lower()).isCloseTo(mean * Math.exp(-Z95 * relSe), within(1e-6));
        assertThat(e.upper()).isCloseTo(mean * Math.exp(Z95 * relSe), within(1e-6));
        assertThat(e.relativeStandardError()).isCloseTo(relSe, within(1e-8));
        assertThat(e.alarms()).isEqualTo(5);
        assertThat(e.censored()).isZero();
        assertThat(e.observations()).isEqualTo(35);
    }

    @Test
    void censoredRunsAddExposureButNoAlarm() {
        // two alarms (at 10 and 30) and two runs cut off at 50: 140 observations per 2 alarms
        long[] lengths = {10, 50, 30, 50};
        ErtEstimate e = ErtEstimate.of(lengths, new boolean[] {true, false, true, false}, 50, 0.9);
        assertThat(e.ert()).isEqualTo(70.0);
        // sandwich variance of the ratio: residuals x - R d = -60, 50, -40, 50; d-bar = 1/2
        double se = Math.sqrt((3600 + 2500 + 1600 + 2500) / (4.0 * 3)) / 0.5;
        double z90 = 1.6448536269514722;
        assertThat(e.upper()).isCloseTo(70 * Math.exp(z90 * se / 70), within(1e-6));
        assertThat(e.censored()).isEqualTo(2);
        assertThat(e.contains(70)).isTrue();
    }

    @Test
    void noAlarmGivesAnInfiniteEstimateAndTheRuleOfThreeBound() {
        ErtEstimate e = ErtEstimate.of(new long[] {40, 40, 40}, new boolean[3], 40, 0.95);
        assertThat(e.ert()).isInfinite();
        assertThat(e.upper()).isInfinite();
        assertThat(e.lower()).isCloseTo(120 / -Math.log(0.05), within(1e-9));
        assertThat(e.relativeStandardError()).isNaN();
    }

    @Test
    void rejectsInconsistentRuns() {
        assertThatThrownBy(() -> ErtEstimate.of(new long[] {5, 60}, new boolean[] {true, true}, 50, 0.95))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run 1");
        assertThatThrownBy(() -> ErtEstimate.of(new long[] {5, 20}, new boolean[] {true, false}, 50, 0.95))
                .hasMessageContaining("alarmed false");
        assertThatThrownBy(() -> ErtEstimate.of(new long[] {5}, new boolean[] {true}, 50, 0.95))
                .hasMessageContaining("at least 2 runs");
        assertThatThrownBy(() -> ErtEstimate.of(new long[] {5, 6}, new boolean[] {true, true}, 50, 1.0))
                .hasMessageContaining("confidence");
    }

    @Test
    void intervalCoversTheTrueErtAtAboutItsLevelEvenWithHeavyCensoring() {
        // geometric run lengths with mean 1/q = 100, cut off at 150 (22% of runs censored)
        double trueErt = 100;
        int experiments = 400;
        int covered = 0;
        double sumLog = 0;
        for (int s = 0; s < experiments; s++) {
            ErtEstimate e = ErtCalibrator.measure(TestingGeometricDetector::new, NullStream.bernoulli(1 / trueErt),
                    100, 150, s, 0.95);
            if (e.contains(trueErt)) {
                covered++;
            }
            sumLog += Math.log(e.ert() / trueErt);
        }
        // binomial sd of the coverage over 400 experiments is 1.1%
        assertThat(covered / (double) experiments).isBetween(0.92, 0.98);
        assertThat(sumLog / experiments).isCloseTo(0.0, within(0.02)); // no visible bias
    }
}
