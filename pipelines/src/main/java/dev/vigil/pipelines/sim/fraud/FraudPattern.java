package dev.vigil.pipelines.sim.fraud;

/** How a fraudulent transaction came about; {@link #NONE} for a legitimate one. */
public enum FraudPattern {
    /** A legitimate transaction. */
    NONE,
    /**
     * Card testing: a bot runs stolen card numbers through one or two low-friction web merchants (donations, digital
     * goods), a burst of 3 to 9 authorisations of 5 cents to 2 euros per card within minutes, many cards in one
     * campaign from one device; half the cards are then cashed out with a few large online purchases hours to two
     * days later.
     */
    CARD_TESTING,
    /**
     * Account takeover: phished credentials used from a device the account never used, in a foreign country; an
     * optional small probe purchase, then one to four large online purchases (electronics, jewelry, money transfers)
     * within hours. Older customers are targeted more often.
     */
    ACCOUNT_TAKEOVER,
    /**
     * Compromised-merchant wave: a skimmer (fuel station, ATM, restaurant) or a web skimmer at one popular domestic
     * merchant captures the cards of 10 to 30 customers who pay there over one to four days; days later the gang
     * cashes them out elsewhere within one or two days: counterfeit cards at ATMs and shops abroad, or online.
     */
    MERCHANT_COMPROMISE,
    /**
     * The new pattern of the concept-drift scenario: stolen card details drained with 4 to 12 purchases of 5 to 30
     * euros of game credits and digital media at night (00:00-05:00 local time) over one to three nights, at one of
     * two digital-goods merchants in the cardholder's own country, from a new device. It looks like nothing before it:
     * no foreign country, no large amount, no burst.
     */
    DIGITAL_GOODS_DRAIN
}
