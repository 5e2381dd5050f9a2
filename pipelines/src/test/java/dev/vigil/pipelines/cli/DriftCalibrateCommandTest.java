package dev.vigil.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.drift.DriftDetectors;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil drift-calibrate} in-process: key/value output, exit codes, reference files and stdin. */
class DriftCalibrateCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String stdin, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cmd = new CommandLine(
                new DriftCalibrateCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    private Map<String, String> output() {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : out.toString().lines().toList()) {
            String[] parts = line.split("\t", 2);
            assertThat(parts).as(line).hasSize(2);
            kv.put(parts[0], parts[1]);
        }
        return kv;
    }

    @Test
    void calibratesPageHinkleyOnBernoulliErrors() {
        int code = run("", "--detector", "page-hinkley", "--target-ert", "400", "--null", "bernoulli:0.1",
                "--runs", "200", "--seed", "3", "--verify");
        assertThat(code).as(err.toString()).isZero();
        Map<String, String> kv = output();
        assertThat(kv).containsEntry("detector", "page-hinkley").containsEntry("parameter", "lambda")
                .containsEntry("status", "converged").containsEntry("target-ert", "400")
                .containsEntry("null", "bernoulli:0.1").containsEntry("ert-runs", "200");
        double value = Double.parseDouble(kv.get("value"));
        assertThat(kv.get("params")).contains("lambda=" + kv.get("value"));
        double ert = Double.parseDouble(kv.get("ert"));
        assertThat(ert / 400).isBetween(0.98, 1.02);
        assertThat(Double.parseDouble(kv.get("ert-lower"))).isLessThan(ert);
        assertThat(Double.parseDouble(kv.get("ert-upper"))).isGreaterThan(ert);
        assertThat(Double.parseDouble(kv.get("verify-ert"))).isBetween(300.0, 530.0);
        assertThat(value).isBetween(1.0, 50.0);
        // the printed settings create the detector
        assertThat(DriftDetectors.create("page-hinkley", Arrays.asList(kv.get("params").split(" ")))).isNotNull();

        String first = out.toString();
        run("", "-d", "page-hinkley", "-t", "400", "-n", "bernoulli:0.1", "--runs", "200", "--seed", "3",
                "--verify");
        assertThat(out.toString()).isEqualTo(first); // deterministic for a seed
    }

    @Test
    void bootstrapsAReferenceFile(@TempDir Path dir) throws IOException {
        Random rng = new Random(8);
        Path file = dir.resolve("reference.txt");
        Files.writeString(file, rng.doubles(800).mapToObj(Double::toString).collect(Collectors.joining("\n")));
        int code = run("", "-d", "psi", "-t", "800", "-r", file.toString(), "-p", "reference-size=100",
                "-p", "window-size=100", "--runs", "40");
        assertThat(code).as(err.toString()).isZero();
        Map<String, String> kv = output();
        assertThat(kv).containsEntry("parameter", "threshold").containsEntry("null", "bootstrap(800 values)");
        assertThat(kv.get("params")).contains("reference-size=100", "window-size=100", "warning-threshold=");

        // the same sample on stdin gives the same result
        String fromFile = out.toString();
        assertThat(run(Files.readString(file), "-d", "psi", "-t", "800", "-r", "-", "-p", "reference-size=100",
                "-p", "window-size=100", "--runs", "40")).isZero();
        assertThat(out.toString()).isEqualTo(fromFile);
    }

    @Test
    void unreachableTargetExitsWithOneAndTheNearestValue() {
        int code = run("", "-d", "adwin", "-t", "300", "-n", "bernoulli:0.1", "--runs", "20");
        assertThat(code).isEqualTo(DriftCalibrateCommand.EXIT_NOT_REACHED);
        assertThat(output()).containsEntry("status", "out-of-range").containsEntry("value", "0.999");
        assertThat(err.toString()).contains("target ERT 300 not reached (out-of-range); nearest value delta=0.999");
    }

    @Test
    void badArgumentsAndInputAreUsageErrors(@TempDir Path dir) throws IOException {
        assertThat(run("", "-d", "adwin", "-t", "300")).isEqualTo(2);
        assertThat(err.toString()).contains("--null", "--reference");
        assertThat(run("", "-d", "adwin", "-t", "300", "-n", "bernoulli:0.1", "-r", "x")).isEqualTo(2);
        assertThat(run("", "-d", "nope", "-t", "300", "-n", "bernoulli:0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown detector 'nope'");
        assertThat(run("", "-d", "adwin", "-t", "0.5", "-n", "bernoulli:0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("target ERT must be finite and > 1");
        assertThat(run("", "-d", "adwin", "-t", "300", "-n", "poisson:2")).isEqualTo(2);
        assertThat(err.toString()).contains("bernoulli:P or normal:MEAN,SD");
        assertThat(run("", "-d", "adwin", "-t", "300", "-n", "bernoulli:0.1", "--calibrate", "clock"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot be calibrated; calibratable: delta");
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "1.5\n2\nabc\n");
        assertThat(run("", "-d", "kswin", "-t", "300", "-r", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("reference line 3: expected one number, got 'abc'");
        assertThat(run("", "-d", "kswin", "-t", "300", "-r", dir.resolve("missing.txt").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("reference file not found");
        assertThat(run("1\n", "-d", "kswin", "-t", "300", "-r", "-")).isEqualTo(2);
        assertThat(err.toString()).contains("at least 2 values");
    }

    @Test
    void helpListsTheCalibratedParameters() {
        assertThat(run("", "--help")).isZero();
        String help = out.toString();
        for (String line : List.of("page-hinkley  lambda", "adwin         delta", "kswin         alpha",
                "ddm           drift-level", "psi           threshold")) {
            assertThat(help).contains(line);
        }
        assertThat(help).contains("--target-ert", "--null", "--reference", "--verify", "warning-level follows it");
    }

    @Test
    void formatsNumbersPlainly() {
        assertThat(DriftCalibrateCommand.format(504.14)).isEqualTo("504.14");
        assertThat(DriftCalibrateCommand.format(1_234_567.8)).isEqualTo("1234570");
        assertThat(DriftCalibrateCommand.format(0.95)).isEqualTo("0.95");
        assertThat(DriftCalibrateCommand.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
    }
}
