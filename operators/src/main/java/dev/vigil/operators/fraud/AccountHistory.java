package dev.vigil.operators.fraud;

import java.util.Arrays;

/**
 * Everything the fraud features of one account are computed from (the keyed state of {@link FraudFeatureFunction}).
 *
 * <p><b>Window history.</b> The account's transactions of the last 7 days plus the allowed lateness (behind its newest
 * event time), as parallel arrays sorted by the canonical key {@code (event time, transaction-id hash)}: time, id hash,
 * amount, and the hashes of merchant, card, device and merchant country ({@link StableHash}). The sort order is a
 * total order on the content, so the arrays — and every feature summed over them in index order — do not depend on
 * the order transactions arrived in. Removal is exact at each window edge because every window is a contiguous index
 * range found by binary search.
 *
 * <p><b>Older summaries.</b> A transaction leaves the window history oldest-first (by time or, beyond {@code
 * maxHistory} entries, by count) and folds into three bounded summaries: the last {@code amountHistory} amounts (for
 * the robust z-score), the last distinct merchants, devices and countries ({@link NoveltyMemory}, LRU, for the
 * first-seen flags), and the newest removed time (for the time since the previous transaction). Since everything
 * removed precedes every transaction that can still be accepted, "the account's previous transactions" is always
 * "the window history before this one, then the summaries" — exact, within the stated bounds.
 *
 * <p><b>Memory per account</b>: 56 bytes per window-history entry (capped by {@code maxHistory}), plus {@code 8 ×
 * amountHistory} and {@code 3 × 8 × noveltyCapacity} bytes: about 1 KB for a dormant account with the defaults.
 *
 * <p>This is the state's serialized form (a Flink POJO: public fields, public no-argument constructor, no Kryo).
 * Mutate it only through its methods and {@link FraudFeatureExtractor}; {@code times.length} is the capacity, {@link
 * #size} the number of entries.
 */
public class AccountHistory {

    private static final int INITIAL_CAPACITY = 4;

    /** Event times, epoch ms; {@code [0, size)} is sorted by (time, id). */
    public long[] times = new long[0];

    /** Transaction-id hashes, parallel to {@link #times}: the tie-break and the duplicate check. */
    public long[] ids = new long[0];

    /** Amounts in major units. */
    public double[] amounts = new double[0];

    public long[] merchants = new long[0];
    public long[] cards = new long[0];

    /** Device hashes; {@link StableHash#NONE} where the transaction had no device. */
    public long[] devices = new long[0];

    public long[] countries = new long[0];

    /** Number of entries in the window history. */
    public int size;

    /** The newest accepted event time, epoch ms; {@code Long.MIN_VALUE} before the first. */
    public long newestTime = Long.MIN_VALUE;

    /** The newest event time that left the window history; {@code Long.MIN_VALUE} if none has. */
    public long newestRemovedTime = Long.MIN_VALUE;

    /** Amounts that left the window history, oldest first; {@code [0, olderAmountsSize)} is valid. */
    public double[] olderAmounts = new double[0];

    public int olderAmountsSize;

    public NoveltyMemory olderMerchants = new NoveltyMemory();
    public NoveltyMemory olderDevices = new NoveltyMemory();
    public NoveltyMemory olderCountries = new NoveltyMemory();

    /** Entries that left early because of the {@code maxHistory} cap (their windows became lower bounds). */
    public long removedByCap;

    /** The event-time cleanup timer the operator has registered for this account; {@code Long.MIN_VALUE} if none. */
    public long cleanupTimer = Long.MIN_VALUE;

    public AccountHistory() {}

    /** Whether no transaction has been accepted (or the account was forgotten). */
    public boolean isEmpty() {
        return newestTime == Long.MIN_VALUE;
    }

    public int size() {
        return size;
    }

    /**
     * Inserts one transaction at its canonical position.
     *
     * @return its index, or {@code -1} when a transaction with the same time and id hash is already stored
     */
    int insert(long time, long id, double amount, long merchant, long card, long device, long country) {
        int i = upperBound(time); // first index with times[i] > time
        int j = i;
        while (j > 0 && times[j - 1] == time && ids[j - 1] >= id) {
            if (ids[j - 1] == id) {
                return -1;
            }
            j--;
        }
        ensureCapacity(size + 1);
        int tail = size - j;
        System.arraycopy(times, j, times, j + 1, tail);
        System.arraycopy(ids, j, ids, j + 1, tail);
        System.arraycopy(amounts, j, amounts, j + 1, tail);
        System.arraycopy(merchants, j, merchants, j + 1, tail);
        System.arraycopy(cards, j, cards, j + 1, tail);
        System.arraycopy(devices, j, devices, j + 1, tail);
        System.arraycopy(countries, j, countries, j + 1, tail);
        times[j] = time;
        ids[j] = id;
        amounts[j] = amount;
        merchants[j] = merchant;
        cards[j] = card;
        devices[j] = device;
        countries[j] = country;
        size++;
        return j;
    }

    /**
     * Moves every entry with a time at or before {@code cutoff} into the older summaries.
     *
     * @return the number of entries moved
     */
    int removeThrough(long cutoff, int amountHistory, int noveltyCapacity) {
        if (size == 0 || times[0] > cutoff) {
            return 0;
        }
        int k = upperBound(cutoff);
        removeOldest(k, amountHistory, noveltyCapacity);
        return k;
    }

