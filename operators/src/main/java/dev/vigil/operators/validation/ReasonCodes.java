package dev.vigil.operators.validation;

/**
 * Stable, greppable reason codes written to {@code DeadLetter.reason}. Dashboards and runbooks key on these strings:
 * never rename one, only add.
 */
public final class ReasonCodes {

    /** The record's bytes could not be decoded as the topic's Avro schema. */
    public static final String DECODE_ERROR = "DECODE_ERROR";

    /** A required field is null or blank. */
    public static final String MISSING_FIELD = "MISSING_FIELD";

    /** The observation code is not one the pipeline reads. */
    public static final String UNKNOWN_CODE = "UNKNOWN_CODE";

    /** The unit cannot be converted to the code's canonical unit. */
    public static final String UNIT_MISMATCH = "UNIT_MISMATCH";

    /** The value is NaN or infinite. */
    public static final String NOT_FINITE = "NOT_FINITE";

    /** The value, in canonical units, is outside the physiologically possible range (a device or entry error). */
    public static final String OUT_OF_RANGE = "OUT_OF_RANGE";

    /** The event time is before 2000-01-01 or too far in the future. */
    public static final String INVALID_TIME = "INVALID_TIME";

    /** The observation is older than the patient's newest event time minus the feature retention horizon. */
    public static final String LATE_BEYOND_RETENTION = "LATE_BEYOND_RETENTION";

    private ReasonCodes() {}
}
