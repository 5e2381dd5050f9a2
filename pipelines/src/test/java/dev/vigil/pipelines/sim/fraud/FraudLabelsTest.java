package dev.vigil.pipelines.sim.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig.DelayRange;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.ChargebackCategory;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.ReviewSource;
import dev.vigil.schema.fraud.Transaction;
import dev.vigil.schema.fraud.Verdict;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Chargebacks and investigator feedback: delays within the configured bounds, coverage, sources and accuracy. */
class FraudLabelsTest {
    private static final DelayRange CHARGEBACK_DELAY = DelayRange.of(Duration.ofDays(2), Duration.ofDays(20));
    private static final DelayRange FEEDBACK_DELAY = DelayRange.of(Duration.ofMinutes(5), Duration.ofHours(6));

    private static FraudSimulationConfig config;
    private static final Map<String, FraudEvent> transactions = new HashMap<>();
    private static final Map<String, Chargeback> chargebacks = new HashMap<>();
    private static final Map<String, Integer> feedbackCount = new HashMap<>();
    private static final Map<ReviewSource, int[]> verdicts = new HashMap<>();
    private static final Set<String> investigators = new HashSet<>();

    @BeforeAll
    static void simulate() {
        config = FraudSimulationConfig.builder()
                .seed(41)
                .accounts(3_000)
                .duration(Duration.ofDays(14))
                .fraudRate(0.02)
                .chargebackCoverage(0.7)
                .chargebackDelay(CHARGEBACK_DELAY)
                .disputeRate(0.002)
                .auditRate(0.01)
                .customerReportRate(0.4)
                .feedbackDelay(FEEDBACK_DELAY)
                .investigatorErrorRate(0.05)
                .build();
        for (FraudEvent e : new FraudSimulator(config)) {
            switch (e.kind()) {
                case TRANSACTION -> transactions.put(e.transaction().getTransactionId(), e);
                case CHARGEBACK -> {
                    Chargeback c = e.chargeback();
                    assertThat(chargebacks.put(c.getTransactionId(), c)).as("one chargeback per transaction").isNull();
                    assertThat(e.eventTimeMillis()).isEqualTo(c.getReportedAt().toEpochMilli());
                    assertThat(transactions.containsKey(c.getTransactionId()))
                            .as("chargeback after its transaction")
                            .isTrue();
                }
                default -> {
                    InvestigatorFeedback f = e.feedback();
                    assertThat(e.eventTimeMillis()).isEqualTo(f.getReviewedAt().toEpochMilli());
                    assertThat(transactions.containsKey(f.getTransactionId()))
                            .as("feedback after its transaction")
                            .isTrue();
                    feedbackCount.merge(f.getTransactionId(), 1, Integer::sum);
                    boolean right = (f.getVerdict() == Verdict.FRAUD) == e.truth().fraud();
                    verdicts.computeIfAbsent(f.getSource(), k -> new int[2])[right ? 0 : 1]++;
                    investigators.add(f.getInvestigatorId());
                    long delay = f.getReviewedAt().toEpochMilli() - f.getTransactionTime().toEpochMilli();
                    assertThat(delay).isBetween(FEEDBACK_DELAY.min().toMillis(), FEEDBACK_DELAY.max().toMillis());
                    Transaction reviewed = transactions.get(f.getTransactionId()).transaction();
                    assertThat(f.getTransactionTime()).isEqualTo(reviewed.getEventTime());
                }
            }
        }
    }

