package dev.vigil.operators.retrain;

import dev.vigil.operators.retrain.RetrainState.DriftStats;
import dev.vigil.operators.retrain.RetrainState.WindowStats;
import java.io.IOException;
import java.util.Map;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The explicit serializer of a {@link RetrainState} in keyed state: a format byte, then every field in a fixed order.
 * A later format adds a byte value and keeps reading this one.
 */
public final class RetrainStateSerializer extends TypeSerializerSingleton<RetrainState> {

    private static final long serialVersionUID = 1L;

    public static final RetrainStateSerializer INSTANCE = new RetrainStateSerializer();

    private static final byte FORMAT = 1;

    private RetrainStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RetrainState createInstance() {
        return new RetrainState();
    }

    @Override
    public RetrainState copy(RetrainState from) {
        RetrainState s = new RetrainState();
        s.pipeline = from.pipeline;
        for (Map.Entry<Long, WindowStats> e : from.windows.entrySet()) {
            WindowStats w = e.getValue();
            WindowStats c = new WindowStats();
            c.labelled = w.labelled;
            c.positives = w.positives;
            c.version = w.version;
            c.scored = w.scored;
            c.lossSum = w.lossSum;
            c.errors = w.errors;
            s.windows.put(e.getKey(), c);
        }
        for (Map.Entry<Long, DriftStats> e : from.drifts.entrySet()) {
            DriftStats c = new DriftStats();
            c.addAll(e.getValue());
            s.drifts.put(e.getKey(), c);
        }
        s.watchedVersion = from.watchedVersion;
        s.baseline = from.baseline;
        s.baselineWindowEnd = from.baselineWindowEnd;
        s.lastRequestWindowEnd = from.lastRequestWindowEnd;
        s.windowsSinceRequest = from.windowsSinceRequest;
        s.closedUpTo = from.closedUpTo;
        return s;
    }

    @Override
    public RetrainState copy(RetrainState from, RetrainState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RetrainState s, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        out.writeUTF(s.pipeline);
        out.writeInt(s.windows.size());
        for (Map.Entry<Long, WindowStats> e : s.windows.entrySet()) {
            WindowStats w = e.getValue();
            out.writeLong(e.getKey());
            out.writeLong(w.labelled);
            out.writeLong(w.positives);
            writeNullable(out, w.version);
            out.writeLong(w.scored);
            out.writeDouble(w.lossSum);
            out.writeLong(w.errors);
        }
        out.writeInt(s.drifts.size());
        for (Map.Entry<Long, DriftStats> e : s.drifts.entrySet()) {
            DriftStats d = e.getValue();
            out.writeLong(e.getKey());
            out.writeInt(d.count);
            out.writeLong(d.firstTime);
            out.writeInt(d.signals.size());
            for (String signal : d.signals) {
                out.writeUTF(signal);
            }
        }
        writeNullable(out, s.watchedVersion);
        out.writeDouble(s.baseline);
        out.writeLong(s.baselineWindowEnd);
        out.writeLong(s.lastRequestWindowEnd);
        out.writeInt(s.windowsSinceRequest);
        out.writeLong(s.closedUpTo);
    }

    @Override
    public RetrainState deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT) {
            throw new IOException("unknown retrain state format " + format);
        }
        RetrainState s = new RetrainState();
        s.pipeline = in.readUTF();
        int windows = in.readInt();
        for (int i = 0; i < windows; i++) {
            long start = in.readLong();
            WindowStats w = new WindowStats();
            w.labelled = in.readLong();
            w.positives = in.readLong();
            w.version = readNullable(in);
            w.scored = in.readLong();
            w.lossSum = in.readDouble();
            w.errors = in.readLong();
            s.windows.put(start, w);
        }
        int drifts = in.readInt();
        for (int i = 0; i < drifts; i++) {
            long start = in.readLong();
            DriftStats d = new DriftStats();
            d.count = in.readInt();
            d.firstTime = in.readLong();
            int signals = in.readInt();
            for (int j = 0; j < signals; j++) {
                d.signals.add(in.readUTF());
            }
            s.drifts.put(start, d);
        }
        s.watchedVersion = readNullable(in);
        s.baseline = in.readDouble();
        s.baselineWindowEnd = in.readLong();
        s.lastRequestWindowEnd = in.readLong();
        s.windowsSinceRequest = in.readInt();
        s.closedUpTo = in.readLong();
        return s;
    }

    @Override
    public RetrainState deserialize(RetrainState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<RetrainState> snapshotConfiguration() {
        return new Snapshot();
    }

    private static void writeNullable(DataOutputView out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** The serializer's snapshot, written into checkpoints; restores {@link #INSTANCE}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RetrainState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
