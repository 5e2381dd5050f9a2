package dev.vigil.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipelines.eval.SyntheticStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code vigil prequential} in-process: picocli on the command class, stdin in, stdout and stderr out. */
class PrequentialCommandTest {

    private record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** Runs the command with a clock that advances 1 ms per reading, so the whole output is reproducible. */
    private static Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicLong clock = new AtomicLong();
        CommandLine cmd = new CommandLine(new PrequentialCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                () -> clock.addAndGet(1_000_000)));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String generatedCsv(long rows, long change, long seed) throws IOException {
        StringWriter w = new StringWriter();
        new SyntheticStream(rows, 10, 0.05, change > 0 ? new long[] {change} : new long[0], seed).writeCsv(w);
        return w.toString();
    }

    @Test
    void helpDescribesTheOutputAndEveryOption() {
        Result r = run("", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("examples<TAB>accuracy<TAB>log_loss<TAB>auroc<TAB>examples_per_s",
                "--label", "--time", "--classes", "--max-categories", "--model", "--hidden-layers", "--optimizer",
                "--learning-rate", "--beta1", "--weight-decay", "--ftrl-beta", "--l1", "--l2", "--clip-norm",
                "--minibatch", "--replay", "--ewc", "--ewc-lambda", "--seed", "--drift", "--drift-param",
                "--warning-buffer", "--every", "--every-time", "--generate", "--emit");
    }

    @Test
    void aDriftDetectorRecoversFasterAndIsReported() throws IOException {
        String csv = generatedCsv(12_000, 10_000, 2);
        String[] learner = {"--optimizer", "adagrad", "--learning-rate", "0.1", "--every", "2000"};
        Result plain = run(csv, learner);
        Result aware = run(csv, concat(learner, "--drift", "ddm"));
        assertThat(plain.code()).isZero();
        assertThat(aware.code()).as(aware.err()).isZero();
        assertThat(plain.lines()).hasSize(6);
        assertThat(aware.lines()).hasSize(6);
        // accuracy over examples 10000..12000 from the cumulative lines at 10000 and 12000
        double plainAfter = accuracyBetween(plain.lines().get(4), plain.lines().get(5));
        double awareAfter = accuracyBetween(aware.lines().get(4), aware.lines().get(5));
        assertThat(awareAfter).as("plain %s", plainAfter).isGreaterThan(plainAfter + 0.15);
        List<String> drifts = aware.err().lines().filter(l -> l.startsWith("drift\t")).toList();
        assertThat(drifts).isNotEmpty();
        assertThat(drifts.get(0)).matches("drift\t10\\d{3}\tretrained\t10\\d{3}\t\\d+");
        assertThat(aware.err()).contains("prequential: ddm: " + drifts.size() + " drifts");
        assertThat(aware.err()).startsWith("prequential: 10 features from 10 numeric and 0 categorical columns;"
                + " label 'label' with 2 classes");
    }

    private static double accuracyBetween(String from, String to) {
        String[] a = from.split("\t");
        String[] b = to.split("\t");
        long na = Long.parseLong(a[0]);
        long nb = Long.parseLong(b[0]);
        long ca = Math.round(Double.parseDouble(a[1]) * na);
        long cb = Math.round(Double.parseDouble(b[1]) * nb);
        return (double) (cb - ca) / (nb - na);
    }

    @Test
    void sameSeedSameOutputAndTheGeneratorMatchesItsCsv() throws IOException {
        String[] args = {"--model", "mlp", "--hidden-layers", "8", "--learning-rate", "0.01", "--seed", "5",
                "--every", "500", "--drift", "adwin"};
        Result first = run(generatedCsv(2_000, 1_000, 5), args);
        Result second = run(generatedCsv(2_000, 1_000, 5), args);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(second.out());
        assertThat(first.err()).isEqualTo(second.err());
        assertThat(first.lines()).hasSize(4);
        assertThat(first.lines().get(3)).startsWith("2000\t");
        // the in-process generator gives the very same evaluation as its CSV
        Result generated = run("", concat(args, "--generate", "2000", "--generate-changes", "1000"));
        assertThat(generated.out()).isEqualTo(first.out());
        Result emitted = run("", "--generate", "20", "--seed", "5", "--emit");
        assertThat(emitted.out()).isEqualTo(generatedCsv(20, 0, 5));
    }

    @Test
    void readsArffFromStdinWithAMulticlassLabel() {
        StringBuilder arff = new StringBuilder("% iris-like\n@relation three\n@attribute x numeric\n"
                + "@attribute shade {dark, light}\n@attribute kind {a, b, c}\n@data\n");
        for (int i = 0; i < 300; i++) {
            int k = i % 3;
            arff.append(k * 2 + (i % 7) * 0.1).append(',').append(k == 2 ? "light" : "dark").append(',')
                    .append((char) ('a' + k)).append('\n');
        }
        Result r = run(arff.toString(), "--model", "softmax", "--learning-rate", "0.1", "--every", "0", "--header");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).isEqualTo("examples\taccuracy\tlog_loss\tauroc\texamples_per_s");
        String[] total = r.lines().get(1).split("\t");
        assertThat(total[0]).isEqualTo("300");
        assertThat(Double.parseDouble(total[1])).isGreaterThan(0.8);
        assertThat(total[3]).isEqualTo("NaN"); // multiclass: no AUROC
        assertThat(r.err()).contains("3 features from 1 numeric and 1 categorical columns: shade (2); label 'kind'"
                + " with 3 classes");
    }

    @Test
    void aBadRowStopsTheRunWithItsLineNumber() {
        Result r = run("x,label\n1,0\n2,1\n3,maybe\n4,0\n", "--every", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.err()).contains("prequential: line 4: label 'maybe' is not 0 or 1");
    }

    @Test
    void invalidLearnerSettingsNameTheFlag() {
        Result r = run("x,label\n1,0\n", "--learning-rate", "-1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("prequential: --learning-rate must be finite and > 0, got -1.0"
                + System.lineSeparator());
        Result misplaced = run("x,label\n1,0\n", "--optimizer", "sgd", "--beta1", "0.9");
        assertThat(misplaced.code()).isEqualTo(2);
        assertThat(misplaced.err()).contains("--optimizer = sgd").contains("beta1 does not apply to sgd");
        Result detector = run("x,label\n1,0\n", "--drift", "nope");
        assertThat(detector.err()).contains("unknown detector 'nope'");
        Result missingLabel = run("x,y\n1,0\n");
        assertThat(missingLabel.err()).contains("name the label column");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
