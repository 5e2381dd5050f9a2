package dev.vigil.pipelines.sim.fraud;

import static org.apache.flink.util.Preconditions.checkArgument;

import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.schema.fraud.Channel;
import dev.vigil.schema.fraud.Transaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Seeded invalid inputs for the transactions topic, each labelled with the reason a validator must give when it sends
 * the record to the dead-letter topic. Values are Avro binary without framing, like every Vigil topic; apart from its
 * one defect every record is a plausible transaction.
 *
 * <p>Every transaction the {@link FraudSimulator} emits is valid by these rules: non-blank transaction, account, card
 * and merchant ids; an event time from 2000 on and not in the future; an amount in {@code [0,} {@value
 * #MAX_AMOUNT_MINOR}{@code ]} minor units (zero is a legitimate account-verification authorisation); a four-digit
 * MCC; a three-letter upper-case currency; two-letter upper-case country codes.
 *
 * <pre>{@code
 * for (BadRecord<BadTransactions.Defect> bad : BadTransactions.generate(7, 3)) {
 *     producer.send(new ProducerRecord<>("vigil.fraud.transactions", bad.key(), bad.value()));
 * }
 * }</pre>
 */
public final class BadTransactions {

    /** Largest valid amount in minor units: one million euros. */
    public static final long MAX_AMOUNT_MINOR = 100_000_000L;

    /** The defect of a bad record; {@link #name()} is the DLQ reason code. */
    public enum Defect {
        /** The bytes are not a {@code Transaction} in Avro binary: truncated, corrupt or empty. */
        DECODE_ERROR,
        /** A required id (transaction, account, card or merchant) is empty or blank. */
        MISSING_FIELD,
        /** The event time is before 2000-01-01 or far in the future. */
        INVALID_TIME,
        /** The amount is negative or above {@link #MAX_AMOUNT_MINOR}. */
        OUT_OF_RANGE,
        /** The MCC is not four digits, the currency not three upper-case letters or a country not two. */
        UNKNOWN_CODE
    }

    private static final Instant[] INVALID_TIMES = {
        Instant.EPOCH, Instant.parse("1999-12-31T23:59:59Z"), Instant.parse("2200-01-01T00:00:00Z")
    };
    private static final long[] INVALID_AMOUNTS = {-500, -1, 2_500_000_000L};

    private BadTransactions() {}

    /**
     * Generates {@code perDefect} bad records of every {@link Defect}, grouped by defect in declaration order; the same
     * seed gives the same bytes.
     */
    public static List<BadRecord<Defect>> generate(long seed, int perDefect) {
        checkArgument(perDefect > 0, "perDefect must be positive: %s", perDefect);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed ^ Seeds.BAD));
        List<BadRecord<Defect>> out = new ArrayList<>(perDefect * Defect.values().length);
        for (Defect defect : Defect.values()) {
            for (int i = 0; i < perDefect; i++) {
                out.add(generate(defect, i, rng));
            }
        }
        return out;
    }

    private static BadRecord<Defect> generate(Defect defect, int variant, SplittableRandom rng) {
        Transaction valid = validTransaction(rng);
        String key = valid.getAccountId();
        switch (defect) {
            case DECODE_ERROR:
                return decodeError(key, valid, variant, rng);
            case MISSING_FIELD:
                {
                    String blank = variant % 2 == 0 ? "" : "  ";
                    switch (variant % 4) {
                        case 0 -> valid.setTransactionId(blank);
                        case 1 -> {
                            valid.setAccountId(blank);
                            key = blank;
                        }
                        case 2 -> valid.setCardId(blank);
                        default -> valid.setMerchantId(blank);
                    }
                    String field = new String[] {"transactionId", "accountId", "cardId", "merchantId"}[variant % 4];
                    return bad(key, valid, defect, field + " is '" + blank + "'");
                }
            case INVALID_TIME:
                valid.setEventTime(INVALID_TIMES[variant % INVALID_TIMES.length]);
                return bad(key, valid, defect, "eventTime " + valid.getEventTime());
            case OUT_OF_RANGE:
                valid.setAmountMinor(INVALID_AMOUNTS[variant % INVALID_AMOUNTS.length]);
                return bad(key, valid, defect, "amountMinor " + valid.getAmountMinor());
            case UNKNOWN_CODE:
                switch (variant % 5) {
                    case 0 -> valid.setMcc("541");
                    case 1 -> valid.setMcc("ABCD");
                    case 2 -> valid.setCurrency("EURO");
                    case 3 -> valid.setCurrency("eur");
                    default -> valid.setMerchantCountry("NLD");
                }
                return bad(key, valid, defect, "mcc " + valid.getMcc() + ", currency " + valid.getCurrency()
                        + ", merchant country " + valid.getMerchantCountry());
            default:
                throw new IllegalStateException("unhandled defect " + defect);
        }
    }

    private static Transaction validTransaction(SplittableRandom rng) {
        int account = rng.nextInt(1_000_000);
        long when = FraudSimulationConfig.DEFAULT_START.toEpochMilli() + rng.nextLong(14 * AccountProfile.DAY);
        Category category = Category.ALL[rng.nextInt(Category.COUNT)];
        return new Transaction(
                Ids.transaction(rng.nextLong(), rng.nextLong()),
                Ids.account(account),
                Ids.card(account, 0),
                Instant.ofEpochMilli(when),
                100L + rng.nextInt(10_000),
                AccountEventSource.CURRENCY,
                Ids.merchant(rng.nextInt(50_000)),
                category.mcc,
                "NL",
                Channel.CARD_PRESENT,
                null,
                "NL",
                "NL",
                AccountProfile.AGE_BANDS[rng.nextInt(AccountProfile.AGE_BANDS.length)],
                AccountProfile.REGIONS[rng.nextInt(AccountProfile.REGIONS.length)]);
    }

    private static BadRecord<Defect> decodeError(String key, Transaction valid, int variant, SplittableRandom rng) {
        return BadRecord.undecodable(key, encode(valid), Defect.DECODE_ERROR, variant, rng, BadTransactions::decodes);
    }

    private static BadRecord<Defect> bad(String key, Transaction record, Defect defect, String description) {
        return new BadRecord<>(key, encode(record), defect, description);
    }

    /** Avro binary of a transaction, no framing. */
    static byte[] encode(Transaction record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(160);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(Transaction.class).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a {@code Transaction} can be read from the start of the bytes (trailing bytes ignored). */
    static boolean decodes(byte[] bytes) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            new SpecificDatumReader<>(Transaction.class).read(null, decoder);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
