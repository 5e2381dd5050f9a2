package dev.vigil.pipelines.sim.fraud;

import dev.vigil.schema.fraud.Channel;
import dev.vigil.schema.fraud.Transaction;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Generates one account's transactions lazily, in event-time order, with their labels, and hands everything out in
 * delivery order. An event is released only when nothing still to be generated can be delivered before it: every
 * future event has an event time (and so a delivery time) at or after {@link #clock()}, the earliest scheduled time.
 *
 * <p>Four things are scheduled: the next candidate of the customer's Poisson process (thinned to the intensity at that
 * time), the next subscription charge, the next start or end of a trip abroad, and the next planned transaction of
 * the fraud plan.
 */
final class AccountEventSource implements Labels.Sink {
    static final Comparator<FraudEvent> DELIVERY_ORDER =
            Comparator.comparingLong(FraudEvent::deliveryTimeMillis).thenComparingLong(FraudEvent::eventTimeMillis);

    static final String CURRENCY = "EUR";
    /** Contactless payments without a PIN are allowed up to 50 euros in the EU. */
    static final long CONTACTLESS_LIMIT_MINOR = 5_000;
    /** Probability that an online payment is the first from a new device (a new phone or laptop). */
    static final double NEW_DEVICE_RATE = 1.0 / 150;
    static final double PRIMARY_DEVICE_SHARE = 0.7;
    static final double PRIMARY_CARD_SHARE = 0.8;
    /** Share of in-person payments that border residents make across the border. */
    static final double CROSS_BORDER_SHARE = 0.15;
    /** Share of transit taps that the terminal authorises later (deferred authorisation). */
    static final double DEFERRED_TRANSIT_SHARE = 0.5;

    private static final ZoneOffset LOCAL =
            ZoneOffset.ofTotalSeconds((int) (AccountProfile.LOCAL_OFFSET_MILLIS / 1000));
    private static final long SECOND = 1000L;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = AccountProfile.HOUR;
    private static final long DAY = AccountProfile.DAY;

    /** Per-iteration working memory shared by the sources of one iterator. */
    static final class Scratch {
        final double[] terms = new double[2 * Category.COUNT];
        long buffered;
        long maxBuffered;
    }

    private final World world;
    private final AccountProfile p;
    private final Scratch scratch;
    private final SplittableRandom rng;
    private final PlannedTransaction[] planned;
    private final PriorityQueue<FraudEvent> pending = new PriorityQueue<>(4, DELIVERY_ORDER);
    private final long[] subscriptionDue;
    private final double candidatesPerMilli;
    private final double tripsPerMilli;

    private long headDelivery;
    private long headEventTime;
    private int nextPlanned;
    private long nextCandidate;
    private long tripChange;
    private int tripCountry = -1;
    private int deviceGeneration;
    private int sequence;

    AccountEventSource(World world, AccountProfile profile, Scratch scratch) {
        this.world = world;
        this.p = profile;
        this.scratch = scratch;
        this.rng = new SplittableRandom(Seeds.derive(world.seed, Seeds.STREAM, profile.index));
        PlannedTransaction[] plannedHere = world.plan.byAccount()[profile.index];
        this.planned = plannedHere == null ? new PlannedTransaction[0] : plannedHere;
        this.candidatesPerMilli = p.transactionsPerDay * p.peakIntensity / DAY;
        this.tripsPerMilli = p.tripsPerYear / 365.2425 / DAY;
        this.nextCandidate = world.startMillis + gap(candidatesPerMilli);
        this.tripChange = world.startMillis + gap(tripsPerMilli);
        this.subscriptionDue = new long[p.subscriptions.length];
        for (int i = 0; i < subscriptionDue.length; i++) {
            subscriptionDue[i] = due(p.subscriptions[i], world.startMillis);
        }
    }

    int index() {
        return p.index;
    }