    @Test
    void chargebacksArriveWithinTheConfiguredDelayAndMatchTheirTransaction() {
        assertThat(chargebacks).hasSizeGreaterThan(200);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Chargeback c : chargebacks.values()) {
            FraudEvent tx = transactions.get(c.getTransactionId());
            Transaction t = tx.transaction();
            long delay = c.getReportedAt().toEpochMilli() - c.getTransactionTime().toEpochMilli();
            assertThat(delay).isBetween(CHARGEBACK_DELAY.min().toMillis(), CHARGEBACK_DELAY.max().toMillis());
            min = Math.min(min, delay);
            max = Math.max(max, delay);
            assertThat(c.getTransactionTime()).isEqualTo(t.getEventTime());
            assertThat(c.getAccountId()).isEqualTo(t.getAccountId());
            assertThat(c.getCardId()).isEqualTo(t.getCardId());
            assertThat(c.getAmountMinor()).isEqualTo(t.getAmountMinor());
            assertThat(c.getCurrency()).isEqualTo(t.getCurrency());
            assertThat(tx.truth().chargebackAtMillis()).isEqualTo(c.getReportedAt().toEpochMilli());
            assertThat(tx.truth().chargeback()).isEqualTo(c.getCategory());
            if (tx.truth().fraud()) {
                assertThat(c.getCategory()).isEqualTo(ChargebackCategory.FRAUD);
                assertThat(c.getReasonCode()).isIn("10.1", "10.3", "10.4");
            } else {
                assertThat(c.getCategory()).isEqualTo(ChargebackCategory.CONSUMER_DISPUTE);
                assertThat(c.getReasonCode()).startsWith("13.");
            }
        }
        // Log-uniform over 2 to 20 days: the whole range is used.
        assertThat(min).isLessThan(Duration.ofDays(3).toMillis());
        assertThat(max).isGreaterThan(Duration.ofDays(15).toMillis());
        for (FraudEvent tx : transactions.values()) {
            assertThat(chargebacks.containsKey(tx.truth().transactionId()))
                    .as("truth says whether a chargeback comes")
                    .isEqualTo(tx.truth().chargeback() != null);
        }
    }

    @Test
    void onlyPartOfTheFraudIsChargedBackAndTinyAmountsLeast() {
        int[] large = new int[2];
        int[] small = new int[2];
        int[] legit = new int[2];
        for (FraudEvent tx : transactions.values()) {
            boolean charged = chargebacks.containsKey(tx.truth().transactionId());
            int[] counts = !tx.truth().fraud()
                    ? legit
                    : tx.truth().amountMinor() >= FraudSimulationConfig.SMALL_AMOUNT_MINOR ? large : small;
            counts[0]++;
            if (charged) {
                counts[1]++;
            }
        }
        assertThat(large[0]).isGreaterThan(600);
        assertThat(small[0]).isGreaterThan(250);
        // Within three binomial standard errors (about 0.018 and 0.024).
        assertThat((double) large[1] / large[0]).isCloseTo(0.7, within(0.055));
        assertThat((double) small[1] / small[0]).isCloseTo(0.7 * Labels.SMALL_AMOUNT_FACTOR, within(0.07));
        assertThat((double) legit[1] / legit[0]).isCloseTo(0.002, within(0.0008));
    }

    @Test
    void feedbackComesFromAuditsAndCustomerReportsWithinHours() {
        int[] audit = verdicts.get(ReviewSource.AUDIT);
        int[] report = verdicts.get(ReviewSource.CUSTOMER_REPORT);
        assertThat(verdicts).doesNotContainKey(ReviewSource.ALERT);
        double audits = audit[0] + audit[1];
        assertThat(audits / transactions.size()).isCloseTo(0.01, within(0.002));
        long reportable = transactions.values().stream()
                .filter(e -> e.truth().fraud() && e.truth().amountMinor() >= FraudSimulationConfig.SMALL_AMOUNT_MINOR)
                .count();
        assertThat(report[0] + report[1]).isGreaterThan((int) (0.3 * reportable));
        // Investigators are right 95% of the time.
        double accuracy = (double) (audit[0] + report[0]) / (audit[0] + audit[1] + report[0] + report[1]);
        assertThat(accuracy).isCloseTo(0.95, within(0.025));
        assertThat(investigators)
                .hasSizeLessThanOrEqualTo(Investigators.TEAM_SIZE)
                .allMatch(id -> id.matches("[0-9a-f]{16}"));
        assertThat(feedbackCount.values()).allMatch(n -> n <= 2);
    }

    @Test
    void customerReportsAreAboutFraud() {
        for (FraudEvent tx : transactions.values()) {
            if (!tx.truth().fraud()) {
                assertThat(feedbackCount.getOrDefault(tx.truth().transactionId(), 0)).isLessThanOrEqualTo(1);
            }
        }
        assertThat(verdicts.get(ReviewSource.CUSTOMER_REPORT)[0]).isPositive();
    }

    @Test
    void investigatorsReviewAlertsDeterministically() {
        Investigators team = Investigators.of(config);
        int right = 0;
        int reviewed = 0;
        for (FraudEvent tx : transactions.values()) {
            if (reviewed == 2_000) {
                break;
            }
            long alertedAt = tx.eventTimeMillis() + 1_000;
            InvestigatorFeedback f = team.review(tx.truth(), alertedAt);
            assertThat(team.review(tx.truth(), alertedAt)).isEqualTo(f);
            assertThat(f.getSource()).isEqualTo(ReviewSource.ALERT);
            assertThat(f.getTransactionId()).isEqualTo(tx.truth().transactionId());
            assertThat(f.getReviewedAt().toEpochMilli() - alertedAt)
                    .isBetween(FEEDBACK_DELAY.min().toMillis(), FEEDBACK_DELAY.max().toMillis());
            if ((f.getVerdict() == Verdict.FRAUD) == tx.truth().fraud()) {
                right++;
            }
            reviewed++;
        }
        assertThat((double) right / reviewed).isCloseTo(0.95, within(0.02));
    }

    @Test
    void compressedDelaysBringChargebacksIntoAShortDemo() {
        FraudSimulationConfig demo = config.toBuilder()
                .accounts(300)
                .duration(Duration.ofDays(2))
                .chargebackDelay(DelayRange.CHARGEBACK.compressed(720))
                .build();
        int seen = 0;
        for (FraudEvent e : new FraudSimulator(demo)) {
            if (e.kind() == FraudEvent.Kind.CHARGEBACK) {
                Chargeback c = e.chargeback();
                long delay = c.getReportedAt().toEpochMilli() - c.getTransactionTime().toEpochMilli();
                assertThat(delay).isBetween(Duration.ofMinutes(10).toMillis(), Duration.ofHours(2).toMillis());
                seen++;
            }
        }
        assertThat(seen).isPositive();
    }
}
