package dev.vigil.pipelines.sim.fraud;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.time.Duration;
import java.time.Instant;

/**
 * Settings of one {@link FraudSimulator} run. Every component is validated in the canonical constructor, so a config
 * built directly or through {@link #builder()} is always usable.
 *
 * <pre>{@code
 * FraudSimulationConfig config = FraudSimulationConfig.builder()
 *         .seed(7)
 *         .accounts(20_000)
 *         .duration(Duration.ofDays(14))
 *         .fraudRate(0.002)
 *         .newPatternAt(FraudSimulationConfig.DEFAULT_START.plus(Duration.ofDays(7)))   // concept drift
 *         .chargebackDelay(DelayRange.CHARGEBACK.compressed(720))   // 5-60 days become 10 min-2 h
 *         .build();
 * }</pre>
 *
 * @param seed seed of every random choice; the same config always yields the same event stream
 * @param accounts number of customer accounts (one or two cards each)
 * @param start simulated start of the stream (event time)
 * @param duration simulated span; transactions happen in {@code [start, start + duration)}, their labels later
 * @param fraudRate expected share of transactions that are fraudulent, e.g. 0.002; real card portfolios see 0.1% to
 *     0.5% by count. Met in expectation: a run with fewer than a few times {@code 1 / fraudRate} transactions has a
 *     handful of fraud episodes at most, and merchant-compromise waves come in clumps of dozens of transactions
 * @param cardTestingShare share of fraud transactions from card testing
 * @param accountTakeoverShare share of fraud transactions from account takeover
 * @param merchantCompromiseShare share of fraud transactions from compromised-merchant waves; the three shares sum to
 *     1
 * @param newPatternAt concept drift: from this instant fraudsters also use {@link FraudPattern#DIGITAL_GOODS_DRAIN},
 *     which takes {@code newPatternShare} of the fraud transactions; {@code null} for no new pattern
 * @param newPatternShare share of the fraud transactions from the new pattern after {@code newPatternAt}; the
 *     card-testing and account-takeover intensities shrink to keep {@code fraudRate} (merchant-compromise waves are
 *     planned independently of both drift switches)
 * @param holidaySeasonAt covariate drift: from this instant legitimate customers shop for the holidays (more
 *     transactions, more retail, larger retail amounts, more online and cross-border, more unfamiliar merchants);
 *     {@code null} for no season. Fraud keeps {@code fraudRate}
 * @param chargebackCoverage probability that a fraud transaction of at least {@value #SMALL_AMOUNT_MINOR} cents that
 *     the bank approved is charged back; tiny amounts (card tests) are charged back a quarter as often, since
 *     cardholders rarely notice them
 * @param chargebackDelay delay from a transaction to its chargeback (log-uniform between the bounds)
 * @param disputeRate probability that a legitimate transaction gets a non-fraud chargeback (a consumer dispute)
 * @param auditRate share of all transactions that investigators review at random (unbiased feedback)
 * @param customerReportRate probability that the cardholder reports a fraud transaction quickly (app notification),
 *     confirmed by an investigator; a quarter of that for tiny amounts
 * @param feedbackDelay delay from a transaction to the investigator's verdict (log-uniform between the bounds)
 * @param investigatorErrorRate probability that an investigator's verdict is wrong
 * @param outOfOrderRate probability that a transaction is delivered 20 s to 10 min late (store-and-forward terminals,
 *     retries); deferred transit taps come late as well
 */
