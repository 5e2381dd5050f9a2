package dev.vigil.pipelines.eval;

/**
 * Input that cannot be read as the expected stream: a malformed row, a value of the wrong type, a header that lacks a
 * named column. The message starts with the line number when the problem is on a line ({@code line 12: ...}), so the
 * command line can print it as is. Never carries the offending record beyond the single value at fault.
 */
public final class InputFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The 1-based line of the problem; 0 when it is not on a line (e.g. a missing column). */
    private final long line;

    public InputFormatException(long line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        this.line = line;
    }

    public InputFormatException(long line, String message, Throwable cause) {
        super(line > 0 ? "line " + line + ": " + message : message, cause);
        this.line = line;
    }

    /** The 1-based line of the problem; 0 when it is not on a line. */
    public long line() {
        return line;
    }
}
