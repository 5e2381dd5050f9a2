package dev.vigil.operators.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Test support: transaction builders, a seeded random stream with ties, exact window-edge gaps and bounded
 * out-of-order arrival, and a brute-force oracle that computes {@link FraudFeatures} from scratch over a plain list.
 */
final class TestingTransactions {

    static final long T0 = Instant.parse("2026-03-02T12:00:00Z").toEpochMilli();
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    private TestingTransactions() {}

    /** A transaction of {@code account} with the usual defaults: card-present, home country, a grocery MCC. */
    static TransactionEvent tx(String id, String account, long time, double amount, String merchant) {
        return new TransactionEvent(
                id, account, account + "-card-1", time, amount, "EUR", merchant, 5411, "PT", "CARD_PRESENT", null, "PT",
                time + SECOND);
    }

    static TransactionEvent withDevice(TransactionEvent t, String device) {
        return new TransactionEvent(
                t.transactionId(), t.accountId(), t.cardId(), t.eventTimeMillis(), t.amount(), t.currency(),
                t.merchantId(), t.mcc(), t.merchantCountry(), t.channel(), device, t.homeCountry(),
                t.ingestTimeMillis());
    }

    static TransactionEvent withCountry(TransactionEvent t, String merchantCountry) {
        return new TransactionEvent(
                t.transactionId(), t.accountId(), t.cardId(), t.eventTimeMillis(), t.amount(), t.currency(),
                t.merchantId(), t.mcc(), merchantCountry, t.channel(), t.deviceId(), t.homeCountry(),
                t.ingestTimeMillis());
    }

    static TransactionEvent withCard(TransactionEvent t, String card) {
        return new TransactionEvent(
                t.transactionId(), t.accountId(), card, t.eventTimeMillis(), t.amount(), t.currency(),
                t.merchantId(), t.mcc(), t.merchantCountry(), t.channel(), t.deviceId(), t.homeCountry(),
                t.ingestTimeMillis());
    }

    static TransactionEvent withMccAndChannel(TransactionEvent t, int mcc, String channel) {
        return new TransactionEvent(
                t.transactionId(), t.accountId(), t.cardId(), t.eventTimeMillis(), t.amount(), t.currency(),
                t.merchantId(), mcc, t.merchantCountry(), channel, t.deviceId(), t.homeCountry(),
                t.ingestTimeMillis());
    }

    /** The canonical order of the features: event time, then transaction-id hash. */
    static final Comparator<TransactionEvent> CANONICAL =
            Comparator.comparingLong(TransactionEvent::eventTimeMillis)
                    .thenComparingLong(t -> StableHash.of(t.transactionId()));

