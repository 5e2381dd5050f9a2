package dev.vigil.pipelines.cli;

import dev.vigil.operators.fairness.FairnessReport;
import dev.vigil.operators.fairness.WilsonInterval;
import dev.vigil.pipelines.eval.Column;
import dev.vigil.pipelines.eval.FairnessAudit;
import dev.vigil.pipelines.eval.FairnessTable;
import dev.vigil.pipelines.eval.InputFormat;
import dev.vigil.pipelines.eval.NormalQuantile;
import dev.vigil.pipelines.eval.TabularReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil fairness-audit}: the fairness monitor's metrics ({@link FairnessAudit}, {@link FairnessReport}) over a
 * recorded file of decisions, for the whole file or per tumbling event-time window, as a tab-separated table ({@link
 * FairnessTable}) on stdout. A summary goes to stderr. Exit code 0; 2 for bad input or options (with the line number
 * of a bad row); 1 when the input cannot be read; with {@code --fail-on-significant}, {@value #EXIT_SIGNIFICANT} when
 * a gap is significant.
 */
@Command(
        name = "fairness-audit",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 120,
        sortOptions = false,
        abbreviateSynopsis = true,
        optionListHeading = "%nOptions:%n",
        description = {
            "Audit recorded decisions for group fairness with the streaming fairness monitor's metrics. Reads CSV"
                    + " (header row), TSV or ARFF with a group, a label (0/1) and a score or a 0/1 prediction per row,"
                    + " optionally an event time, from a file or stdin.",
            "",
            "Prints a tab-separated table, one metric per row:",
            "  " + FairnessTable.HEADER,
            "Per group: selection_rate, true_positive_rate, false_positive_rate, precision, event_rate with Wilson"
                    + " intervals (detail: successes/trials), and with --score mean_score and"
                    + " calibration_in_the_large. Across groups (group *): demographic_parity_difference and _ratio"
                    + " (four-fifths rule), equal_opportunity_difference, false_positive_rate_difference,"
                    + " equalized_odds_difference, each with whether it is significant: the intervals of the two"
                    + " extreme groups do not overlap (conservative). Groups below the minimum counts are reported"
                    + " but left out of the gaps.",
            "",
            "With --window, one block per tumbling event-time window (aligned to the epoch, reported in window"
                    + " order; rows more than --allowed-lateness behind the latest time whose window was already"
                    + " reported are left out and counted)."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil fairness-audit decisions.csv --group sex --label outcome --score risk",
            "  vigil fairness-audit decisions.csv --group site --prediction alerted --time ts --window 7d",
            "  vigil fairness-audit - --group age_band --score p --threshold 0.3 --fail-on-significant < scores.csv"
        })
final class FairnessAuditCommand implements Callable<Integer> {

    /** Exit code for bad input or options. */
    static final int EXIT_BAD_INPUT = TableInput.EXIT_BAD_INPUT;

    /** Exit code when the input cannot be read (an I/O error, not a malformed record). */
    static final int EXIT_IO = TableInput.EXIT_IO;

    /** Exit code with {@code --fail-on-significant} when a gap is significant. */
    static final int EXIT_SIGNIFICANT = 3;

    @Parameters(index = "0", arity = "0..1", paramLabel = "INPUT", defaultValue = InputFormat.STDIN,
            description = "File to read (.csv, .tsv, .arff, optionally .gz), or - for stdin (default).")
    String input;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto (by file name; on stdin ARFF if it starts with @relation), csv, tsv or arff."
                    + " Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--group", defaultValue = "group", paramLabel = "COLUMN",
            description = "The group column (a missing group counts as " + FairnessAudit.MISSING_GROUP + ")."
                    + " Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--label", defaultValue = "label", paramLabel = "COLUMN",
            description = "The label column: 0/1 or false/true, or see --positive-label. Default: ${DEFAULT-VALUE}.")
    String label;

    @Option(names = "--score", paramLabel = "COLUMN",
            description = "The score column (e.g. P(y = 1)); the decision is score >= --threshold. Default: a column"
                    + " named score, if there is one and no --prediction.")
    String score;

    @Option(names = "--prediction", paramLabel = "COLUMN",
            description = "The 0/1 decision column, instead of --score. Default: a column named prediction, if there"
                    + " is no score column.")
    String prediction;

    @Option(names = "--threshold", paramLabel = "T",
            description = "Decision threshold on the score. Default: 0.5.")
    Double threshold;

    @Option(names = "--positive-label", paramLabel = "VALUE",
            description = "The label value meaning positive (1); all others are negative.")
    String positiveLabel;

    @Option(names = "--time", paramLabel = "COLUMN",
            description = "The event-time column (epoch milliseconds or ISO-8601).")
    String time;

    @Option(names = "--window", paramLabel = "DURATION",
            description = "Report per tumbling event-time window of this length, e.g. 1h, 7d (needs --time)."
                    + " Default: the whole file.")
    String window;

    @Option(names = "--allowed-lateness", defaultValue = "0 ms", paramLabel = "DURATION",
            description = "How far behind the latest time a row may be and still count. Default: ${DEFAULT-VALUE}.")
    String allowedLateness;

    @Option(names = "--min-group-count", paramLabel = "N",
            description = "Examples a group needs to enter the gaps. Default: 30.")
    Integer minGroupCount;

    @Option(names = "--min-positives", paramLabel = "N",
            description = "Positives a group needs to enter the TPR gap. Default: 10.")
    Integer minPositives;

    @Option(names = "--min-negatives", paramLabel = "N",
            description = "Negatives a group needs to enter the FPR gap. Default: 10.")
    Integer minNegatives;

    @Option(names = "--confidence", defaultValue = "0.95", paramLabel = "LEVEL",
            description = "Level of the Wilson intervals. Default: ${DEFAULT-VALUE}.")
    double confidence;

    @Option(names = "--four-fifths", paramLabel = "RATIO",
            description = "Parity ratio below which the four-fifths rule is violated. Default: 0.8.")
    Double fourFifths;

    @Option(names = "--missing", split = ",", paramLabel = "VALUE",
            description = "CSV values that mean missing, besides the empty value. Default: ?.")
    List<String> missing = new ArrayList<>(List.of("?"));

    @Option(names = "--fail-on-significant",
            description = "Exit with code " + EXIT_SIGNIFICANT + " if any gap is significant (for CI checks).")
    boolean failOnSignificant;

    private final InputStream stdin;

    @CommandLine.Spec CommandSpec spec;

    FairnessAuditCommand() {
        this(null);
    }

    /** Reads {@code stdin} instead of {@code System.in} (tests). */
    FairnessAuditCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        return TableInput.call("fairness-audit", spec.commandLine().getOut(), spec.commandLine().getErr(),
                TableInput::isBadInput, UnaryOperator.identity(), this::run);
    }

    private int run(PrintWriter out, PrintWriter err) throws IOException {
        FairnessReport.Options defaults = FairnessReport.Options.DEFAULTS;
        FairnessReport.Options options = new FairnessReport.Options(
                minGroupCount != null ? minGroupCount : defaults.minGroupCount(),
                minPositives != null ? minPositives : defaults.minPositives(),
                minNegatives != null ? minNegatives : defaults.minNegatives(),
                confidence == 0.95 ? WilsonInterval.Z_95 : NormalQuantile.twoSided(confidence),
                fourFifths != null ? fourFifths : defaults.fourFifths());
        if (score != null && prediction != null) {
            throw new IllegalArgumentException("give --score or --prediction, not both");
        }
        Duration windowLength = window == null ? null : TimeUtils.parseDuration(window);
        Duration lateness = TimeUtils.parseDuration(allowedLateness);
        if (windowLength == null && !lateness.isZero()) {
            throw new IllegalArgumentException("--allowed-lateness applies to --window");
        }
        try (TabularReader reader = TableInput.open(input, format, missing, stdin)) {
            String scoreColumn = score;
            String predictionColumn = prediction;
            if (scoreColumn == null && predictionColumn == null) {
                if (hasColumn(reader, "score")) {
                    scoreColumn = "score";
                } else if (hasColumn(reader, "prediction")) {
                    predictionColumn = "prediction";
                } else {
                    throw new IllegalArgumentException("name the score (--score) or prediction (--prediction)"
                            + " column; there is no column called score or prediction");
                }
            }
            if (predictionColumn != null && threshold != null) {
                throw new IllegalArgumentException("--threshold applies to --score, not to 0/1 --prediction");
            }
            FairnessAudit.Settings settings = new FairnessAudit.Settings(group, label, scoreColumn, predictionColumn,
                    time, windowLength, lateness, threshold != null ? threshold : 0.5, positiveLabel, options);
            out.println(FairnessTable.HEADER);
            boolean scores = settings.hasScores();
            FairnessAudit.Summary summary = new FairnessAudit(settings).run(reader, (start, end, report) -> {
                for (String row : FairnessTable.rows(start, end, report, scores)) {
                    out.println(row);
                }
                out.flush();
            });
            err.println(String.format(Locale.ROOT,
                    "fairness-audit: %d rows, %d %s%s; %s", summary.rows(), summary.windows(),
                    windowLength == null ? "report" : "windows",
                    summary.lateRows() > 0 ? ", " + summary.lateRows() + " late rows left out" : "",
                    summary.anySignificant() ? "a gap is significant" : "no significant gap"));
            err.flush();
            return failOnSignificant && summary.anySignificant() ? EXIT_SIGNIFICANT : 0;
        }
    }

    private static boolean hasColumn(TabularReader reader, String name) {
        for (Column c : reader.columns()) {
            if (c.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
