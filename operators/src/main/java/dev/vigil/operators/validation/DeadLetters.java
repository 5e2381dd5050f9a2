package dev.vigil.operators.validation;

import dev.vigil.schema.common.DeadLetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds {@link DeadLetter} records for any pipeline and stage. {@code pipeline}, {@code stage}, {@code reason} and
 * {@code rejectedAt} are required; source coordinates and the original bytes are optional.
 *
 * <pre>{@code
 * DeadLetter dl = DeadLetters.builder("icu", DeadLetters.STAGE_VALIDATE)
 *         .rejection(validated.rejection())
 *         .source(record.topic(), record.partition(), record.offset(), record.timestamp())
 *         .original(record.key(), record.value())
 *         .rejectedAt(now)
 *         .build();
 * }</pre>
 *
 * <p>The detail must never carry patient identifiers or payload values (the original bytes are kept for reprocessing
 * and are access-controlled with the topic).
 */
public final class DeadLetters {

    public static final String STAGE_DECODE = "decode";
    public static final String STAGE_VALIDATE = "validate";
    public static final String STAGE_FEATURES = "features";

    private DeadLetters() {}

    public static Builder builder(String pipeline, String stage) {
        return new Builder(pipeline, stage);
    }

    /** UTF-8 bytes of a record key (Vigil keys every topic by entity id), or null. */
    public static byte[] keyBytes(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** Avro binary (no framing, as on Vigil's topics) of a generated record. */
    public static byte[] avroBytes(SpecificRecord record) {
        Objects.requireNonNull(record, "record");
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + record.getSchema().getFullName(), e);
        }
    }

    /** Builder for one dead letter; {@link #build()} checks the required fields. */
    public static final class Builder {
        private final String pipeline;
        private final String stage;
        private String reason;
        private String detail = "";
        private String sourceTopic;
        private Integer sourcePartition;
        private Long sourceOffset;
        private Instant sourceTimestamp;
        private Instant rejectedAt;
        private ByteBuffer originalKey;
        private ByteBuffer originalValue;

        private Builder(String pipeline, String stage) {
            this.pipeline = pipeline;
            this.stage = stage;
        }

        /** A reason code from {@link ReasonCodes} (or a pipeline's own stable code). */
        public Builder reason(String reasonCode) {
            this.reason = reasonCode;
            return this;
        }

        /** Human-readable detail, without identifiers or values. */
        public Builder detail(String detail) {
            this.detail = detail == null ? "" : detail;
            return this;
        }

        public Builder rejection(Rejection rejection) {
            return reason(rejection.reasonCode()).detail(rejection.detail());
        }

        /** Where the record came from; a negative partition, offset or timestamp is recorded as unknown (null). */
        public Builder source(String topic, int partition, long offset, long timestampMillis) {
            this.sourceTopic = topic;
            this.sourcePartition = partition < 0 ? null : partition;
            this.sourceOffset = offset < 0 ? null : offset;
            this.sourceTimestamp = timestampMillis < 0 ? null : Instant.ofEpochMilli(timestampMillis);
            return this;
        }

        /** The record's original key and value bytes, either may be null. The arrays are copied. */
        public Builder original(byte[] key, byte[] value) {
            this.originalKey = key == null ? null : ByteBuffer.wrap(key.clone());
            this.originalValue = value == null ? null : ByteBuffer.wrap(value.clone());
            return this;
        }

        public Builder rejectedAt(long epochMillis) {
            this.rejectedAt = Instant.ofEpochMilli(epochMillis);
            return this;
        }

        public DeadLetter build() {
            requireText(pipeline, "pipeline");
            requireText(stage, "stage");
            requireText(reason, "reason");
            if (rejectedAt == null) {
                throw new IllegalStateException("rejectedAt is required");
            }
            return new DeadLetter(
                    pipeline,
                    stage,
                    reason,
                    detail,
                    sourceTopic,
                    sourcePartition,
                    sourceOffset,
                    sourceTimestamp,
                    rejectedAt,
                    originalKey,
                    originalValue);
        }

        private static void requireText(String s, String name) {
            if (s == null || s.isBlank()) {
                throw new IllegalStateException(name + " is required");
            }
        }
    }
}
