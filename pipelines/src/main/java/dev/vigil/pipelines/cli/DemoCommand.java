package dev.vigil.pipelines.cli;

import dev.vigil.pipelines.icu.IcuDemo;
import dev.vigil.pipelines.report.HtmlReportWriter;
import java.nio.file.Path;
import dev.vigil.pipelines.sim.icu.IcuScenario;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil demo}: the whole ICU pipeline on an embedded broker and a MiniCluster, then a summary. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the ICU deterioration demo: in-process Kafka broker + Flink MiniCluster + simulated"
                + " patients, then print a summary. Needs nothing but Java 17 and Maven. 'demo chat' runs the chat"
                + " triage demo.",
        subcommands = {dev.vigil.pipelines.chat.ChatDemo.class})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--patients", defaultValue = "500", description = "Simulated patients (default: ${DEFAULT-VALUE}).")
    int patients;

    @Option(names = "--hours", defaultValue = "48", description = "Simulated hours (default: ${DEFAULT-VALUE}).")
    int hours;

    @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--checkpoint-interval", defaultValue = "PT2S",
            description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}); exactly-once outputs become"
                    + " visible on checkpoints.")
    Duration checkpointInterval;

    @Option(names = "--rate", defaultValue = "6000",
            description = "Events per second sent to Kafka; 0 = as fast as possible (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--bad-per-defect", defaultValue = "3",
            description = "Bad records of each defect kind injected (default: ${DEFAULT-VALUE}).")
    int badPerDefect;

    @Option(names = "--horizon-hours", defaultValue = "12",
            description = "Outcome horizon for AUROC/PR-AUC (default: ${DEFAULT-VALUE}).")
    int horizonHours;

    @Option(names = "--timeout", defaultValue = "PT4M",
            description = "Give up waiting for outputs after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--learning", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Close the learning loop: outcomes -> label join -> online learner -> new versions"
                    + " hot-swapped into the scorer (default: ${DEFAULT-VALUE}).")
    boolean learning;

    @Mixin
    GenerateCommand.IcuScenarioOptions scenario = new GenerateCommand.IcuScenarioOptions();

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write a self-contained HTML report of the run (charts, no network needed) to FILE.")
    Path report;

    @Override
    public Integer call() throws Exception {
        IcuScenario parsed = scenario.resolve(Duration.ofHours(hours));
        IcuDemo.Config config = new IcuDemo.Config(seed, patients, Duration.ofHours(hours), parallelism,
                checkpointInterval, rate, badPerDefect, Duration.ofHours(horizonHours), timeout, learning, parsed);
        IcuDemo.Report report = IcuDemo.run(config, System.out);
        IcuDemo.print(report, config, System.out);
        if (this.report != null) {
            HtmlReportWriter.write(report.visual(), this.report);
            System.out.printf("HTML report written to %s%n", this.report.toAbsolutePath());
        }
        return report.complete() ? 0 : 1;
    }
}
