package dev.vigil.pipelines.cli;

import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.ModelVersionJson;
import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.models.registry.StageLedger;
import dev.vigil.models.registry.Verification;
import dev.vigil.operators.registry.FileSystemModelRegistry;
import dev.vigil.pipelines.fraud.FraudModelTraining;
import dev.vigil.pipelines.icu.IcuModelTraining;
import dev.vigil.pipelines.icu.IcuModelTraining.Config;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vigil models ...}: build model artifacts, and inspect, promote, roll back and verify the versions of a model
 * registry (docs/REGISTRY.md).
 *
 * <pre>
 *   vigil models list [--registry URI] [--name N]
 *   vigil models show NAME[:VERSION]                    metadata JSON with stage and stage history
 *   vigil models promote NAME:VERSION [--reason R]      the champion, if any, is retired
 *   vigil models rollback NAME [--reason R]             the champion it replaced serves again
 *   vigil models verify [NAME[:VERSION]]                sha-256 of every file; exit code 1 on a mismatch
 * </pre>
 *
 * <p>The registry is {@code --registry}, else the environment variable {@code VIGIL_REGISTRY}, else {@value
 * #DEFAULT_REGISTRY} (the {@code vigil.registry.root} of the bundled config.yaml). Exit codes: 0 done, 1 refused
 * (a stage change the life cycle does not allow, an unknown version) or a failed verification, 2 bad usage.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Build model artifacts; list, show, promote, roll back and verify registry versions.",
        subcommands = {
            ModelsCommand.TrainIcu.class,
            ModelsCommand.TrainFraud.class,
            TrainChatCommand.class,
            ModelsCommand.ListVersions.class,
            ModelsCommand.Show.class,
            ModelsCommand.Promote.class,
            ModelsCommand.Rollback.class,
            ModelsCommand.Verify.class
        })
public final class ModelsCommand implements Runnable {

    /** The registry when neither {@code --registry} nor {@code VIGIL_REGISTRY} is given. */
    public static final String DEFAULT_REGISTRY = "file:///tmp/vigil/registry";

    /** Exit code of a refused stage change, an unknown model or version, and a failed verification. */
    public static final int EXIT_REFUSED = 1;

