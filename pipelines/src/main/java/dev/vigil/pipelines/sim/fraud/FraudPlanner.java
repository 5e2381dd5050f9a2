package dev.vigil.pipelines.sim.fraud;

import dev.vigil.schema.fraud.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Plans every fraud episode of a run before the stream starts: when it happens, whom it hits and each of its
 * transactions. The plan is small (fraud is a fraction of a percent of the transactions) and lets episodes span many
 * accounts (a compromised merchant) while each account's stream is still generated lazily.
 *
 * <p>Episodes of each pattern are placed by jittered systematic sampling of the pattern's cumulative intensity: the
 * {@code k}-th episode sits at cumulative intensity {@code k + u_k} with {@code u_k} uniform, so the number of episodes
 * is the expected number to within one and the episodes follow the intensity over time. Intensities are the fraud rate
 * times the expected legitimate volume divided by the pattern's mean episode size; they change only at the drift
 * switches, and every draw of an episode comes from its own seed, so the plan before a switch is the same with or
 * without it. Compromised-merchant waves, whose captures precede their fraud by days, are planned independently of
 * both switches for the same reason. Planning starts {@link #LOOKBACK_MILLIS} before the run: episodes under way at the
 * start make up for those cut off at the end.
 */
final class FraudPlanner {
    static final int CT_MIN_VICTIMS = 3;
    static final int CT_MAX_VICTIMS = 8;
    static final int CT_MIN_TESTS = 3;
    static final int CT_MAX_TESTS = 9;
    /** Card tests are 5 cents to 1.99 euros. */
    static final long CT_MAX_TEST_AMOUNT_MINOR = 199;
    static final double CT_CASH_OUT_PROBABILITY = 0.5;
    static final int CT_MIN_CASH_OUTS = 1;
    static final int CT_MAX_CASH_OUTS = 3;
    static final double CT_SIZE =
            mean(CT_MIN_VICTIMS, CT_MAX_VICTIMS)
                    * (mean(CT_MIN_TESTS, CT_MAX_TESTS)
                            + CT_CASH_OUT_PROBABILITY * mean(CT_MIN_CASH_OUTS, CT_MAX_CASH_OUTS));

    static final double ATO_PROBE_PROBABILITY = 0.6;
    static final int ATO_MIN_LARGE = 1;
    static final int ATO_MAX_LARGE = 4;
    static final double ATO_SIZE = ATO_PROBE_PROBABILITY + mean(ATO_MIN_LARGE, ATO_MAX_LARGE);
    /**
     * Relative chance of being an account-takeover victim by age band (phishing and scam calls target older
     * customers), times {@code min(1, 0.5 + ecommerceFactor)}: customers who rarely shop online are hit a bit less.
     */
    private static final double[] ATO_AGE_WEIGHT = {0.7, 0.8, 1.0, 1.4, 2.0};

    static final int MC_MIN_VICTIMS = 10;
    static final int MC_MAX_VICTIMS = 30;
    static final int MC_MIN_FRAUDS = 1;
    static final int MC_MAX_FRAUDS = 4;
    static final double MC_SIZE = mean(MC_MIN_VICTIMS, MC_MAX_VICTIMS) * mean(MC_MIN_FRAUDS, MC_MAX_FRAUDS);

    static final int DGD_MIN = 4;
    static final int DGD_MAX = 12;
    static final double DGD_SIZE = mean(DGD_MIN, DGD_MAX);
    /** Drain purchases happen between local midnight and this hour. */
    static final int DGD_LAST_HOUR = 5;
    private static final long[] DGD_PRICES = {499, 999, 1499, 1999, 2499};

    /** What stolen cards buy online: easy to resell or to move. */
    private static final Category[] CASH_OUT_CATEGORIES = {
        Category.ELECTRONICS, Category.JEWELRY, Category.MONEY_TRANSFER, Category.DIGITAL_GAMES
    };

    private static final int BOT_DEVICES = 12;
    private static final int DRAIN_DEVICES = 6;
    private static final long EPISODE_ID_STRIDE = 100_000_000L;
    /**
     * How long before the run episodes are planned: longer than any episode, so that fraud begun before the run
     * continues into it, as fraud cut off by its end would have continued after it, and the rate is met on average.
     */
    static final long LOOKBACK_MILLIS = 3 * AccountProfile.DAY;
    private static final int MAX_VICTIM_TRIES = 64;

    private static final long MINUTE = 60_000L;
    private static final long HOUR = AccountProfile.HOUR;
    private static final long DAY = AccountProfile.DAY;

    /** The plan: episodes by start, and each account's planned transactions by time ({@code null} when none). */
    record Plan(List<FraudEpisode> episodes, PlannedTransaction[][] byAccount) {}

    private final FraudSimulationConfig config;
    private final long seed;
    private final AccountProfile[] accounts;
    private final Merchants merchants;
    private final long start;
    private final long end;
    /** Episodes are planned from this instant, before the run, so that the run starts in a steady state. */
    private final long planFrom;
    private final BitSet usedCards = new BitSet();
    private final Map<Integer, List<PlannedTransaction>> planned = new HashMap<>();
    private final List<FraudEpisode> episodes = new ArrayList<>();
    private final int[] testingMerchants;
    private final int[][] drainMerchants;
    private final String[] botDevices = new String[BOT_DEVICES];
    private final String[] drainDevices = new String[DRAIN_DEVICES];

    // Per-episode bookkeeping.
    private long episodeFirst;
    private long episodeLast;
    private int episodeFrauds;
    private int episodeInRun;

    private FraudPlanner(FraudSimulationConfig config, AccountProfile[] accounts, Merchants merchants) {
        this.config = config;
        this.seed = config.seed();
        this.accounts = accounts;
        this.merchants = merchants;
        this.start = config.start().toEpochMilli();
        this.end = config.end().toEpochMilli();
        this.planFrom = start - LOOKBACK_MILLIS;
        // Card testers favour small web merchants with weak checks: donation pages, digital goods, small web shops.
        Category[] testingCategories = {
            Category.CHARITY, Category.DIGITAL_MEDIA, Category.MISC_RETAIL, Category.DIGITAL_GAMES, Category.CHARITY,
            Category.MISC_RETAIL
        };
        String[] testingCountries = {"US", "GB", "IE", "NL", "DE", "US"};
        testingMerchants = new int[testingCategories.length];
        for (int i = 0; i < testingMerchants.length; i++) {
            int country = Geography.idx(testingCountries[i]);
            testingMerchants[i] = leastPopular(merchants, country, testingCategories[i]);
        }
        // The drain cashes out at small, recently onboarded digital-goods resellers in the victim's own country.
        drainMerchants = new int[Geography.MARKETS][2];
        for (int c = 0; c < Geography.MARKETS; c++) {
            drainMerchants[c][0] = leastPopular(merchants, c, Category.DIGITAL_GAMES);
            drainMerchants[c][1] = leastPopular(merchants, c, Category.DIGITAL_MEDIA);
        }
        for (int i = 0; i < BOT_DEVICES; i++) {
            botDevices[i] = Ids.device(Seeds.derive(seed, Seeds.FRAUD_DEVICE, i));
        }
        for (int i = 0; i < DRAIN_DEVICES; i++) {
            drainDevices[i] = Ids.device(Seeds.derive(seed, Seeds.FRAUD_DEVICE, 1_000 + i));
        }
    }

    /**
     * Plans the run.
     *
     * @param dailyTransactions expected legitimate transactions per day over all accounts outside the holiday season
     */
    static Plan plan(
            FraudSimulationConfig config, AccountProfile[] accounts, Merchants merchants, double dailyTransactions) {
        return new FraudPlanner(config, accounts, merchants).plan(dailyTransactions);
    }

    private Plan plan(double dailyTransactions) {
        // fraud / (legit + fraud) = rate, so fraud = rate / (1 - rate) x legit.
        double rate = config.fraudRate();
        double fraudPerMilli = rate / (1 - rate) * dailyTransactions / DAY;
        if (fraudPerMilli > 0) {
            // Compromised-merchant waves first, independent of the drift switches.
            double waves = config.merchantCompromiseShare() * fraudPerMilli / MC_SIZE;
            if (waves > 0) {
                for (int k = 0; k < EPISODE_ID_STRIDE; k++) {
                    double position = k + Seeds.unit(seed, Seeds.PHASE, key(FraudPattern.MERCHANT_COMPROMISE, k));
                    long t = planFrom + (long) (position / waves);
                    if (t >= end) {
                        break;
                    }
                    planWave(k, t);
                }
            }
            List<Anchor> anchors = new ArrayList<>();
            List<Segment> segments = segments(fraudPerMilli);
            for (FraudPattern pattern :
                    new FraudPattern[] {
                        FraudPattern.CARD_TESTING, FraudPattern.ACCOUNT_TAKEOVER, FraudPattern.DIGITAL_GOODS_DRAIN
                    }) {
                for (int k = 0; k < EPISODE_ID_STRIDE; k++) {
                    double position = k + Seeds.unit(seed, Seeds.PHASE, key(pattern, k));
                    long t = invert(segments, pattern, position);
                    if (t == Long.MAX_VALUE) {
                        break;
                    }
                    anchors.add(new Anchor(t, pattern, k));
                }
            }
            anchors.sort(
                    Comparator.comparingLong(Anchor::time)
                            .thenComparing(Anchor::pattern)
                            .thenComparingInt(Anchor::k));
            for (Anchor a : anchors) {
                switch (a.pattern) {
                    case CARD_TESTING -> planCardTesting(a.k, a.time);
                    case ACCOUNT_TAKEOVER -> planTakeover(a.k, a.time);
                    default -> planDrain(a.k, a.time);
                }
            }
        }
        PlannedTransaction[][] byAccount = new PlannedTransaction[accounts.length][];
        for (Map.Entry<Integer, List<PlannedTransaction>> e : planned.entrySet()) {
            List<PlannedTransaction> list = e.getValue();
            list.sort(Comparator.comparingLong(PlannedTransaction::timeMillis)); // stable
            byAccount[e.getKey()] = list.toArray(new PlannedTransaction[0]);
        }
        episodes.sort(Comparator.comparing(FraudEpisode::start).thenComparingInt(FraudEpisode::id));
        return new Plan(List.copyOf(episodes), byAccount);
    }

    private record Anchor(long time, FraudPattern pattern, int k) {}

    /** A span of constant episode intensities (per millisecond) by pattern. */
    private record Segment(long from, long to, double cardTesting, double takeover, double drain) {
        double rate(FraudPattern pattern) {
            return switch (pattern) {
                case CARD_TESTING -> cardTesting;
                case ACCOUNT_TAKEOVER -> takeover;
                default -> drain;
            };
        }
    }

    private List<Segment> segments(double fraudPerMilli) {
        TreeSet<Long> cuts = new TreeSet<>();
        cuts.add(planFrom);
        cuts.add(end);
        long holidayAt = millisOrMax(config.holidaySeasonAt());
        long newPatternAt = millisOrMax(config.newPatternAt());
        if (holidayAt > planFrom && holidayAt < end) {
            cuts.add(holidayAt);
        }
        if (newPatternAt > planFrom && newPatternAt < end) {
            cuts.add(newPatternAt);
        }
        double oldShares = config.cardTestingShare() + config.accountTakeoverShare();
        double compromise = config.merchantCompromiseShare() * fraudPerMilli;
        List<Segment> segments = new ArrayList<>();
        Long from = null;
        for (long cut : cuts) {
            if (from != null) {
                double total = fraudPerMilli * (from >= holidayAt ? AccountProfile.HOLIDAY_RATE : 1.0);
                double newShare = from >= newPatternAt ? config.newPatternShare() : 0.0;
                double old = Math.max(0.0, total * (1 - newShare) - compromise);
                double ct = oldShares > 0 ? old * config.cardTestingShare() / oldShares / CT_SIZE : 0.0;
                double ato = oldShares > 0 ? old * config.accountTakeoverShare() / oldShares / ATO_SIZE : 0.0;
                segments.add(new Segment(from, cut, ct, ato, total * newShare / DGD_SIZE));
            }
            from = cut;
        }
        return segments;
    }

    /** The time at which the pattern's cumulative intensity reaches {@code position}, or MAX_VALUE after the run. */
    private static long invert(List<Segment> segments, FraudPattern pattern, double position) {
        double cumulative = 0;
        for (Segment s : segments) {
            double rate = s.rate(pattern);
            double mass = rate * (s.to - s.from);
            if (rate > 0 && position < cumulative + mass) {
                return Math.min(s.to - 1, s.from + (long) ((position - cumulative) / rate));
            }
            cumulative += mass;
        }
        return Long.MAX_VALUE;
    }

    private void planCardTesting(int k, long t) {
        int id = episodeId(FraudPattern.CARD_TESTING, k);
        SplittableRandom rng = episodeRng(FraudPattern.CARD_TESTING, k);
        int first = rng.nextInt(testingMerchants.length);
        int merchantCount = testingMerchants.length;
        int second = rng.nextDouble() < 0.3 ? (first + 1 + rng.nextInt(merchantCount - 1)) % merchantCount : -1;
        String device = botDevices[rng.nextInt(BOT_DEVICES)];
        long span = 20 * MINUTE + (long) (rng.nextDouble() * 70 * MINUTE);
        int victims = between(rng, CT_MIN_VICTIMS, CT_MAX_VICTIMS);
        beginEpisode();
        List<String> cards = new ArrayList<>(victims);
        for (int v = 0; v < victims; v++) {
            int a = pickVictim(rng, FraudPattern.CARD_TESTING, -1);
            if (a < 0) {
                continue;
            }
            AccountProfile p = accounts[a];
            int slot = victimCard(rng, p);
            cards.add(p.cardIds[slot]);
            long time = t + (long) (rng.nextDouble() * span);
            int tests = between(rng, CT_MIN_TESTS, CT_MAX_TESTS);
            for (int i = 0; i < tests; i++) {
                int merchant = testingMerchants[second >= 0 && rng.nextDouble() < 0.3 ? second : first];
                long amount = rng.nextDouble() < 0.3 ? 100 : 5 + rng.nextInt((int) CT_MAX_TEST_AMOUNT_MINOR - 4);
                add(a, time, slot, merchant, amount, Channel.ECOMMERCE, device, FraudPattern.CARD_TESTING, id, false);
                time += 15_000 + (long) (rng.nextDouble() * 165_000);
            }
            if (rng.nextDouble() < CT_CASH_OUT_PROBABILITY) {
                int n = between(rng, CT_MIN_CASH_OUTS, CT_MAX_CASH_OUTS);
                String cashDevice = rng.nextDouble() < 0.5 ? device : botDevices[rng.nextInt(BOT_DEVICES)];
                time += 2 * HOUR + (long) (rng.nextDouble() * 46 * HOUR);
                for (int j = 0; j < n; j++) {
                    Category cat = pick(rng, CASH_OUT_CATEGORIES);
                    int country = rng.nextDouble() < 0.4 ? p.homeCountry : Geography.fraudOrigin(rng, p.homeCountry);
                    int merchant = merchants.sample(country, cat, rng.nextDouble());
                    long amount =
                            cat == Category.DIGITAL_GAMES
                                    ? logNormalCents(rng, 80, 0.5, 20, 300)
                                    : logNormalCents(rng, 300, 0.6, 60, 3000);
                    add(a, time, slot, merchant, amount, Channel.ECOMMERCE, cashDevice, FraudPattern.CARD_TESTING, id,
                            false);
                    time += 5 * MINUTE + (long) (rng.nextDouble() * 55 * MINUTE);
                }
            }
        }
        endEpisode(id, FraudPattern.CARD_TESTING, merchants.id(testingMerchants[first]), device, null, cards);
    }

    private void planTakeover(int k, long t) {
        int id = episodeId(FraudPattern.ACCOUNT_TAKEOVER, k);
        SplittableRandom rng = episodeRng(FraudPattern.ACCOUNT_TAKEOVER, k);
        int a = pickVictim(rng, FraudPattern.ACCOUNT_TAKEOVER, -1);
        if (a < 0) {
            return;
        }
        AccountProfile p = accounts[a];
        int slot = 0;
        usedCards.set(2 * a + slot);
        int country = Geography.fraudOrigin(rng, p.homeCountry);
        String device = Ids.device(Seeds.derive(seed, Seeds.FRAUD_DEVICE, (1L << 40) | k));
        beginEpisode();
        long time = t;
        if (rng.nextDouble() < ATO_PROBE_PROBABILITY) {
            Category cat = rng.nextDouble() < 0.5 ? Category.DIGITAL_GAMES : Category.MISC_RETAIL;
            int merchant = merchants.sample(country, cat, rng.nextDouble());
            add(a, time, slot, merchant, logNormalCents(rng, 15, 0.5, 5, 40), Channel.ECOMMERCE, device,
                    FraudPattern.ACCOUNT_TAKEOVER, id, false);
            time += 10 * MINUTE + (long) (rng.nextDouble() * 170 * MINUTE);
        }
        int large = between(rng, ATO_MIN_LARGE, ATO_MAX_LARGE);
        for (int i = 0; i < large; i++) {
            double u = rng.nextDouble();
            Category cat;
            if (u < 0.40) {
                cat = Category.ELECTRONICS;
            } else if (u < 0.65) {
                cat = Category.JEWELRY;
            } else {
                cat = u < 0.85 ? Category.MONEY_TRANSFER : Category.DEPARTMENT_STORES;
            }
            int merchant = merchants.sample(country, cat, rng.nextDouble());
            long amount = logNormalCents(rng, 700 * Math.sqrt(p.amountScale), 0.5, 200, 8000);
            add(a, time, slot, merchant, amount, Channel.ECOMMERCE, device, FraudPattern.ACCOUNT_TAKEOVER, id, false);
            time += 10 * MINUTE + (long) (rng.nextDouble() * 170 * MINUTE);
        }
        endEpisode(id, FraudPattern.ACCOUNT_TAKEOVER, null, device, Geography.CODES[country], List.of(p.cardIds[slot]));
    }

    private void planWave(int k, long t) {
        int id = episodeId(FraudPattern.MERCHANT_COMPROMISE, k);
        SplittableRandom rng = episodeRng(FraudPattern.MERCHANT_COMPROMISE, k);
        int country = Geography.market(rng);
        boolean web = rng.nextDouble() < 0.35;
        Category cat;
        if (web) {
            cat = pick(rng, Category.CLOTHING, Category.MISC_RETAIL, Category.ELECTRONICS);
        } else {
            double u = rng.nextDouble();
            if (u < 0.40) {
                cat = Category.FUEL; // skimmer at the pump
            } else if (u < 0.65) {
                cat = Category.ATM; // skimmer on the card slot
            } else {
                cat = u < 0.85 ? Category.RESTAURANTS : Category.GROCERY; // a waiter's or cashier's skimmer
            }
        }
        int merchant = merchants.ranked(country, cat, rng.nextInt(5));
        long window = DAY + (long) (rng.nextDouble() * 3 * DAY);
        long lag = 12 * HOUR + (long) (rng.nextDouble() * 108 * HOUR);
        long windowStart = t - lag - window;
        long cashOutSpan = 12 * HOUR + (long) (rng.nextDouble() * 36 * HOUR);
        int gang = Geography.fraudOrigin(rng, country);
        int victims = between(rng, MC_MIN_VICTIMS, MC_MAX_VICTIMS);
        beginEpisode();
        List<String> cards = new ArrayList<>(victims);
        for (int v = 0; v < victims; v++) {
            int a = pickVictim(rng, FraudPattern.MERCHANT_COMPROMISE, country);
            if (a < 0) {
                continue;
            }
            AccountProfile p = accounts[a];
            int slot = 0;
            usedCards.set(2 * a + slot);
            cards.add(p.cardIds[slot]);
            long visit = windowStart + (long) (rng.nextDouble() * window);
            Channel visitChannel = web ? Channel.ECOMMERCE : cat == Category.ATM ? Channel.ATM : Channel.CARD_PRESENT;
            long visitAmount = AccountEventSource.amountMinor(cat, p.amountScale, false, rng);
            String visitDevice = web ? p.device(seed, p.devices - 1) : null;
            addPlanned(
                    a,
                    new PlannedTransaction(
                            visit, slot, merchant, visitAmount, visitChannel, visitDevice, false, FraudPattern.NONE, id,
                            false));
            int n = between(rng, MC_MIN_FRAUDS, MC_MAX_FRAUDS);
            long[] times = new long[n];
            for (int j = 0; j < n; j++) {
                times[j] = t + (long) (rng.nextDouble() * cashOutSpan);
            }
            Arrays.sort(times);
            for (long time : times) {
                if (web) {
                    Category fraudCat = pick(rng, CASH_OUT_CATEGORIES);
                    int where = rng.nextDouble() < 0.5 ? Geography.onlineHub(rng) : Geography.fraudOrigin(rng, country);
                    add(a, time, slot, merchants.sample(where, fraudCat, rng.nextDouble()),
                            logNormalCents(rng, 350, 0.6, 50, 4000), Channel.ECOMMERCE,
                            botDevices[rng.nextInt(BOT_DEVICES)], FraudPattern.MERCHANT_COMPROMISE, id, false);
                } else if (rng.nextDouble() < 0.5) {
                    add(a, time, slot, merchants.sample(gang, Category.ATM, rng.nextDouble()),
                            5_000L * between(rng, 4, 12), Channel.ATM, null, FraudPattern.MERCHANT_COMPROMISE, id,
                            true);
                } else {
                    Category fraudCat = rng.nextDouble() < 0.6 ? Category.ELECTRONICS : Category.JEWELRY;
                    add(a, time, slot, merchants.sample(gang, fraudCat, rng.nextDouble()),
                            logNormalCents(rng, 500, 0.5, 100, 5000), Channel.CARD_PRESENT, null,
                            FraudPattern.MERCHANT_COMPROMISE, id, true);
                }
            }
        }
        if (!cards.isEmpty()) {
            endEpisode(id, FraudPattern.MERCHANT_COMPROMISE, merchants.id(merchant), null,
                    web ? null : Geography.CODES[gang], cards);
        }
    }

    private void planDrain(int k, long t) {
        int id = episodeId(FraudPattern.DIGITAL_GOODS_DRAIN, k);
        SplittableRandom rng = episodeRng(FraudPattern.DIGITAL_GOODS_DRAIN, k);
        int a = pickVictim(rng, FraudPattern.DIGITAL_GOODS_DRAIN, -1);
        if (a < 0) {
            return;
        }
        AccountProfile p = accounts[a];
        int slot = 0;
        usedCards.set(2 * a + slot);
        int[] targets = drainMerchants[p.homeCountry];
        boolean both = rng.nextDouble() < 0.3;
        String device = drainDevices[rng.nextInt(DRAIN_DEVICES)];
        int nights = between(rng, 1, 3);
        int n = between(rng, DGD_MIN, DGD_MAX);
        long firstNight = AccountProfile.nextLocalMidnight(t);
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = firstNight + rng.nextInt(nights) * DAY + (long) (rng.nextDouble() * DGD_LAST_HOUR * HOUR);
        }
        Arrays.sort(times);
        beginEpisode();
        for (long time : times) {
            int merchant = targets[both && rng.nextDouble() < 0.4 ? 1 : 0];
            add(a, time, slot, merchant, DGD_PRICES[rng.nextInt(DGD_PRICES.length)], Channel.ECOMMERCE, device,
                    FraudPattern.DIGITAL_GOODS_DRAIN, id, false);
        }
        endEpisode(id, FraudPattern.DIGITAL_GOODS_DRAIN, merchants.id(targets[0]), device,
                Geography.CODES[p.homeCountry], List.of(p.cardIds[slot]));
    }

    /**
     * An account for a new victim whose card has not been hit yet: uniform for card testing and the drain, weighted by
     * age and online use for takeovers, among the customers of {@code country} for a merchant compromise; -1 when none
     * was found.
     */
    private int pickVictim(SplittableRandom rng, FraudPattern pattern, int country) {
        for (int tries = 0; tries < MAX_VICTIM_TRIES; tries++) {
            int a = rng.nextInt(accounts.length);
            AccountProfile p = accounts[a];
            double accept =
                    switch (pattern) {
                        case ACCOUNT_TAKEOVER ->
                                ATO_AGE_WEIGHT[p.ageBand] * Math.min(1.0, 0.5 + p.ecommerceFactor) / 2.0;
                        case MERCHANT_COMPROMISE -> p.homeCountry == country ? 1.0 : 0.0;
                        default -> 1.0;
                    };
            if (usedCards.get(2 * a) || rng.nextDouble() >= accept) {
                continue;
            }
            return a;
        }
        return -1;
    }

    private int victimCard(SplittableRandom rng, AccountProfile p) {
        int slot = p.cardIds.length > 1 ? rng.nextInt(p.cardIds.length) : 0;
        usedCards.set(2 * p.index + slot);
        usedCards.set(2 * p.index); // one episode per account
        return slot;
    }

    private void beginEpisode() {
        episodeFirst = Long.MAX_VALUE;
        episodeLast = Long.MIN_VALUE;
        episodeFrauds = 0;
        episodeInRun = 0;
    }

    private void add(
            int account,
            long time,
            int slot,
            int merchant,
            long amountMinor,
            Channel channel,
            String device,
            FraudPattern pattern,
            int episodeId,
            boolean counterfeit) {
        episodeLast = Math.max(episodeLast, time);
        if (addPlanned(account, new PlannedTransaction(
                time, slot, merchant, amountMinor, channel, device, true, pattern, episodeId, counterfeit))) {
            episodeFrauds++;
        }
    }

    /** Keeps a planned transaction if it falls in the run; returns whether it did. */
    private boolean addPlanned(int account, PlannedTransaction tx) {
        episodeFirst = Math.min(episodeFirst, tx.timeMillis());
        if (tx.timeMillis() < start || tx.timeMillis() >= end) {
            return false;
        }
        planned.computeIfAbsent(account, x -> new ArrayList<>(4)).add(tx);
        episodeInRun++;
        return true;
    }

    private void endEpisode(
            int id, FraudPattern pattern, String merchantId, String deviceId, String country, List<String> cards) {
        if (cards.isEmpty() || episodeInRun == 0) {
            return; // entirely before or after the run
        }
        episodes.add(
                new FraudEpisode(
                        id,
                        pattern,
                        Instant.ofEpochMilli(episodeFirst),
                        Instant.ofEpochMilli(Math.max(episodeFirst, episodeLast)),
                        merchantId,
                        deviceId,
                        country,
                        cards,
                        episodeFrauds));
    }

    private SplittableRandom episodeRng(FraudPattern pattern, int k) {
        return new SplittableRandom(Seeds.derive(seed, Seeds.EPISODE, key(pattern, k)));
    }

    private static long key(FraudPattern pattern, int k) {
        return ((long) pattern.ordinal() << 40) | k;
    }

    /** Ids are unique per run and readable: {@code 1_000_000_00k} is the k-th card-testing campaign. */
    static int episodeId(FraudPattern pattern, int k) {
        return (int) (pattern.ordinal() * EPISODE_ID_STRIDE + k);
    }

    private static long millisOrMax(Instant at) {
        return at == null ? Long.MAX_VALUE : at.toEpochMilli();
    }

    private static int leastPopular(Merchants merchants, int country, Category category) {
        return merchants.ranked(country, category, merchants.poolSize(country, category) - 1);
    }

    private static Category pick(SplittableRandom rng, Category... options) {
        return options[rng.nextInt(options.length)];
    }

    private static int between(SplittableRandom rng, int min, int max) {
        return min + rng.nextInt(max - min + 1);
    }

    private static double mean(int min, int max) {
        return (min + max) / 2.0;
    }

    private static long logNormalCents(
            SplittableRandom rng, double medianEur, double sigma, double minEur, double maxEur) {
        double eur = AccountProfile.clamp(medianEur * Math.exp(sigma * rng.nextGaussian()), minEur, maxEur);
        return Math.round(eur * 100);
    }
}
