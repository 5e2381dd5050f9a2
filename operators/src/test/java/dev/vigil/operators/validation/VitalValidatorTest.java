package dev.vigil.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VitalValidatorTest {

    private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
    private static final String PATIENT = "patient-4711";
    private static final String ENCOUNTER = "enc-0815";

    private final VitalValidator validator = new VitalValidator(Duration.ofMinutes(10));

    private static VitalObservation obs(String code, double value, String unit, long time) {
        return new VitalObservation(PATIENT, ENCOUNTER, code, value, unit, Instant.ofEpochMilli(time), "monitor");
    }

    @Test
    void canonicalObservationIsReturnedAsIs() {
        VitalObservation in = obs("8867-4", 88, "/min", NOW);
        Validated<VitalObservation> v = validator.validate(in, NOW);
        assertThat(v.isAccepted()).isTrue();
        assertThat(v.value()).isSameAs(in);
    }

    @Test
    void fahrenheitIsConvertedToCelsius() {
        VitalObservation out = validator.validate(obs("8310-5", 98.6, "[degF]", NOW), NOW).value();
        assertThat(out.getUnit()).isEqualTo("Cel");
        assertThat(out.getValue()).isCloseTo(37.0, within(1e-9));
        assertThat(out.getPatientId()).isEqualTo(PATIENT);
        assertThat(out.getEncounterId()).isEqualTo(ENCOUNTER);
        assertThat(out.getEffectiveTime()).isEqualTo(Instant.ofEpochMilli(NOW));
        assertThat(out.getSource()).isEqualTo("monitor");
    }

    @Test
    void pulseOximetryCodeIsMappedToSpo2() {
        VitalObservation out = validator.validate(obs("59408-5", 95, "%", NOW), NOW).value();
        assertThat(out.getLoincCode()).isEqualTo("2708-6");
        assertThat(out.getValue()).isEqualTo(95.0);
    }

    @Test
    void unitSynonymsAreCanonicalized() {
        assertThat(validator.validate(obs("8867-4", 70, "beats/min", NOW), NOW).value().getUnit())
                .isEqualTo("/min");
        assertThat(validator.validate(obs("8480-6", 120, "mmHg", NOW), NOW).value().getUnit())
                .isEqualTo("mm[Hg]");
        assertThat(validator.validate(obs("80288-4", 2, "1", NOW), NOW).value().getUnit()).isEqualTo("{score}");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'unknown code', 1234-5, 10, /min, 0, UNKNOWN_CODE",
        "'NaN', 8867-4, NaN, /min, 0, NOT_FINITE",
        "'infinite', 8867-4, Infinity, /min, 0, NOT_FINITE",
        "'wrong unit', 8867-4, 80, %, 0, UNIT_MISMATCH",
        "'kPa for BP', 8480-6, 16, kPa, 0, UNIT_MISMATCH",
        "'negative HR', 8867-4, -1, /min, 0, OUT_OF_RANGE",
        "'SpO2 above 100', 2708-6, 101, %, 0, OUT_OF_RANGE",
        "'temperature 50 C', 8310-5, 50, Cel, 0, OUT_OF_RANGE",
        "'temperature 200 F', 8310-5, 200, [degF], 0, OUT_OF_RANGE",
        "'ACVPU 5', 80288-4, 5, {score}, 0, OUT_OF_RANGE",
        "'ACVPU 1.5', 80288-4, 1.5, {score}, 0, OUT_OF_RANGE",
        "'one day ahead', 8867-4, 80, /min, 86400000, INVALID_TIME",
        "'eleven minutes ahead', 8867-4, 80, /min, 660000, INVALID_TIME",
    })
    void rejections(String description, String code, double value, String unit, long ahead, String reason) {
        Validated<VitalObservation> v = validator.validate(obs(code, value, unit, NOW + ahead), NOW);
        assertThat(v.isAccepted()).isFalse();
        assertThat(v.rejection().reasonCode()).isEqualTo(reason);
        assertNoIdentifiersOrValues(v.rejection().detail(), value);
    }

    @Test
    void nineMinutesAheadIsWithinSkew() {
        assertThat(validator.validate(obs("8867-4", 80, "/min", NOW + 540_000), NOW).isAccepted()).isTrue();
    }

    @Test
    void beforeYear2000IsInvalid() {
        long t = Instant.parse("1999-12-31T23:59:59Z").toEpochMilli();
        assertThat(validator.validate(obs("8867-4", 80, "/min", t), NOW).rejection().reasonCode())
                .isEqualTo(ReasonCodes.INVALID_TIME);
        assertThat(validator.validate(obs("8867-4", 80, "/min", 0), NOW).rejection().reasonCode())
                .isEqualTo(ReasonCodes.INVALID_TIME);
    }

    @Test
    void missingFields() {
        VitalObservation noPatient = obs("8867-4", 80, "/min", NOW);
        noPatient.setPatientId(" ");
        VitalObservation noCode = obs(null, 80, "/min", NOW);
        VitalObservation noUnit = obs("8867-4", 80, null, NOW);
        VitalObservation noTime = new VitalObservation();
        noTime.setPatientId(PATIENT);
        noTime.setLoincCode("8867-4");
        noTime.setUnit("/min");
        for (VitalObservation o : new VitalObservation[] {noPatient, noCode, noUnit, noTime, null}) {
            assertThat(validator.validate(o, NOW).rejection().reasonCode()).isEqualTo(ReasonCodes.MISSING_FIELD);
        }
    }

    @Test
    void detailsEchoOnlyCodeLikeTokens() {
        Validated<VitalObservation> v = validator.validate(obs("John Smith, bed 4", 80, "/min", NOW), NOW);
        assertThat(v.rejection().reasonCode()).isEqualTo(ReasonCodes.UNKNOWN_CODE);
        assertThat(v.rejection().detail()).doesNotContain("John").contains("(unprintable)");
        assertThat(validator.validate(obs("9999-9", 80, "/min", NOW), NOW).rejection().detail())
                .contains("'9999-9'");
    }

    @Test
    void negativeSkewIsRefused() {
        assertThatThrownBy(() -> new VitalValidator(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void accessorsGuardTheWrongBranch() {
        Validated<String> ok = Validated.accepted("x");
        Validated<String> bad = Validated.rejected(ReasonCodes.NOT_FINITE, "d");
        assertThatThrownBy(ok::rejection).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(bad::value).isInstanceOf(IllegalStateException.class);
    }

    private static void assertNoIdentifiersOrValues(String detail, double value) {
        assertThat(detail).isNotBlank().doesNotContain(PATIENT).doesNotContain(ENCOUNTER);
        if (Double.isFinite(value)) {
            assertThat(detail).doesNotContain(" " + fmt(value) + " ");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
