package dev.vigil.pipelines.cli;

import dev.vigil.operators.drift.calibration.Calibration;
import dev.vigil.operators.drift.calibration.ErtCalibrator;
import dev.vigil.operators.drift.calibration.ErtEstimate;
import dev.vigil.operators.drift.calibration.NullStream;
import dev.vigil.operators.drift.calibration.ThresholdParameter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code vigil drift-calibrate --detector NAME --target-ert N [--param k=v ...] (--null bernoulli:P | --reference
 * FILE)}: sets a drift detector's threshold so that, on a stream without drift, it raises its first false alarm after
 * {@code N} observations on average ({@link ErtCalibrator}). Prints {@code key<TAB>value} lines: the calibrated
 * parameter and value, the detector's full settings (ready for {@code drift-eval --param}), and the measured ERT with
 * its confidence interval. Exit code 0 when the target was reached, 1 when it lies outside what the parameter can
 * reach (the nearest value is printed), 2 for bad arguments or input.
 */
@Command(
        name = "drift-calibrate",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 120,
        description = "Calibrate a drift detector's threshold to a false-alarm budget: the value whose expected run"
                + " length without drift (ERT, mean observations to the first false alarm) is the target, found by"
                + " simulating seeded null streams (Bernoulli errors, or bootstrap resamples of a reference sample).",
        footerHeading = "%nCalibrated parameters (the ERT is increasing or decreasing in the parameter):%n")
final class DriftCalibrateCommand implements Callable<Integer> {

    static final int EXIT_NOT_REACHED = 1;
    static final int EXIT_BAD_INPUT = 2;

    /** One output line: key, tab, value. */
    static final String LINE = "%s\t%s";

    @Option(names = {"-d", "--detector"}, required = true, paramLabel = "NAME",
            description = "Detector name, e.g. page-hinkley, adwin, kswin (see drift-eval --help).")
    String detector;

