package dev.vigil.pipelines.sim.icu;

import static org.apache.flink.util.Preconditions.checkArgument;

import dev.vigil.operators.icu.VitalSign;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.schema.icu.VitalObservation;
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
 * Seeded invalid inputs for the vitals topic, each labelled with the reason the validator must give when it sends the
 * record to the dead-letter topic. Values are Avro binary without framing, like every Vigil topic; apart from its one
 * defect every record is a plausible observation.
 *
 * <pre>{@code
 * for (BadRecord<BadRecords.Defect> bad : BadRecords.generate(7, 3)) {
 *     producer.send(new ProducerRecord<>("vigil.icu.vitals", bad.key(), bad.value()));
 * }
 * }</pre>
 */
public final class BadRecords {

    /** The defect of a bad record; {@link #name()} is the DLQ reason code. */
    public enum Defect {
        /** The bytes are not a {@code VitalObservation} in Avro binary: truncated, corrupt or empty. */
        DECODE_ERROR,
        /** The LOINC code is not one Vigil reads. */
        UNKNOWN_CODE,
        /** The value is NaN or infinite. */
        NOT_FINITE,
        /** The value is physiologically impossible (outside {@link VitalSign}'s possible range). */
        OUT_OF_RANGE,
        /** The unit cannot express the observation's vital sign. */
        UNIT_MISMATCH,
        /** A required field (the patient id) is empty or blank. */
        MISSING_FIELD
    }

    /** LOINC codes that are valid LOINC but not vitals Vigil reads, and codes that are not LOINC at all. */
    private static final String[] UNKNOWN_CODES = {"2160-0", "2345-7", "8867-X", "99999-9", "HR", "8867"};

    private static final double[] NOT_FINITE = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    private BadRecords() {}

    /**
     * Generates {@code perDefect} bad records of every {@link Defect}, grouped by defect in declaration order; the same
     * seed gives the same bytes.
     */
    public static List<BadRecord<Defect>> generate(long seed, int perDefect) {
        checkArgument(perDefect > 0, "perDefect must be positive: %s", perDefect);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed ^ 0xBADL));
        List<BadRecord<Defect>> out = new ArrayList<>(perDefect * Defect.values().length);
        for (Defect defect : Defect.values()) {
            for (int i = 0; i < perDefect; i++) {
                out.add(generate(defect, i, rng));
            }
        }
        return out;
    }

    private static BadRecord<Defect> generate(Defect defect, int variant, SplittableRandom rng) {
        String patientId = String.format("P%06d", 1 + rng.nextInt(999_999));
        VitalObservation valid = validObservation(patientId, rng);
        switch (defect) {
            case DECODE_ERROR:
                return decodeError(patientId, valid, variant, rng);
            case UNKNOWN_CODE:
                {
                    String code = UNKNOWN_CODES[variant % UNKNOWN_CODES.length];
                    valid.setLoincCode(code);
                    return bad(patientId, valid, defect, "LOINC code " + code + " is not a vital Vigil reads");
                }
            case NOT_FINITE:
                valid.setValue(NOT_FINITE[variant % NOT_FINITE.length]);
                return bad(patientId, valid, defect, valid.getLoincCode() + " value " + valid.getValue());
            case OUT_OF_RANGE:
                return outOfRange(patientId, valid, variant);
            case UNIT_MISMATCH:
                return unitMismatch(patientId, valid, variant);
            case MISSING_FIELD:
                {
                    String blank = variant % 2 == 0 ? "" : "  ";
                    valid.setPatientId(blank);
                    return bad(blank, valid, defect, "patient id is '" + blank + "'");
                }
            default:
                throw new IllegalStateException("unhandled defect " + defect);
        }
    }

    private static VitalObservation validObservation(String patientId, SplittableRandom rng) {
        long when = IcuSimulationConfig.DEFAULT_START.toEpochMilli() + rng.nextLong(48 * 3_600_000L);
        return new VitalObservation(
                patientId,
                "E" + (1_000_000 + rng.nextInt(8_000_000)),
                VitalSign.HEART_RATE.loinc(),
                (double) (60 + rng.nextInt(40)),
                VitalSign.HEART_RATE.unit(),
                Instant.ofEpochMilli(when),
                "monitor");
    }

    private static BadRecord<Defect> decodeError(
            String key, VitalObservation valid, int variant, SplittableRandom rng) {
        return BadRecord.undecodable(key, encode(valid), Defect.DECODE_ERROR, variant, rng, BadRecords::decodes);
    }

    private static BadRecord<Defect> outOfRange(String key, VitalObservation valid, int variant) {
        VitalSign sign;
        double value;
        switch (variant % 5) {
            case 0:
                sign = VitalSign.SPO2;
                value = 130;
                break;
            case 1:
                sign = VitalSign.HEART_RATE;
                value = 900;
                break;
            case 2:
                sign = VitalSign.TEMPERATURE;
                value = 51.5;
                break;
            case 3:
                sign = VitalSign.RESPIRATORY_RATE;
                value = -4;
                break;
            default:
                sign = VitalSign.SYSTOLIC_BP;
                value = 420;
                break;
        }
        valid.setLoincCode(sign.loinc());
        valid.setUnit(sign.unit());
        valid.setValue(value);
        return bad(key, valid, Defect.OUT_OF_RANGE, sign + " " + value + " " + sign.unit());
    }

    private static BadRecord<Defect> unitMismatch(String key, VitalObservation valid, int variant) {
        VitalSign sign;
        String unit;
        double value;
        switch (variant % 4) {
            case 0:
                sign = VitalSign.HEART_RATE;
                unit = "mm[Hg]";
                value = 82;
                break;
            case 1:
                sign = VitalSign.TEMPERATURE;
                unit = "K";
                value = 310.2;
                break;
            case 2:
                sign = VitalSign.SPO2;
                unit = "/min";
                value = 95;
                break;
            default:
                sign = VitalSign.SYSTOLIC_BP;
                unit = "kPa";
                value = 16.1;
                break;
        }
        valid.setLoincCode(sign.loinc());
        valid.setUnit(unit);
        valid.setValue(value);
        return bad(key, valid, Defect.UNIT_MISMATCH, sign + " in " + unit);
    }

    private static BadRecord<Defect> bad(String key, VitalObservation record, Defect defect, String description) {
        return new BadRecord<>(key, encode(record), defect, description);
    }

    /** Avro binary of a vital observation, no framing. */
    static byte[] encode(VitalObservation record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(96);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(VitalObservation.class).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a {@code VitalObservation} can be read from the start of the bytes (trailing bytes ignored). */
    static boolean decodes(byte[] bytes) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            new SpecificDatumReader<>(VitalObservation.class).read(null, decoder);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