    /**
     * A seeded stream in arrival order: {@code n} transactions of {@code accounts} accounts over {@code spanMillis},
     * with per-account merchants, cards, devices and countries, some transactions at the same instant as another of
     * their account and some exactly 1 h / 24 h / 7 d after one, each delivered up to {@code maxDelayMillis} late.
     */
    static List<TransactionEvent> randomStream(long seed, int accounts, int n, long spanMillis, long maxDelayMillis) {
        Random random = new Random(seed);
        String[] channels = {"CARD_PRESENT", "ECOMMERCE", "CONTACTLESS"};
        int[] mccs = {5411, 5812, 5732, 7995, 6051, 4121};
        String[] countries = {"PT", "ES", "FR", "DE", "US", "BR"};
        List<TransactionEvent> events = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int a = random.nextInt(accounts);
            String account = "acct-" + a;
            long time;
            double pick = random.nextDouble();
            List<TransactionEvent> same = new ArrayList<>();
            if (pick < 0.25 && !events.isEmpty()) {
                for (int j = events.size() - 1; j >= 0 && same.size() < 20; j--) {
                    if (events.get(j).accountId().equals(account)) {
                        same.add(events.get(j));
                    }
                }
            }
            if (!same.isEmpty()) {
                long base = same.get(random.nextInt(same.size())).eventTimeMillis();
                long[] gaps = {0, HOUR, DAY, 7 * DAY, HOUR - 1, HOUR + 1, 7 * DAY - 1, 7 * DAY + 1};
                time = base + gaps[random.nextInt(gaps.length)];
            } else {
                time = T0 + (long) (random.nextDouble() * spanMillis);
            }
            double amount = random.nextDouble() < 0.1
                    ? Math.round(random.nextDouble() * 300) / 100.0 // card-testing sized, with exact repeats
                    : Math.round(Math.exp(3 + random.nextGaussian()) * 100) / 100.0;
            String merchant =
                    random.nextDouble() < 0.7 ? "m-" + a + "-" + random.nextInt(6) : "m-" + random.nextInt(300);
            String card = account + "-card-" + random.nextInt(3);
            String device = random.nextDouble() < 0.3 ? null : "dev-" + a + "-" + random.nextInt(3);
            String country = random.nextDouble() < 0.8 ? "PT" : countries[random.nextInt(countries.length)];
            events.add(
                    new TransactionEvent(
                            "tx-" + k, account, card, time, amount, "EUR", merchant, mccs[random.nextInt(mccs.length)],
                            country, channels[random.nextInt(channels.length)], device, "PT", time));
        }
        // Arrival order: event time plus a random delay in [0, maxDelay].
        long[] arrival = new long[n];
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            arrival[k] = events.get(k).eventTimeMillis() + (long) (random.nextDouble() * (maxDelayMillis + 1));
            order[k] = k;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(k -> arrival[k]).thenComparingInt(k -> k));
        List<TransactionEvent> arrived = new ArrayList<>(n);
        for (int k : order) {
            arrived.add(events.get(k));
        }
        return arrived;
    }

    /**
     * The features of {@code x} computed from scratch: {@code accepted} is every transaction of the account the
     * stage had accepted when it emitted {@code x} (in any order, {@code x} included). Assumes no bound is hit (no
     * {@code maxHistory} cap, novelty memory large enough).
     */
    static float[] oracle(TransactionEvent x, List<TransactionEvent> accepted, int amountHistory, MccRiskTable mcc) {
        List<TransactionEvent> prior = new ArrayList<>();
        for (TransactionEvent e : accepted) {
            if (e.accountId().equals(x.accountId()) && CANONICAL.compare(e, x) < 0) {
                prior.add(e);
            }
        }
        prior.sort(CANONICAL);
        long t = x.eventTimeMillis();
        float[] f = new float[FraudFeatures.SIZE];
        f[FraudFeatures.LOG_AMOUNT] = (float) Math.log1p(x.amount());
        long[] windows = {HOUR, DAY, 7 * DAY};
        int[] countIdx = {FraudFeatures.COUNT_1H, FraudFeatures.COUNT_24H, FraudFeatures.COUNT_7D};
        int[] sumIdx = {FraudFeatures.LOG_SUM_1H, FraudFeatures.LOG_SUM_24H, FraudFeatures.LOG_SUM_7D};
        for (int w = 0; w < 3; w++) {
            int count = 0;
            double sum = 0;
            Set<String> merchants = new HashSet<>();
            Set<String> cards = new HashSet<>();
            List<TransactionEvent> window = new ArrayList<>(prior);
            window.add(x);
            for (TransactionEvent e : window) {
                if (e.eventTimeMillis() > t - windows[w]) {
                    count++;
                    sum += e.amount();
                    merchants.add(e.merchantId());
                    cards.add(e.cardId());
                }
            }
            f[countIdx[w]] = count;
            f[sumIdx[w]] = (float) Math.log1p(sum);
            if (windows[w] == DAY) {
                f[FraudFeatures.DISTINCT_MERCHANTS_24H] = merchants.size();
                f[FraudFeatures.DISTINCT_CARDS_24H] = cards.size();
            }
        }
        int m = Math.min(amountHistory, prior.size());
        double[] last = new double[m];
        for (int k = 0; k < m; k++) {
            last[k] = prior.get(prior.size() - 1 - k).amount();
        }
        f[FraudFeatures.AMOUNT_ROBUST_Z] = (float) oracleZ(x.amount(), last);
        f[FraudFeatures.AMOUNT_HISTORY_SIZE] = m;
        if (prior.isEmpty()) {
            f[FraudFeatures.LOG_SECONDS_SINCE_PREV] = (float) Math.log1p(FraudFeatures.SECONDS_SINCE_PREV_CAP);
            f[FraudFeatures.FIRST_TRANSACTION] = 1;
        } else {
            long prev = prior.get(prior.size() - 1).eventTimeMillis();
            double seconds = Math.min((t - prev) / 1000.0, FraudFeatures.SECONDS_SINCE_PREV_CAP);
            f[FraudFeatures.LOG_SECONDS_SINCE_PREV] = (float) Math.log1p(seconds);
        }
        boolean merchantSeen = false;
        boolean deviceSeen = x.deviceId() == null;
        boolean countrySeen = false;
        for (TransactionEvent e : prior) {
            merchantSeen |= e.merchantId().equals(x.merchantId());
            deviceSeen |= x.deviceId() != null && x.deviceId().equals(e.deviceId());
            countrySeen |= e.merchantCountry().equals(x.merchantCountry());
        }
        f[FraudFeatures.NEW_MERCHANT] = merchantSeen ? 0 : 1;
        f[FraudFeatures.NEW_DEVICE] = deviceSeen ? 0 : 1;
        f[FraudFeatures.DEVICE_MISSING] = x.deviceId() == null ? 1 : 0;
        f[FraudFeatures.NEW_COUNTRY] = countrySeen ? 0 : 1;
        f[FraudFeatures.FOREIGN_COUNTRY] = x.merchantCountry().equals(x.homeCountry()) ? 0 : 1;
        f[FraudFeatures.CARD_NOT_PRESENT] = x.channel().equals("ECOMMERCE") ? 1 : 0;
        f[FraudFeatures.MCC_RISK] = mcc.risk(x.mcc());
        return f;
    }

    /** Median/MAD z-score written out plainly (see FraudFeatures for the definition). */
    static double oracleZ(double x, double[] history) {
        int m = history.length;
        if (m < FraudFeatures.MIN_Z_HISTORY) {
            return 0;
        }
        double[] v = history.clone();
        Arrays.sort(v);
        double median = m % 2 == 1 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
        double[] d = new double[m];
        double sumAbs = 0;
        for (int k = 0; k < m; k++) {
            d[k] = Math.abs(v[k] - median);
            sumAbs += d[k];
        }
        Arrays.sort(d);
        double mad = m % 2 == 1 ? d[m / 2] : (d[m / 2 - 1] + d[m / 2]) / 2;
        double scale = mad > 0 ? 1.482602218505602 * mad : Math.sqrt(Math.PI / 2) * (sumAbs / m);
        double z = scale > 0 ? (x - median) / scale : (x == median ? 0 : Math.signum(x - median) * 10);
        return Math.max(-10, Math.min(10, z));
    }
}
