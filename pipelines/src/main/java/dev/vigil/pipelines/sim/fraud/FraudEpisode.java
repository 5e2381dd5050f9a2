package dev.vigil.pipelines.sim.fraud;

import java.time.Instant;
import java.util.List;

/**
 * One planned fraud episode: a card-testing campaign, an account takeover, a compromised-merchant wave or a
 * digital-goods drain, with its victims. Transactions of the episode carry its id in {@link TransactionTruth}.
 *
 * @param id unique per run; stable under the drift switches for episodes that start before the switch
 * @param pattern the pattern
 * @param start first transaction of the episode (for a merchant compromise: the first capture at the merchant), which
 *     may be before the run (then not emitted)
 * @param end last fraud transaction of the episode, which may be after the run (then not emitted)
 * @param merchantId the compromised merchant or the card-testing merchant; {@code null} for other patterns
 * @param deviceId the fraudsters' device for online patterns; {@code null} for counterfeit-card cash-outs
 * @param fraudCountry ISO 3166-1 alpha-2 country where the fraud is committed (merchant country), or {@code null}
 *     when it varies
 * @param cardIds the victim cards
 * @param fraudTransactions fraud transactions planned inside the run
 */
public record FraudEpisode(
        int id,
        FraudPattern pattern,
        Instant start,
        Instant end,
        String merchantId,
        String deviceId,
        String fraudCountry,
        List<String> cardIds,
        int fraudTransactions) {

    public FraudEpisode {
        cardIds = List.copyOf(cardIds);
    }
}
