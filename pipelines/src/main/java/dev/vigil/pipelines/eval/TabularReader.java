package dev.vigil.pipelines.eval;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * A stream of records with a header, read one record at a time: the common shape of CSV ({@link CsvReader}) and ARFF
 * ({@link ArffReader}) input. Values are the raw strings of the file (unquoted); a missing value is {@code null}.
 */
public interface TabularReader extends Closeable {

    /** The columns the header declares, in record order. */
    List<Column> columns();

    /**
     * The next record, one value per column ({@code null} for a missing value), or {@code null} at the end. The
     * array may be reused by the next call.
     *
     * @throws InputFormatException if the record is malformed (with its line number)
     */
    String[] next() throws IOException;

    /** The 1-based line on which the last record returned by {@link #next()} starts. */
    long line();
}
