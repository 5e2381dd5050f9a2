package dev.vigil.pipelines.cli;

import dev.vigil.pipelines.icu.IcuModelTraining;
import dev.vigil.pipelines.icu.IcuModelTraining.Config;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil models ...}: build and inspect model artifacts. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Build and inspect model artifacts.",
        subcommands = {ModelsCommand.TrainIcu.class})
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

    static Path home() {
        String home = System.getProperty("vigil.home");
        return home == null ? Paths.get("").toAbsolutePath() : Paths.get(home);
    }
}
