package dev.vigil.pipelines.sim.fraud;

import java.util.SplittableRandom;

/** Everything the per-account generators share: immutable once built, so every iteration replays the same stream. */
final class World {
    final FraudSimulationConfig config;
    final long seed;
    final long startMillis;
    final long endMillis;
    /** Start of the holiday season, or MAX_VALUE. */
    final long holidayAtMillis;
    final Merchants merchants;
    final AccountProfile[] accounts;
    final FraudPlanner.Plan plan;
    final Labels labels;
    /** Expected legitimate transactions per day outside the season, subscriptions included. */
    final double dailyTransactions;

    World(FraudSimulationConfig config) {
        this.config = config;
        this.seed = config.seed();
        this.startMillis = config.start().toEpochMilli();
        this.endMillis = config.end().toEpochMilli();
        this.holidayAtMillis =
                config.holidaySeasonAt() == null ? Long.MAX_VALUE : config.holidaySeasonAt().toEpochMilli();
        this.merchants = new Merchants(config.accounts());
        this.accounts = new AccountProfile[config.accounts()];
        double daily = 0;
        for (int i = 0; i < accounts.length; i++) {
            AccountProfile p =
                    new AccountProfile(
                            i, new SplittableRandom(Seeds.derive(seed, Seeds.PROFILE, i)), merchants);
            accounts[i] = p;
            daily += p.transactionsPerDay + p.subscriptions.length * 12 / 365.2425;
        }
        this.dailyTransactions = daily;
        this.plan = FraudPlanner.plan(config, accounts, merchants, daily);
        this.labels = new Labels(config);
    }
}
