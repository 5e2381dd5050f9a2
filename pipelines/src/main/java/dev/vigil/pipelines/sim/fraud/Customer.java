package dev.vigil.pipelines.sim.fraud;

import java.util.List;

/**
 * One simulated account holder: the attributes every transaction carries (for fairness checks) and the habits that
 * drive the simulation.
 *
 * @param accountId the account id, e.g. {@code A0000042}
 * @param cardIds the account's cards (one or two)
 * @param ageBand {@code 18-24}, {@code 25-34}, {@code 35-49}, {@code 50-64} or {@code 65+}
 * @param region {@code CAPITAL}, {@code URBAN}, {@code RURAL} or {@code BORDER}; border residents shop across the
 *     border in person, so a foreign merchant country is ordinary for them
 * @param homeCountry ISO 3166-1 alpha-2 country of residence
 * @param cardCountry ISO 3166-1 alpha-2 country that issued the cards (differs from the home country for a few)
 * @param transactionsPerDay mean transactions per day outside the holiday season, subscriptions excluded
 * @param tripsPerYear mean trips abroad per year
 */
public record Customer(
        String accountId,
        List<String> cardIds,
        String ageBand,
        String region,
        String homeCountry,
        String cardCountry,
        double transactionsPerDay,
        double tripsPerYear) {

    public Customer {
        cardIds = List.copyOf(cardIds);
    }
}
