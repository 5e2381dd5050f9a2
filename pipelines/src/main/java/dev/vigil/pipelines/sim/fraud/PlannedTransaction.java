package dev.vigil.pipelines.sim.fraud;

import dev.vigil.schema.fraud.Channel;

/**
 * A transaction fixed by the fraud plan rather than drawn from the customer's habits: a fraud transaction, or the
 * legitimate payment at which a compromised merchant captured the card.
 *
 * @param counterfeit a counterfeit (skimmed) card used in person, which determines the chargeback reason code
 */
record PlannedTransaction(
        long timeMillis,
        int cardSlot,
        int merchant,
        long amountMinor,
        Channel channel,
        String deviceId,
        boolean fraud,
        FraudPattern pattern,
        int episodeId,
        boolean counterfeit) {}
