package dev.vigil.pipelines.eval;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the columns of a tabular stream become a model's features and label ({@link ExampleEncoder}).
 *
 * @param label the label column; {@code null}: ARFF's last attribute (Weka's and MOA's convention), or a CSV column
 *     named {@code label} or {@code class}
 * @param time the event-time column, or {@code null}; never a feature
 * @param ignore columns that are not features (e.g. ids)
 * @param categorical CSV columns to one-hot encode even if their values look numeric (e.g. codes)
 * @param numeric CSV columns to read as numbers even if the first rows hold something else
 * @param classes class labels in class-index order; empty: an ARFF nominal label's declared values, else a binary
 *     label written {@code 0}/{@code 1} or {@code false}/{@code true}
 * @param maxCategories the most values of one categorical column with a slot of their own, {@code >= 1}; the rest
 *     share an overflow slot
 * @param inferRows CSV rows looked at to decide whether an untyped column is numeric, {@code >= 1}
 */
public record EncodingOptions(
        String label,
        String time,
        Set<String> ignore,
        Set<String> categorical,
        Set<String> numeric,
        List<String> classes,
        int maxCategories,
        int inferRows) {

    /** Default {@link #maxCategories}. */
    public static final int DEFAULT_MAX_CATEGORIES = 32;

    /** Default {@link #inferRows}. */
    public static final int DEFAULT_INFER_ROWS = 1_000;

    public EncodingOptions {
        ignore = Set.copyOf(ignore);
        categorical = Set.copyOf(categorical);
        numeric = Set.copyOf(numeric);
        classes = List.copyOf(classes);
        if (maxCategories < 1) {
            throw new IllegalArgumentException("maxCategories must be >= 1, got " + maxCategories);
        }
        if (inferRows < 1) {
            throw new IllegalArgumentException("inferRows must be >= 1, got " + inferRows);
        }
        for (String c : categorical) {
            if (numeric.contains(c)) {
                throw new IllegalArgumentException("column '" + c + "' cannot be both categorical and numeric");
            }
        }
        if (classes.size() == 1) {
            throw new IllegalArgumentException("name at least 2 classes, got " + classes);
        }
        if (Set.copyOf(classes).size() != classes.size()) {
            throw new IllegalArgumentException("class labels must be distinct, got " + classes);
        }
    }

    /** Everything at its default: label by convention, no time column, types inferred. */
    public static EncodingOptions defaults() {
        return new EncodingOptions(null, null, Set.of(), Set.of(), Set.of(), List.of(), DEFAULT_MAX_CATEGORIES,
                DEFAULT_INFER_ROWS);
    }

    /** These options with {@code label} as the label column. */
    public EncodingOptions withLabel(String label) {
        return new EncodingOptions(Objects.requireNonNull(label, "label"), time, ignore, categorical, numeric, classes,
                maxCategories, inferRows);
    }
}
