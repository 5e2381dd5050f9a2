package dev.vigil.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vigil fairness-audit} in-process. */
class FairnessAuditCommandTest {

    private record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }

        String row(String group, String metric) {
            return lines().stream().filter(l -> l.split("\t")[2].equals(group) && l.split("\t")[3].equals(metric))
                    .findFirst().orElseThrow();
        }
    }

    private static Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(
                new FairnessAuditCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return new Result(cmd.execute(args), out.toString(), err.toString());
    }

    /** 200 rows of group a (selection 0.5) and 200 of b (selection 0.2), labels independent of the group. */
    private static String decisions() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add("a," + (i % 2) + "," + (i % 4 < 2 ? "0.8" : "0.2") + ",2026-03-0" + (1 + i % 2) + "T10:00:00Z");
            rows.add("b," + (i % 2) + "," + (i % 5 == 0 ? "0.7" : "0.3") + ",2026-03-0" + (1 + i % 2) + "T11:00:00Z");
        }
        Collections.shuffle(rows, new Random(2));
        return "sex,died,risk,ts\n" + String.join("\n", rows) + "\n";
    }

    @Test
    void helpDescribesTheTable() {
        Result r = run("", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("window_start\twindow_end\tgroup\tmetric", "--group", "--score", "--prediction",
                "--threshold", "--window", "--allowed-lateness", "--confidence", "--min-group-count",
                "--fail-on-significant");
    }

    @Test
    void auditsTheWholeFileAndFailsOnASignificantGapWhenAsked() {
        String[] args = {"--group", "sex", "--label", "died", "--score", "risk"};
        Result r = run(decisions(), args);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.lines().get(0)).isEqualTo(
                "window_start\twindow_end\tgroup\tmetric\tvalue\tci_low\tci_high\tsignificant\tdetail");
        assertThat(r.row("a", "selection_rate")).startsWith("-\t-\ta\tselection_rate\t0.500000\t")
                .endsWith("\t-\t100/200");
        assertThat(r.row("b", "selection_rate")).startsWith("-\t-\tb\tselection_rate\t0.200000\t");
        assertThat(r.row("*", "demographic_parity_difference"))
                .isEqualTo("-\t-\t*\tdemographic_parity_difference\t0.300000\t-\t-\ttrue\tlow=b high=a groups=2");
        assertThat(r.err()).isEqualTo("fairness-audit: 400 rows, 1 report; a gap is significant"
                + System.lineSeparator());
        assertThat(run(decisions(), concat(args, "--fail-on-significant")).code()).isEqualTo(3);

        Result wider = run(decisions(), concat(args, "--confidence", "0.999"));
        double low95 = Double.parseDouble(r.row("a", "selection_rate").split("\t")[5]);
        double low999 = Double.parseDouble(wider.row("a", "selection_rate").split("\t")[5]);
        assertThat(low999).isLessThan(low95);
    }

    @Test
    void auditsPerWindow() {
        String[] args = {"--group", "sex", "--label", "died", "--score", "risk", "--time", "ts", "--window", "1d"};
        // the rows of the two days are shuffled: with a day of allowed lateness none is late
        Result r = run(decisions(), concat(args, "--allowed-lateness", "1d"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.lines().stream().skip(1).map(l -> l.split("\t")[0]).distinct())
                .containsExactly("2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z");
        assertThat(r.err()).startsWith("fairness-audit: 400 rows, 2 windows; ");
        // without lateness, the first day's rows that come after a second-day row are left out
        Result strict = run(decisions(), args);
        assertThat(strict.err()).containsPattern("400 rows, 2 windows, \\d+ late rows left out");
    }

    @Test
    void badInputAndOptionsExitWith2() {
        Result bad = run("group,label,prediction\nx,1,1\nx,1,yes\n");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("fairness-audit: line 3: prediction 'yes' is not 0 or 1"
                + System.lineSeparator());
        Result threshold = run("group,label,prediction\nx,1,1\n", "--threshold", "0.3");
        assertThat(threshold.code()).isEqualTo(2);
        assertThat(threshold.err()).contains("--threshold applies to --score");
        Result noWindowTime = run("group,label,score\nx,1,0.3\n", "--window", "1h");
        assertThat(noWindowTime.err()).contains("windows need a time column");
        Result noDecision = run("group,label,p\nx,1,0.3\n");
        assertThat(noDecision.err()).contains("name the score (--score) or prediction (--prediction) column");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
