package dev.vigil.pipelines.sim.fraud;

import static org.apache.flink.util.Preconditions.checkNotNull;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A seeded simulator of card transactions at a European retail bank, with realistic fraud, delayed labels and
 * optional drift, and the ground truth of every transaction.
 *
 * <p><b>Customers</b> ({@link Customer}) have individual habits: how often they pay, at which hours (a chronotype
 * shifting the daily rhythm of each merchant category), in which categories (groceries, restaurants, fuel, transit,
 * online shops, digital goods, ...) with category-specific log-normal amounts scaled per customer, at a few regular
 * merchants, in person (contactless below 50 euros, chip and PIN, ATMs) or online from one to three devices that are
 * replaced now and then, monthly subscriptions, trips abroad, and, for border residents, shopping across the border.
 * Each transaction carries the customer's age band and region for fairness checks.
 *
 * <p><b>Fraud</b> ({@link FraudPattern}) is planned as episodes at a configurable rate (0.25% of transactions by
 * default): card-testing campaigns, account takeovers and compromised-merchant waves, and, from a configurable instant,
 * a new digital-goods drain (concept drift). A configurable holiday season shifts legitimate behaviour (covariate
 * drift). See {@link FraudEpisode} and {@link #episodes()}.
 *
 * <p><b>Labels</b>: a chargeback for part of the fraud days to weeks later (a small share of genuine purchases gets a
 * consumer-dispute chargeback), investigator feedback within hours for random audits and customer reports; the
 * pipeline's own reviews get verdicts from {@link Investigators}. A pipeline that declines a transaction must drop its
 * chargeback: every event carries its {@link TransactionTruth}.
 *
 * <p>The design follows the transaction simulator of Le Borgne et al., <i>Reproducible Machine Learning for Credit
 * Card Fraud Detection: Practical Handbook</i> (Université Libre de Bruxelles, 2022), chapter 3 (customer and terminal
 * profiles, compromised terminals and customers), with richer habits, patterns and label delays; the default fraud
 * rate is of the order of the ULB credit-card dataset's 0.17% (Dal Pozzolo et al., CIDM 2015). Chargeback reason
 * codes are Visa's (10.x fraud, 13.x consumer disputes); the contactless limit without PIN is the EU's 50 euros.
 *
 * <p>Events come in delivery order by merging lazily generated per-account streams: transactions up to
 * {@link FraudSimulationConfig#MAX_TRANSACTION_DELAY} late, labels at their event time. Memory grows with the number of
 * accounts, the fraud plan (a fraction of a percent of the transactions) and the labels in flight, never with the
 * stream itself. Every call to {@link #iterator()} replays the same stream.
 *
 * <pre>{@code
 * FraudSimulator simulator = new FraudSimulator(FraudSimulationConfig.builder().seed(7).accounts(20_000).build());
 * for (FraudEvent event : simulator) {
 *     producer.send(event.kind().topic(), event.key(), event.record());
 *     if (event.kind() == FraudEvent.Kind.TRANSACTION && event.truth().fraud()) { ... }
 * }
 * }</pre>
 */
public final class FraudSimulator implements Iterable<FraudEvent> {
    private final World world;

    public FraudSimulator(FraudSimulationConfig config) {
        this.world = new World(checkNotNull(config, "config"));
    }

    /** The event stream of {@code config} in delivery order. */
    public static Stream<FraudEvent> stream(FraudSimulationConfig config) {
        return new FraudSimulator(config).stream();
    }

    public FraudSimulationConfig config() {
        return world.config;
    }

    /** Every customer, in account order; built on each call. */
    public List<Customer> customers() {
        AccountProfile[] accounts = world.accounts;
        return new AbstractList<>() {
            @Override
            public Customer get(int index) {
                return accounts[index].customer();
            }

            @Override
            public int size() {
                return accounts.length;
            }
        };
    }

    /** One customer; fails for an unknown account id. */
    public Customer customer(String accountId) {
        checkNotNull(accountId, "accountId");
        int index = -1;
        if (accountId.length() > 1 && accountId.charAt(0) == 'A') {
            try {
                index = Integer.parseInt(accountId.substring(1)) - 1;
            } catch (NumberFormatException e) {
                index = -1;
            }
        }
        if (index < 0 || index >= world.accounts.length || !world.accounts[index].accountId.equals(accountId)) {
            throw new IllegalArgumentException("unknown account " + accountId);
        }
        return world.accounts[index].customer();
    }

    /** Every planned fraud episode, by start. */
    public List<FraudEpisode> episodes() {
        return world.plan.episodes();
    }

    /** Expected legitimate transactions per day outside the holiday season. */
    public double expectedDailyTransactions() {
        return world.dailyTransactions;
    }

    /** The fraud team that reviews what the pipeline flags, consistent with the simulation's labels. */
    public Investigators investigators() {
        return Investigators.of(world.config);
    }

    /** The whole event stream in delivery order; each call starts again from the beginning. */
    @Override
    public EventIterator iterator() {
        return new EventIterator();
    }

    /** The event stream as a sequential {@link Stream}. */
    public Stream<FraudEvent> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
                false);
    }

    /**
     * K-way merge of the accounts' delivery-ordered streams; ties go to the earlier event, then the lower account.
     * Reports how many generated events wait inside it, which stays small whatever the duration.
     */
    public final class EventIterator implements Iterator<FraudEvent> {
        private final AccountEventSource.Scratch scratch = new AccountEventSource.Scratch();
        private final PriorityQueue<AccountEventSource> heads;

        EventIterator() {
            heads = new PriorityQueue<>(Math.max(1, world.accounts.length), AccountEventSource::compareHeads);
            for (AccountProfile profile : world.accounts) {
                AccountEventSource source = new AccountEventSource(world, profile, scratch);
                if (source.advance()) {
                    heads.add(source);
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heads.isEmpty();
        }

        @Override
        public FraudEvent next() {
            AccountEventSource source = heads.poll();
            if (source == null) {
                throw new NoSuchElementException();
            }
            FraudEvent event = source.poll();
            if (source.advance()) {
                heads.add(source);
            }
            return event;
        }

        /** Events generated but not yet returned. */
        public long bufferedEvents() {
            return scratch.buffered;
        }

        /** The most events that were ever buffered at once during this iteration. */
        public long maxBufferedEvents() {
            return scratch.maxBuffered;
        }
    }
}
