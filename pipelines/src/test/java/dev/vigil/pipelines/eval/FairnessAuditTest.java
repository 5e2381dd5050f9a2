package dev.vigil.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.fairness.FairnessReport;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The audit of a constructed dataset whose metrics are known in closed form, and its windows. */
class FairnessAuditTest {

    /** Rows "group,label,score": {@code tp} (1, 0.9), {@code fn} (1, 0.1), {@code fp} (0, 0.9), {@code tn} (0, 0.1). */
    private static void add(List<String> rows, String group, int tp, int fn, int fp, int tn) {
        for (int i = 0; i < tp; i++) {
            rows.add(group + ",1,0.9");
        }
        for (int i = 0; i < fn; i++) {
            rows.add(group + ",1,0.1");
        }
        for (int i = 0; i < fp; i++) {
            rows.add(group + ",0,0.9");
        }
        for (int i = 0; i < tn; i++) {
            rows.add(group + ",0,0.1");
        }
    }

    /** Group A: 80 positives (60 selected), 120 negatives (36 selected); B: 20 (10), 80 (8); C: 5 (5), 5 (0). */
    static String constructedCsv() {
        List<String> rows = new ArrayList<>();
        add(rows, "A", 60, 20, 36, 84);
        add(rows, "B", 10, 10, 8, 72);
        add(rows, "C", 5, 0, 0, 5);
        Collections.shuffle(rows, new Random(1));
        return "group,label,score\n" + String.join("\n", rows) + "\n";
    }

