package dev.vigil.operators.kafka;

/**
 * Bytes that are not one well-formed Avro binary datum of the expected schema: truncated, garbage, a length prefix
 * larger than the input, trailing bytes, or a record written with another schema.
 *
 * <p>The message names the schema, the input size and what was wrong, never payload values, so it can go to the
 * dead-letter topic and to logs as it is.
 */
public final class AvroDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String schemaName;
    private final int inputLength;
    private final String reason;

    public AvroDecodeException(String schemaName, int inputLength, String reason, Throwable cause) {
        super("Cannot decode " + schemaName + " from " + inputLength + " bytes: " + reason, cause);
        this.schemaName = schemaName;
        this.inputLength = inputLength;
        this.reason = reason;
    }

    /** Full name of the schema the bytes were decoded as, e.g. {@code dev.vigil.schema.icu.VitalObservation}. */
    public String schemaName() {
        return schemaName;
    }

    /** Size of the rejected input in bytes ({@code -1} for a {@code null} input). */
    public int inputLength() {
        return inputLength;
    }

    /** What was wrong, without the schema name and input size. */
    public String reason() {
        return reason;
    }
}
