package dev.vigil.pipelines.cli;

import dev.vigil.operators.fraud.decision.FraudDecisionOptions;
import dev.vigil.pipelines.fraud.FraudDemo;
import dev.vigil.pipelines.icu.IcuDemo;
import dev.vigil.pipelines.report.HtmlReportWriter;
import java.nio.file.Path;
import dev.vigil.pipelines.sim.icu.IcuScenario;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vigil demo}: the whole ICU pipeline on an embedded broker and a MiniCluster, then a summary. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the ICU deterioration demo: in-process Kafka broker + Flink MiniCluster + simulated"
                + " patients, then print a summary. Needs nothing but Java 17 and Maven. 'demo chat' runs the chat"
                + " triage demo, 'demo fraud' the card-fraud demo.",
        subcommands = {dev.vigil.pipelines.chat.ChatDemo.class, DemoCommand.Fraud.class})
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

    /** {@code vigil demo fraud}: the fraud job on an embedded broker and a MiniCluster ({@link FraudDemo}). */
    @Command(
            name = "fraud",
            mixinStandardHelpOptions = true,
            description = "Run the card-fraud demo: simulated transactions (a new fraud pattern injected mid-stream by"
                    + " default), features, classifier + autoencoder, decisions, compressed chargebacks and"
                    + " investigator verdicts, online learning with hot swap, drift and fairness monitors; prints"
                    + " throughput, latency, precision/recall, PR-AUC, precision at a review capacity and recall on"
                    + " the new pattern before and after adaptation.")
    static final class Fraud implements Callable<Integer> {

        @Option(names = "--accounts", defaultValue = "5000",
                description = "Simulated accounts (default: ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--days", defaultValue = "14", description = "Simulated days (default: ${DEFAULT-VALUE}).")
        int days;

        @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--fraud-rate", defaultValue = "0.005",
                description = "Share of fraudulent transactions (default: ${DEFAULT-VALUE}).")
        double fraudRate;

        @Option(names = "--scenario", defaultValue = "new-pattern",
                description = "clean, new-pattern (concept drift: a digital-goods drain appears) or holiday"
                        + " (covariate drift: holiday shopping) (default: ${DEFAULT-VALUE}).")
        String scenario;

        @Option(names = "--warmup-days", defaultValue = "4",
                description = "First days, while account histories fill, left out of the quality figures"
                        + " (default: ${DEFAULT-VALUE}).")
        int warmupDays;

        @Option(names = "--drift-day", defaultValue = "7",
                description = "Day of the run the scenario's drift starts (default: ${DEFAULT-VALUE}).")
        int driftDay;

        @Option(names = "--rate", defaultValue = "2000",
                description = "Transactions per second sent to Kafka; 0 = as fast as possible"
                        + " (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--checkpoint-interval", defaultValue = "PT1S",
                description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}); exactly-once outputs become"
                        + " visible on checkpoints.")
        Duration checkpointInterval;

        @Option(names = "--bad-per-defect", defaultValue = "2",
                description = "Bad records of each defect kind injected (default: ${DEFAULT-VALUE}).")
        int badPerDefect;

        @Option(names = "--label-compression", defaultValue = "30",
                description = "Divide the chargeback delays (5-60 days) and the label maturity (90 days) by this"
                        + " factor so labels arrive within the run (default: ${DEFAULT-VALUE}).")
        double labelCompression;

        @Option(names = "--review-capacity", defaultValue = "0",
                description = "Transactions the fraud team reviews a day, the k of precision@k; 0 = 0.5%% of the"
                        + " expected daily transactions (default: ${DEFAULT-VALUE}).")
        int reviewCapacity;

        @Option(names = "--review-threshold", description = "Score at or above which a transaction is reviewed"
                + " (default: the job's, 0.17: fills about a 0.5%% review capacity with the bundled classifier).")
        Double reviewThreshold;

        @Option(names = "--decline-threshold",
                description = "Score at or above which a transaction is declined (default: the job's, 0.95).")
        Double declineThreshold;

        @Option(names = "--learning", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Close the learning loop: labels -> online learner -> new classifier versions"
                        + " hot-swapped into the scorer (default: ${DEFAULT-VALUE}).")
        boolean learning;

        @Option(names = "--timeout", defaultValue = "PT3M",
                description = "Give up waiting for outputs after this long (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FraudDemo.Config config;
            try {
                config = config();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            FraudDemo.Report report = FraudDemo.run(config, System.out);
            FraudDemo.print(report, config, System.out);
            return report.complete() ? 0 : 1;
        }

        private FraudDemo.Config config() {
            return new FraudDemo.Config(seed, accounts, Duration.ofDays(days), fraudRate,
                    FraudDemo.Scenario.parse(scenario), Duration.ofDays(warmupDays), Duration.ofDays(driftDay), parallelism, checkpointInterval,
                    rate, badPerDefect, labelCompression, reviewCapacity,
                    reviewThreshold != null ? reviewThreshold : FraudDecisionOptions.REVIEW_THRESHOLD.defaultValue(),
                    declineThreshold != null ? declineThreshold
                            : FraudDecisionOptions.DECLINE_THRESHOLD.defaultValue(),
                    learning, timeout);
        }
    }
}
