package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * One headline number at the top of a report, already formatted, e.g. {@code ("model AUROC", "0.842")}.
 *
 * @param label what it is
 * @param value the formatted value, units included
 */
public record KeyFigure(String label, String value) {
    public KeyFigure {
        checkArgument(label != null && !label.isBlank(), "label must not be blank");
        checkArgument(value != null, "value must not be null");
    }
}