    /** Earliest time at which something is still scheduled; {@link Long#MAX_VALUE} when all is generated. */
    long clock() {
        long t = Math.min(nextCandidate, tripChange);
        for (long due : subscriptionDue) {
            t = Math.min(t, due);
        }
        if (nextPlanned < planned.length) {
            t = Math.min(t, planned[nextPlanned].timeMillis());
        }
        return t >= world.endMillis ? Long.MAX_VALUE : t;
    }

    /**
     * Generates until the next event in delivery order is known and caches its keys for the merge; returns false when
     * the account has no more events.
     */
    boolean advance() {
        FraudEvent head = peek();
        if (head == null) {
            return false;
        }
        headDelivery = head.deliveryTimeMillis();
        headEventTime = head.eventTimeMillis();
        return true;
    }

    /** The next event in delivery order, or {@code null} when the account has no more events. */
    FraudEvent peek() {
        while (true) {
            FraudEvent head = pending.peek();
            long clock = clock();
            if (clock == Long.MAX_VALUE || (head != null && head.deliveryTimeMillis() <= clock)) {
                return head;
            }
            step(clock);
        }
    }

    FraudEvent poll() {
        FraudEvent head = peek();
        if (head != null) {
            pending.poll();
            scratch.buffered--;
        }
        return head;
    }

    /**
     * Merge order of sources by their cached heads ({@link #advance()}): delivery time, then event time, then account.
     * Reading two fields per source keeps the heap of many thousands of accounts cache-friendly.
     */
    static int compareHeads(AccountEventSource a, AccountEventSource b) {
        int c = Long.compare(a.headDelivery, b.headDelivery);
        if (c == 0) {
            c = Long.compare(a.headEventTime, b.headEventTime);
        }
        return c != 0 ? c : Integer.compare(a.p.index, b.p.index);
    }

    @Override
    public void add(FraudEvent event) {
        pending.add(event);
        if (++scratch.buffered > scratch.maxBuffered) {
            scratch.maxBuffered = scratch.buffered;
        }
    }

    private void step(long t) {
        if (nextPlanned < planned.length && planned[nextPlanned].timeMillis() == t) {
            PlannedTransaction tx = planned[nextPlanned++];
            emit(tx.timeMillis(), tx.cardSlot(), tx.merchant(), world.merchants.category(tx.merchant()),
                    tx.amountMinor(), tx.channel(), tx.deviceId(), tx.fraud(), tx.pattern(), tx.episodeId(),
                    tx.counterfeit());
            return;
        }
        if (t == tripChange) {
            trip(t);
            return;
        }
        for (int i = 0; i < subscriptionDue.length; i++) {
            if (subscriptionDue[i] == t) {
                AccountProfile.Subscription s = p.subscriptions[i];
                subscriptionDue[i] = due(s, t + 1);
                // Merchant-initiated: no cardholder device.
                emit(t, 0, s.merchant(), s.category(), s.amountMinor(), Channel.ECOMMERCE, null, false,
                        FraudPattern.NONE, -1, false);
                return;
            }
        }
        candidate(t);
    }