    @Option(names = {"-t", "--target-ert"}, required = true, paramLabel = "N",
            description = "Target expected run length without drift, in observations (> 1).")
    double targetErt;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "A fixed detector parameter; repeatable. A value for the calibrated parameter is the"
                    + " search's starting point.")
    List<String> params = new ArrayList<>();

    @Option(names = "--calibrate", paramLabel = "PARAM",
            description = "The parameter to calibrate (default: the detector's threshold, listed below).")
    String parameter;

    @ArgGroup(exclusive = true, multiplicity = "1")
    NullSource nullSource;

    /** Where the null stream comes from. */
    static final class NullSource {
        @Option(names = {"-n", "--null"}, required = true, paramLabel = "MODEL",
                description = "A null model: bernoulli:P (0/1 errors at rate P, for the label-based detectors) or"
                        + " normal:MEAN,SD.")
        String model;

        @Option(names = {"-r", "--reference"}, required = true, paramLabel = "FILE",
                description = "A reference sample, one number per line ('-' for stdin), bootstrapped for the"
                        + " label-free detectors.")
        String reference;
    }

    @Option(names = "--runs", paramLabel = "R", defaultValue = "500",
            description = "Simulated runs per evaluated value (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the simulation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-length-factor", paramLabel = "F", defaultValue = "5",
            description = "Runs are cut off after F x target observations (default: ${DEFAULT-VALUE}).")
    double maxLengthFactor;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "0.02",
            description = "Accepted relative distance of the estimate from the target (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--verify", description = "Also measure the ERT of the result on independent seeds.")
    boolean verify;

    private CommandSpec spec;
    private final InputStream in;

    DriftCalibrateCommand() {
        this(null);
    }

    /** With {@code in} instead of {@code System.in} for {@code --reference -} (tests). */
    DriftCalibrateCommand(InputStream in) {
        this.in = in;
    }

    @CommandLine.Spec
    void setSpec(CommandSpec spec) {
        this.spec = spec;
        List<String> lines = new ArrayList<>();
        for (ThresholdParameter p : ThresholdParameter.known()) {
            lines.add(String.format(Locale.ROOT, "  %-13s %-17s %-10s searched in [%s, %s]%s", p.detector(),
                    p.name(), p.monotonicity().name().toLowerCase(Locale.ROOT), p.lower(), p.upper(),
                    p.companion() == null ? "" : "; " + p.companion() + " follows it"));
        }
        spec.usageMessage().footer(lines.toArray(new String[0]));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ErtCalibrator calibrator;
        NullStream nullStream;
        try {
            nullStream = nullSource.model != null ? NullStream.parse(nullSource.model)
                    : NullStream.bootstrap(readReference(nullSource.reference));
            ErtCalibrator.Builder b = ErtCalibrator.forDetector(detector);
            if (parameter != null) {
                b.parameter(parameter);
            }
            calibrator = b.params(params)
                    .nullStream(nullStream)
                    .targetErt(targetErt)
                    .runs(runs)
                    .seed(seed)
                    .maxRunLengthFactor(maxLengthFactor)
                    .tolerance(tolerance)
                    .build();
        } catch (IllegalArgumentException | IOException e) {
            err.println("drift-calibrate: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        Calibration c = calibrator.calibrate();
        print(out, "detector", c.detector());
        print(out, "parameter", c.parameter().name());
        print(out, "value", String.valueOf(c.value()));
        print(out, "status", c.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        print(out, "params", String.join(" ", c.params()));
        print(out, "target-ert", format(c.targetErt()));
        printEstimate(out, "ert", c.estimate());
        print(out, "null", nullStream.toString());
        print(out, "seed", String.valueOf(seed));
        print(out, "evaluations", String.valueOf(c.evaluations()));
        print(out, "observations", String.valueOf(c.observations()));
        if (verify) {
            // a seed whose per-run streams share nothing with the calibration's
            long verifySeed = ~seed;
            printEstimate(out, "verify-ert", calibrator.estimate(c.value(), verifySeed));
        }
        out.flush();
        if (!c.reached()) {
            err.println("drift-calibrate: target ERT " + format(c.targetErt()) + " not reached ("
                    + c.status().name().toLowerCase(Locale.ROOT).replace('_', '-') + "); nearest value "
                    + c.parameter().name() + "=" + c.value() + " has ERT " + format(c.estimate().ert()));
            err.flush();
            return EXIT_NOT_REACHED;
        }
        return 0;
    }

    private static void printEstimate(PrintWriter out, String key, ErtEstimate e) {
        print(out, key, format(e.ert()));
        print(out, key + "-lower", format(e.lower()));
        print(out, key + "-upper", format(e.upper()));
        print(out, key + "-confidence", format(e.confidence()));
        print(out, key + "-runs", String.valueOf(e.runs()));
        print(out, key + "-censored", e.censored() + " at " + e.maxRunLength());
    }

    private static void print(PrintWriter out, String key, String value) {
        out.println(String.format(Locale.ROOT, LINE, key, value));
    }

    /** Six significant digits, plain notation, no trailing zeros; {@code inf} for an infinite estimate. */
    static String format(double v) {
        if (Double.isInfinite(v)) {
            return "inf";
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private double[] readReference(String file) throws IOException {
        if (file.equals("-")) {
            // stdin stays open
            return readNumbers(new BufferedReader(
                    new InputStreamReader(in != null ? in : System.in, StandardCharsets.UTF_8)));
        }
        try (BufferedReader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            return readNumbers(r);
        } catch (NoSuchFileException e) {
            throw new IOException("reference file not found: " + file, e);
        }
    }

    private static double[] readNumbers(BufferedReader r) throws IOException {
        List<Double> values = new ArrayList<>();
        String line;
        long lineNumber = 0;
        while ((line = r.readLine()) != null) {
            lineNumber++;
            double x;
            try {
                x = Double.parseDouble(line.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "reference line " + lineNumber + ": expected one number, got '" + line + "'");
            }
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(
                        "reference line " + lineNumber + ": expected a finite number, got '" + line + "'");
            }
            values.add(x);
        }
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
