package dev.vigil.pipelines.cli;

import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.operators.drift.DriftDetectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code vigil drift-eval --detector NAME [--param key=value ...]}: runs one drift detector over the numbers on stdin
 * (one per line) and prints one line per detection, {@code index<TAB>drift} or {@code index<TAB>warning}, index
 * counted from 0 — so any detector can be compared with other tools (River, scikit-multiflow, Alibi Detect) on the
 * same input. A malformed line stops the run with its line number on stderr and exit code 2.
 */
@Command(
        name = "drift-eval",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 120,
        description = "Run a drift detector over numbers read from stdin, one per line (0/1 errors for the"
                + " label-based detectors), and print one line per detection: index<TAB>drift|warning, index"
                + " counted from 0.",
        footerHeading = "%nDetectors and their parameters (defaults are the published ones):%n")
final class DriftEvalCommand implements Callable<Integer> {

    /** Exit code for bad input or bad parameters (picocli's code for usage errors). */
    static final int EXIT_BAD_INPUT = 2;

    static final String DRIFT_LINE = "%d\tdrift";
    static final String WARNING_LINE = "%d\twarning";

    @Option(names = {"-d", "--detector"}, required = true, paramLabel = "NAME",
            description = "Detector name, e.g. adwin, page-hinkley, kswin (see the list below).")
    String detector;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "A detector parameter; repeatable. Unset ones take their defaults.")
    List<String> params = new ArrayList<>();

    private CommandSpec spec;
    private final InputStream in;

    DriftEvalCommand() {
        this(null);
    }

    /** With {@code in} instead of {@code System.in} (tests). */
    DriftEvalCommand(InputStream in) {
        this.in = in;
    }

    /** Picocli injects the spec while building the model, so the help's footer can list the registry. */
    @CommandLine.Spec
    void setSpec(CommandSpec spec) {
        this.spec = spec;
        spec.usageMessage().footer(detectorHelp().toArray(new String[0]));
    }

    static List<String> detectorHelp() {
        List<String> lines = new ArrayList<>();
        for (DriftDetectors.Spec s : DriftDetectors.all()) {
            lines.add(String.format(Locale.ROOT, "  %-13s %s; input: %s", s.name(), s.description(), s.input()));
            for (DriftDetectors.Param p : s.params()) {
                String aliases = p.aliases().isEmpty() ? "" : " (also " + String.join(", ", p.aliases()) + ")";
                lines.add(String.format(Locale.ROOT, "      %-28s %s, %s%s",
                        p.name() + "=" + p.defaultValue(), p.typeLabel(), p.description(), aliases));
            }
        }
        // picocli formats footer lines: escape format characters
        List<String> escaped = new ArrayList<>(lines.size());
        for (String l : lines) {
            escaped.add(l.replace("%", "%%"));
        }
        return escaped;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DriftDetector d;
        try {
            d = DriftDetectors.create(detector, params);
        } catch (IllegalArgumentException e) {
            err.println("drift-eval: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        InputStream source = in != null ? in : System.in;
        BufferedReader reader = new BufferedReader(new InputStreamReader(source, StandardCharsets.UTF_8));
        long index = 0;
        long lineNumber = 0;
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                double x = parse(line, lineNumber);
                try {
                    d.update(x);
                } catch (IllegalArgumentException e) {
                    throw new BadLine(lineNumber, e.getMessage());
                }
                if (d.driftDetected()) {
                    out.println(String.format(Locale.ROOT, DRIFT_LINE, index));
                } else if (d.warningDetected()) {
                    out.println(String.format(Locale.ROOT, WARNING_LINE, index));
                }
                index++;
            }
        } catch (BadLine e) {
            out.flush();
            err.println("drift-eval: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        out.flush();
        return 0;
    }

    private static double parse(String line, long lineNumber) {
        String s = line.strip();
        double x;
        try {
            x = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new BadLine(lineNumber, "expected one number, got '" + line + "'");
        }
        if (!Double.isFinite(x)) {
            throw new BadLine(lineNumber, "expected a finite number, got '" + line + "'");
        }
        return x;
    }

    /** A malformed input line. */
    private static final class BadLine extends RuntimeException {
        BadLine(long lineNumber, String message) {
            super("line " + lineNumber + ": " + message, null, false, false);
        }
    }
}