    /** One candidate of the thinned Poisson process: kept with probability intensity(t) / peak intensity. */
    private void candidate(long t) {
        nextCandidate = t + gap(candidatesPerMilli);
        boolean holiday = t >= world.holidayAtMillis;
        double[] terms = scratch.terms;
        double total = p.hourly(AccountProfile.localHour(t, p.chronotypeHours), holiday, terms);
        double intensity =
                AccountProfile.DAY_OF_WEEK[AccountProfile.dayOfWeek(t)]
                        * (holiday ? AccountProfile.HOLIDAY_RATE : 1.0)
                        * total;
        if (rng.nextDouble() * p.peakIntensity >= intensity) {
            return;
        }
        double u = rng.nextDouble() * total;
        int chosen = -1;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i] > 0) {
                chosen = i;
                u -= terms[i];
                if (u < 0) {
                    break;
                }
            }
        }
        legit(t, Category.ALL[chosen >> 1], (chosen & 1) == 1, holiday);
    }

    private void legit(long t, Category category, boolean online, boolean holiday) {
        int slot = p.cardIds.length > 1 && rng.nextDouble() >= PRIMARY_CARD_SHARE ? 1 : 0;
        long amount = amountMinor(category, p.amountScale, holiday && category.seasonal, rng);
        int merchant;
        Channel channel;
        String device = null;
        if (online) {
            double domestic = domesticOnlineShare(category);
            if (holiday) {
                domestic = 1 - 1.5 * (1 - domestic);
            }
            int country = rng.nextDouble() < domestic ? p.homeCountry : Geography.onlineHub(rng);
            merchant = merchant(country, category, holiday);
            channel = Channel.ECOMMERCE;
            device = onlineDevice();
        } else {
            int country;
            if (tripCountry >= 0) {
                country = tripCountry;
            } else if (p.region == AccountProfile.BORDER && rng.nextDouble() < CROSS_BORDER_SHARE) {
                country = Geography.neighbour(rng, p.homeCountry);
            } else {
                country = p.homeCountry;
            }
            merchant = merchant(country, category, holiday);
            if (category == Category.ATM) {
                channel = Channel.ATM;
            } else if ((category == Category.HOTELS || category == Category.AIRLINES) && rng.nextDouble() < 0.03) {
                channel = Channel.MAIL_PHONE;
            } else if (amount <= CONTACTLESS_LIMIT_MINOR && rng.nextDouble() < p.contactlessShare) {
                channel = Channel.CONTACTLESS;
                if (p.mobileWallet && rng.nextDouble() < 0.6) {
                    device = p.device(world.seed, deviceGeneration + p.devices - 1);
                }
            } else {
                channel = Channel.CARD_PRESENT;
            }
        }
        emit(t, slot, merchant, category, amount, channel, device, false, FraudPattern.NONE, -1, false);
    }

    /** At home, usually one of the customer's regular merchants; elsewhere, by popularity. */
    private int merchant(int country, Category category, boolean holiday) {
        if (country == p.homeCountry) {
            // Holiday shoppers try shops they do not usually go to.
            double loyalty = holiday ? Math.max(0, 1 - 2 * (1 - p.loyalty)) : p.loyalty;
            if (rng.nextDouble() < loyalty) {
                int slot = rng.nextInt(p.favourites(world.seed, category));
                return p.favourite(world.seed, world.merchants, category, slot);
            }
        }
        return world.merchants.sample(country, category, rng.nextDouble());
    }

    /** One of the customer's current devices, most often the newest; now and then a new device replaces the oldest. */
    private String onlineDevice() {
        if (rng.nextDouble() < NEW_DEVICE_RATE) {
            deviceGeneration++;
        }
        int k = p.devices == 1 || rng.nextDouble() < PRIMARY_DEVICE_SHARE ? 0 : 1 + rng.nextInt(p.devices - 1);
        return p.device(world.seed, deviceGeneration + p.devices - 1 - k);
    }

    private void trip(long t) {
        if (tripCountry < 0) {
            tripCountry = Geography.travelDestination(rng, p.homeCountry);
            long length =
                    (long) AccountProfile.clamp(5 * DAY * Math.exp(0.5 * rng.nextGaussian()), 1.5 * DAY, 16 * DAY);
            tripChange = t + length;
            // Checking in at the hotel and drawing local cash soon after arrival.
            if (rng.nextDouble() < 0.7) {
                tripExtra(t + 2 * HOUR + (long) (rng.nextDouble() * 6 * HOUR), Category.HOTELS, Channel.CARD_PRESENT);
            }
            if (rng.nextDouble() < 0.35) {
                tripExtra(t + HOUR + (long) (rng.nextDouble() * 5 * HOUR), Category.ATM, Channel.ATM);
            }
        } else {
            tripCountry = -1;
            tripChange = t + gap(tripsPerMilli);
        }
    }

    private void tripExtra(long at, Category category, Channel channel) {
        int merchant = world.merchants.sample(tripCountry, category, rng.nextDouble());
        long amount = amountMinor(category, p.amountScale, false, rng);
        if (at < world.endMillis && at < tripChange) {
            emit(at, 0, merchant, category, amount, channel, null, false, FraudPattern.NONE, -1, false);
        }
    }

    private void emit(
            long t,
            int slot,
            int merchant,
            Category category,
            long amountMinor,
            Channel channel,
            String device,
            boolean fraud,
            FraudPattern pattern,
            int episodeId,
            boolean counterfeit) {
        if (sequence >= 1 << 24) {
            throw new IllegalStateException("more than 2^24 transactions for one account");
        }
        long key = ((long) p.index << 24) | sequence++;
        Transaction tx =
                new Transaction(
                        Ids.transaction(world.seed, key),
                        p.accountId,
                        p.cardIds[slot],
                        Instant.ofEpochMilli(t),
                        amountMinor,
                        CURRENCY,
                        world.merchants.id(merchant),
                        category.mcc,
                        Geography.CODES[world.merchants.country(merchant)],
                        channel,
                        device,
                        Geography.CODES[p.cardCountry],
                        Geography.CODES[p.homeCountry],
                        AccountProfile.AGE_BANDS[p.ageBand],
                        AccountProfile.REGIONS[p.region]);
        long delivery = t + deliveryDelay(category, channel);
        TransactionTruth truth = world.labels.label(key, tx, t, delivery, fraud, pattern, episodeId, counterfeit, this);
        add(new FraudEvent(FraudEvent.Kind.TRANSACTION, p.accountId, tx, t, delivery, truth));
    }

    /** Authorisations arrive within 1.5 s; deferred transit taps and store-and-forward terminals up to 10 min late. */
    private long deliveryDelay(Category category, Channel channel) {
        long delay = 30 + (long) (rng.nextDouble() * 1470);
        boolean tap =
                category == Category.TRANSIT
                        && (channel == Channel.CONTACTLESS || channel == Channel.CARD_PRESENT);
        if (tap && rng.nextDouble() < DEFERRED_TRANSIT_SHARE) {
            delay += MINUTE + (long) (rng.nextDouble() * 9 * MINUTE);
        } else if (rng.nextDouble() < world.config.outOfOrderRate()) {
            delay += 20 * SECOND + (long) (rng.nextDouble() * (10 * MINUTE - 20 * SECOND));
        }
        return delay;
    }

    private long gap(double ratePerMilli) {
        if (ratePerMilli <= 0) {
            return Long.MAX_VALUE / 2;
        }
        return 1 + (long) (-Math.log(1 - rng.nextDouble()) / ratePerMilli);
    }

    /** An amount of the category for a customer with the given scale, in cents. */
    static long amountMinor(Category category, double scale, boolean seasonal, SplittableRandom rng) {
        double eur =
                category.medianEur
                        * scale
                        * (seasonal ? AccountProfile.HOLIDAY_AMOUNT : 1.0)
                        * Math.exp(category.sigma * rng.nextGaussian());
        if (category == Category.ATM) {
            eur = Math.max(20, Math.round(eur / 10) * 10.0);
            if (eur >= 50 && rng.nextDouble() < 0.6) {
                eur = Math.round(eur / 50) * 50.0;
            }
            eur = Math.min(eur, 1000);
        }
        return Math.round(AccountProfile.clamp(eur, 0.2, 15_000) * 100);
    }

    private static double domesticOnlineShare(Category category) {
        return switch (category) {
            case DIGITAL_MEDIA, DIGITAL_GAMES, BETTING -> 0.35;
            case AIRLINES -> 0.5;
            case HOTELS -> 0.4;
            default -> 0.75;
        };
    }

    /** The first charge of a subscription at or after {@code notBefore}. */
    static long due(AccountProfile.Subscription s, long notBefore) {
        LocalDate day = Instant.ofEpochMilli(notBefore).atOffset(LOCAL).toLocalDate().withDayOfMonth(s.dayOfMonth());
        while (true) {
            long t = day.atStartOfDay().plusMinutes(s.minuteOfDay()).toInstant(LOCAL).toEpochMilli();
            if (t >= notBefore) {
                return t;
            }
            day = day.plusMonths(1);
        }
    }
}
