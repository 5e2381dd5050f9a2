package dev.vigil.pipelines.fraud;

import dev.vigil.operators.ingest.RecordValidator;
import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.operators.validation.Validated;
import dev.vigil.schema.fraud.Chargeback;
import dev.vigil.schema.fraud.InvestigatorFeedback;
import dev.vigil.schema.fraud.Transaction;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The fraud job's ingest checks: what a record must satisfy to be processed; anything else goes to the dead-letter
 * topic with the reason code. Details name the field, never its value or an identifier.
 */
final class FraudRecordValidators {

    /** Largest valid amount in minor units: one million euros. */
    static final long MAX_AMOUNT_MINOR = 100_000_000L;

    /** Event times before this are rejected as {@link ReasonCodes#INVALID_TIME}. */
    static final Instant MIN_EVENT_TIME = Instant.parse("2000-01-01T00:00:00Z");

    /** Event times further ahead of the clock than this are rejected (and cannot move watermarks). */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private static final Pattern MCC = Pattern.compile("[0-9]{4}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    private FraudRecordValidators() {}

    /**
     * A transaction: non-blank transaction, account, card and merchant ids ({@code MISSING_FIELD}); an event time
     * from 2000 on and at most 5 minutes ahead of the clock ({@code INVALID_TIME}); an amount in {@code [0,}
     * {@value #MAX_AMOUNT_MINOR}{@code ]} minor units ({@code OUT_OF_RANGE}); a four-digit MCC, a three-letter
     * upper-case currency and two-letter upper-case country codes ({@code UNKNOWN_CODE}).
     */
    static final class TransactionValidator implements RecordValidator<Transaction> {
        private static final long serialVersionUID = 1L;

        @Override
        public Validated<Transaction> validate(Transaction t, long nowMillis) {
            String missing = blank(t.getTransactionId()) ? "transactionId"
                    : blank(t.getAccountId()) ? "accountId"
                    : blank(t.getCardId()) ? "cardId"
                    : blank(t.getMerchantId()) ? "merchantId"
                    : null;
            if (missing != null) {
                return Validated.rejected(ReasonCodes.MISSING_FIELD, missing + " is missing or blank");
            }
            if (!validTime(t.getEventTime(), nowMillis)) {
                return Validated.rejected(ReasonCodes.INVALID_TIME,
                        "eventTime is before " + MIN_EVENT_TIME + " or more than " + MAX_CLOCK_SKEW + " ahead");
            }
            if (t.getAmountMinor() < 0 || t.getAmountMinor() > MAX_AMOUNT_MINOR) {
                return Validated.rejected(ReasonCodes.OUT_OF_RANGE,
                        "amountMinor outside [0, " + MAX_AMOUNT_MINOR + "]");
            }
            if (!matches(MCC, t.getMcc())) {
                return Validated.rejected(ReasonCodes.UNKNOWN_CODE, "mcc is not four digits");
            }
            if (!matches(CURRENCY, t.getCurrency())) {
                return Validated.rejected(ReasonCodes.UNKNOWN_CODE, "currency is not an ISO 4217 code");
            }
            String country = !matches(COUNTRY, t.getMerchantCountry()) ? "merchantCountry"
                    : !matches(COUNTRY, t.getCardCountry()) ? "cardCountry"
                    : !matches(COUNTRY, t.getHomeCountry()) ? "homeCountry"
                    : null;
            if (country != null) {
                return Validated.rejected(ReasonCodes.UNKNOWN_CODE, country + " is not an ISO 3166 alpha-2 code");
            }
            return Validated.accepted(t);
        }
    }

    /** A chargeback: non-blank transaction and account ids, both times valid. */
    static final class ChargebackValidator implements RecordValidator<Chargeback> {
        private static final long serialVersionUID = 1L;

        @Override
        public Validated<Chargeback> validate(Chargeback c, long nowMillis) {
            if (blank(c.getTransactionId()) || blank(c.getAccountId())) {
                return Validated.rejected(ReasonCodes.MISSING_FIELD, "transactionId or accountId is missing");
            }
            if (!validTime(c.getTransactionTime(), nowMillis) || !validTime(c.getReportedAt(), nowMillis)) {
                return Validated.rejected(ReasonCodes.INVALID_TIME, "transactionTime or reportedAt is invalid");
            }
            return Validated.accepted(c);
        }
    }

    /** Investigator feedback: non-blank transaction and account ids, both times valid. */
    static final class FeedbackValidator implements RecordValidator<InvestigatorFeedback> {
        private static final long serialVersionUID = 1L;

        @Override
        public Validated<InvestigatorFeedback> validate(InvestigatorFeedback f, long nowMillis) {
            if (blank(f.getTransactionId()) || blank(f.getAccountId())) {
                return Validated.rejected(ReasonCodes.MISSING_FIELD, "transactionId or accountId is missing");
            }
            if (!validTime(f.getTransactionTime(), nowMillis) || !validTime(f.getReviewedAt(), nowMillis)) {
                return Validated.rejected(ReasonCodes.INVALID_TIME, "transactionTime or reviewedAt is invalid");
            }
            return Validated.accepted(f);
        }
    }

    private static boolean validTime(Instant t, long nowMillis) {
        return t != null && !t.isBefore(MIN_EVENT_TIME) && t.toEpochMilli() - nowMillis <= MAX_CLOCK_SKEW.toMillis();
    }

    private static boolean blank(CharSequence s) {
        return s == null || s.toString().isBlank();
    }

    private static boolean matches(Pattern p, CharSequence s) {
        return s != null && p.matcher(s).matches();
    }
}
