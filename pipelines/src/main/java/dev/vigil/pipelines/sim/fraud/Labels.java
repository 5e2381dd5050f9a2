package dev.vigil.pipelines.sim.fraud;

import dev.vigil.schema.fraud.Channel;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.ChargebackCategory;
import dev.vigil.schema.fraud.ReviewSource;
import dev.vigil.schema.fraud.Transaction;
import java.time.Instant;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decides the labels of each transaction: a chargeback (fraud, or a consumer dispute on a genuine purchase) days to
 * weeks later, and investigator feedback (random audits, customer reports of fraud) within hours. Each transaction's
 * draws come from its own seed, so labels never depend on the order in which transactions are generated.
 */
final class Labels {
    /** Tiny amounts are noticed, and so charged back and reported, this much less often. */
    static final double SMALL_AMOUNT_FACTOR = 0.25;
    /** A label comes at least this long after its transaction reached the bank. */
    static final long SEEN_BY_BANK_MILLIS = 1_000;

    private static final String[] DISPUTE_REASONS = {"13.1", "13.3", "13.6"};
    private static final double[] DISPUTE_SHARE = {0.5, 0.3, 0.2};

    /** Receives the label events of a transaction. */
    interface Sink {
        void add(FraudEvent event);
    }

    private final FraudSimulationConfig config;
    private final Investigators investigators;

    Labels(FraudSimulationConfig config) {
        this.config = config;
        this.investigators = Investigators.of(config);
    }

    /**
     * The truth of a new transaction; its label events go to {@code sink}. A label comes its drawn delay after the
     * transaction, or just after the transaction reached the bank ({@code deliveryTime}) if that is later: nobody
     * disputes or reviews a transaction the bank has not seen (this only matters for delays under ten minutes).
     */
    TransactionTruth label(
            long key,
            Transaction tx,
            long eventTime,
            long deliveryTime,
            boolean fraud,
            FraudPattern pattern,
            int episodeId,
            boolean counterfeit,
            Sink sink) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(config.seed(), Seeds.LABELS, key));
        long amount = tx.getAmountMinor();
        double noticed = amount < FraudSimulationConfig.SMALL_AMOUNT_MINOR ? SMALL_AMOUNT_FACTOR : 1.0;

        ChargebackCategory category = null;
        String reason = null;
        long chargebackAt = -1;
        double u = rng.nextDouble();
        double delayU = rng.nextDouble();
        if (fraud ? u < config.chargebackCoverage() * noticed : u < config.disputeRate()) {
            category = fraud ? ChargebackCategory.FRAUD : ChargebackCategory.CONSUMER_DISPUTE;
            reason = fraud ? fraudReason(tx.getChannel(), counterfeit) : disputeReason(rng.nextDouble());
            // International transactions are investigated across two banks and take longer.
            boolean international = !tx.getMerchantCountry().equals(tx.getCardCountry());
            chargebackAt =
                    Math.max(
                            eventTime + config.chargebackDelay().millis(international ? Math.pow(delayU, 0.7) : delayU),
                            deliveryTime + SEEN_BY_BANK_MILLIS);
        }
        TransactionTruth truth =
                new TransactionTruth(
                        tx.getTransactionId(),
                        tx.getAccountId(),
                        tx.getCardId(),
                        eventTime,
                        amount,
                        fraud,
                        pattern,
                        episodeId,
                        category,
                        chargebackAt);
        if (category != null) {
            Chargeback chargeback =
                    new Chargeback(
                            tx.getTransactionId(),
                            tx.getAccountId(),
                            tx.getCardId(),
                            tx.getEventTime(),
                            Instant.ofEpochMilli(chargebackAt),
                            amount,
                            tx.getCurrency(),
                            category,
                            reason);
            sink.add(event(FraudEvent.Kind.CHARGEBACK, chargeback, chargebackAt, rng, truth));
        }
        long seen = deliveryTime + SEEN_BY_BANK_MILLIS;
        if (rng.nextDouble() < config.auditRate()) {
            long at = Math.max(eventTime + config.feedbackDelay().millis(rng.nextDouble()), seen);
            sink.add(
                    event(
                            FraudEvent.Kind.FEEDBACK,
                            investigators.feedback(truth, at, ReviewSource.AUDIT, rng),
                            at,
                            rng,
                            truth));
        }
        if (fraud && rng.nextDouble() < config.customerReportRate() * noticed) {
            long at = Math.max(eventTime + config.feedbackDelay().millis(rng.nextDouble()), seen);
            sink.add(
                    event(
                            FraudEvent.Kind.FEEDBACK,
                            investigators.feedback(truth, at, ReviewSource.CUSTOMER_REPORT, rng),
                            at,
                            rng,
                            truth));
        }
        return truth;
    }

    private static FraudEvent event(
            FraudEvent.Kind kind,
            SpecificRecord record,
            long at,
            SplittableRandom rng,
            TransactionTruth truth) {
        long spread = FraudSimulationConfig.MAX_LABEL_DELIVERY_DELAY.toMillis() - 100;
        long delivery = at + 100 + (long) (rng.nextDouble() * spread);
        return new FraudEvent(kind, truth.accountId(), record, at, delivery, truth);
    }

    /** Visa reason codes: 10.1 counterfeit (EMV liability shift), 10.4 card-absent fraud, 10.3 other card-present. */
    private static String fraudReason(Channel channel, boolean counterfeit) {
        if (counterfeit) {
            return "10.1";
        }
        return channel == Channel.ECOMMERCE || channel == Channel.MAIL_PHONE ? "10.4" : "10.3";
    }

    /** Visa consumer-dispute codes: 13.1 not received, 13.3 not as described, 13.6 credit not processed. */
    private static String disputeReason(double u) {
        for (int i = 0; i < DISPUTE_SHARE.length - 1; i++) {
            u -= DISPUTE_SHARE[i];
            if (u < 0) {
                return DISPUTE_REASONS[i];
            }
        }
        return DISPUTE_REASONS[DISPUTE_REASONS.length - 1];
    }
}
