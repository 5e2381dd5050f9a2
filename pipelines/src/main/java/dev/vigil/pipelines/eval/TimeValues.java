package dev.vigil.pipelines.eval;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Event times of the time column: epoch milliseconds, or ISO-8601 (an instant, with an offset, or local as UTC). */
public final class TimeValues {

    private TimeValues() {}

    /**
     * Parses {@code value} as epoch milliseconds (an integer), an ISO-8601 instant ({@code 2026-03-01T12:00:00Z}),
     * date-time with offset ({@code +01:00}), local date-time or date (both read as UTC); a space may stand for the
     * {@code T}.
     *
     * @throws InputFormatException on {@code line} if it is none of these
     */
    public static long parse(String value, long line, String column) {
        if (value == null) {
            throw new InputFormatException(line, "the time column '" + column + "' is missing");
        }
        String v = value.strip();
        if (v.length() > 10 && v.charAt(10) == ' ') {
            v = v.substring(0, 10) + 'T' + v.substring(11); // 2026-03-01 12:00:00, as databases write it
        }
        if (!v.isEmpty() && (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-') && v.indexOf('-', 1) < 0) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                try {
                    double d = Double.parseDouble(v);
                    if (Double.isFinite(d) && Math.abs(d) < 9.2e18) {
                        return (long) Math.floor(d);
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
        } else {
            try {
                if (v.endsWith("Z") || v.endsWith("z")) {
                    return Instant.parse(v.toUpperCase(Locale.ROOT)).toEpochMilli();
                }
                if (v.length() > 10 && (v.lastIndexOf('+') > 10 || v.lastIndexOf('-') > 10)) {
                    return OffsetDateTime.parse(v).toInstant().toEpochMilli();
                }
                if (v.length() > 10) {
                    return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
                }
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            } catch (DateTimeParseException ignored) {
                // reported below
            }
        }
        throw new InputFormatException(line, "time '" + (v.length() <= 40 ? v : v.substring(0, 37) + "...")
                + "' in column '" + column + "' is neither epoch milliseconds nor ISO-8601");
    }
}