    /** Format of a refused command's message on stderr; placeholder: the reason. */
    public static final String REFUSED_FORMAT = "refused: %s%n";

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Rebuilds the bundled ICU deterioration model, deterministically. */
    @Command(
            name = "train-icu",
            mixinStandardHelpOptions = true,
            description = "Train the ICU deterioration model on a simulated cohort and export it to ONNX."
                    + " With the defaults it rebuilds the committed model byte for byte.")
    static final class TrainIcu implements Callable<Integer> {

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).",
                defaultValue = IcuModelTraining.RESOURCE_DIR)
        Path out;

        @Option(names = "--seed", description = "Simulation and training seed (default: ${DEFAULT-VALUE}).",
                defaultValue = Config.DEFAULT_SEED)
        long seed;

        @Option(names = "--patients", description = "Simulated patients (default: ${DEFAULT-VALUE}).",
                defaultValue = Config.DEFAULT_PATIENTS)
        int patients;

        @Option(names = "--hours", description = "Simulated hours (default: ${DEFAULT-VALUE}).", defaultValue = Config.DEFAULT_HOURS)
        int hours;

        @Option(names = "--horizon-hours", description = "Prediction horizon (default: ${DEFAULT-VALUE}).",
                defaultValue = Config.DEFAULT_HORIZON_HOURS)
        int horizonHours;

        @Option(names = "--sample-rate", description = "Fraction of snapshots used (default: ${DEFAULT-VALUE}).",
                defaultValue = Config.DEFAULT_SAMPLE_RATE)
        double sampleRate;

        @Option(names = "--model-version", description = "Version label (default: ${DEFAULT-VALUE}).",
                defaultValue = Config.DEFAULT_VERSION)
        String version;

        @Override
        public Integer call() throws Exception {
            Path dir = out.isAbsolute() ? out : home().resolve(out);
            long start = System.nanoTime();
            IcuModelTraining.Result result = IcuModelTraining.train(new Config(
                    seed, patients, Duration.ofHours(hours), Duration.ofHours(horizonHours), sampleRate, version));
            Path file = IcuModelTraining.write(result, dir);
            IcuModelTraining.Evaluation t = result.test();
            System.out.printf(Locale.ROOT, "model      %s version %s (%d bytes)%n", file, version, result.onnx().length);
            System.out.printf(Locale.ROOT, "sha256     %s%n", result.sha256());
            System.out.printf(Locale.ROOT, "training   %d rows, %d epochs%n", result.trainRows(),
                    result.training().report().epochsRun());
            System.out.printf(Locale.ROOT, "test       %d snapshots of held-out patients, %d positive (%dh horizon)%n",
                    t.rows(), t.positives(), horizonHours);
            System.out.printf(Locale.ROOT, "AUROC      model %.3f   NEWS2 %.3f%n", t.modelAuroc(), t.news2Auroc());
            System.out.printf(Locale.ROOT, "PR-AUC     model %.3f   NEWS2 %.3f%n", t.modelPrAuc(), t.news2PrAuc());
            System.out.printf(Locale.ROOT, "calibration mean risk %.4f vs event rate %.4f; Brier %.4f%n", t.meanRisk(),
                    (double) t.positives() / t.rows(), t.brier());
            System.out.printf(Locale.ROOT, "took       %.1f s%n", (System.nanoTime() - start) / 1e9);
            return 0;
        }
    }

    /** Rebuilds the bundled fraud models, deterministically, and prints their test figures. */
    @Command(
            name = "train-fraud",
            mixinStandardHelpOptions = true,
            description = "Train the fraud classifier (logistic regression), the fraud autoencoder and, for comparison,"
                    + " an MLP classifier on simulated card traffic and export them to ONNX."
                    + " With the defaults it rebuilds the committed models byte for byte.")
    static final class TrainFraud implements Callable<Integer> {

        @Option(names = "--out", description = "Output directory (default: ${DEFAULT-VALUE}).",
                defaultValue = FraudModelTraining.RESOURCE_DIR)
        Path out;

        @Option(names = "--seed", description = "Simulation and training seed (default: ${DEFAULT-VALUE}).",
                defaultValue = FraudModelTraining.Config.DEFAULT_SEED)
        long seed;

        @Option(names = "--accounts", description = "Simulated accounts (default: ${DEFAULT-VALUE}).",
                defaultValue = FraudModelTraining.Config.DEFAULT_ACCOUNTS)
        int accounts;

        @Option(names = "--days", description = "Simulated days (default: ${DEFAULT-VALUE}).",
                defaultValue = FraudModelTraining.Config.DEFAULT_DAYS)
        int days;

        @Option(names = "--warmup-days", description = "First days whose rows are not used, while account histories"
                + " fill (default: ${DEFAULT-VALUE}).", defaultValue = FraudModelTraining.Config.DEFAULT_WARMUP_DAYS)
        int warmupDays;

        @Option(names = "--model-version", description = "Version label (default: ${DEFAULT-VALUE}).",
                defaultValue = FraudModelTraining.Config.DEFAULT_VERSION)
        String version;

        @Override
        public Integer call() throws Exception {
            Path dir = out.isAbsolute() ? out : home().resolve(out);
            long start = System.nanoTime();
            FraudModelTraining.Result result = FraudModelTraining.train(new FraudModelTraining.Config(
                    seed, accounts, Duration.ofDays(days), Duration.ofDays(warmupDays), version));
            List<Path> files = FraudModelTraining.write(result, dir);
            FraudModelTraining.Evaluation t = result.test();
            System.out.printf(Locale.ROOT, "classifier  %s version %s (%d bytes) sha256 %s%n", files.get(0), version,
                    result.classifier().length, result.classifierSha256());
            System.out.printf(Locale.ROOT, "autoencoder %s version %s (%d bytes) sha256 %s%n", files.get(1), version,
                    result.autoencoder().length, result.autoencoderSha256());
            System.out.printf(Locale.ROOT, "mlp         %s version %s (%d bytes) sha256 %s%n", files.get(2), version,
                    result.mlp().length, result.mlpSha256());
            System.out.printf(Locale.ROOT, "training    %d rows, %d fraud; epochs logistic %d, mlp %d, autoencoder %d%n",
                    result.trainRows(), result.trainPositives(), result.logisticEpochs(), result.mlpEpochs(),
                    result.autoencoderEpochs());
            System.out.printf(Locale.ROOT, "test        %d transactions of held-out accounts, %d fraud %s; k = %d (%.1f%%)%n",
                    t.rows(), t.positives(), t.positivesByPattern(), t.k(), 100 * FraudModelTraining.REVIEW_SHARE);
            System.out.print(table(t));
            System.out.printf(Locale.ROOT, "took        %.1f s%n", (System.nanoTime() - start) / 1e9);
            return 0;
        }

        /** The evaluation as a fixed-width table, one row per model. */
        static String table(FraudModelTraining.Evaluation t) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%-12s %7s %7s %8s %11s %10s", "model", "PR-AUC", "ROC-AUC", "prec@k",
                    "score@k", "rec@1%FPR"));
            for (var pattern : FraudModelTraining.PATTERNS) {
                s.append(String.format(Locale.ROOT, " %20s", "rec@k " + pattern.name().toLowerCase(Locale.ROOT)));
            }
            s.append('\n');
            for (FraudModelTraining.Scores m : t.models()) {
                s.append(String.format(Locale.ROOT, "%-12s %7.3f %7.3f %8.3f %11.5g %10.3f", m.model(), m.prAuc(),
                        m.rocAuc(), m.precisionAtK(), m.thresholdAtK(), m.recallAtFpr()));
                for (var pattern : FraudModelTraining.PATTERNS) {
                    Double r = m.recallByPattern().get(pattern);
                    s.append(String.format(Locale.ROOT, " %20s",
                            r == null ? "-" : String.format(Locale.ROOT, "%.3f", r)));
                }
                s.append('\n');
            }
            return s.toString();
        }
    }

    // ---- registry commands --------------------------------------------------------------------------------------

    /** Options and helpers shared by the registry commands. */
    abstract static class RegistryCommand implements Callable<Integer> {

        @Spec CommandSpec spec;

        @Option(names = "--registry", paramLabel = "URI",
                description = "Registry root on any Flink file system (default: $VIGIL_REGISTRY, else "
                        + DEFAULT_REGISTRY + ").",
                defaultValue = "${env:VIGIL_REGISTRY:-" + DEFAULT_REGISTRY + "}")
        String registryUri;

        ModelRegistry registry() {
            return new FileSystemModelRegistry(registryUri);
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        int refused(String message) {
            spec.commandLine().getErr().printf(Locale.ROOT, REFUSED_FORMAT, message);
            return EXIT_REFUSED;
        }

        @Override
        public final Integer call() throws Exception {
            try {
                return run(registry());
            } catch (IllegalStateException | IllegalArgumentException e) {
                return refused(e.getMessage());
            }
        }

        abstract int run(ModelRegistry registry) throws IOException;

        /** The version named by {@code ref}, or the champion (else the latest) when it names no version. */
        static ModelVersion resolve(ModelRegistry registry, VersionRef ref) throws IOException {
            Optional<ModelVersion> version = ref.version() > 0 ? registry.get(ref.name(), ref.version())
                    : registry.champion(ref.name()).or(() -> latest(registry, ref.name()));
            return version.orElseThrow(() -> new IllegalArgumentException(
                    ref.version() > 0 ? ref + " is not published" : "no published version of " + ref.name()));
        }

        private static Optional<ModelVersion> latest(ModelRegistry registry, String name) {
            try {
                return registry.latest(name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code NAME} or {@code NAME:VERSION}, as the registry commands take them. */
    record VersionRef(String name, long version) {

        /** Parses {@code NAME[:VERSION]}; version 0 when absent. */
        static VersionRef parse(String text, boolean versionRequired) {
            int colon = text.lastIndexOf(':');
            String name = colon < 0 ? text : text.substring(0, colon);
            ModelRegistry.checkName(name);
            if (colon < 0) {
                if (versionRequired) {
                    throw new IllegalArgumentException("expected NAME:VERSION, got '" + text + "'");
                }
                return new VersionRef(name, 0);
            }
            String version = text.substring(colon + 1);
            if (!ModelVersionOrder.isNumeric(version) || version.length() > 18 || Long.parseLong(version) < 1) {
                throw new IllegalArgumentException("version must be a positive integer, got '" + version + "'");
            }
            return new VersionRef(name, Long.parseLong(version));
        }

        @Override
        public String toString() {
            return version > 0 ? name + ':' + version : name;
        }
    }

    /** {@code vigil models list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the versions of every model (or of one) with their stage, parent, sha-256 and metrics.")
    static final class ListVersions extends RegistryCommand {

        /** Header of the listing. */
        static final String HEADER = String.format(Locale.ROOT, "%-24s %7s  %-9s  %-24s  %-6s  %-12s  %s",
                "NAME", "VERSION", "STAGE", "CREATED", "PARENT", "SHA256", "METRICS");

        @Option(names = "--name", paramLabel = "N", description = "Only this model.")
        String name;

        @Override
        int run(ModelRegistry registry) throws IOException {
            List<String> names = name != null ? List.of(ModelRegistry.checkName(name)) : registry.names();
            PrintWriter out = out();
            out.println(HEADER);
            int rows = 0;
            for (String n : names) {
                StageLedger ledger = registry.stages(n);
                for (ModelVersion v : registry.list(n)) {
                    StringBuilder metrics = new StringBuilder();
                    v.metrics().forEach((k, m) -> metrics.append(metrics.length() == 0 ? "" : " ")
                            .append(k).append('=').append(String.format(Locale.ROOT, "%.4g", m)));
                    out.printf(Locale.ROOT, "%-24s %7d  %-9s  %-24s  %-6s  %-12s  %s%n", v.name(), v.version(),
                            ledger.stage(v.version()), v.createdAt(), v.parent().orElse("-"),
                            v.sha256().substring(0, 12), metrics);
                    rows++;
                }
            }
            if (rows == 0) {
                spec.commandLine().getErr().printf(Locale.ROOT, "no model versions in %s%n", registryUri);
            }
            return 0;
        }
    }

    /** {@code vigil models show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a version's metadata JSON with its stage and stage history (default: the champion,"
                    + " else the latest version).")
    static final class Show extends RegistryCommand {

        @Parameters(paramLabel = "NAME[:VERSION]", description = "The model, and optionally the version.")
        String ref;

        @Override
        int run(ModelRegistry registry) throws IOException {
            ModelVersion version = resolve(registry, VersionRef.parse(ref, false));
            out().println(new String(ModelVersionJson.describe(version, registry.stages(version.name())),
                    StandardCharsets.UTF_8));
            return 0;
        }
    }

    /** {@code vigil models promote}. */
    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make a candidate or shadow version the champion; the champion, if any, is retired.")
    static final class Promote extends RegistryCommand {

        @Parameters(paramLabel = "NAME:VERSION", description = "The version to promote.")
        String ref;

        @Option(names = "--reason", description = "Why, recorded in the stage history.", defaultValue = "")
        String reason;

        @Option(names = "--actor", description = "Who, recorded in the stage history (default: ${DEFAULT-VALUE}).",
                defaultValue = "${sys:user.name}")
        String actor;

        @Override
        int run(ModelRegistry registry) throws IOException {
            VersionRef version = VersionRef.parse(ref, true);
            OptionalLong before = registry.stages(version.name()).champion();
            registry.promote(version.name(), version.version(), actor, reason);
            out().printf(Locale.ROOT, "%s is CHAMPION%s%n", version,
                    before.isPresent() ? " (" + version.name() + ':' + before.getAsLong() + " RETIRED)" : "");
            return 0;
        }
    }

    /** {@code vigil models rollback}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Retire the champion and restore the champion it replaced.")
    static final class Rollback extends RegistryCommand {

        @Parameters(paramLabel = "NAME", description = "The model.")
        String name;

        @Option(names = "--reason", description = "Why, recorded in the stage history.", defaultValue = "")
        String reason;

        @Option(names = "--actor", description = "Who, recorded in the stage history (default: ${DEFAULT-VALUE}).",
                defaultValue = "${sys:user.name}")
        String actor;

        @Override
        int run(ModelRegistry registry) throws IOException {
            ModelRegistry.checkName(name);
            long before = registry.stages(name).champion().orElse(0);
            StageLedger after = registry.rollback(name, actor, reason);
            out().printf(Locale.ROOT, "%s:%d is CHAMPION (%s:%d RETIRED)%n", name, after.champion().getAsLong(), name,
                    before);
            return 0;
        }
    }

    /** {@code vigil models verify}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the sha-256 of every file of every version (or of one model or version) and the"
                    + " stage ledgers; exit code 1 if anything does not match.")
    static final class Verify extends RegistryCommand {

        @Parameters(paramLabel = "NAME[:VERSION]", arity = "0..1", description = "Only this model or version.")
        String ref;

        @Override
        int run(ModelRegistry registry) throws IOException {
            List<Verification> results = new ArrayList<>();
            VersionRef only = ref == null ? null : VersionRef.parse(ref, false);
            List<String> names = only != null ? List.of(only.name()) : registry.names();
            for (String name : names) {
                if (only != null && only.version() > 0) {
                    results.add(registry.verify(resolve(registry, only)));
                    continue;
                }
                List<ModelVersion> versions = registry.list(name);
                if (versions.isEmpty()) {
                    throw new IllegalArgumentException("no published version of " + name);
                }
                for (ModelVersion v : versions) {
                    results.add(registry.verify(v));
                }
                results.add(verifyStages(registry, name));
            }
            PrintWriter out = out();
            int failed = 0;
            for (Verification v : results) {
                if (v.ok()) {
                    out.printf(Locale.ROOT, "ok      %s (%d checks)%n", v.label(), v.checked().size());
                } else {
                    failed++;
                    for (String problem : v.problems()) {
                        out.printf(Locale.ROOT, "FAILED  %s: %s%n", v.label(), problem);
                    }
                }
            }
            out.printf(Locale.ROOT, "%d checked, %d failed%n", results.size(), failed);
            return failed == 0 ? 0 : EXIT_REFUSED;
        }

        private static Verification verifyStages(ModelRegistry registry, String name) {
            try {
                StageLedger ledger = registry.stages(name);
                return new Verification(name, 0, List.of(ledger.lastSequence() + " actions replayed"), List.of());
            } catch (IOException e) {
                return new Verification(name, 0, List.of(), List.of(e.getMessage()));
            }
        }
    }

    static Path home() {
        String home = System.getProperty("vigil.home");
        return home == null ? Paths.get("").toAbsolutePath() : Paths.get(home);
    }
}
