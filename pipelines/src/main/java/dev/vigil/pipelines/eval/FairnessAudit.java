package dev.vigil.pipelines.eval;

import dev.vigil.operators.fairness.FairnessReport;
import dev.vigil.operators.fairness.GroupFairness;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A fairness audit of recorded decisions: rows of (group, label, score or 0/1 prediction, optional event time) are
 * accumulated per group with the streaming fairness monitor's own classes ({@link GroupFairness}, {@link
 * FairnessReport}: per-group rates with Wilson intervals, parity, equal-opportunity and equalized-odds gaps and their
 * significance), for the whole input or per tumbling event-time window.
 *
 * <p><b>Windows</b> are aligned to the epoch, {@code [k w, (k + 1) w)}, as Flink's tumbling event-time windows. Rows
 * may arrive out of order: a window is reported once the latest time seen minus the allowed lateness reaches its end
 * (a watermark, as in a streaming job), and the rest at the end of the input, in window order. A row whose window was
 * already reported is late: it is counted ({@link Summary#lateRows()}) and left out, as the streaming monitor would.
 */
public final class FairnessAudit {

    /** The group name given to rows whose group is missing. */
    public static final String MISSING_GROUP = "(missing)";

    /**
     * What to read and how to judge it.
     *
     * @param group the group column
     * @param label the label column
     * @param score the score column ({@code P(y = 1)} or any score compared with the threshold), or {@code null}
     * @param prediction the 0/1 prediction column, or {@code null}; exactly one of score and prediction is set
     * @param time the event-time column, or {@code null}
     * @param window the tumbling window length, or {@code null} for the whole input (needs {@code time})
     * @param allowedLateness how far behind the latest time a row may be and still count
     * @param threshold predict 1 when {@code score >= threshold} (0.5 for predictions)
     * @param positiveLabel the label value meaning 1 (others mean 0), or {@code null} for labels written 0/1 or
     *     false/true
     * @param options minimum counts, interval level and four-fifths ratio of the report
     */
    public record Settings(
            String group,
            String label,
            String score,
            String prediction,
            String time,
            Duration window,
            Duration allowedLateness,
            double threshold,
            String positiveLabel,
            FairnessReport.Options options) {

        public Settings {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(allowedLateness, "allowedLateness");
            Objects.requireNonNull(options, "options");
            if ((score == null) == (prediction == null)) {
                throw new IllegalArgumentException("give either a score column or a prediction column");
            }
            if (window != null && time == null) {
                throw new IllegalArgumentException("windows need a time column");
            }
            if (window != null && window.toMillis() < 1) {
                throw new IllegalArgumentException("the window must be at least 1 ms, got " + window);
            }
            if (allowedLateness.isNegative()) {
                throw new IllegalArgumentException("the allowed lateness must not be negative");
            }
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("the threshold must be finite, got " + threshold);
            }
        }

        /** Whether the decisions come with scores (and so calibration can be judged). */
        public boolean hasScores() {
            return score != null;
        }
    }

    /** Receives each window's report as soon as it is complete. */
    public interface Listener {
        /**
         * @param startMillis the window's start (inclusive), or {@link Long#MIN_VALUE} for the whole input
         * @param endMillis the window's end (exclusive), or {@link Long#MAX_VALUE} for the whole input
         * @param report the fairness report of the window's rows
         */
        void window(long startMillis, long endMillis, FairnessReport report);
    }

    /**
     * What the audit read.
     *
     * @param rows rows read
     * @param lateRows rows left out because their window had been reported
     * @param windows reports made
     * @param anySignificant whether any report had a significant gap ({@link FairnessReport#anySignificant()})
     */
    public record Summary(long rows, long lateRows, long windows, boolean anySignificant) {}

    private final Settings settings;

    public FairnessAudit(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Reads {@code reader} to the end and reports every window (or the whole input) to {@code listener}.
     *
     * @throws IllegalArgumentException if a named column is missing from the header
     * @throws InputFormatException on a malformed row, with its line
     */
    public Summary run(TabularReader reader, Listener listener) throws IOException {
        Map<String, Integer> byName = new HashMap<>();
        List<Column> columns = reader.columns();
        for (int i = 0; i < columns.size(); i++) {
            byName.put(columns.get(i).name(), i);
        }
        int group = column(settings.group(), "group", byName);
        int label = column(settings.label(), "label", byName);
        int decision = settings.hasScores()
                ? column(settings.score(), "score", byName)
                : column(settings.prediction(), "prediction", byName);
        int time = settings.time() == null ? -1 : column(settings.time(), "time", byName);
        double threshold = settings.hasScores() ? settings.threshold() : 0.5;
        long windowMillis = settings.window() == null ? 0 : settings.window().toMillis();
        long lateness = settings.allowedLateness().toMillis();

        TreeMap<Long, GroupFairness> open = new TreeMap<>();
        GroupFairness whole = windowMillis == 0 ? new GroupFairness(threshold) : null;
        long rows = 0;
        long late = 0;
        long windows = 0;
        boolean significant = false;
        long maxTime = Long.MIN_VALUE;
        long reportedUpTo = Long.MIN_VALUE; // every window ending at or before this was reported
        String[] record;
        while ((record = reader.next()) != null) {
            long line = reader.line();
            rows++;
            String g = record[group] == null ? MISSING_GROUP : record[group];
            int y = label(record[label], line);
            double s = settings.hasScores() ? score(record[decision], line) : prediction(record[decision], line);
            if (whole != null) {
                if (time >= 0) {
                    TimeValues.parse(record[time], line, settings.time()); // validated, not used
                }
                whole.add(g, s, y);
                continue;
            }
            long t = TimeValues.parse(record[time], line, settings.time());
            long start = Math.floorDiv(t, windowMillis) * windowMillis;
            if (start + windowMillis <= reportedUpTo) {
                late++;
                continue;
            }
            open.computeIfAbsent(start, k -> new GroupFairness(threshold)).add(g, s, y);
            if (t > maxTime) {
                maxTime = t;
                long watermark = maxTime - lateness;
                while (!open.isEmpty() && open.firstKey() + windowMillis <= watermark) {
                    Map.Entry<Long, GroupFairness> first = open.pollFirstEntry();
                    significant |= report(first.getKey(), first.getKey() + windowMillis, first.getValue(), listener);
                    windows++;
                }
                reportedUpTo = Math.max(reportedUpTo, Math.floorDiv(watermark, windowMillis) * windowMillis);
            }
        }
        if (whole != null) {
            significant = report(Long.MIN_VALUE, Long.MAX_VALUE, whole, listener);
            windows = 1;
        } else {
            for (Map.Entry<Long, GroupFairness> e : open.entrySet()) {
                significant |= report(e.getKey(), e.getKey() + windowMillis, e.getValue(), listener);
                windows++;
            }
        }
        return new Summary(rows, late, windows, significant);
    }

    private boolean report(long start, long end, GroupFairness counts, Listener listener) {
        FairnessReport report = FairnessReport.of(counts, settings.options());
        listener.window(start, end, report);
        return report.anySignificant();
    }

    private int label(String v, long line) {
        if (v == null) {
            throw new InputFormatException(line, "the label '" + settings.label() + "' is missing");
        }
        if (settings.positiveLabel() != null) {
            return v.equals(settings.positiveLabel()) ? 1 : 0;
        }
        return binary(v, line, "label", "; name the positive label (--positive-label) for other labels");
    }

    private double prediction(String v, long line) {
        if (v == null) {
            throw new InputFormatException(line, "the prediction '" + settings.prediction() + "' is missing");
        }
        return binary(v, line, "prediction", "");
    }

    private static int binary(String v, long line, String what, String hint) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "0", "0.0", "false" -> {
                return 0;
            }
            case "1", "1.0", "true" -> {
                return 1;
            }
            default -> throw new InputFormatException(line, what + " '" + clip(v) + "' is not 0 or 1" + hint);
        }
    }

    private double score(String v, long line) {
        if (v == null) {
            throw new InputFormatException(line, "the score '" + settings.score() + "' is missing");
        }
        double s;
        try {
            s = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InputFormatException(line, "score '" + clip(v) + "' is not a number");
        }
        if (!Double.isFinite(s)) {
            throw new InputFormatException(line, "score '" + clip(v) + "' is not finite");
        }
        return s;
    }

    private static int column(String name, String role, Map<String, Integer> byName) {
        Integer i = byName.get(name);
        if (i == null) {
            throw new IllegalArgumentException("the " + role + " column '" + name + "' is not in the header; columns: "
                    + String.join(", ", byName.keySet().stream().sorted().toList()));
        }
        return i;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