    /** The Wilson score interval in closed form (Wilson 1927), written out independently of the production class. */
    private static double[] wilson(double k, double n) {
        double z = 1.959963984540054;
        double p = k / n;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        return new double[] {p, centre - half, centre + half};
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static Map<String, String[]> table(List<String> rows) {
        Map<String, String[]> byKey = new HashMap<>();
        for (String row : rows) {
            String[] c = row.split("\t", -1);
            assertThat(c).hasSize(FairnessTable.HEADER.split("\t").length);
            byKey.put(c[2] + " " + c[3], c);
        }
        return byKey;
    }

    private static FairnessAudit.Settings scores(String time, Duration window, Duration lateness) {
        return new FairnessAudit.Settings("group", "label", "score", null, time, window, lateness, 0.5, null,
                FairnessReport.Options.DEFAULTS);
    }

    @Test
    void theMetricsOfAConstructedDatasetAreTheirClosedForms() throws IOException {
        List<String> out = new ArrayList<>();
        FairnessAudit.Summary summary = new FairnessAudit(scores(null, null, Duration.ZERO)).run(
                new CsvReader(new StringReader(constructedCsv())),
                (start, end, report) -> out.addAll(FairnessTable.rows(start, end, report, true)));
        assertThat(summary).isEqualTo(new FairnessAudit.Summary(310, 0, 1, true));
        Map<String, String[]> t = table(out);

        assertRate(t, "A selection_rate", 96, 200);
        assertRate(t, "A true_positive_rate", 60, 80);
        assertRate(t, "A false_positive_rate", 36, 120);
        assertRate(t, "A precision", 60, 96);
        assertRate(t, "A event_rate", 80, 200);
        assertRate(t, "B selection_rate", 18, 100);
        assertRate(t, "B true_positive_rate", 10, 20);
        assertRate(t, "B false_positive_rate", 8, 80);
        assertRate(t, "B precision", 10, 18);
        assertRate(t, "C selection_rate", 5, 10);
        assertThat(t.get("C selection_rate")[8]).isEqualTo("5/10; excluded: n < 30");

        // mean score A = (96 * 0.9 + 104 * 0.1) / 200 = 0.484, outside A's event-rate interval [0.335, 0.469]
        assertThat(t.get("A mean_score")[4]).isEqualTo(f(0.484));
        assertThat(t.get("A calibration_in_the_large")[4]).isEqualTo(f(0.484 - 0.4));
        assertThat(t.get("A calibration_in_the_large")[7]).isEqualTo("true");
        // B: (18 * 0.9 + 82 * 0.1) / 100 = 0.244, inside B's event-rate interval [0.133, 0.289]
        assertThat(t.get("B calibration_in_the_large")[4]).isEqualTo(f(0.244 - 0.2));
        assertThat(t.get("B calibration_in_the_large")[7]).isEqualTo("false");
        assertThat(t.get("C calibration_in_the_large")[7]).isEqualTo("-");

        // gaps over A and B (C is too small): selection 0.48 vs 0.18, TPR 0.75 vs 0.5, FPR 0.3 vs 0.1
        assertGap(t, "demographic_parity_difference", 0.48 - 0.18, !overlap(96, 200, 18, 100), "low=B high=A");
        assertThat(t.get("* demographic_parity_ratio")[4]).isEqualTo(f(0.18 / 0.48));
        assertThat(t.get("* demographic_parity_ratio")[8]).startsWith("four_fifths_violated=true");
        assertGap(t, "equal_opportunity_difference", 0.25, !overlap(60, 80, 10, 20), "low=B high=A");
        assertGap(t, "false_positive_rate_difference", 0.2, !overlap(36, 120, 8, 80), "low=B high=A");
        assertThat(t.get("* equalized_odds_difference")[4]).isEqualTo(f(0.25));
        assertThat(t.get("* equalized_odds_difference")[7]).isEqualTo("true");
        // the intervals decide: selection and FPR gaps are significant, the TPR gap (n = 20 in B) is not
        assertThat(t.get("* demographic_parity_difference")[7]).isEqualTo("true");
        assertThat(t.get("* equal_opportunity_difference")[7]).isEqualTo("false");
        assertThat(t.get("* false_positive_rate_difference")[7]).isEqualTo("true");
        assertThat(out).allSatisfy(row -> assertThat(row).startsWith("-\t-\t"));
    }

    private static boolean overlap(int k1, int n1, int k2, int n2) {
        double[] a = wilson(k1, n1);
        double[] b = wilson(k2, n2);
        return a[1] <= b[2] && b[1] <= a[2];
    }

    private static void assertRate(Map<String, String[]> t, String key, int k, int n) {
        double[] w = wilson(k, n);
        String[] row = t.get(key);
        assertThat(row).as(key).isNotNull();
        assertThat(new String[] {row[4], row[5], row[6]}).as(key).containsExactly(f(w[0]), f(w[1]), f(w[2]));
        assertThat(row[8]).as(key).startsWith(k + "/" + n);
    }

    private static void assertGap(Map<String, String[]> t, String metric, double value, boolean significant,
            String extremes) {
        String[] row = t.get("* " + metric);
        assertThat(row[4]).as(metric).isEqualTo(f(value));
        assertThat(row[7]).as(metric).isEqualTo(Boolean.toString(significant));
        assertThat(row[8]).as(metric).isEqualTo(extremes + " groups=2");
    }

    @Test
    void reportsTumblingWindowsInOrderAndCountsLateRows() throws IOException {
        String csv = "time,group,label,score\n"
                + "2026-03-01T00:10:00Z,A,1,0.9\n"
                + "2026-03-01T01:20:00Z,A,0,0.2\n" // watermark 01:20 - 30 min = 00:50: nothing closes
                + "2026-03-01T00:40:00Z,B,1,0.8\n" // out of order but within the lateness: counts in [00:00, 01:00)
                + "2026-03-01T01:45:00Z,B,0,0.7\n" // watermark 01:15: [00:00, 01:00) is reported
                + "2026-03-01T00:55:00Z,A,1,0.1\n" // its window was reported: late
                + "2026-03-01T03:05:00Z,A,0,0.3\n"; // watermark 02:35: [01:00, 02:00) is reported
        List<String> windows = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        FairnessAudit.Summary summary = new FairnessAudit(
                        scores("time", Duration.ofHours(1), Duration.ofMinutes(30)))
                .run(new CsvReader(new StringReader(csv)), (start, end, report) -> {
                    windows.add(Instant.ofEpochMilli(start) + "/" + Instant.ofEpochMilli(end));
                    counts.add(report.groups().stream().mapToLong(g -> g.counts().count()).sum());
                });
        assertThat(windows).containsExactly(
                "2026-03-01T00:00:00Z/2026-03-01T01:00:00Z",
                "2026-03-01T01:00:00Z/2026-03-01T02:00:00Z",
                "2026-03-01T03:00:00Z/2026-03-01T04:00:00Z");
        assertThat(counts).containsExactly(2L, 2L, 1L);
        assertThat(summary).isEqualTo(new FairnessAudit.Summary(6, 1, 3, false));
    }

    @Test
    void predictionsAndNamedPositiveLabels() throws IOException {
        String csv = "g,outcome,alert\nx,died,1\nx,lived,0\ny,died,0\n";
        List<FairnessReport> reports = new ArrayList<>();
        new FairnessAudit(new FairnessAudit.Settings("g", "outcome", null, "alert", null, null, Duration.ZERO, 0.5,
                        "died", FairnessReport.Options.DEFAULTS))
                .run(new CsvReader(new StringReader(csv)), (s, e, r) -> reports.add(r));
        FairnessReport r = reports.get(0);
        assertThat(r.group("x").counts().truePositives()).isEqualTo(1);
        assertThat(r.group("x").counts().trueNegatives()).isEqualTo(1);
        assertThat(r.group("y").counts().falseNegatives()).isEqualTo(1);
    }

    @Test
    void badRowsAreRefusedWithTheirLine() {
        assertBad("group,label,score\nA,1,0.5\nA,2,0.5\n", "line 3: label '2' is not 0 or 1");
        assertBad("group,label,score\nA,1,high\n", "line 2: score 'high' is not a number");
        assertBad("group,label,score\nA,,0.3\n", "line 2: the label 'label' is missing");
        assertThatThrownBy(() -> new FairnessAudit(scores(null, null, Duration.ZERO))
                        .run(new CsvReader(new StringReader("group,y,score\n")), (s, e, r) -> {}))
                .hasMessage("the label column 'label' is not in the header; columns: group, score, y");
    }

    private static void assertBad(String csv, String message) {
        assertThatThrownBy(() -> new FairnessAudit(scores(null, null, Duration.ZERO))
                        .run(new CsvReader(new StringReader(csv)), (s, e, r) -> {}))
                .isInstanceOf(InputFormatException.class)
                .hasMessageStartingWith(message);
    }
}
