package dev.vigil.operators.fraud;

/**
 * One card transaction as the fraud feature stage reads it: the job maps the Avro {@code Transaction} to this record
 * (amount in major units). A Java record is a Flink POJO in 2.x, so it travels and sits in state without Kryo.
 *
 * <p>{@code toString()} leaves out identifiers and the amount, so an event can appear in logs and assertion messages.
 *
 * @param transactionId unique per transaction; also the tie-break between transactions of one account at one instant
 * @param accountId the key of the feature state
 * @param cardId the card used (an account may hold several)
 * @param eventTimeMillis authorisation time, epoch ms: the event time; the job's timestamp assigner must use it
 * @param amount amount in major units of {@code currency}, finite and {@code >= 0}
 * @param currency ISO 4217 code; not used by the features (amounts of one account are assumed to share a currency)
 * @param merchantId the merchant (acceptor) id
 * @param mcc ISO 18245 merchant category code, e.g. {@code 5411} (the Avro string parsed; {@code -1} when it is not a
 *     number, which gets the table's default risk)
 * @param merchantCountry ISO 3166 code of the merchant
 * @param channel the Avro {@code Channel} symbol ({@code CARD_PRESENT}, {@code CONTACTLESS}, {@code ECOMMERCE},
 *     {@code ATM}, {@code MAIL_PHONE}, {@code UNKNOWN}); see {@link FraudFeatures#isCardNotPresent}
 * @param deviceId the device fingerprint for card-not-present transactions, or {@code null}
 * @param homeCountry ISO 3166 code of the country where the account holder lives
 * @param ingestTimeMillis Kafka timestamp of the record, where end-to-end latency starts; {@code -1} when unknown
 */
public record TransactionEvent(
        String transactionId,
        String accountId,
        String cardId,
        long eventTimeMillis,
        double amount,
        String currency,
        String merchantId,
        int mcc,
        String merchantCountry,
        String channel,
        String deviceId,
        String homeCountry,
        long ingestTimeMillis) {

    /** The name of the first required field that is null or blank, or {@code null} when all are present. */
    public String missingField() {
        if (blank(transactionId)) {
            return "transactionId";
        }
        if (blank(accountId)) {
            return "accountId";
        }
        if (blank(cardId)) {
            return "cardId";
        }
        if (blank(merchantId)) {
            return "merchantId";
        }
        if (blank(merchantCountry)) {
            return "merchantCountry";
        }
        if (blank(homeCountry)) {
            return "homeCountry";
        }
        return null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Override
    public String toString() {
        return "TransactionEvent[eventTime=" + eventTimeMillis + ", mcc=" + mcc + ", channel=" + channel + "]";
    }
}
