package dev.vigil.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vigil drift-eval} in-process: stdin in, detections out, errors with line numbers and exit code 2. */
class DriftEvalCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** River's doctest stream: 1000 values from {0,1}, then 1000 from {4..7}, java.util.Random(12345). */
    static String riverStream() {
        Random rng = new Random(12345);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append(rng.nextInt(2)).append('\n');
        }
        for (int i = 0; i < 1000; i++) {
            sb.append(4 + rng.nextInt(4)).append('\n');
        }
        return sb.toString();
    }

    private int run(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        CommandLine cmd = new CommandLine(new DriftEvalCommand(in));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void kswinOnRiversStreamPrintsItsDetection() {
        int code = run(riverStream(), "--detector", "kswin", "--param", "alpha=1e-4");
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("1016\tdrift\n".replace("\n", System.lineSeparator()));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void labelFreeDetectorsFireAfterTheChangeOnly() {
        for (String detector : new String[] {"ks-window", "psi", "page-hinkley"}) {
            out.getBuffer().setLength(0);
            assertThat(run(riverStream(), "-d", detector)).as(detector).isZero();
            String first = out.toString().lines().filter(l -> l.endsWith("\tdrift")).findFirst().orElseThrow();
            assertThat(Integer.parseInt(first.split("\t")[0])).as(detector).isBetween(1000, 1100);
            assertThat(out.toString().lines()).as(detector)
                    .allSatisfy(l -> assertThat(l).matches("\\d+\t(drift|warning)"));
        }
        out.getBuffer().setLength(0);
        assertThat(run(riverStream(), "-d", "js", "-p", "categories=8")).isZero();
        assertThat(out.toString()).startsWith("10");
    }

    @Test
    void warningsAreReportedToo() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append(i % 10 == 0 ? 1 : 0).append('\n');
        }
        for (int i = 0; i < 200; i++) {
            sb.append(i % 2).append('\n');
        }
        assertThat(run(sb.toString(), "-d", "ddm")).isZero();
        assertThat(out.toString()).contains("\twarning").contains("\tdrift");
    }

    @Test
    void badLineIsReportedWithItsNumber() {
        int code = run("0\n1\n  0.5 \nabc\n1\n", "--detector", "kswin");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("line 4: expected one number, got 'abc'");
        code = run("0\n\n", "--detector", "kswin");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("line 2:");
        code = run("1\nNaN\n", "--detector", "kswin");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("line 2: expected a finite number");
        code = run("1\n2.5\n", "--detector", "js");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("line 2: js takes category codes");
    }

    @Test
    void badDetectorOrParameterIsAUsageError() {
        assertThat(run("", "--detector", "nope")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown detector 'nope'");
        assertThat(run("", "--detector", "kswin", "--param", "alpha=2")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid parameters for kswin: alpha must be in (0, 1)");
        assertThat(run("", "--detector", "kswin", "--param", "gamma=2")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown parameter 'gamma' for kswin");
        assertThat(run("")).isEqualTo(2); // --detector is required
        assertThat(err.toString()).contains("--detector");
    }

    @Test
    void helpListsEveryDetectorWithItsParametersAndDefaults() {
        assertThat(run("", "--help")).isZero();
        String help = out.toString();
        for (String d : new String[] {"adwin", "ddm", "eddm", "page-hinkley", "hddm-a", "hddm-w", "kswin",
                "ks-window", "psi", "js"}) {
            assertThat(help).contains("  " + d + " ");
        }
        assertThat(help).contains("delta=0.002", "clock=32", "alpha=0.005", "window-size=100", "stat-size=30",
                "min-instances=30", "lambda=50", "alpha=0.9999", "warning-level=2.0", "drift-level=3.0");
    }

    @Test
    void registeredInTheVigilCommand() {
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream(riverStream().getBytes(StandardCharsets.UTF_8)));
            CommandLine cli = new CommandLine(new VigilCli());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            assertThat(cli.execute("drift-eval", "--detector", "kswin", "--param", "alpha=1e-4")).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(out.toString().strip()).isEqualTo("1016\tdrift");
    }
}
