package dev.vigil.pipelines.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * ARFF, the attribute-relation file format of Weka and MOA stream datasets (I. H. Witten, E. Frank, M. A. Hall and C.
 * J. Pal, "Data Mining", 4th ed., Morgan Kaufmann 2017, Appendix B; the format's description at
 * https://waikato.github.io/weka-wiki/formats_and_processing/arff_stable/).
 *
 * <pre>
 * % comment
 * &#64;relation sea
 * &#64;attribute attrib1 numeric
 * &#64;attribute 'colour name' {red, green, 'light blue'}
 * &#64;attribute class {groupA, groupB}
 * &#64;data
 * 1.5, red, groupA
 * ?, 'light blue', groupB        % '?' is a missing value
 * {0 2.5, 2 groupB}              % sparse: omitted numeric values are 0, omitted nominal ones the first declared
 * </pre>
 *
 * <p>Keywords are case-insensitive; names and values may be quoted with {@code '} or {@code "} (backslash escapes
 * inside quotes); {@code %} outside quotes starts a comment. Attribute types: {@code numeric}, {@code real}, {@code
 * integer} ({@link Column.Kind#NUMERIC}), nominal {@code {...}} ({@link Column.Kind#NOMINAL}), {@code string} ({@link
 * Column.Kind#STRING}) and {@code date [format]} ({@link Column.Kind#DATE}; the reader turns each date into epoch
 * milliseconds, UTC, with the declared {@link DateTimeFormatter} pattern or ISO-8601 {@code yyyy-MM-dd'T'HH:mm:ss}).
 * A value outside a nominal attribute's declared set is refused. Not supported, and refused with a clear message:
 * {@code relational} attributes and instance weights ({@code {w}} after a row).
 */
public final class ArffReader implements TabularReader {

    private static final DateTimeFormatter DEFAULT_DATE = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private final BufferedReader in;
    private final List<Column> columns;
    private final List<Set<String>> nominal;
    private final DateTimeFormatter[] dateFormats;
    private final String[] values;
    private long lineNumber;
    private long recordLine;

    /**
     * Reads the header up to and including {@code @data}.
     *
     * @throws InputFormatException if the header is malformed, declares no attribute or uses an unsupported type
     */
    public ArffReader(Reader reader) throws IOException {
        this.in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<Column> cols = new ArrayList<>();
        List<DateTimeFormatter> dates = new ArrayList<>();
        boolean relation = false;
        String line;
        while (true) {
            line = nextContentLine();
            if (line == null) {
                throw new InputFormatException(lineNumber, "the ARFF header has no @data line");
            }
            String keyword = firstWord(line).toLowerCase(Locale.ROOT);
            if (keyword.equals("@relation")) {
                relation = true;
            } else if (keyword.equals("@attribute")) {
                parseAttribute(line.substring(keyword.length()).strip(), cols, dates);
            } else if (keyword.equals("@data")) {
                break;
            } else {
                throw new InputFormatException(lineNumber,
                        "expected @relation, @attribute or @data in the ARFF header, got '" + clip(line) + "'");
            }
        }
        if (!relation) {
            throw new InputFormatException(lineNumber, "the ARFF header has no @relation line");
        }
        if (cols.isEmpty()) {
            throw new InputFormatException(lineNumber, "the ARFF header declares no @attribute");
        }
        Set<String> names = new HashSet<>();
        for (Column c : cols) {
            if (!names.add(c.name())) {
                throw new InputFormatException(0, "the ARFF header declares attribute '" + c.name() + "' twice");
            }
        }
        this.columns = Collections.unmodifiableList(cols);
        List<Set<String>> sets = new ArrayList<>(cols.size());
        for (Column c : cols) {
            sets.add(c.kind() == Column.Kind.NOMINAL ? Set.copyOf(c.values()) : Set.of());
        }
        this.nominal = sets;
        this.dateFormats = dates.toArray(new DateTimeFormatter[0]);
        this.values = new String[cols.size()];
    }

    @Override
    public List<Column> columns() {
        return columns;
    }

    @Override
    public String[] next() throws IOException {
        String line = nextContentLine();
        if (line == null) {
            return null;
        }
        recordLine = lineNumber;
        String content = line.strip();
        if (content.startsWith("{")) {
            readSparse(content);
        } else {
            List<String> tokens = split(content, lineNumber);
            if (tokens.size() == values.length + 1 && isBraced(content)) {
                throw new InputFormatException(lineNumber, "instance weights ({w} after a row) are not supported");
            }
            if (tokens.size() != values.length) {
                throw new InputFormatException(lineNumber,
                        "expected " + values.length + " values (the declared attributes), got " + tokens.size());
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = check(i, tokens.get(i));
            }
        }
        return values;
    }

    @Override
    public long line() {
        return recordLine;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void readSparse(String content) {
        int close = closingBrace(content, 0);
        if (close < 0) {
            throw new InputFormatException(lineNumber, "a sparse row must end with '}'");
        }
        String rest = content.substring(close + 1).strip();
        if (!rest.isEmpty()) {
            throw new InputFormatException(lineNumber, rest.startsWith(",")
                    ? "instance weights ({w} after a row) are not supported"
                    : "unexpected text after a sparse row: '" + clip(rest) + "'");
        }
        for (int i = 0; i < values.length; i++) {
            Column c = columns.get(i);
            values[i] = switch (c.kind()) {
                case NUMERIC -> "0";
                case NOMINAL -> c.values().get(0);
                default -> null;
            };
        }
        String inner = content.substring(1, close).strip();
        if (inner.isEmpty()) {
            return;
        }
        boolean[] seen = new boolean[values.length];
        for (String entry : split(inner, lineNumber)) {
            if (entry == null) {
                throw new InputFormatException(lineNumber, "a sparse entry must be 'index value', got '?'");
            }
            String e = entry.strip();
            int space = indexOfWhitespace(e);
            if (space < 0) {
                throw new InputFormatException(lineNumber, "a sparse entry must be 'index value', got '" + clip(e)
                        + "'");
            }
            int index;
            try {
                index = Integer.parseInt(e.substring(0, space));
            } catch (NumberFormatException ex) {
                throw new InputFormatException(lineNumber, "bad attribute index in sparse entry '" + clip(e) + "'");
            }
            if (index < 0 || index >= values.length) {
                throw new InputFormatException(lineNumber, "sparse index " + index + " is outside 0.."
                        + (values.length - 1));
            }
            if (seen[index]) {
                throw new InputFormatException(lineNumber, "sparse index " + index + " given twice");
            }
            seen[index] = true;
            List<String> value = split(e.substring(space).strip(), lineNumber);
            if (value.size() != 1) {
                throw new InputFormatException(lineNumber, "a sparse entry must be 'index value', got '" + clip(e)
                        + "'");
            }
            values[index] = check(index, value.get(0));
        }
    }

    /** Validates a value against its attribute; dates become epoch milliseconds. */
    private String check(int i, String value) {
        if (value == null) {
            return null;
        }
        Column c = columns.get(i);
        switch (c.kind()) {
            case NOMINAL -> {
                if (!nominal.get(i).contains(value)) {
                    throw new InputFormatException(lineNumber, "value '" + clip(value) + "' of nominal attribute '"
                            + c.name() + "' is not one of its declared values");
                }
            }
            case DATE -> {
                return Long.toString(parseDate(value, dateFormats[i], c.name()));
            }
            default -> {}
        }
        return value;
    }

    private long parseDate(String value, DateTimeFormatter format, String name) {
        try {
            TemporalAccessor t = format.parseBest(value, ZonedDateTime::from, LocalDateTime::from, LocalDate::from);
            if (t instanceof ZonedDateTime z) {
                return z.toInstant().toEpochMilli();
            }
            if (t instanceof LocalDateTime l) {
                return l.toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            return ((LocalDate) t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InputFormatException(lineNumber, "value '" + clip(value) + "' of date attribute '" + name
                    + "' does not match its format");
        }
    }

    private void parseAttribute(String rest, List<Column> cols, List<DateTimeFormatter> dates) {
        if (rest.isEmpty()) {
            throw new InputFormatException(lineNumber, "@attribute needs a name and a type");
        }
        int nameEnd;
        String name;
        char first = rest.charAt(0);
        if (first == '\'' || first == '"') {
            nameEnd = closingQuote(rest, 0);
            if (nameEnd < 0) {
                throw new InputFormatException(lineNumber, "unterminated quote in the attribute name");
            }
            name = unescape(rest.substring(1, nameEnd));
            nameEnd++;
        } else {
            nameEnd = indexOfWhitespaceOrBrace(rest);
            if (nameEnd < 0) {
                throw new InputFormatException(lineNumber, "attribute '" + clip(rest) + "' has no type");
            }
            name = rest.substring(0, nameEnd);
        }
        String type = rest.substring(nameEnd).strip();
        if (type.isEmpty()) {
            throw new InputFormatException(lineNumber, "attribute '" + name + "' has no type");
        }
        DateTimeFormatter date = null;
        Column column;
        if (type.startsWith("{")) {
            int close = closingBrace(type, 0);
            if (close < 0 || !type.substring(close + 1).isBlank()) {
                throw new InputFormatException(lineNumber, "nominal attribute '" + name + "' must be {v1, v2, ...}");
            }
            List<String> declared = split(type.substring(1, close), lineNumber);
            if (declared.isEmpty() || declared.contains(null) || new HashSet<>(declared).size() != declared.size()) {
                throw new InputFormatException(lineNumber, "nominal attribute '" + name
                        + "' must declare distinct values");
            }
            column = new Column(name, Column.Kind.NOMINAL, declared);
        } else {
            String word = firstWord(type).toLowerCase(Locale.ROOT);
            switch (word) {
                case "numeric", "real", "integer" -> column = Column.of(name, Column.Kind.NUMERIC);
                case "string" -> column = Column.of(name, Column.Kind.STRING);
                case "date" -> {
                    String pattern = type.substring(word.length()).strip();
                    if (pattern.isEmpty()) {
                        date = DEFAULT_DATE;
                    } else {
                        List<String> p = split(pattern, lineNumber);
                        try {
                            date = DateTimeFormatter.ofPattern(p.get(0), Locale.ROOT);
                        } catch (IllegalArgumentException e) {
                            throw new InputFormatException(lineNumber, "bad date format of attribute '" + name
                                    + "': " + e.getMessage());
                        }
                    }
                    column = Column.of(name, Column.Kind.DATE);
                }
                case "relational" -> throw new InputFormatException(lineNumber,
                        "relational attributes are not supported ('" + name + "')");
                default -> throw new InputFormatException(lineNumber, "unknown type '" + clip(type)
                        + "' of attribute '" + name + "'");
            }
        }
        cols.add(column);
        dates.add(date);
    }

    /** The next line that is neither blank nor a comment, without its comment; {@code null} at the end. */
    private String nextContentLine() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            String s = stripComment(line).strip();
            if (!s.isEmpty()) {
                return s;
            }
        }
        return null;
    }

    private String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '%') {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /**
     * Splits comma-separated values, unquoting quoted ones; an unquoted {@code ?} becomes {@code null} (missing).
     */
    static List<String> split(String s, long line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        if (s.isBlank()) {
            return out;
        }
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String value;
            if (i < n && (s.charAt(i) == '\'' || s.charAt(i) == '"')) {
                int close = closingQuote(s, i);
                if (close < 0) {
                    throw new InputFormatException(line, "unterminated quote");
                }
                value = unescape(s.substring(i + 1, close));
                i = close + 1;
                while (i < n && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i < n && s.charAt(i) != ',') {
                    throw new InputFormatException(line, "expected ',' after a quoted value");
                }
            } else {
                int start = i;
                while (i < n && s.charAt(i) != ',') {
                    char c = s.charAt(i);
                    if (c == '{') {
                        int close = closingBrace(s, i);
                        i = close < 0 ? n : close + 1;
                    } else {
                        i++;
                    }
                }
                String raw = s.substring(start, i).strip();
                value = raw.equals("?") ? null : raw;
            }
            out.add(value);
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }

    private static boolean isBraced(String content) {
        return content.endsWith("}");
    }

    private static int closingQuote(String s, int open) {
        char quote = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private static int closingBrace(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int close = closingQuote(s, i);
                if (close < 0) {
                    return -1;
                }
                i = close;
            } else if (c == '}') {
                return i;
            }
        }
        return -1;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String firstWord(String s) {
        int end = indexOfWhitespaceOrBrace(s);
        return end < 0 ? s : s.substring(0, end);
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfWhitespaceOrBrace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '{') {
                return i;
            }
        }
        return -1;
    }

    /** A value or line shortened for an error message. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
