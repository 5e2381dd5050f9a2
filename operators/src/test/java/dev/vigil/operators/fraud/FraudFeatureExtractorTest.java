package dev.vigil.operators.fraud;

import static dev.vigil.operators.fraud.TestingTransactions.DAY;
import static dev.vigil.operators.fraud.TestingTransactions.HOUR;
import static dev.vigil.operators.fraud.TestingTransactions.MINUTE;
import static dev.vigil.operators.fraud.TestingTransactions.T0;
import static dev.vigil.operators.fraud.TestingTransactions.tx;
import static dev.vigil.operators.fraud.TestingTransactions.withCard;
import static dev.vigil.operators.fraud.TestingTransactions.withCountry;
import static dev.vigil.operators.fraud.TestingTransactions.withDevice;
import static dev.vigil.operators.fraud.TestingTransactions.withMccAndChannel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.onnx.ModelProvenance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FraudFeatureExtractorTest {

    private static final String A = "acct-a";

    private final FraudFeatureExtractor extractor = new FraudFeatureExtractor(FraudFeatureSettings.defaults());

    /** Applies in order; returns the features of the last one. */
    private float[] applyAll(FraudFeatureExtractor ex, AccountHistory h, List<TransactionEvent> txs) {
        float[] f = null;
        for (TransactionEvent t : txs) {
            f = new float[FraudFeatures.SIZE];
            assertThat(ex.apply(h, t, f)).isEqualTo(FraudFeatureExtractor.Outcome.ACCEPTED);
        }
        return f;
    }

    @Test
    void windowsAreExactAtTheirEdges() {
        // One transaction exactly on each window's edge (left out) and one a millisecond inside it (counted).
        List<TransactionEvent> txs =
                List.of(
                        tx("e1", A, T0 - 7 * DAY, 100, "m1"),
                        tx("e2", A, T0 - 7 * DAY + 1, 50, "m2"),
                        tx("e3", A, T0 - DAY, 20, "m3"),
                        tx("e4", A, T0 - DAY + 1, 10, "m4"),
                        tx("e5", A, T0 - HOUR, 5, "m5"),
                        tx("e6", A, T0 - HOUR + 1, 2, "m1"),
                        tx("x", A, T0, 1, "m1"));
        float[] f = applyAll(extractor, new AccountHistory(), txs);

        assertThat(f[FraudFeatures.COUNT_1H]).isEqualTo(2f); // e6, x
        assertThat(f[FraudFeatures.LOG_SUM_1H]).isEqualTo((float) Math.log1p(3));
        assertThat(f[FraudFeatures.COUNT_24H]).isEqualTo(4f); // e4, e5, e6, x
        assertThat(f[FraudFeatures.LOG_SUM_24H]).isEqualTo((float) Math.log1p(18));
        assertThat(f[FraudFeatures.COUNT_7D]).isEqualTo(6f); // e2 .. x
        assertThat(f[FraudFeatures.LOG_SUM_7D]).isEqualTo((float) Math.log1p(88));
        assertThat(f[FraudFeatures.DISTINCT_MERCHANTS_24H]).isEqualTo(3f); // m4, m5, m1
        assertThat(f[FraudFeatures.DISTINCT_CARDS_24H]).isEqualTo(1f);
        assertThat(f[FraudFeatures.LOG_AMOUNT]).isEqualTo((float) Math.log1p(1));
        assertThat(f[FraudFeatures.LOG_SECONDS_SINCE_PREV]).isEqualTo((float) Math.log1p(3599.999));
        assertThat(f[FraudFeatures.FIRST_TRANSACTION]).isZero();
        assertThat(f[FraudFeatures.NEW_MERCHANT]).isZero(); // m1 seen in e1 and e6
        assertThat(f[FraudFeatures.AMOUNT_HISTORY_SIZE]).isEqualTo(6f);
    }

    @Test
    void firstTransactionHasEverythingNewAndCappedGap() {
        TransactionEvent first = withDevice(tx("x", A, T0, 42, "m1"), "dev-1");
        float[] f = new float[FraudFeatures.SIZE];
        assertThat(extractor.apply(new AccountHistory(), first, f)).isEqualTo(FraudFeatureExtractor.Outcome.ACCEPTED);
        assertThat(f[FraudFeatures.COUNT_1H]).isEqualTo(1f);
        assertThat(f[FraudFeatures.COUNT_7D]).isEqualTo(1f);
        assertThat(f[FraudFeatures.LOG_SUM_7D]).isEqualTo((float) Math.log1p(42));
        assertThat(f[FraudFeatures.FIRST_TRANSACTION]).isEqualTo(1f);
        assertThat(f[FraudFeatures.LOG_SECONDS_SINCE_PREV]).isEqualTo((float) Math.log1p(30 * 86400));
        assertThat(f[FraudFeatures.NEW_MERCHANT]).isEqualTo(1f);
        assertThat(f[FraudFeatures.NEW_DEVICE]).isEqualTo(1f);
        assertThat(f[FraudFeatures.DEVICE_MISSING]).isZero();
        assertThat(f[FraudFeatures.NEW_COUNTRY]).isEqualTo(1f);
        assertThat(f[FraudFeatures.AMOUNT_ROBUST_Z]).isZero();
        assertThat(f[FraudFeatures.AMOUNT_HISTORY_SIZE]).isZero();
    }

    @Test
    void transactionsAtOneInstantAreOrderedByIdHash() {
        TransactionEvent p = tx("p", A, T0, 10, "m1");
        TransactionEvent q = tx("q", A, T0, 20, "m2");
        boolean pFirst = StableHash.of("p") < StableHash.of("q");
        TransactionEvent before = pFirst ? p : q;
        TransactionEvent after = pFirst ? q : p;
        AccountHistory h = new AccountHistory();
        float[] f1 = new float[FraudFeatures.SIZE];
        float[] f2 = new float[FraudFeatures.SIZE];
        extractor.apply(h, before, f1);
        extractor.apply(h, after, f2);
        assertThat(f1[FraudFeatures.COUNT_1H]).isEqualTo(1f);
        assertThat(f2[FraudFeatures.COUNT_1H]).isEqualTo(2f);
        assertThat(f2[FraudFeatures.LOG_SUM_1H]).isEqualTo((float) Math.log1p(30));
        assertThat(f2[FraudFeatures.LOG_SECONDS_SINCE_PREV]).isZero();
        assertThat(f2[FraudFeatures.DISTINCT_MERCHANTS_24H]).isEqualTo(2f);
    }

    @Test
    void robustZScoreMatchesHandComputedValues() {
        double[] dev = new double[8];
        // 9..13: median 11, |deviations| 2,1,0,1,2 -> MAD 1
        assertThat(FraudFeatureExtractor.robustZ(20, new double[] {10, 12, 11, 13, 9}, dev, 5))
                .isCloseTo(9 / 1.4826, within(1e-4));
        assertThat(FraudFeatureExtractor.robustZ(11, new double[] {10, 12, 11, 13, 9}, dev, 5)).isZero();
        assertThat(FraudFeatureExtractor.robustZ(9.5, new double[] {10, 12, 11, 13, 9}, dev, 5))
                .isCloseTo(-1.5 / 1.4826, within(1e-4));
        // even count: 1,2,3,4,100,200 -> median 3.5; deviations 2.5,1.5,0.5,0.5,96.5,196.5 -> MAD 2.0
        assertThat(FraudFeatureExtractor.robustZ(10, new double[] {200, 1, 100, 2, 4, 3}, dev, 6))
                .isCloseTo(6.5 / (1.4826 * 2.0), within(1e-4));
        // MAD 0: mean absolute deviation 0.4 around median 10
        assertThat(FraudFeatureExtractor.robustZ(11, new double[] {10, 10, 12, 10, 10}, dev, 5))
                .isCloseTo(1 / (1.25331 * 0.4), within(1e-4));
        // all equal: 0 for the same amount, the cap otherwise
        assertThat(FraudFeatureExtractor.robustZ(10, new double[] {10, 10, 10, 10, 10}, dev, 5)).isZero();
        assertThat(FraudFeatureExtractor.robustZ(10.5, new double[] {10, 10, 10, 10, 10}, dev, 5)).isEqualTo(10.0);
        assertThat(FraudFeatureExtractor.robustZ(0, new double[] {10, 10, 10, 10, 10}, dev, 5)).isEqualTo(-10.0);
        // clamped
        assertThat(FraudFeatureExtractor.robustZ(1000, new double[] {10, 11, 12, 13, 14}, dev, 5)).isEqualTo(10.0);
        // too little history
        assertThat(FraudFeatureExtractor.robustZ(1000, new double[] {10, 11, 12, 13}, dev, 4)).isZero();
    }

    @Test
    void zScoreUsesTheLastAmountsIncludingSummarizedOnes() {
        FraudFeatureExtractor ex = new FraudFeatureExtractor(FraudFeatureSettings.defaults().withAmountHistory(5));
        AccountHistory h = new AccountHistory();
        // Three amounts that will leave the 7-day history, then two recent ones, then a big one.
        List<TransactionEvent> txs =
                List.of(
                        tx("o1", A, T0 - 30 * DAY, 1000, "m1"), // beyond the last 5: not used
                        tx("o2", A, T0 - 20 * DAY, 10, "m1"),
                        tx("o3", A, T0 - 19 * DAY, 12, "m1"),
                        tx("o4", A, T0 - 18 * DAY, 11, "m1"),
                        tx("r1", A, T0 - DAY, 13, "m1"),
                        tx("r2", A, T0 - HOUR, 9, "m1"),
                        tx("x", A, T0, 20, "m1"));
        float[] f = applyAll(ex, h, txs);
        assertThat(h.olderAmountsSize).isEqualTo(4); // o1..o4 left the window history
        assertThat(f[FraudFeatures.AMOUNT_HISTORY_SIZE]).isEqualTo(5f);
        assertThat(f[FraudFeatures.AMOUNT_ROBUST_Z]).isCloseTo((float) (9 / 1.4826), within(1e-4f));
        assertThat(f[FraudFeatures.COUNT_7D]).isEqualTo(3f);
        assertThat(f[FraudFeatures.LOG_SECONDS_SINCE_PREV]).isEqualTo((float) Math.log1p(3600));
    }

    @Test
    void noveltyRemembersSummarizedValuesUpToItsCapacity() {
        FraudFeatureExtractor ex = new FraudFeatureExtractor(FraudFeatureSettings.defaults().withNoveltyCapacity(2));
        AccountHistory h = new AccountHistory();
        applyAll(
                ex,
                h,
                List.of(
                        withDevice(tx("a", A, T0 - 20 * DAY, 10, "m1"), "d1"),
                        withDevice(withCountry(tx("b", A, T0 - 19 * DAY, 10, "m2"), "ES"), "d2"),
                        withDevice(withCountry(tx("c", A, T0 - 18 * DAY, 10, "m3"), "FR"), "d3")));
        float[] f = new float[FraudFeatures.SIZE];
        // Ten days later all three have left the window history; the LRU memory (capacity 2) holds m2, m3.
        ex.apply(h, withDevice(withCountry(tx("x", A, T0 - 8 * DAY, 10, "m3"), "FR"), "d3"), f);
        assertThat(h.size()).isEqualTo(1);
        assertThat(f[FraudFeatures.NEW_MERCHANT]).isZero();
        assertThat(f[FraudFeatures.NEW_DEVICE]).isZero();
        assertThat(f[FraudFeatures.NEW_COUNTRY]).isZero();
        assertThat(f[FraudFeatures.FOREIGN_COUNTRY]).isEqualTo(1f);
        assertThat(f[FraudFeatures.FIRST_TRANSACTION]).isZero();
        assertThat(f[FraudFeatures.LOG_SECONDS_SINCE_PREV]).isEqualTo((float) Math.log1p(10 * 86400));
        ex.apply(h, withDevice(tx("y", A, T0 - 8 * DAY + MINUTE, 10, "m1"), "d1"), f);
        assertThat(f[FraudFeatures.NEW_MERCHANT]).isEqualTo(1f); // m1 forgotten (least recently used)
        assertThat(f[FraudFeatures.NEW_DEVICE]).isEqualTo(1f);
        assertThat(f[FraudFeatures.NEW_COUNTRY]).isEqualTo(1f); // PT forgotten: the memory holds ES, FR
        assertThat(f[FraudFeatures.FOREIGN_COUNTRY]).isZero();
        ex.apply(h, tx("z", A, T0 - 8 * DAY + 2 * MINUTE, 10, "m1"), f);
        assertThat(f[FraudFeatures.NEW_MERCHANT]).isZero(); // seen a minute ago, in the window history
        assertThat(f[FraudFeatures.NEW_DEVICE]).isZero(); // no device: never "new"
        assertThat(f[FraudFeatures.DEVICE_MISSING]).isEqualTo(1f);
    }

    @Test
    void cardsChannelAndMerchantCategory() {
        AccountHistory h = new AccountHistory();
        float[] f =
                applyAll(
                        extractor,
                        h,
                        List.of(
                                withCard(tx("a", A, T0 - 2 * HOUR, 1, "m1"), "c1"),
                                withCard(tx("b", A, T0 - HOUR, 1, "m1"), "c2"),
                                withMccAndChannel(withCard(tx("x", A, T0, 1, "m1"), "c3"), 7995, "ecommerce")));
        assertThat(f[FraudFeatures.DISTINCT_CARDS_24H]).isEqualTo(3f);
        assertThat(f[FraudFeatures.DISTINCT_MERCHANTS_24H]).isEqualTo(1f);
        assertThat(f[FraudFeatures.CARD_NOT_PRESENT]).isEqualTo(1f);
        assertThat(f[FraudFeatures.MCC_RISK]).isEqualTo(1f); // betting: VIRP tier 1
        ex(h, withMccAndChannel(tx("y", A, T0 + 1, 1, "m1"), 6051, "CARD_PRESENT"), f);
        assertThat(f[FraudFeatures.MCC_RISK]).isEqualTo(2f / 3f);
        assertThat(f[FraudFeatures.CARD_NOT_PRESENT]).isZero();
        ex(h, tx("z", A, T0 + 2, 1, "m1"), f);
        assertThat(f[FraudFeatures.MCC_RISK]).isZero(); // groceries: not listed
    }

    private void ex(AccountHistory h, TransactionEvent t, float[] f) {
        assertThat(extractor.apply(h, t, f)).isEqualTo(FraudFeatureExtractor.Outcome.ACCEPTED);
    }

    @Test
    void lateAndDuplicateTransactionsChangeNothing() {
        FraudFeatureExtractor ex =
                new FraudFeatureExtractor(FraudFeatureSettings.defaults().withAllowedLateness(Duration.ofMinutes(5)));
        AccountHistory h = new AccountHistory();
        float[] f = new float[FraudFeatures.SIZE];
        ex.apply(h, tx("a", A, T0, 10, "m1"), f);
        float[] untouched = new float[FraudFeatures.SIZE];
        assertThat(ex.apply(h, tx("a", A, T0, 10, "m1"), untouched)).isEqualTo(FraudFeatureExtractor.Outcome.DUPLICATE);
        assertThat(ex.apply(h, tx("old", A, T0 - 5 * MINUTE - 1, 10, "m1"), untouched))
                .isEqualTo(FraudFeatureExtractor.Outcome.LATE);
        assertThat(untouched).containsOnly(0f);
        assertThat(h.size()).isEqualTo(1);
        // Exactly at the allowed lateness: accepted, in place, with exact features.
        assertThat(ex.apply(h, tx("edge", A, T0 - 5 * MINUTE, 7, "m2"), f))
                .isEqualTo(FraudFeatureExtractor.Outcome.ACCEPTED);
        assertThat(f[FraudFeatures.COUNT_1H]).isEqualTo(1f);
        assertThat(f[FraudFeatures.FIRST_TRANSACTION]).isEqualTo(1f);
        assertThat(h.times).startsWith(T0 - 5 * MINUTE, T0);
    }

    @Test
    void historyStaysWithinItsCapAndCountsBecomeLowerBounds() {
        int cap = 64;
        FraudFeatureExtractor ex = new FraudFeatureExtractor(FraudFeatureSettings.defaults().withMaxHistory(cap));
        AccountHistory h = new AccountHistory();
        float[] f = new float[FraudFeatures.SIZE];
        int removed = 0;
        for (int k = 0; k < 1000; k++) { // a card-testing burst: one per second
            ex.apply(h, tx("t" + k, A, T0 + k * 1000L, 0.5, "m" + (k % 3)), f);
            removed += ex.lastRemovedByCap();
            assertThat(h.size()).isLessThanOrEqualTo(cap);
            assertThat(h.times.length).isLessThanOrEqualTo(2 * cap);
        }
        assertThat(f[FraudFeatures.COUNT_1H]).isEqualTo(cap + 1); // the transaction and the cap's previous ones
        assertThat(removed).isEqualTo(1000 - cap);
        assertThat(h.removedByCap).isEqualTo(1000 - cap);
        assertThat(h.olderAmountsSize).isEqualTo(FraudFeatureSettings.DEFAULT_AMOUNT_HISTORY);
        assertThat(f[FraudFeatures.NEW_MERCHANT]).isZero();
    }

    @Test
    void compactionFoldsTheWindowHistoryIntoSummaries() {
        AccountHistory h = new AccountHistory();
        applyAll(extractor, h, List.of(tx("a", A, T0, 10, "m1"), tx("b", A, T0 + HOUR, 20, "m2")));
        long horizon = FraudFeatureSettings.defaults().historyHorizonMillis();
        assertThat(extractor.compact(h, T0 + HOUR + horizon - 1)).isEqualTo(1);
        assertThat(extractor.compact(h, T0 + HOUR + horizon)).isEqualTo(1);
        assertThat(h.size()).isZero();
        assertThat(h.olderAmountsSize).isEqualTo(2);
        assertThat(h.olderMerchants.size()).isEqualTo(2);
        assertThat(h.newestRemovedTime).isEqualTo(T0 + HOUR);
        float[] f = new float[FraudFeatures.SIZE];
        ex(h, tx("c", A, T0 + 9 * DAY, 15, "m2"), f);
        assertThat(f[FraudFeatures.COUNT_7D]).isEqualTo(1f);
        assertThat(f[FraudFeatures.NEW_MERCHANT]).isZero();
        assertThat(f[FraudFeatures.FIRST_TRANSACTION]).isZero();
        assertThat(f[FraudFeatures.LOG_SECONDS_SINCE_PREV]).isEqualTo((float) Math.log1p((9 * DAY - HOUR) / 1000.0));
    }

    @Test
    void matchesTheBruteForceOracleOnARandomOutOfOrderStream() {
        long lateness = 3 * HOUR;
        FraudFeatureSettings settings =
                FraudFeatureSettings.defaults()
                        .withAllowedLateness(Duration.ofMillis(lateness))
                        .withAmountHistory(16)
                        .withNoveltyCapacity(10_000);
        FraudFeatureExtractor ex = new FraudFeatureExtractor(settings);
        List<TransactionEvent> stream = TestingTransactions.randomStream(42, 25, 3000, 20 * DAY, lateness);
        Map<String, AccountHistory> histories = new HashMap<>();
        Map<String, List<TransactionEvent>> accepted = new HashMap<>();
        int checked = 0;
        int outOfOrder = 0;
        for (TransactionEvent t : stream) {
            AccountHistory h = histories.computeIfAbsent(t.accountId(), k -> new AccountHistory());
            if (!h.isEmpty() && t.eventTimeMillis() < h.newestTime) {
                outOfOrder++;
            }
            float[] f = new float[FraudFeatures.SIZE];
            FraudFeatureExtractor.Outcome outcome = ex.apply(h, t, f);
            if (outcome == FraudFeatureExtractor.Outcome.DUPLICATE) {
                continue;
            }
            assertThat(outcome).isEqualTo(FraudFeatureExtractor.Outcome.ACCEPTED);
            List<TransactionEvent> seen = accepted.computeIfAbsent(t.accountId(), k -> new ArrayList<>());
            seen.add(t);
            float[] expected = TestingTransactions.oracle(t, seen, 16, settings.mccRisk());
            assertThat(f).as("features of transaction %s", checked).containsExactly(expected);
            assertThat(h.size()).isLessThanOrEqualTo(seen.size());
            checked++;
        }
        assertThat(checked).isEqualTo(3000);
        assertThat(outOfOrder).isGreaterThan(300);
    }

    @Test
    void featureSchemaIsStable() {
        assertThat(FraudFeatures.NAMES).hasSize(FraudFeatures.SIZE).doesNotHaveDuplicates();
        assertThat(FraudFeatures.NAMES.get(FraudFeatures.COUNT_24H)).isEqualTo("count_24h");
        assertThat(FraudFeatures.NAMES.get(FraudFeatures.MCC_RISK)).isEqualTo("mcc_risk");
        for (int i = 0; i < FraudFeatures.SIZE; i++) {
            assertThat(FraudFeatures.indexOf(FraudFeatures.NAMES.get(i))).isEqualTo(i);
        }
        assertThat(FraudFeatures.indexOf("nope")).isEqualTo(-1);
        assertThat(FraudFeatures.isCardNotPresent("MAIL_PHONE")).isTrue();
        assertThat(FraudFeatures.isCardNotPresent("ECOMMERCE")).isTrue();
        assertThat(FraudFeatures.isCardNotPresent("CONTACTLESS")).isFalse();
        assertThat(FraudFeatures.isCardNotPresent("ATM")).isFalse();
        assertThat(FraudFeatures.isCardNotPresent(null)).isFalse();
        assertThat(FraudFeatures.FINGERPRINT)
                .hasSize(64)
                .isEqualTo(ModelProvenance.fingerprintOf(FraudFeatures.NAMES))
                .isNotEqualTo(ModelProvenance.fingerprintOf(FraudFeatures.NAMES.subList(1, FraudFeatures.SIZE)));
    }

    @Test
    void invalidInputIsRefused() {
        AccountHistory h = new AccountHistory();
        float[] f = new float[FraudFeatures.SIZE];
        assertThatThrownBy(() -> extractor.apply(h, tx("a", A, T0, Double.NaN, "m"), f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> extractor.apply(h, tx("a", A, T0, -1, "m"), f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> extractor.apply(h, tx("a", A, T0, 1, null), f))
                .hasMessageContaining("merchantId");
        assertThatThrownBy(() -> extractor.apply(h, tx("a", A, T0, 1, "m"), new float[3]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(h.isEmpty()).isTrue();
    }
}
