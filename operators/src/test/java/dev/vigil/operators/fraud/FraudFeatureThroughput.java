package dev.vigil.operators.fraud;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A quick throughput figure for the pure feature core (no Flink, no serialization): {@link FraudFeatureExtractor} over
 * one million transactions of 100,000 accounts spread over 30 days in event-time order, one {@link AccountHistory}
 * per account in a {@code HashMap}. Not a test and not JMH: a rough number for the docs, best of three runs after a
 * warm-up. Run from the repository root after {@code mvn -pl operators test-compile}:
 *
 * <pre>{@code
 * java -cp "operators/target/test-classes:operators/target/classes:$(cat cp.txt)" \
 *     dev.vigil.operators.fraud.FraudFeatureThroughput [events] [accounts]
 * }</pre>
 */
public final class FraudFeatureThroughput {

    private FraudFeatureThroughput() {}

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int accounts = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        TransactionEvent[] stream = stream(events, accounts, 30L * 24 * 3600 * 1000, 1);
        run(stream, accounts); // warm-up
        double best = 0;
        for (int r = 0; r < 3; r++) {
            best = Math.max(best, run(stream, accounts));
        }
        System.out.printf(
                "FraudFeatureExtractor: %,d events over %,d accounts: %,.0f events/s (best of 3)%n",
                events, accounts, best);
    }

    private static double run(TransactionEvent[] stream, int accounts) {
        FraudFeatureExtractor extractor = new FraudFeatureExtractor(FraudFeatureSettings.defaults());
        Map<String, AccountHistory> histories = new HashMap<>(accounts * 2);
        float[] features = new float[FraudFeatures.SIZE];
        double checksum = 0;
        long start = System.nanoTime();
        for (TransactionEvent tx : stream) {
            AccountHistory h = histories.get(tx.accountId());
            if (h == null) {
                h = new AccountHistory();
                histories.put(tx.accountId(), h);
            }
            extractor.apply(h, tx, features);
            checksum += features[FraudFeatures.COUNT_24H];
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (checksum < 0) {
            throw new AssertionError(); // keeps the work observable
        }
        return stream.length / seconds;
    }

    /** Transactions in event-time order; activity per account is skewed (a few busy accounts, many quiet ones). */
    static TransactionEvent[] stream(int n, int accounts, long spanMillis, long seed) {
        Random random = new Random(seed);
        TransactionEvent[] out = new TransactionEvent[n];
        long t0 = 1_770_000_000_000L;
        String[] ids = new String[accounts];
        for (int a = 0; a < accounts; a++) {
            ids[a] = "acct-" + a;
        }
        String[] channels = {"CARD_PRESENT", "ECOMMERCE", "CONTACTLESS"};
        for (int k = 0; k < n; k++) {
            int a = (int) Math.min(accounts - 1, Math.floor(accounts * Math.pow(random.nextDouble(), 2)));
            long t = t0 + (long) ((double) k / n * spanMillis);
            out[k] =
                    new TransactionEvent(
                            "tx-" + k, ids[a], ids[a] + "-c" + random.nextInt(2), t,
                            Math.round(Math.exp(3 + random.nextGaussian()) * 100) / 100.0, "EUR",
                            "m-" + random.nextInt(5000), 5411 + random.nextInt(20), "PT",
                            channels[random.nextInt(3)], random.nextDouble() < 0.5 ? null : "d-" + a, "PT", t);
        }
        return out;
    }
}
