package dev.vigil.operators.fraud;

import java.util.Arrays;
import java.util.Objects;

/**
 * The fraud feature computation as plain Java: applies one transaction to its account's {@link AccountHistory} and
 * writes the transaction's {@link FraudFeatures} vector. {@link FraudFeatureFunction} is the thin Flink shell around
 * it (ordering by watermark, state, timers, lateness); this class is what the tests, the oracle comparison and the
 * throughput figure exercise directly.
 *
 * <pre>{@code
 * FraudFeatureExtractor extractor = new FraudFeatureExtractor(FraudFeatureSettings.defaults());
 * AccountHistory history = new AccountHistory();
 * float[] features = new float[FraudFeatures.SIZE];
 * if (extractor.apply(history, transaction, features) == FraudFeatureExtractor.Outcome.ACCEPTED) { ... }
 * }</pre>
 *
 * <p><b>Order.</b> Transactions should be applied in event-time order (the operator does so once the watermark has
 * passed them). One that comes later is still exact as long as it is not older than the account's newest event time
 * minus the allowed lateness: it is inserted at its canonical place and its features see exactly the transactions
 * before it. Older ones are refused ({@link Outcome#LATE}), because the history behind them has been summarized.
 *
 * <p>Cost per transaction: two binary searches and one pass over the account's 7-day history (plus sorting the 24 h
 * merchants and cards, and the {@code amountHistory} amounts); allocation-free once the scratch buffers have grown.
 * Not thread-safe: one extractor per operator instance.
 */
public final class FraudFeatureExtractor {

    /** Outcome of {@link #apply}. */
    public enum Outcome {
        /** Stored; the feature vector is written. */
        ACCEPTED,
        /** A transaction with the same id and event time is already stored; nothing changed, nothing written. */
        DUPLICATE,
        /** Older than the account's newest event time minus the allowed lateness; nothing changed, nothing written. */
        LATE
    }

    /** {@code 1 / Φ⁻¹(3/4)}: makes the MAD a consistent estimator of the standard deviation under normality. */
    static final double MAD_SCALE = 1.482602218505602;

    /** {@code sqrt(π / 2)}: the same for the mean absolute deviation. */
    static final double MEAN_AD_SCALE = 1.2533141373155001;

    private final FraudFeatureSettings settings;
    private final long allowedLatenessMillis;
    private final long horizonMillis;

    private long[] scratchHashes = new long[64];
    private final double[] scratchAmounts;
    private final double[] scratchDeviations;
    private int lastRemovedByCap;

    public FraudFeatureExtractor(FraudFeatureSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.allowedLatenessMillis = settings.allowedLatenessMillis();
        this.horizonMillis = settings.historyHorizonMillis();
        this.scratchAmounts = new double[settings.amountHistory()];
        this.scratchDeviations = new double[settings.amountHistory()];
    }

    public FraudFeatureSettings settings() {
        return settings;
    }

