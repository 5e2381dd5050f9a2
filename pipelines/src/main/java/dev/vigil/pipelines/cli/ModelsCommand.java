package dev.vigil.pipelines.cli;

import dev.vigil.pipelines.fraud.FraudModelTraining;
import dev.vigil.pipelines.icu.IcuModelTraining;
import dev.vigil.pipelines.icu.IcuModelTraining.Config;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil models ...}: build and inspect model artifacts. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Build and inspect model artifacts.",
        subcommands = {ModelsCommand.TrainIcu.class, ModelsCommand.TrainFraud.class, TrainChatCommand.class})
public final class ModelsCommand implements Runnable {

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

    static Path home() {
        String home = System.getProperty("vigil.home");
        return home == null ? Paths.get("").toAbsolutePath() : Paths.get(home);
    }
}
