package dev.vigil.operators.fraud;

import dev.vigil.models.onnx.ModelProvenance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fraud feature vector: names, order, definitions and the schema fingerprint. {@link #NAMES} is the fraud models'
 * feature schema (ONNX input {@code features}); changing a name, the order or a definition changes the model contract
 * and needs a retrained model — which is why the windows are constants here, not settings.
 *
 * <p><b>Definitions</b>, for a transaction {@code x} of account {@code a} at event time {@code t}. "Before {@code x}"
 * means earlier in the canonical order (event time, then transaction-id hash), so two transactions at one instant are
 * ordered the same way whatever order they arrive in. A window {@code W} holds {@code x} and the account's transactions
 * before it with time in {@code (t - W, t]}: one exactly {@code W} older than {@code x} has left it (the real-time
 * sliding windows of Railgun — every event is evaluated over the window that ends at it, not over hopping windows
 * that approximate it; Gomes, Oliveirinha, Cardoso and Bizarro, "Railgun: managing large streaming windows under MAD
 * requirements", PVLDB 14(12), 2021).
 *
 * <ol start="0">
 *   <li>{@code log_amount}: {@code ln(1 + amount)};
 *   <li>{@code count_1h, count_24h, count_7d}: number of transactions in the window (at least 1: {@code x} itself);
 *   <li>{@code log_sum_1h, log_sum_24h, log_sum_7d}: {@code ln(1 + sum of amounts in the window)};
 *   <li>{@code distinct_merchants_24h, distinct_cards_24h}: distinct merchants and cards in the 24 h window;
 *   <li>{@code amount_robust_z}: the modified z-score of Iglewicz and Hoaglin (1993), {@code (amount - median) /
 *       (1.4826 · MAD)}, over the account's last {@code amountHistory} amounts before {@code x} (median and MAD are
 *       robust to the account's own outliers: a past fraud does not mask the next one, as it would inflate a standard
 *       deviation). When MAD is 0 the scale is {@code 1.2533 · mean absolute deviation}; when that is 0 too, {@code z}
 *       is 0 for the same amount and ±{@link #Z_CAP} otherwise. Clamped to ±{@link #Z_CAP}; 0 with fewer than {@link
 *       #MIN_Z_HISTORY} previous amounts;
 *   <li>{@code amount_history_size}: how many previous amounts the z-score used ({@code 0..amountHistory});
 *   <li>{@code log_seconds_since_prev}: {@code ln(1 + seconds since the previous transaction)}, seconds capped at
 *       {@link #SECONDS_SINCE_PREV_CAP} (30 days), which is also the value without a previous transaction;
 *   <li>{@code first_transaction}: 1 when the account has no previous transaction (new, or forgotten after the idle
 *       expiry);
 *   <li>{@code new_merchant}: 1 when no previous transaction of the account was at this merchant;
 *   <li>{@code new_device}: 1 when the transaction has a device and no previous transaction of the account had it;
 *   <li>{@code device_missing}: 1 when the transaction has no device id;
 *   <li>{@code new_country}: 1 when no previous transaction of the account was in this merchant country;
 *   <li>{@code foreign_country}: 1 when the merchant country differs from the account's home country;
 *   <li>{@code card_not_present}: 1 for a card-not-present channel ({@link #isCardNotPresent});
 *   <li>{@code mcc_risk}: the merchant category's prior risk in {@code [0, 1]} ({@link MccRiskTable}).
 * </ol>
 *
 * <p><b>"Previous" is bounded</b>: the first-seen flags look at the window history (all of the last 7 days) and then
 * at the last {@code noveltyCapacity} distinct values of older transactions; the z-score at the last {@code
 * amountHistory} amounts. See {@link AccountHistory} and {@link FraudFeatureSettings}.
 *
 * <p><b>Exactness.</b> Every sum runs over a contiguous range of the canonically sorted history in index order, and
 * every other feature is a function of a set, so the same transactions give bit-identical features whatever order
 * they arrived in, as long as each arrives within the allowed lateness and no account exceeds {@code maxHistory}.
 */
public final class FraudFeatures {

    public static final long HOUR_MILLIS = 3_600_000L;
    public static final long WINDOW_1H_MILLIS = HOUR_MILLIS;
    public static final long WINDOW_24H_MILLIS = 24 * HOUR_MILLIS;

    /** The longest window, 7 days. */
    public static final long WINDOW_7D_MILLIS = 7 * WINDOW_24H_MILLIS;

    /** Cap of the seconds since the previous transaction (30 days), and their value without one. */
    public static final double SECONDS_SINCE_PREV_CAP = 30 * 24 * 3600.0;

    /** Fewest previous amounts for a robust z-score; below it the z-score is 0. */
    public static final int MIN_Z_HISTORY = 5;

    /** Bound of {@code |amount_robust_z|}. */
    public static final double Z_CAP = 10.0;

    public static final int LOG_AMOUNT = 0;
    public static final int COUNT_1H = 1;
    public static final int COUNT_24H = 2;
    public static final int COUNT_7D = 3;
    public static final int LOG_SUM_1H = 4;
    public static final int LOG_SUM_24H = 5;
    public static final int LOG_SUM_7D = 6;
    public static final int DISTINCT_MERCHANTS_24H = 7;
    public static final int DISTINCT_CARDS_24H = 8;
    public static final int AMOUNT_ROBUST_Z = 9;
    public static final int AMOUNT_HISTORY_SIZE = 10;
    public static final int LOG_SECONDS_SINCE_PREV = 11;
    public static final int FIRST_TRANSACTION = 12;
    public static final int NEW_MERCHANT = 13;
    public static final int NEW_DEVICE = 14;
    public static final int DEVICE_MISSING = 15;
    public static final int NEW_COUNTRY = 16;
    public static final int FOREIGN_COUNTRY = 17;
    public static final int CARD_NOT_PRESENT = 18;
    public static final int MCC_RISK = 19;

    /** Feature names in vector order: the models' feature schema. */
    public static final List<String> NAMES =
            List.of(
                    "log_amount",
                    "count_1h",
                    "count_24h",
                    "count_7d",
                    "log_sum_1h",
                    "log_sum_24h",
                    "log_sum_7d",
                    "distinct_merchants_24h",
                    "distinct_cards_24h",
                    "amount_robust_z",
                    "amount_history_size",
                    "log_seconds_since_prev",
                    "first_transaction",
                    "new_merchant",
                    "new_device",
                    "device_missing",
                    "new_country",
                    "foreign_country",
                    "card_not_present",
                    "mcc_risk");

    /** Length of the vector. */
    public static final int SIZE = NAMES.size();

    /**
     * The schema fingerprint: lower-case hex SHA-256 of {@link #NAMES} joined by {@code \n}, as models carry it in
     * {@code vigil.feature.fingerprint} ({@link ModelProvenance#fingerprintOf}).
     */
    public static final String FINGERPRINT = ModelProvenance.fingerprintOf(NAMES);

    /**
     * The card-not-present channels (symbols of the Avro {@code dev.vigil.schema.fraud.Channel} enum): online and
     * mail/telephone orders. Card present, contactless, ATM and unknown count as present.
     */
    public static final Set<String> CARD_NOT_PRESENT_CHANNELS = Set.of("ECOMMERCE", "MAIL_PHONE");

    private static final String[] CNP = CARD_NOT_PRESENT_CHANNELS.toArray(new String[0]);

    private static final Map<String, Integer> INDEX;

    static {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < SIZE; i++) {
            index.put(NAMES.get(i), i);
        }
        INDEX = Map.copyOf(index);
    }

    private FraudFeatures() {}

    /** Index of a feature name in the vector, or -1. */
    public static int indexOf(String name) {
        Integer i = INDEX.get(name);
        return i == null ? -1 : i;
    }

    /** Whether {@code channel} (case-insensitive) is one of {@link #CARD_NOT_PRESENT_CHANNELS}. */
    public static boolean isCardNotPresent(String channel) {
        for (String c : CNP) { // no allocation on the per-record path
            if (c.equalsIgnoreCase(channel)) {
                return true;
            }
        }
        return false;
    }
}
