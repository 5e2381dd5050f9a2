package dev.vigil.pipelines.eval;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * CSV with a header row (RFC 4180 quoting, read by Commons CSV): every column is {@link Column.Kind#UNTYPED}, values
 * are trimmed, empty lines are skipped, and the values in {@link #DEFAULT_MISSING} ({@code ""} and {@code ?}) are
 * missing. A row with another number of values than the header is refused with its line number.
 */
public final class CsvReader implements TabularReader {

    /** Values read as missing by default: the empty string and Weka's {@code ?}. */
    public static final Set<String> DEFAULT_MISSING = Set.of("", "?");

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<Column> columns;
    private final Set<String> missing;
    private final String[] values;
    private long line;

    /** Reads CSV separated by commas with the default missing values. */
    public CsvReader(Reader in) throws IOException {
        this(in, ',', DEFAULT_MISSING);
    }

    /**
     * @param in the text, starting with the header row
     * @param delimiter the value separator, e.g. {@code ','} or {@code '\t'}
     * @param missing the (trimmed) values that mean "missing"
     * @throws InputFormatException if the header is empty or names a column twice
     */
    public CsvReader(Reader in, char delimiter, Set<String> missing) throws IOException {
        this.missing = Set.copyOf(missing);
        CSVFormat format = CSVFormat.DEFAULT.builder()
                .setDelimiter(delimiter)
                .setHeader()
                .setSkipHeaderRecord(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW)
                .setAllowMissingColumnNames(false)
                .setIgnoreEmptyLines(true)
                .setIgnoreSurroundingSpaces(true)
                .setTrim(true)
                .get();
        try {
            this.parser = CSVParser.builder().setReader(in).setFormat(format).get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InputFormatException(1, "bad CSV header: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<String> names = parser.getHeaderNames();
        if (names.isEmpty()) {
            throw new InputFormatException(1, "the CSV input has no header row");
        }
        List<Column> cols = new ArrayList<>(names.size());
        for (String name : names) {
            cols.add(Column.of(name, Column.Kind.UNTYPED));
        }
        this.columns = Collections.unmodifiableList(cols);
        this.values = new String[cols.size()];
        this.records = parser.iterator();
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public String[] next() throws IOException {
        long before = parser.getCurrentLineNumber();
        CSVRecord record;
        try {
            if (!records.hasNext()) {
                return null;
            }
            record = records.next();
        } catch (UncheckedIOException e) {
            // Commons CSV reports malformed quoting as an IOException wrapped by its iterator
            throw new InputFormatException(before + 1, "malformed CSV: " + e.getCause().getMessage(), e);
        } catch (IllegalStateException e) {
            throw new InputFormatException(before + 1, "malformed CSV: " + e.getMessage(), e);
        }
        // the parser's line number is the record's last line; a quoted value may span lines
        line = parser.getCurrentLineNumber() - lineBreaksIn(record);
        if (record.size() != values.length) {
            throw new InputFormatException(line, "expected " + values.length + " values (the header's columns), got "
                    + record.size());
        }
        for (int i = 0; i < values.length; i++) {
            String v = record.get(i);
            values[i] = missing.contains(v) ? null : v;
        }
        return values;
    }

    private static long lineBreaksIn(CSVRecord record) {
        long n = 0;
        for (String v : record) {
            for (int i = 0; i < v.length(); i++) {
                if (v.charAt(i) == '\n') {
                    n++;
                }
            }
        }
        return n;
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