    /**
     * Moves the oldest entries beyond {@code maxEntries} into the older summaries.
     *
     * @return the number of entries moved
     */
    int capAt(int maxEntries, int amountHistory, int noveltyCapacity) {
        int k = size - maxEntries;
        if (k <= 0) {
            return 0;
        }
        removeOldest(k, amountHistory, noveltyCapacity);
        removedByCap += k;
        return k;
    }

    /** Forgets everything (an expired account). */
    void clear() {
        times = new long[0];
        ids = new long[0];
        amounts = new double[0];
        merchants = new long[0];
        cards = new long[0];
        devices = new long[0];
        countries = new long[0];
        size = 0;
        newestTime = Long.MIN_VALUE;
        newestRemovedTime = Long.MIN_VALUE;
        olderAmounts = new double[0];
        olderAmountsSize = 0;
        olderMerchants.clear();
        olderDevices.clear();
        olderCountries.clear();
        removedByCap = 0;
        cleanupTimer = Long.MIN_VALUE;
    }

    /** Index of the first entry with a time strictly after {@code time} ({@code size} if none). */
    public int upperBound(long time) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void removeOldest(int k, int amountHistory, int noveltyCapacity) {
        for (int j = 0; j < k; j++) {
            pushOlderAmount(amounts[j], amountHistory);
            olderMerchants.touch(merchants[j], noveltyCapacity);
            olderDevices.touch(devices[j], noveltyCapacity);
            olderCountries.touch(countries[j], noveltyCapacity);
        }
        newestRemovedTime = Math.max(newestRemovedTime, times[k - 1]);
        int rest = size - k;
        System.arraycopy(times, k, times, 0, rest);
        System.arraycopy(ids, k, ids, 0, rest);
        System.arraycopy(amounts, k, amounts, 0, rest);
        System.arraycopy(merchants, k, merchants, 0, rest);
        System.arraycopy(cards, k, cards, 0, rest);
        System.arraycopy(devices, k, devices, 0, rest);
        System.arraycopy(countries, k, countries, 0, rest);
        size = rest;
        if (times.length > INITIAL_CAPACITY && size < times.length / 4) {
            resize(Math.max(INITIAL_CAPACITY, size * 2));
        }
    }

    private void pushOlderAmount(double amount, int capacity) {
        if (olderAmountsSize >= capacity) { // > only after a restore with a smaller capacity
            int drop = olderAmountsSize - capacity + 1;
            System.arraycopy(olderAmounts, drop, olderAmounts, 0, olderAmountsSize - drop);
            olderAmountsSize -= drop;
        } else if (olderAmounts.length == olderAmountsSize) {
            int grown = Math.min(capacity, Math.max(INITIAL_CAPACITY, 2 * olderAmountsSize));
            olderAmounts = Arrays.copyOf(olderAmounts, grown);
        }
        olderAmounts[olderAmountsSize++] = amount;
    }

    private void ensureCapacity(int needed) {
        if (times.length < needed) {
            resize(Math.max(INITIAL_CAPACITY, Math.max(needed, times.length * 2)));
        }
    }

    private void resize(int capacity) {
        times = Arrays.copyOf(times, capacity);
        ids = Arrays.copyOf(ids, capacity);
        amounts = Arrays.copyOf(amounts, capacity);
        merchants = Arrays.copyOf(merchants, capacity);
        cards = Arrays.copyOf(cards, capacity);
        devices = Arrays.copyOf(devices, capacity);
        countries = Arrays.copyOf(countries, capacity);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AccountHistory)) {
            return false;
        }
        AccountHistory other = (AccountHistory) o;
        return size == other.size
                && newestTime == other.newestTime
                && newestRemovedTime == other.newestRemovedTime
                && olderAmountsSize == other.olderAmountsSize
                && removedByCap == other.removedByCap
                && cleanupTimer == other.cleanupTimer
                && Arrays.equals(times, 0, size, other.times, 0, size)
                && Arrays.equals(ids, 0, size, other.ids, 0, size)
                && Arrays.equals(amounts, 0, size, other.amounts, 0, size)
                && Arrays.equals(merchants, 0, size, other.merchants, 0, size)
                && Arrays.equals(cards, 0, size, other.cards, 0, size)
                && Arrays.equals(devices, 0, size, other.devices, 0, size)
                && Arrays.equals(countries, 0, size, other.countries, 0, size)
                && Arrays.equals(olderAmounts, 0, olderAmountsSize, other.olderAmounts, 0, olderAmountsSize)
                && olderMerchants.equals(other.olderMerchants)
                && olderDevices.equals(other.olderDevices)
                && olderCountries.equals(other.olderCountries);
    }

    @Override
    public int hashCode() {
        int h = 31 * size + Long.hashCode(newestTime);
        for (int i = 0; i < size; i++) {
            h = 31 * h + Long.hashCode(times[i]);
            h = 31 * h + Long.hashCode(ids[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return "AccountHistory[size=" + size + ", olderAmounts=" + olderAmountsSize + "]";
    }
}
