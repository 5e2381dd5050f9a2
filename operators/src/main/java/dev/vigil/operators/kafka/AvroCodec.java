package dev.vigil.operators.kafka;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.Preconditions;

/**
 * Avro binary (no framing, writer schema = the generated class's schema) to and from one generated class: the
 * format of every Vigil topic.
 *
 * <pre>{@code
 * AvroCodec<VitalObservation> vitals = AvroCodec.of(VitalObservation.class);
 * byte[] bytes = vitals.encode(observation);
 * try {
 *     VitalObservation back = vitals.decode(bytes);
 * } catch (AvroDecodeException e) {
 *     // dead letter: e.reason() says what was wrong
 * }
 * }</pre>
 *
 * <p>{@link #decode} throws nothing but {@link AvroDecodeException} for bad input: whatever Avro throws on truncated
 * or garbage bytes is wrapped, and bytes left over after the datum are rejected too (a record written with another
 * schema often decodes "successfully" into nonsense and leaves bytes behind). Avro 1.12 checks length prefixes and
 * element counts against the bytes actually available before allocating, so a bogus huge length costs nothing.
 *
 * <p>Serializable, so an operator can hold one as a field; the reader, writer, decoder, encoder and output buffer
 * are created on first use and reused. Not thread-safe: one instance per operator instance (Flink deserializes a
 * copy per subtask).
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    private transient Schema schema;
    private transient SpecificDatumReader<T> reader;
    private transient SpecificDatumWriter<T> writer;
    private transient BinaryDecoder decoder;
    private transient BinaryEncoder encoder;
    private transient ByteArrayOutputStream out;

    private AvroCodec(Class<T> type) {
        this.type = Preconditions.checkNotNull(type, "type");
        // Fail at job construction, not on the first record, if this is not a generated class.
        SpecificData.get().getSchema(type);
    }

    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type);
    }

    public Class<T> type() {
        return type;
    }

    public Schema schema() {
        init();
        return schema;
    }

    /**
     * Decodes one datum that takes up all of {@code bytes}.
     *
     * @throws AvroDecodeException if {@code bytes} is {@code null}, truncated, has trailing bytes, or is not a datum of
     *     this schema
     */
    public T decode(byte[] bytes) throws AvroDecodeException {
        init();
        if (bytes == null) {
            throw new AvroDecodeException(schema.getFullName(), -1, "no value (null or tombstone)", null);
        }
        T record;
        int trailing;
        try {
            decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
            record = reader.read(null, decoder);
            trailing = decoder.isEnd() ? 0 : Math.max(1, decoder.inputStream().available());
        } catch (SecurityException e) {
            throw e; // Avro does not trust the class: configuration, not data (SERIALIZABLE_PACKAGES)
        } catch (IOException | RuntimeException e) {
            throw new AvroDecodeException(schema.getFullName(), bytes.length, describe(e), e);
        }
        if (trailing > 0) {
            throw new AvroDecodeException(
                    schema.getFullName(),
                    bytes.length,
                    trailing + " trailing bytes after the datum (written with another schema?)",
                    null);
        }
        return record;
    }

    /**
     * Encodes {@code record} as Avro binary.
     *
     * @throws IllegalArgumentException if the record does not match its schema (e.g. a required field is null): a
     *     bug in the producing code, not bad input
     */
    public byte[] encode(T record) {
        init();
        Preconditions.checkNotNull(record, "record");
        out.reset();
        try {
            encoder = EncoderFactory.get().binaryEncoder(out, encoder);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Cannot encode " + schema.getFullName() + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static String describe(Exception e) {
        if (e instanceof EOFException) {
            return e.getMessage() == null ? "truncated" : "truncated: " + e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private void init() {
        if (reader == null) {
            SpecificData model = SpecificData.getForClass(type);
            schema = model.getSchema(type);
            reader = new SpecificDatumReader<>(schema, schema, model);
            writer = new SpecificDatumWriter<>(schema, model);
            out = new ByteArrayOutputStream(256);
        }
    }

    @Override
    public String toString() {
        return "AvroCodec{" + type.getName() + '}';
    }
}
