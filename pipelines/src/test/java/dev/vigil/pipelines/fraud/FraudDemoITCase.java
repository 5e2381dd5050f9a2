package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A tiny {@code vigil demo fraud} run (embedded broker, MiniCluster with parallelism 2, monitors on; the learning
 * loop, which {@link FraudJobITCase} covers, off so the run stays short):
 * every transaction sent comes back as exactly one decision or a dead letter, the label loop closes (chargebacks of
 * declined transactions dropped, verdicts on reviews sent), and the summary says so. The demo's figures are recorded
 * in docs/FRAUD.md, not asserted here.
 */
class FraudDemoITCase {

    @Test
    void everyTransactionIsAccountedForAndTheSummaryPrints() throws Exception {
        FraudDemo.Config config = new FraudDemo.Config(7, 300, Duration.ofDays(3), 0.01,
                FraudDemo.Scenario.NEW_PATTERN, Duration.ofDays(1), Duration.ofDays(1), 2, Duration.ofMillis(500),
                0, 1, 30, 0, 0.17, 0.95, false, Duration.ofMinutes(2));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

        FraudDemo.Report report = FraudDemo.run(config, out);
        FraudDemo.print(report, config, out);

        assertThat(report.transactionsSent()).isGreaterThan(500);
        assertThat(report.badSent()).isEqualTo(5); // one of each defect kind
        assertThat(report.decisions()).isEqualTo(report.transactionsSent());
        assertThat(report.duplicates()).isZero();
        assertThat(report.transactionDeadLetters()).isEqualTo(report.badSent());
        assertThat(report.complete()).isTrue();
        assertThat(report.decisionsByType().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(report.decisions());
        assertThat(report.warmupDecisions() + report.evaluated()).isEqualTo(report.decisions());
        assertThat(report.reviewVerdictsSent()).isEqualTo(report.decisionsByType().getOrDefault("REVIEW", 0L));
        assertThat(report.chargebacksDropped()).isLessThanOrEqualTo(report.decisionsByType().getOrDefault("DECLINE", 0L));
        assertThat(report.frauds()).isPositive();
        assertThat(report.truePositives()).isLessThanOrEqualTo(Math.min(report.frauds(), report.flagged()));
        String summary = buffer.toString(StandardCharsets.UTF_8);
        assertThat(summary).contains("accounted for      yes").contains("new pattern").contains("PR-AUC");
    }
}