    /**
     * Applies {@code tx} to {@code history} and, when accepted, writes its features into {@code out}; then moves what
     * left the 7-day horizon (or the {@code maxHistory} cap) into the history's summaries.
     *
     * @param out length {@link FraudFeatures#SIZE}
     * @throws IllegalArgumentException if the amount is negative or not finite, or a required field is missing
     */
    public Outcome apply(AccountHistory history, TransactionEvent tx, float[] out) {
        if (out.length != FraudFeatures.SIZE) {
            throw new IllegalArgumentException("feature array length " + out.length + " != " + FraudFeatures.SIZE);
        }
        String missing = tx.missingField();
        if (missing != null) {
            throw new IllegalArgumentException("missing " + missing);
        }
        double amount = tx.amount();
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException("amount must be finite and >= 0");
        }
        lastRemovedByCap = 0;
        long t = tx.eventTimeMillis();
        if (!history.isEmpty() && t < history.newestTime - allowedLatenessMillis) {
            return Outcome.LATE;
        }
        long merchant = StableHash.of(tx.merchantId());
        long card = StableHash.of(tx.cardId());
        long device = StableHash.of(tx.deviceId());
        long country = StableHash.of(tx.merchantCountry());
        int i = history.insert(t, StableHash.of(tx.transactionId()), amount, merchant, card, device, country);
        if (i < 0) {
            return Outcome.DUPLICATE;
        }
        compute(history, i, tx, merchant, device, country, out);
        if (t > history.newestTime) {
            history.newestTime = t;
        }
        int amountHistory = settings.amountHistory();
        int novelty = settings.noveltyCapacity();
        history.removeThrough(history.newestTime - horizonMillis, amountHistory, novelty);
        lastRemovedByCap = history.capAt(settings.maxHistory(), amountHistory, novelty);
        return Outcome.ACCEPTED;
    }

    /** Entries the last {@link #apply} moved out early because of the {@code maxHistory} cap (for a metric). */
    public int lastRemovedByCap() {
        return lastRemovedByCap;
    }

    /**
     * Moves everything that no acceptable transaction can need any more — entries at or before {@code
     * watermark - allowedLateness - 7 d} — into the summaries: the event-time cleanup of a quiet account.
     *
     * @return the number of entries moved
     */
    public int compact(AccountHistory history, long watermark) {
        return history.removeThrough(
                watermark - horizonMillis, settings.amountHistory(), settings.noveltyCapacity());
    }

    private void compute(
            AccountHistory h, int i, TransactionEvent tx, long merchant, long device, long country, float[] out) {
        long t = tx.eventTimeMillis();
        long[] times = h.times;
        double[] amounts = h.amounts;

        int lo7d = h.upperBound(t - FraudFeatures.WINDOW_7D_MILLIS);
        int lo24h = h.upperBound(t - FraudFeatures.WINDOW_24H_MILLIS);
        int lo1h = h.upperBound(t - FraudFeatures.WINDOW_1H_MILLIS);
        // Each sum starts at its own window's first entry and adds in index order: bit-identical to separate passes.
        double sum1h = 0;
        double sum24h = 0;
        double sum7d = 0;
        for (int j = lo7d; j <= i; j++) {
            double a = amounts[j];
            sum7d += a;
            if (j >= lo24h) {
                sum24h += a;
                if (j >= lo1h) {
                    sum1h += a;
                }
            }
        }
        out[FraudFeatures.LOG_AMOUNT] = (float) Math.log1p(tx.amount());
        out[FraudFeatures.COUNT_1H] = i - lo1h + 1;
        out[FraudFeatures.COUNT_24H] = i - lo24h + 1;
        out[FraudFeatures.COUNT_7D] = i - lo7d + 1;
        out[FraudFeatures.LOG_SUM_1H] = (float) Math.log1p(sum1h);
        out[FraudFeatures.LOG_SUM_24H] = (float) Math.log1p(sum24h);
        out[FraudFeatures.LOG_SUM_7D] = (float) Math.log1p(sum7d);
        out[FraudFeatures.DISTINCT_MERCHANTS_24H] = distinct(h.merchants, lo24h, i + 1);
        out[FraudFeatures.DISTINCT_CARDS_24H] = distinct(h.cards, lo24h, i + 1);

        int m = previousAmounts(h, i);
        out[FraudFeatures.AMOUNT_ROBUST_Z] = (float) robustZ(tx.amount(), scratchAmounts, scratchDeviations, m);
        out[FraudFeatures.AMOUNT_HISTORY_SIZE] = m;

        long previous = i > 0 ? times[i - 1] : h.newestRemovedTime;
        boolean first = i == 0 && h.newestRemovedTime == Long.MIN_VALUE;
        double seconds =
                first
                        ? FraudFeatures.SECONDS_SINCE_PREV_CAP
                        : Math.min(Math.max(0L, t - previous) / 1000.0, FraudFeatures.SECONDS_SINCE_PREV_CAP);
        out[FraudFeatures.LOG_SECONDS_SINCE_PREV] = (float) Math.log1p(seconds);
        out[FraudFeatures.FIRST_TRANSACTION] = first ? 1f : 0f;

        boolean seenMerchant = h.olderMerchants.contains(merchant);
        boolean seenDevice = device == StableHash.NONE || h.olderDevices.contains(device);
        boolean seenCountry = h.olderCountries.contains(country);
        long[] merchants = h.merchants;
        long[] devices = h.devices;
        long[] countries = h.countries;
        for (int j = i - 1; j >= 0 && !(seenMerchant && seenDevice && seenCountry); j--) {
            seenMerchant |= merchants[j] == merchant;
            seenDevice |= devices[j] == device;
            seenCountry |= countries[j] == country;
        }
        out[FraudFeatures.NEW_MERCHANT] = seenMerchant ? 0f : 1f;
        out[FraudFeatures.NEW_DEVICE] = seenDevice ? 0f : 1f;
        out[FraudFeatures.DEVICE_MISSING] = device == StableHash.NONE ? 1f : 0f;
        out[FraudFeatures.NEW_COUNTRY] = seenCountry ? 0f : 1f;
        out[FraudFeatures.FOREIGN_COUNTRY] =
                tx.merchantCountry().equalsIgnoreCase(tx.homeCountry()) ? 0f : 1f;
        out[FraudFeatures.CARD_NOT_PRESENT] = FraudFeatures.isCardNotPresent(tx.channel()) ? 1f : 0f;
        out[FraudFeatures.MCC_RISK] = settings.mccRisk().risk(tx.mcc());
    }

    /** Number of distinct values in {@code values[from, to)}. */
    private int distinct(long[] values, int from, int to) {
        int n = to - from;
        if (n <= 1) {
            return n;
        }
        if (scratchHashes.length < n) {
            scratchHashes = new long[Math.max(n, 2 * scratchHashes.length)];
        }
        long[] s = scratchHashes;
        System.arraycopy(values, from, s, 0, n);
        Arrays.sort(s, 0, n);
        int d = 1;
        for (int k = 1; k < n; k++) {
            if (s[k] != s[k - 1]) {
                d++;
            }
        }
        return d;
    }

    /** Copies the last {@code amountHistory} amounts before entry {@code i} into the scratch; returns their count. */
    private int previousAmounts(AccountHistory h, int i) {
        int capacity = scratchAmounts.length;
        int m = 0;
        for (int j = i - 1; j >= 0 && m < capacity; j--) {
            scratchAmounts[m++] = h.amounts[j];
        }
        for (int j = h.olderAmountsSize - 1; j >= 0 && m < capacity; j--) {
            scratchAmounts[m++] = h.olderAmounts[j];
        }
        return m;
    }

    /**
     * The modified z-score of {@code x} against {@code values[0, m)} (reordered in place); see {@link FraudFeatures}.
     */
    static double robustZ(double x, double[] values, double[] deviations, int m) {
        if (m < FraudFeatures.MIN_Z_HISTORY) {
            return 0;
        }
        Arrays.sort(values, 0, m);
        double median = median(values, m);
        double sumAbs = 0;
        for (int k = 0; k < m; k++) {
            deviations[k] = Math.abs(values[k] - median);
            sumAbs += deviations[k];
        }
        Arrays.sort(deviations, 0, m);
        double mad = median(deviations, m);
        double scale = mad > 0 ? MAD_SCALE * mad : MEAN_AD_SCALE * (sumAbs / m);
        double z;
        if (scale > 0) {
            z = (x - median) / scale;
        } else {
            z = x == median ? 0 : Math.copySign(FraudFeatures.Z_CAP, x - median);
        }
        return Math.max(-FraudFeatures.Z_CAP, Math.min(FraudFeatures.Z_CAP, z));
    }

    private static double median(double[] sorted, int m) {
        int mid = m >>> 1;
        return (m & 1) == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
