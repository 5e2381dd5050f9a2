package dev.vigil.operators.ingest;

import java.util.Objects;

/**
 * A decoded, validated input record together with where and when it entered Vigil: its Kafka coordinates (so a later
 * stage can still dead-letter it with its source offsets) and its Kafka timestamp (the start of end-to-end latency).
 * A Flink POJO; use {@link #typeInfo} for a concrete {@code T}.
 *
 * @param <T> the record type, an Avro generated class
 */
public class Ingested<T> {

    public T value;
    public String topic;
    public int partition;
    public long offset;
    /** Kafka record timestamp (producer create time or broker append time), epoch millis. */
    public long ingestTime;

    public Ingested() {}

    public Ingested(T value, String topic, int partition, long offset, long ingestTime) {
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.ingestTime = ingestTime;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Ingested)) {
            return false;
        }
        Ingested<?> that = (Ingested<?>) o;
        return partition == that.partition
                && offset == that.offset
                && ingestTime == that.ingestTime
                && Objects.equals(value, that.value)
                && Objects.equals(topic, that.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, topic, partition, offset, ingestTime);
    }

    @Override
    public String toString() {
        // No payload: records hold patient data.
        return "Ingested{" + topic + "-" + partition + "@" + offset + "}";
    }
}
