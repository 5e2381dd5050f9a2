package dev.vigil.operators.icu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class News2Test {

    /** All parameters normal (score 0), scale 1, on air. */
    private static News2Inputs normal() {
        return new News2Inputs(16, 97, false, 120, 75, 0, 37.0, false);
    }

    private static News2Inputs with(
            double rr, double spo2, boolean o2, double sbp, double pulse, int acvpu, double temp, boolean scale2) {
        return new News2Inputs(rr, spo2, o2, sbp, pulse, acvpu, temp, scale2);
    }

    @ParameterizedTest(name = "RR {0} -> {1}")
    @CsvSource({
        "0, 3", "8, 3", "8.49, 3", "8.5, 1", "9, 1", "11, 1", "11.49, 1", "11.5, 0", "12, 0", "20, 0", "20.49, 0",
        "20.5, 2", "21, 2", "24, 2", "24.5, 3", "25, 3", "60, 3"
    })
    void respirationRateBands(double rr, int expected) {
        assertThat(News2.respScore(rr)).isEqualTo(expected);
        News2Result r = News2.score(with(rr, 97, false, 120, 75, 0, 37.0, false));
        assertThat(r.respScore()).isEqualTo(expected);
        assertThat(r.total()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "SpO2 scale 1 {0} -> {1}")
    @CsvSource({
        "50, 3", "91, 3", "91.49, 3", "91.5, 2", "92, 2", "93, 2", "94, 1", "95, 1", "95.5, 0", "96, 0", "100, 0"
    })
    void spo2Scale1Bands(double spo2, int expected) {
        assertThat(News2.spo2Scale1Score(spo2)).isEqualTo(expected);
        // Scale 1 ignores oxygen for the SpO2 row; oxygen scores on its own row.
        News2Result onAir = News2.score(with(16, spo2, false, 120, 75, 0, 37.0, false));
        News2Result onO2 = News2.score(with(16, spo2, true, 120, 75, 0, 37.0, false));
        assertThat(onAir.spo2Score()).isEqualTo(expected);
        assertThat(onO2.spo2Score()).isEqualTo(expected);
        assertThat(onAir.scale()).isEqualTo(1);
        assertThat(onO2.total()).isEqualTo(expected + 2);
    }

    @ParameterizedTest(name = "SpO2 scale 2 {0} air={1} -> {2}")
    @CsvSource({
        // below target: same for air and oxygen
        "50, false, 3", "50, true, 3", "83, false, 3", "83, true, 3", "84, false, 2", "84, true, 2",
        "85, false, 2", "85, true, 2", "86, false, 1", "86, true, 1", "87, false, 1", "87, true, 1",
        // target range
        "87.5, false, 0", "88, false, 0", "88, true, 0", "92, false, 0", "92, true, 0", "92.49, true, 0",
        // above target: 0 on air, scored on oxygen
        "93, false, 0", "100, false, 0", "92.5, true, 1", "93, true, 1", "94, true, 1", "95, true, 2",
        "96, true, 2", "97, true, 3", "100, true, 3"
    })
    void spo2Scale2Bands(double spo2, boolean onOxygen, int expected) {
        assertThat(News2.spo2Scale2Score(spo2, onOxygen)).isEqualTo(expected);
        News2Result r = News2.score(with(16, spo2, onOxygen, 120, 75, 0, 37.0, true));
        assertThat(r.scale()).isEqualTo(2);
        assertThat(r.spo2Score()).isEqualTo(expected);
        assertThat(r.oxygenScore()).isEqualTo(onOxygen ? 2 : 0);
        assertThat(r.total()).isEqualTo(expected + (onOxygen ? 2 : 0));
    }

    @ParameterizedTest(name = "SBP {0} -> {1}")
    @CsvSource({
        "40, 3", "90, 3", "90.49, 3", "90.5, 2", "91, 2", "100, 2", "101, 1", "110, 1", "111, 0", "219, 0",
        "219.49, 0", "219.5, 3", "220, 3", "280, 3"
    })
    void systolicBpBands(double sbp, int expected) {
        assertThat(News2.systolicBpScore(sbp)).isEqualTo(expected);
        assertThat(News2.score(with(16, 97, false, sbp, 75, 0, 37.0, false)).sbpScore()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "pulse {0} -> {1}")
    @CsvSource({
        "20, 3", "40, 3", "40.49, 3", "40.5, 1", "41, 1", "50, 1", "51, 0", "90, 0", "91, 1", "110, 1", "111, 2",
        "130, 2", "130.5, 3", "131, 3", "200, 3"
    })
    void pulseBands(double pulse, int expected) {
        assertThat(News2.pulseScore(pulse)).isEqualTo(expected);
        assertThat(News2.score(with(16, 97, false, 120, pulse, 0, 37.0, false)).pulseScore()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "temperature {0} -> {1}")
    @CsvSource({
        "30.0, 3", "35.0, 3", "35.04, 3", "35.049, 3", "35.05, 1", "35.1, 1", "36.0, 1", "36.04, 1", "36.05, 0",
        "36.1, 0", "38.0, 0", "38.04, 0", "38.05, 1", "38.1, 1", "39.0, 1", "39.04, 1", "39.05, 2", "39.1, 2",
        "42.0, 2"
    })
    void temperatureBandsRoundHalfUpToTenths(double celsius, int expected) {
        assertThat(News2.temperatureScore(celsius)).isEqualTo(expected);
        assertThat(News2.score(with(16, 97, false, 120, 75, 0, celsius, false)).temperatureScore())
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "ACVPU {0} -> {1}")
    @CsvSource({"0, 0", "1, 3", "2, 3", "3, 3", "4, 3"})
    void consciousness(int acvpu, int expected) {
        News2Result r = News2.score(with(16, 97, false, 120, 75, acvpu, 37.0, false));
        assertThat(r.consciousnessScore()).isEqualTo(expected);
        assertThat(r.total()).isEqualTo(expected);
        assertThat(r.response()).isEqualTo(expected == 3 ? News2Response.LOW_MEDIUM : News2Response.LOW);
    }

    @Test
    void allNormalScoresZero() {
        News2Result r = News2.score(normal());
        assertThat(r.total()).isZero();
        assertThat(r.missingParameters()).isZero();
        assertThat(r.response()).isEqualTo(News2Response.LOW);
        assertThat(r.anySingleThree()).isFalse();
        assertThat(r.scale()).isEqualTo(1);
    }

    @Test
    void missingParametersScoreZeroAndAreCounted() {
        News2Result none = News2.score(News2Inputs.NONE);
        assertThat(none.total()).isZero();
        assertThat(none.missingParameters()).isEqualTo(6);
        assertThat(none.response()).isEqualTo(News2Response.LOW);

        News2Result some =
                News2.score(with(Double.NaN, Double.NaN, true, 85, Double.POSITIVE_INFINITY, -1, 37.0, false));
        assertThat(some.missingParameters()).isEqualTo(4);
        assertThat(some.sbpScore()).isEqualTo(3);
        assertThat(some.oxygenScore()).isEqualTo(2);
        assertThat(some.total()).isEqualTo(5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // description, rr, spo2, o2, sbp, pulse, acvpu, temp, total, response
        "'all normal', 16, 97, false, 120, 75, 0, 37.0, 0, LOW",
        "'4 without a 3', 22, 94, false, 120, 95, 0, 37.0, 4, LOW",
        "'single 3 alone', 16, 97, false, 120, 75, 1, 37.0, 3, LOW_MEDIUM",
        "'single 3 at 4', 16, 97, false, 120, 95, 0, 35.0, 4, LOW_MEDIUM",
        "'oxygen 2 is not a 3', 16, 97, true, 120, 75, 0, 37.0, 2, LOW",
        "'5 is medium', 22, 94, true, 120, 75, 0, 37.0, 5, MEDIUM",
        "'6 is medium', 22, 94, true, 120, 95, 0, 37.0, 6, MEDIUM",
        "'6 with a 3 is medium', 16, 91, false, 120, 115, 0, 38.5, 6, MEDIUM",
        "'7 is high', 22, 94, true, 120, 95, 0, 38.5, 7, HIGH",
        "'maximum 20', 30, 80, true, 80, 140, 4, 34.0, 20, HIGH"
    })
    void aggregateAndClinicalResponse(
            String description,
            double rr,
            double spo2,
            boolean o2,
            double sbp,
            double pulse,
            int acvpu,
            double temp,
            int total,
            News2Response response) {
        News2Result r = News2.score(with(rr, spo2, o2, sbp, pulse, acvpu, temp, false));
        assertThat(r.total()).isEqualTo(total);
        assertThat(r.response()).isEqualTo(response);
        assertThat(r.total())
                .isEqualTo(
                        r.respScore()
                                + r.spo2Score()
                                + r.oxygenScore()
                                + r.sbpScore()
                                + r.pulseScore()
                                + r.consciousnessScore()
                                + r.temperatureScore());
    }

    @ParameterizedTest(name = "total {0} anyThree {1} -> {2}")
    @CsvSource({
        "0, false, LOW", "4, false, LOW", "3, true, LOW_MEDIUM", "4, true, LOW_MEDIUM", "5, false, MEDIUM",
        "5, true, MEDIUM", "6, true, MEDIUM", "7, false, HIGH", "7, true, HIGH", "20, true, HIGH"
    })
    void responseThresholds(int total, boolean anyThree, News2Response expected) {
        assertThat(News2.response(total, anyThree)).isEqualTo(expected);
    }

    @Test
    void scale2ChangesOnlyTheSpo2Row() {
        // A COPD patient at 89% on 2 L/min: scale 1 scores SpO2 3, scale 2 scores 0.
        News2Inputs scale1 = with(18, 89, true, 130, 80, 0, 37.0, false);
        News2Inputs scale2 = with(18, 89, true, 130, 80, 0, 37.0, true);
        assertThat(News2.score(scale1).spo2Score()).isEqualTo(3);
        assertThat(News2.score(scale1).total()).isEqualTo(5);
        assertThat(News2.score(scale2).spo2Score()).isZero();
        assertThat(News2.score(scale2).total()).isEqualTo(2);
        assertThat(News2.score(scale2).scale()).isEqualTo(2);
    }

    @Test
    void responseOrderIsByUrgency() {
        assertThat(News2Response.HIGH.atLeast(News2Response.MEDIUM)).isTrue();
        assertThat(News2Response.LOW_MEDIUM.atLeast(News2Response.MEDIUM)).isFalse();
        assertThat(News2Response.LOW.atLeast(News2Response.LOW)).isTrue();
    }
}