public record FraudSimulationConfig(
        long seed,
        int accounts,
        Instant start,
        Duration duration,
        double fraudRate,
        double cardTestingShare,
        double accountTakeoverShare,
        double merchantCompromiseShare,
        Instant newPatternAt,
        double newPatternShare,
        Instant holidaySeasonAt,
        double chargebackCoverage,
        DelayRange chargebackDelay,
        double disputeRate,
        double auditRate,
        double customerReportRate,
        DelayRange feedbackDelay,
        double investigatorErrorRate,
        double outOfOrderRate) {

    /** Fixed default start (a Monday), so that runs without an explicit start are reproducible. */
    public static final Instant DEFAULT_START = Instant.parse("2026-11-02T00:00:00Z");

    /** Longest delay between a transaction's event time and its delivery. */
    public static final Duration MAX_TRANSACTION_DELAY = Duration.ofMinutes(10).plusSeconds(2);

    /** Longest delay between a label's event time ({@code reportedAt}, {@code reviewedAt}) and its delivery. */
    public static final Duration MAX_LABEL_DELIVERY_DELAY = Duration.ofSeconds(30);

    /** Amounts below this many minor units (10 euros) count as small for label coverage. */
    public static final long SMALL_AMOUNT_MINOR = 1_000;

    public static final int MAX_ACCOUNTS = 5_000_000;

    public FraudSimulationConfig {
        checkArgument(
                accounts > 0 && accounts <= MAX_ACCOUNTS, "accounts must be in [1, %s]: %s", MAX_ACCOUNTS, accounts);
        checkNotNull(start, "start");
        checkNotNull(duration, "duration");
        checkArgument(
                duration.compareTo(Duration.ofHours(1)) >= 0 && duration.compareTo(Duration.ofDays(366)) <= 0,
                "duration must be between 1 hour and 366 days: %s",
                duration);
        checkArgument(fraudRate >= 0.0 && fraudRate <= 0.1, "fraudRate must be in [0, 0.1]: %s", fraudRate);
        checkFraction("cardTestingShare", cardTestingShare);
        checkFraction("accountTakeoverShare", accountTakeoverShare);
        checkFraction("merchantCompromiseShare", merchantCompromiseShare);
        double shares = cardTestingShare + accountTakeoverShare + merchantCompromiseShare;
        checkArgument(Math.abs(shares - 1.0) < 1e-9, "pattern shares must sum to 1: %s", shares);
        checkWithinRun("newPatternAt", newPatternAt, start, duration);
        checkFraction("newPatternShare", newPatternShare);
        checkArgument(
                newPatternShare + merchantCompromiseShare <= 1.0,
                "newPatternShare + merchantCompromiseShare must not exceed 1: %s + %s",
                newPatternShare,
                merchantCompromiseShare);
        checkWithinRun("holidaySeasonAt", holidaySeasonAt, start, duration);
        checkFraction("chargebackCoverage", chargebackCoverage);
        checkNotNull(chargebackDelay, "chargebackDelay");
        checkFraction("disputeRate", disputeRate);
        checkFraction("auditRate", auditRate);
        checkFraction("customerReportRate", customerReportRate);
        checkNotNull(feedbackDelay, "feedbackDelay");
        checkFraction("investigatorErrorRate", investigatorErrorRate);
        checkArgument(
                investigatorErrorRate < 0.5, "investigatorErrorRate must be below 0.5: %s", investigatorErrorRate);
        checkFraction("outOfOrderRate", outOfOrderRate);
    }

    private static void checkFraction(String name, double value) {
        checkArgument(value >= 0.0 && value <= 1.0, "%s must be in [0, 1]: %s", name, value);
    }

    private static void checkWithinRun(String name, Instant at, Instant start, Duration duration) {
        checkArgument(
                at == null || (!at.isBefore(start) && !at.isAfter(start.plus(duration))),
                "%s must be within the run [%s, %s]: %s",
                name,
                start,
                start.plus(duration),
                at);
    }

    /** End of the simulated span (exclusive) for transactions. */
    public Instant end() {
        return start.plus(duration);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder()
                .seed(seed)
                .accounts(accounts)
                .start(start)
                .duration(duration)
                .fraudRate(fraudRate)
                .patternShares(cardTestingShare, accountTakeoverShare, merchantCompromiseShare)
                .newPatternAt(newPatternAt)
                .newPatternShare(newPatternShare)
                .holidaySeasonAt(holidaySeasonAt)
                .chargebackCoverage(chargebackCoverage)
                .chargebackDelay(chargebackDelay)
                .disputeRate(disputeRate)
                .auditRate(auditRate)
                .customerReportRate(customerReportRate)
                .feedbackDelay(feedbackDelay)
                .investigatorErrorRate(investigatorErrorRate)
                .outOfOrderRate(outOfOrderRate);
    }

    /**
     * Bounds of a label delay. Delays are drawn log-uniformly between the bounds (as many between 1 and 2 days as
     * between 10 and 20), so the bulk arrives early and a long tail late.
     */
    public record DelayRange(Duration min, Duration max) {
        /** Chargebacks: 5 to 60 days after the transaction (median about 17 days). */
        public static final DelayRange CHARGEBACK = new DelayRange(Duration.ofDays(5), Duration.ofDays(60));

        /** Investigator feedback: 10 minutes to 12 hours after the transaction (median about 80 minutes). */
        public static final DelayRange FEEDBACK = new DelayRange(Duration.ofMinutes(10), Duration.ofHours(12));

        public DelayRange {
            checkNotNull(min, "min");
            checkNotNull(max, "max");
            checkArgument(min.toMillis() >= 1, "min delay must be at least 1 ms: %s", min);
            checkArgument(max.compareTo(min) >= 0, "max delay %s is below min delay %s", max, min);
        }

        public static DelayRange of(Duration min, Duration max) {
            return new DelayRange(min, max);
        }

        /**
         * The range with both bounds divided by {@code factor}, for demos that cannot wait weeks of event time: the
         * shape of the delay distribution is kept.
         */
        public DelayRange compressed(double factor) {
            checkArgument(factor >= 1.0 && Double.isFinite(factor), "factor must be finite and at least 1: %s", factor);
            long lo = Math.max(1, Math.round(min.toMillis() / factor));
            long hi = Math.max(lo, Math.round(max.toMillis() / factor));
            return new DelayRange(Duration.ofMillis(lo), Duration.ofMillis(hi));
        }

        /** The delay in milliseconds for a uniform {@code u} in [0, 1). */
        long millis(double u) {
            double lo = min.toMillis();
            double hi = max.toMillis();
            return Math.min(max.toMillis(), Math.max(min.toMillis(), Math.round(lo * Math.pow(hi / lo, u))));
        }
    }

    /** Builder with realistic defaults; every setter is optional. */
    public static final class Builder {
        private long seed = 42L;
        private int accounts = 10_000;
        private Instant start = DEFAULT_START;
        private Duration duration = Duration.ofDays(14);
        private double fraudRate = 0.0025;
        private double cardTestingShare = 0.35;
        private double accountTakeoverShare = 0.35;
        private double merchantCompromiseShare = 0.30;
        private Instant newPatternAt;
        private double newPatternShare = 0.4;
        private Instant holidaySeasonAt;
        private double chargebackCoverage = 0.6;
        private DelayRange chargebackDelay = DelayRange.CHARGEBACK;
        private double disputeRate = 0.0003;
        private double auditRate = 0.001;
        private double customerReportRate = 0.25;
        private DelayRange feedbackDelay = DelayRange.FEEDBACK;
        private double investigatorErrorRate = 0.02;
        private double outOfOrderRate = 0.01;

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder accounts(int accounts) {
            this.accounts = accounts;
            return this;
        }

        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        public Builder fraudRate(double fraudRate) {
            this.fraudRate = fraudRate;
            return this;
        }

        /** Shares of fraud transactions by pattern; they must sum to 1. */
        public Builder patternShares(double cardTesting, double accountTakeover, double merchantCompromise) {
            this.cardTestingShare = cardTesting;
            this.accountTakeoverShare = accountTakeover;
            this.merchantCompromiseShare = merchantCompromise;
            return this;
        }

        public Builder newPatternAt(Instant newPatternAt) {
            this.newPatternAt = newPatternAt;
            return this;
        }

        public Builder newPatternShare(double newPatternShare) {
            this.newPatternShare = newPatternShare;
            return this;
        }

        public Builder holidaySeasonAt(Instant holidaySeasonAt) {
            this.holidaySeasonAt = holidaySeasonAt;
            return this;
        }

        public Builder chargebackCoverage(double chargebackCoverage) {
            this.chargebackCoverage = chargebackCoverage;
            return this;
        }

        public Builder chargebackDelay(DelayRange chargebackDelay) {
            this.chargebackDelay = chargebackDelay;
            return this;
        }

        public Builder disputeRate(double disputeRate) {
            this.disputeRate = disputeRate;
            return this;
        }

        public Builder auditRate(double auditRate) {
            this.auditRate = auditRate;
            return this;
        }

        public Builder customerReportRate(double customerReportRate) {
            this.customerReportRate = customerReportRate;
            return this;
        }

        public Builder feedbackDelay(DelayRange feedbackDelay) {
            this.feedbackDelay = feedbackDelay;
            return this;
        }

        public Builder investigatorErrorRate(double investigatorErrorRate) {
            this.investigatorErrorRate = investigatorErrorRate;
            return this;
        }

        public Builder outOfOrderRate(double outOfOrderRate) {
            this.outOfOrderRate = outOfOrderRate;
            return this;
        }

        /** Validates and builds the config. */
        public FraudSimulationConfig build() {
            return new FraudSimulationConfig(
                    seed,
                    accounts,
                    start,
                    duration,
                    fraudRate,
                    cardTestingShare,
                    accountTakeoverShare,
                    merchantCompromiseShare,
                    newPatternAt,
                    newPatternShare,
                    holidaySeasonAt,
                    chargebackCoverage,
                    chargebackDelay,
                    disputeRate,
                    auditRate,
                    customerReportRate,
                    feedbackDelay,
                    investigatorErrorRate,
                    outOfOrderRate);
        }
    }
}
