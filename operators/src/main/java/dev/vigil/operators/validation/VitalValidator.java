package dev.vigil.operators.validation;

import dev.vigil.operators.icu.VitalSign;
import dev.vigil.schema.icu.VitalObservation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates a decoded {@link VitalObservation} and normalizes it to Vigil's canonical form: the code of its {@link
 * VitalSign} (SpO2 by pulse oximetry {@code 59408-5} becomes {@code 2708-6}), the canonical UCUM unit and the value
 * converted to it. Checks run in this order and the first failure is reported:
 *
 * <ol>
 *   <li>{@link ReasonCodes#MISSING_FIELD}: patient id, LOINC code, unit or effective time is null, or patient id or
 *       code is blank;
 *   <li>{@link ReasonCodes#INVALID_TIME}: effective time before 2000-01-01T00:00Z, or more than {@code maxFuture}
 *       ahead of the caller's clock;
 *   <li>{@link ReasonCodes#UNKNOWN_CODE}: a code {@link VitalSign#fromLoinc} does not know;
 *   <li>{@link ReasonCodes#NOT_FINITE}: a NaN or infinite value;
 *   <li>{@link ReasonCodes#UNIT_MISMATCH}: a unit {@link VitalSign#toCanonical} cannot convert;
 *   <li>{@link ReasonCodes#OUT_OF_RANGE}: outside the vital's physiologically possible range after conversion, or a
 *       level of consciousness that is not a whole ACVPU value 0–4.
 * </ol>
 *
 * <p>Rejection details name the rule, the LOINC code and the unit (echoed only when they look like a code or a unit),
 * never the patient, encounter or the value. Stateless and thread-safe; an observation that is already canonical is
 * returned as is, otherwise one new record is allocated.
 */
public final class VitalValidator {

    /** 2000-01-01T00:00:00Z: anything earlier is a clock or entry error. */
    public static final long MIN_EFFECTIVE_TIME_MILLIS = 946_684_800_000L;

    private static final Pattern SAFE_TOKEN = Pattern.compile("[A-Za-z0-9\\[\\]{}/%.*^_\\-]{1,24}");

    private final long maxFutureMillis;

    /**
     * @param maxFuture how far an effective time may be ahead of the clock passed to {@link #validate} (clock skew
     *     between devices and the pipeline); must not be negative
     */
    public VitalValidator(Duration maxFuture) {
        Objects.requireNonNull(maxFuture, "maxFuture");
        if (maxFuture.isNegative()) {
            throw new IllegalArgumentException("maxFuture must not be negative: " + maxFuture);
        }
        this.maxFutureMillis = saturatedMillis(maxFuture);
    }

    /**
     * Validates one observation against the clock {@code nowMillis} (processing time, epoch milliseconds).
     *
     * @return the canonical observation, or the rejection
     */
    public Validated<VitalObservation> validate(VitalObservation obs, long nowMillis) {
        if (obs == null) {
            return Validated.rejected(ReasonCodes.MISSING_FIELD, "observation is null");
        }
        if (isBlank(obs.getPatientId())) {
            return Validated.rejected(ReasonCodes.MISSING_FIELD, "patientId is missing");
        }
        if (isBlank(obs.getLoincCode())) {
            return Validated.rejected(ReasonCodes.MISSING_FIELD, "loincCode is missing");
        }
        if (obs.getUnit() == null) {
            return Validated.rejected(ReasonCodes.MISSING_FIELD, "unit is missing");
        }
        if (obs.getEffectiveTime() == null) {
            return Validated.rejected(ReasonCodes.MISSING_FIELD, "effectiveTime is missing");
        }
        long t = obs.getEffectiveTime().toEpochMilli();
        if (t < MIN_EFFECTIVE_TIME_MILLIS) {
            return Validated.rejected(ReasonCodes.INVALID_TIME, "effectiveTime is before 2000-01-01");
        }
        if (t - nowMillis > maxFutureMillis) {
            return Validated.rejected(
                    ReasonCodes.INVALID_TIME,
                    "effectiveTime is more than " + Duration.ofMillis(maxFutureMillis) + " in the future");
        }
        String code = obs.getLoincCode();
        Optional<VitalSign> sign = VitalSign.fromLoinc(code);
        if (sign.isEmpty()) {
            return Validated.rejected(ReasonCodes.UNKNOWN_CODE, "unknown code " + safe(code));
        }
        VitalSign vital = sign.get();
        double raw = obs.getValue();
        if (!Double.isFinite(raw)) {
            return Validated.rejected(ReasonCodes.NOT_FINITE, "value of " + vital.loinc() + " is not finite");
        }
        String unit = obs.getUnit();
        double canonical = vital.toCanonical(raw, unit);
        if (Double.isNaN(canonical)) {
            return Validated.rejected(
                    ReasonCodes.UNIT_MISMATCH,
                    "unit " + safe(unit) + " cannot be converted to " + vital.unit() + " for " + vital.loinc());
        }
        if (!vital.isPossible(canonical)) {
            return Validated.rejected(
                    ReasonCodes.OUT_OF_RANGE,
                    "value of "
                            + vital.loinc()
                            + " outside the possible range ["
                            + fmt(vital.minPossible())
                            + ", "
                            + fmt(vital.maxPossible())
                            + "] "
                            + vital.unit());
        }
        if (vital == VitalSign.CONSCIOUSNESS && canonical != Math.rint(canonical)) {
            return Validated.rejected(
                    ReasonCodes.OUT_OF_RANGE, "value of " + vital.loinc() + " is not a whole ACVPU level 0-4");
        }
        if (vital.loinc().equals(code) && vital.unit().equals(unit) && canonical == raw) {
            return Validated.accepted(obs);
        }
        return Validated.accepted(
                new VitalObservation(
                        obs.getPatientId(),
                        obs.getEncounterId(),
                        vital.loinc(),
                        canonical,
                        vital.unit(),
                        obs.getEffectiveTime(),
                        obs.getSource()));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Echoes a code or unit only when it looks like one; anything else could carry free text. */
    static String safe(String token) {
        String t = token.trim();
        return SAFE_TOKEN.matcher(t).matches() ? "'" + t + "'" : "(unprintable)";
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
