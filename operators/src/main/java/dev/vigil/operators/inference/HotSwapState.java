package dev.vigil.operators.inference;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * What {@link HotSwapScoringOperator} checkpoints about models: the active version and the versions announced but
 * not yet loaded (their announcements will not be replayed after a restore, since the control stream's position is
 * checkpointed too). Kept as versioned bytes ({@link SimpleVersionedSerialization}) in union list state, so after a
 * restore, also with another parallelism, every instance sees the entries of all instances and picks the newest.
 */
final class HotSwapState {

    /** The serializer of {@link Entry}s. */
    static final Serializer SERIALIZER = new Serializer();

    private HotSwapState() {}

    /** {@code entry} with its format version in front, as kept in the operator's {@code byte[]} list state. */
    static byte[] serialize(Entry entry) throws IOException {
        return SimpleVersionedSerialization.writeVersionAndSerialize(SERIALIZER, entry);
    }

    /** One model version the operator served ({@code active}) or was loading. */
    record Entry(ModelRef ref, boolean active) {}

    /**
     * Versioned binary form of an {@link Entry}. Version 1: active flag, then name, version, uri and sha-256 as
     * modified UTF-8. A later version (e.g. carrying a stage) reads version 1 too.
     */
    static final class Serializer implements SimpleVersionedSerializer<Entry> {

        static final int VERSION = 1;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(Entry entry) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(256);
            out.writeBoolean(entry.active());
            out.writeUTF(entry.ref().name());
            out.writeUTF(entry.ref().version());
            out.writeUTF(entry.ref().uri());
            out.writeUTF(entry.ref().sha256());
            return out.getCopyOfBuffer();
        }

        @Override
        public Entry deserialize(int version, byte[] serialized) throws IOException {
            if (version != VERSION) {
                throw new IOException("unknown version " + version + " of the hot-swap model state");
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            boolean active = in.readBoolean();
            ModelRef ref = new ModelRef(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF());
            return new Entry(ref, active);
        }
    }
}
