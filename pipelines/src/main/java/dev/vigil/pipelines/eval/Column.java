package dev.vigil.pipelines.eval;

import java.util.List;
import java.util.Objects;

/**
 * One column of a tabular stream as its header declares it.
 *
 * @param name the column's name
 * @param kind what the header says about its values ({@link Kind#UNTYPED} for CSV, which declares nothing)
 * @param values the declared values of a {@link Kind#NOMINAL} column, in declaration order; empty otherwise
 */
public record Column(String name, Kind kind, List<String> values) {

    /** A column's declared type. */
    public enum Kind {
        /** No declaration (CSV): the encoder infers numeric or categorical. */
        UNTYPED,
        /** Numbers (ARFF {@code numeric}, {@code real}, {@code integer}). */
        NUMERIC,
        /** One of a declared set of values (ARFF {@code {a, b, c}}). */
        NOMINAL,
        /** Free text (ARFF {@code string}): categorical with a vocabulary learnt online. */
        STRING,
        /** A timestamp (ARFF {@code date}): usable as the time column only. */
        DATE
    }

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        values = List.copyOf(values);
        if ((kind == Kind.NOMINAL) == values.isEmpty()) {
            throw new IllegalArgumentException("a nominal column declares values, other kinds none: " + name);
        }
    }

    /** A column of {@code kind} without declared values. */
    public static Column of(String name, Kind kind) {
        return new Column(name, kind, List.of());
    }
}
