package dev.vigil.pipelines.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the records of a {@link TabularReader} into fixed-width feature rows and class indices, online: an {@link
 * ExampleStream} over the reader.
 *
 * <ul>
 *   <li><b>Column roles.</b> The label column and the time column (if any) are not features, nor are the ignored
 *       columns. Every other column is a numeric or a categorical feature.
 *   <li><b>Types.</b> ARFF declares them (numeric; nominal and string are categorical; a date may only be the time
 *       column or ignored). CSV does not: a column is numeric when every non-missing value among the first {@link
 *       EncodingOptions#inferRows()} rows is a number, otherwise categorical; {@link EncodingOptions#categorical()}
 *       and {@link EncodingOptions#numeric()} override the guess. The layout is fixed before the first example is
 *       learnt from (a model's width cannot change), so a later non-number in a numeric column is an error that
 *       names the column.
 *   <li><b>Numeric features</b> are passed as they are (the learner standardizes them online); a missing value is
 *       replaced by the mean of the column's values seen so far (0 before the first), which the learner's
 *       standardization maps to about 0: the feature abstains.
 *   <li><b>Categorical features</b> are one-hot encoded online with a {@link BoundedVocabulary} of at most {@link
 *       EncodingOptions#maxCategories()} values in order of first appearance plus an overflow slot (an ARFF nominal
 *       attribute with no more values than that gets exactly its declared values). A missing value sets no slot.
 *   <li><b>Labels</b> map to class indices by {@link EncodingOptions#classes()}, an ARFF nominal label's declared
 *       values, or, for a binary label, {@code 0}/{@code 1} ({@code 0.0}, {@code 1.0}, {@code false}, {@code true}). A
 *       missing or unknown label is an error.
 * </ul>
 *
 * Every error names the line of the record. Deterministic: the same input gives the same rows. Not thread-safe.
 */
public final class ExampleEncoder implements ExampleStream {

    /** What a column is for. */
    enum Role {
        NUMERIC,
        CATEGORICAL,
        LABEL,
        TIME,
        IGNORED
    }

    private static final String OTHER = "<other>";

    private final TabularReader reader;
    private final String[] names;
    private final Role[] roles;
    private final int[] offsets;
    private final BoundedVocabulary[] vocabularies;
    private final double[] sums;
    private final long[] counts;
    private final int labelColumn;
    private final int timeColumn;
    private final List<String> classes;
    private final Map<String, Integer> classIndex;
    private final int numFeatures;
    private final List<String> featureNames;
    private final double[] row;

    /** Records read ahead for type inference, replayed before the rest. */
    private final List<String[]> sample;

    private final long[] sampleLines;
    private int sampleNext;
    private long line;
    private int label;
    private long time = Long.MIN_VALUE;

    private ExampleEncoder(TabularReader reader, EncodingOptions options) throws IOException {
        this.reader = reader;
        List<Column> columns = reader.columns();
        int n = columns.size();
        this.names = new String[n];
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < n; i++) {
            names[i] = columns.get(i).name();
            byName.put(names[i], i);
        }
        this.labelColumn = labelColumn(options, columns, byName);
        this.timeColumn = options.time() == null ? -1 : column(options.time(), "time", byName);
        if (timeColumn == labelColumn) {
            throw new IllegalArgumentException("the time column cannot be the label column");
        }
        Set<Integer> ignored = new LinkedHashSet<>();
        for (String c : options.ignore()) {
            int i = column(c, "ignored", byName);
            if (i == labelColumn || i == timeColumn) {
                throw new IllegalArgumentException("column '" + c + "' is the label or time column; do not ignore it");
            }
            ignored.add(i);
        }
        for (String c : options.categorical()) {
            column(c, "categorical", byName);
        }
        for (String c : options.numeric()) {
            column(c, "numeric", byName);
        }

        // read ahead for the CSV type guess
        boolean needsGuess = false;
        for (int i = 0; i < n; i++) {
            needsGuess |= columns.get(i).kind() == Column.Kind.UNTYPED && i != labelColumn && i != timeColumn
                    && !ignored.contains(i) && !options.categorical().contains(names[i])
                    && !options.numeric().contains(names[i]);
        }
        List<String[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        if (needsGuess) {
            String[] r;
            while (rows.size() < options.inferRows() && (r = reader.next()) != null) {
                rows.add(r.clone());
                lines.add(reader.line());
            }
        }
        this.sample = rows;
        this.sampleLines = lines.stream().mapToLong(Long::longValue).toArray();

        this.roles = new Role[n];
        this.offsets = new int[n];
        this.vocabularies = new BoundedVocabulary[n];
        this.sums = new double[n];
        this.counts = new long[n];
        List<String> featureNames = new ArrayList<>();
        int width = 0;
        for (int i = 0; i < n; i++) {
            Column c = columns.get(i);
            Role role;
            if (i == labelColumn) {
                role = Role.LABEL;
            } else if (i == timeColumn) {
                role = Role.TIME;
            } else if (ignored.contains(i)) {
                role = Role.IGNORED;
            } else {
                role = switch (c.kind()) {
                    case NUMERIC -> Role.NUMERIC;
                    case NOMINAL, STRING -> Role.CATEGORICAL;
                    case DATE -> throw new IllegalArgumentException("date attribute '" + c.name()
                            + "' can only be the time column or ignored");
                    case UNTYPED -> options.categorical().contains(c.name()) ? Role.CATEGORICAL
                            : options.numeric().contains(c.name()) || looksNumeric(i) ? Role.NUMERIC
                            : Role.CATEGORICAL;
                };
                if (c.kind() != Column.Kind.UNTYPED
                        && (options.categorical().contains(c.name()) || options.numeric().contains(c.name()))) {
                    throw new IllegalArgumentException("column '" + c.name()
                            + "' has a declared type; --categorical and --numeric apply to CSV columns only");
                }
            }
            roles[i] = role;
            offsets[i] = width;
            if (role == Role.NUMERIC) {
                featureNames.add(c.name());
                width++;
            } else if (role == Role.CATEGORICAL) {
                BoundedVocabulary v = c.kind() == Column.Kind.NOMINAL
                        ? new BoundedVocabulary(c.values(), options.maxCategories())
                        : new BoundedVocabulary(options.maxCategories());
                vocabularies[i] = v;
                for (int k = 0; k < v.width(); k++) {
                    featureNames.add(c.name() + "=" + (k < v.values().size() ? v.values().get(k)
                            : v.hasOverflow() && k == v.width() - 1 ? OTHER : "#" + k));
                }
                width += v.width();
            }
        }
        if (width == 0) {
            throw new IllegalArgumentException("no feature columns: every column is the label, time or ignored");
        }
        this.numFeatures = width;
        this.featureNames = featureNames;
        this.row = new double[width];

        Column labelCol = columns.get(labelColumn);
        if (!options.classes().isEmpty()) {
            this.classes = options.classes();
            if (labelCol.kind() == Column.Kind.NOMINAL && !Set.copyOf(labelCol.values()).equals(Set.copyOf(classes))) {
                throw new IllegalArgumentException("the classes " + classes + " differ from the values "
                        + labelCol.values() + " declared for '" + labelCol.name() + "'");
            }
        } else if (labelCol.kind() == Column.Kind.NOMINAL) {
            if (labelCol.values().size() < 2) {
                throw new IllegalArgumentException("the label '" + labelCol.name() + "' declares fewer than 2 values");
            }
            this.classes = labelCol.values();
        } else {
            this.classes = List.of();
        }
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < classes.size(); k++) {
            index.put(classes.get(k), k);
        }
        this.classIndex = index;
    }

    /**
     * An encoded stream over {@code reader}; reads ahead up to {@link EncodingOptions#inferRows()} records when a CSV
     * column's type must be guessed.
     *
     * @throws IllegalArgumentException if the options name columns the header lacks or contradict it (the message
     *     lists the columns)
     */
    public static ExampleEncoder open(TabularReader reader, EncodingOptions options) throws IOException {
        return new ExampleEncoder(reader, options);
    }

    private static int labelColumn(EncodingOptions options, List<Column> columns, Map<String, Integer> byName) {
        if (options.label() != null) {
            return column(options.label(), "label", byName);
        }
        boolean typed = columns.stream().anyMatch(c -> c.kind() != Column.Kind.UNTYPED);
        if (typed) {
            return columns.size() - 1;
        }
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name().toLowerCase(Locale.ROOT);
            if (name.equals("label") || name.equals("class")) {
                return i;
            }
        }
        throw new IllegalArgumentException("name the label column (no column is called label or class); columns: "
                + String.join(", ", byName.keySet().stream().sorted().toList()));
    }

    private static int column(String name, String role, Map<String, Integer> byName) {
        Integer i = byName.get(name);
        if (i == null) {
            throw new IllegalArgumentException("the " + role + " column '" + name + "' is not in the header; columns: "
                    + String.join(", ", byName.keySet().stream().sorted().toList()));
        }
        return i;
    }

    private boolean looksNumeric(int column) {
        for (String[] r : sample) {
            String v = r[column];
            if (v != null && !isNumber(v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String v) {
        try {
            return Double.isFinite(Double.parseDouble(v));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public boolean next() throws IOException {
        String[] record;
        if (sampleNext < sample.size()) {
            line = sampleLines[sampleNext];
            record = sample.get(sampleNext);
            sample.set(sampleNext++, null);
        } else {
            record = reader.next();
            if (record == null) {
                return false;
            }
            line = reader.line();
        }
        encode(record);
        return true;
    }

    private void encode(String[] record) {
        for (int i = 0; i < roles.length; i++) {
            String v = record[i];
            switch (roles[i]) {
                case NUMERIC -> row[offsets[i]] = numeric(i, v);
                case CATEGORICAL -> {
                    BoundedVocabulary vocabulary = vocabularies[i];
                    int off = offsets[i];
                    Arrays.fill(row, off, off + vocabulary.width(), 0.0);
                    if (v != null) {
                        int slot = vocabulary.slot(v);
                        if (slot < 0) {
                            throw new InputFormatException(line, "value '" + clip(v) + "' of '" + names[i]
                                    + "' is not one of its declared values");
                        }
                        row[off + slot] = 1.0;
                    }
                }
                case LABEL -> label = label(v);
                case TIME -> time = TimeValues.parse(v, line, names[i]);
                case IGNORED -> {}
            }
        }
    }

    private double numeric(int i, String v) {
        if (v == null) {
            return counts[i] == 0 ? 0.0 : sums[i] / counts[i];
        }
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InputFormatException(line, "column '" + names[i] + "' is numeric but holds '" + clip(v)
                    + "'; name it with --categorical if it is a category");
        }
        if (!Double.isFinite(x)) {
            throw new InputFormatException(line, "column '" + names[i] + "' holds a non-finite number '" + clip(v)
                    + "'");
        }
        sums[i] += x;
        counts[i]++;
        return x;
    }

    private int label(String v) {
        if (v == null) {
            throw new InputFormatException(line, "the label '" + names[labelColumn] + "' is missing");
        }
        if (!classes.isEmpty()) {
            Integer k = classIndex.get(v);
            if (k == null) {
                throw new InputFormatException(line, "label '" + clip(v) + "' is not one of the classes "
                        + clip(classes.toString()));
            }
            return k;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "0", "0.0", "false" -> {
                return 0;
            }
            case "1", "1.0", "true" -> {
                return 1;
            }
            default -> throw new InputFormatException(line, "label '" + clip(v)
                    + "' is not 0 or 1; name the classes (--classes) for other labels");
        }
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public List<String> featureNames() {
        return Collections.unmodifiableList(featureNames);
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public double[] features() {
        return row;
    }

    @Override
    public int label() {
        return label;
    }

    @Override
    public long timeMillis() {
        return time;
    }

    /** The 1-based line of the current example's record. */
    public long line() {
        return line;
    }

    /** Column names by role, for a summary: numeric and categorical features with their widths. */
    public String describe() {
        int numeric = 0;
        List<String> categorical = new ArrayList<>();
        for (int i = 0; i < roles.length; i++) {
            if (roles[i] == Role.NUMERIC) {
                numeric++;
            } else if (roles[i] == Role.CATEGORICAL) {
                categorical.add(names[i] + " (" + vocabularies[i].width() + ")");
            }
        }
        return numFeatures + " features from " + numeric + " numeric and " + categorical.size()
                + " categorical columns" + (categorical.isEmpty() ? "" : ": " + String.join(", ", categorical))
                + "; label '" + names[labelColumn] + "' with " + numClasses() + " classes";
    }

    /** Occurrences of values that went to the overflow slot of their column, summed over columns. */
    public long overflowed() {
        long n = 0;
        for (BoundedVocabulary v : vocabularies) {
            if (v != null) {
                n += v.overflowed();
            }
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
