package dev.vigil.pipelines.fraud;

import dev.vigil.operators.ingest.AvroEventTime;
import dev.vigil.operators.ingest.RecordValidator;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.RawRecord;
import java.time.Instant;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Event time of a raw Kafka record, like {@link AvroEventTime}, but only for records the ingest stage will accept: a
 * record its validator rejects gets {@code NO_TIMESTAMP}, so it cannot move the partition's watermark. Otherwise a
 * malformed record with a plausible but wrong time (an amount out of range, dated a week ahead of the stream) would
 * push the watermark past the valid records behind it, and the feature stage would reject those as late. The ingest
 * stage still dead-letters the record; the validator runs twice per record, as the decoder does.
 *
 * @param <T> the topic's Avro class
 */
final class ValidatedEventTime<T extends SpecificRecord> implements SerializableTimestampAssigner<RawRecord> {

    private static final long serialVersionUID = 1L;

    private final AvroCodec<T> codec;
    private final RecordValidator<T> validator;
    private final SerializableFunction<T, Instant> eventTime;

    ValidatedEventTime(Class<T> type, RecordValidator<T> validator, SerializableFunction<T, Instant> eventTime) {
        this.codec = AvroCodec.of(type);
        this.validator = Objects.requireNonNull(validator, "validator");
        this.eventTime = Objects.requireNonNull(eventTime, "eventTime");
    }

    @Override
    public long extractTimestamp(RawRecord record, long kafkaTimestamp) {
        try {
            T value = codec.decode(record.getValue());
            if (!validator.validate(value, System.currentTimeMillis()).isAccepted()) {
                return NO_TIMESTAMP;
            }
            Instant t = eventTime.apply(value);
            return t == null ? NO_TIMESTAMP : t.toEpochMilli();
        } catch (Exception e) {
            return NO_TIMESTAMP;
        }
    }
}
