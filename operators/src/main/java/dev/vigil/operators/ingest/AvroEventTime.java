package dev.vigil.operators.ingest;

import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.operators.kafka.AvroDecodeException;
import dev.vigil.operators.kafka.RawRecord;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Event time of a raw Kafka record, read from its Avro payload, for the {@code WatermarkStrategy} given to {@code
 * env.fromSource}: watermarks are then generated per Kafka partition inside the source, as Flink intends, instead of
 * per subtask after decoding. The difference matters: a consumer that catches up on a backlog fetches large batches
 * from one partition, then from the next, so a watermark generated after the source runs ahead by the batch span and
 * makes the other partitions' records late.
 *
 * <p>The payload is decoded here and again in {@link IngestFunction} (a decoded record cannot leave the source without
 * losing the dead-letter path for malformed bytes); decoding a vital sign takes well under a microsecond. A record
 * that does not decode, has no time, or is dated more than {@code maxFutureMillis} ahead of the clock gets {@link
 * TimestampAssigner#NO_TIMESTAMP}, so it cannot move the watermark; the ingest stage dead-letters it.
 *
 * @param <T> the topic's Avro class
 */
public final class AvroEventTime<T extends SpecificRecord> implements SerializableTimestampAssigner<RawRecord> {

    private static final long serialVersionUID = 1L;

    private final AvroCodec<T> codec;
    private final SerializableFunction<T, Instant> eventTime;
    private final long maxFutureMillis;

    public AvroEventTime(Class<T> type, SerializableFunction<T, Instant> eventTime, long maxFutureMillis) {
        this.codec = AvroCodec.of(type);
        this.eventTime = eventTime;
        this.maxFutureMillis = maxFutureMillis;
    }

    @Override
    public long extractTimestamp(RawRecord record, long kafkaTimestamp) {
        try {
            Instant t = eventTime.apply(codec.decode(record.getValue()));
            if (t == null) {
                return NO_TIMESTAMP;
            }
            long millis = t.toEpochMilli();
            return millis - System.currentTimeMillis() > maxFutureMillis ? NO_TIMESTAMP : millis;
        } catch (AvroDecodeException | RuntimeException e) {
            return NO_TIMESTAMP;
        }
    }
}
