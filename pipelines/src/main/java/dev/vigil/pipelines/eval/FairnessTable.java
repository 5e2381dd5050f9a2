package dev.vigil.pipelines.eval;

import dev.vigil.operators.fairness.FairnessReport;
import dev.vigil.operators.fairness.FairnessReport.Gap;
import dev.vigil.operators.fairness.FairnessReport.GroupStats;
import dev.vigil.operators.fairness.WilsonInterval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link FairnessReport} as tab-separated rows in long ("tidy") form, one metric per row, under the header {@link
 * #HEADER}:
 *
 * <ul>
 *   <li>per group: {@code selection_rate}, {@code true_positive_rate}, {@code false_positive_rate}, {@code precision}
 *       and {@code event_rate}, each with its Wilson interval and {@code successes/trials} in {@code detail} (marked
 *       {@code excluded: ...} when the group is too small to enter the gaps); with scores also {@code mean_score} and
 *       {@code calibration_in_the_large} (mean score minus event rate; {@code significant} is whether the mean score
 *       lies outside the event rate's interval);
 *   <li>across groups ({@code group} = {@code *}): {@code demographic_parity_difference}, {@code
 *       demographic_parity_ratio} (four-fifths rule in {@code detail}), {@code equal_opportunity_difference}, {@code
 *       false_positive_rate_difference} and {@code equalized_odds_difference}, with whether each gap is significant
 *       (the extreme groups' intervals do not overlap) and the extreme groups in {@code detail}.
 * </ul>
 *
 * Numbers have 6 decimals; undefined values are {@code NaN}, columns that do not apply {@code -}. The window columns
 * are ISO-8601 instants, or {@code -} for the whole input.
 */
public final class FairnessTable {

    /** The header row. */
    public static final String HEADER =
            "window_start\twindow_end\tgroup\tmetric\tvalue\tci_low\tci_high\tsignificant\tdetail";

    /** The group column of the rows about gaps between groups. */
    public static final String ALL_GROUPS = "*";

    private FairnessTable() {}

    /** The rows of one window's report ({@link Long#MIN_VALUE}/{@link Long#MAX_VALUE}: the whole input). */
    public static List<String> rows(long startMillis, long endMillis, FairnessReport report, boolean withScores) {
        String start = startMillis == Long.MIN_VALUE ? "-" : Instant.ofEpochMilli(startMillis).toString();
        String end = endMillis == Long.MAX_VALUE ? "-" : Instant.ofEpochMilli(endMillis).toString();
        String prefix = start + "\t" + end + "\t";
        FairnessReport.Options o = report.options();
        List<String> rows = new ArrayList<>();
        for (GroupStats g : report.groups()) {
            String p = prefix + g.group() + "\t";
            long n = g.counts().count();
            String small = n < o.minGroupCount() ? "; excluded: n < " + o.minGroupCount() : "";
            rows.add(rate(p, "selection_rate", g.selectionRate(), small));
            rows.add(rate(p, "true_positive_rate", g.truePositiveRate(), g.inSelectionGap() && !g.inTprGap()
                    ? "; excluded: positives < " + o.minPositives() : small));
            rows.add(rate(p, "false_positive_rate", g.falsePositiveRate(), g.inSelectionGap() && !g.inFprGap()
                    ? "; excluded: negatives < " + o.minNegatives() : small));
            rows.add(rate(p, "precision", g.precision(), ""));
            rows.add(rate(p, "event_rate", g.eventRate(), ""));
            if (withScores) {
                rows.add(p + "mean_score\t" + num(g.meanScore()) + "\t-\t-\t-\tn=" + n);
                rows.add(p + "calibration_in_the_large\t" + num(g.calibrationInTheLarge()) + "\t-\t-\t"
                        + (g.inSelectionGap() ? Boolean.toString(g.miscalibrated()) : "-")
                        + "\tmean score minus event rate");
            }
        }
        String p = prefix + ALL_GROUPS + "\t";
        rows.add(gap(p, "demographic_parity_difference", report.demographicParity()));
        rows.add(p + "demographic_parity_ratio\t" + num(report.demographicParityRatio()) + "\t-\t-\t-\t"
                + "four_fifths_violated=" + report.fourFifthsViolated() + " (ratio < " + num(o.fourFifths()) + ")");
        rows.add(gap(p, "equal_opportunity_difference", report.equalOpportunity()));
        rows.add(gap(p, "false_positive_rate_difference", report.falsePositiveRateGap()));
        rows.add(p + "equalized_odds_difference\t" + num(report.equalizedOddsDifference()) + "\t-\t-\t"
                + report.equalizedOddsSignificant() + "\tmax of the TPR and FPR differences");
        return rows;
    }

    private static String rate(String prefix, String metric, WilsonInterval w, String note) {
        return prefix + metric + "\t" + num(w.estimate()) + "\t" + num(w.lower()) + "\t" + num(w.upper()) + "\t-\t"
                + w.successes() + "/" + w.trials() + note;
    }

    private static String gap(String prefix, String metric, Gap gap) {
        String detail = gap.eligibleGroups() < 2
                ? "groups=" + gap.eligibleGroups() + " (needs 2)"
                : "low=" + gap.lowGroup() + " high=" + gap.highGroup() + " groups=" + gap.eligibleGroups();
        return prefix + metric + "\t" + num(gap.difference()) + "\t-\t-\t" + gap.significant() + "\t" + detail;
    }

    static String num(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.6f", v);
    }
}
