package dev.vigil.operators.kafka;

import java.util.Arrays;
import java.util.Objects;

/**
 * One Kafka record exactly as it was read: coordinates, timestamp and the undecoded key and value bytes.
 *
 * <p>Vigil's sources emit raw records so that decoding happens in an operator, where a malformed payload becomes a
 * dead letter (with these coordinates) instead of failing the job inside the source.
 *
 * <p>A Flink POJO (public no-argument constructor, getters and setters), so it is serialized by the POJO
 * serializer, not Kryo. {@link #toString()} never prints the payload: keys are patient ids.
 */
public class RawRecord {

    private String topic;
    private int partition;
    private long offset;
    private long timestamp;
    private byte[] key;
    private byte[] value;

    /** For Flink's POJO serializer. */
    public RawRecord() {}

    public RawRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.key = key;
        this.value = value;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public int getPartition() {
        return partition;
    }

    public void setPartition(int partition) {
        this.partition = partition;
    }

    public long getOffset() {
        return offset;
    }

    public void setOffset(long offset) {
        this.offset = offset;
    }

    /** Kafka record timestamp in epoch milliseconds (create or log-append time, as the topic is configured). */
    public long getTimestamp() {
        return timestamp;
    }

    public void setTimestamp(long timestamp) {
        this.timestamp = timestamp;
    }

    /** The key bytes, or {@code null} for a record without a key. */
    public byte[] getKey() {
        return key;
    }

    public void setKey(byte[] key) {
        this.key = key;
    }

    /** The value bytes, or {@code null} for a tombstone. */
    public byte[] getValue() {
        return value;
    }

    public void setValue(byte[] value) {
        this.value = value;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RawRecord)) {
            return false;
        }
        RawRecord that = (RawRecord) o;
        return partition == that.partition
                && offset == that.offset
                && timestamp == that.timestamp
                && Objects.equals(topic, that.topic)
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        int result = Objects.hash(topic, partition, offset, timestamp);
        result = 31 * result + Arrays.hashCode(key);
        return 31 * result + Arrays.hashCode(value);
    }

    /** Coordinates and sizes only: the payload may carry patient identifiers. */
    @Override
    public String toString() {
        return "RawRecord{"
                + topic
                + '-'
                + partition
                + '@'
                + offset
                + ", timestamp="
                + timestamp
                + ", keyBytes="
                + (key == null ? "null" : key.length)
                + ", valueBytes="
                + (value == null ? "null" : value.length)
                + '}';
    }
}
