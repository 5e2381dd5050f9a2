package dev.vigil.operators.monitor;

import dev.vigil.operators.fairness.GroupFairness;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of a {@link FairnessPane}, so the fairness monitor's state needs neither Kryo nor Java
 * serialization. Layout (format 2): format byte, threshold, model name, its event time, model versions (count, then
 * each), groups (count, then each: name, TP, FP, TN, FN, sum of scores), then a clustered flag and, when set, per
 * group in the same order its clusters (count, then each: cluster, TP, FP, TN, FN). Groups and clusters are written in
 * ascending order, so equal panes serialize to equal bytes. Format 1 (no clusters) is still read.
 */
public final class FairnessPaneSerializer extends TypeSerializerSingleton<FairnessPane> {

    private static final long serialVersionUID = 1L;

    public static final FairnessPaneSerializer INSTANCE = new FairnessPaneSerializer();

    private static final byte FORMAT = 2;
    private static final byte FORMAT_UNCLUSTERED = 1;

    private FairnessPaneSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    /** An empty pane at threshold 0.5; state never holds empty panes, so this exists only for Flink's contract. */
    @Override
    public FairnessPane createInstance() {
        return new FairnessPane(0.5);
    }

    @Override
    public FairnessPane copy(FairnessPane from) {
        FairnessPane copy = new FairnessPane(GroupFairness.restore(from.fairness().snapshot()));
        copy.restoreModels(from.modelVersions(), from.modelName(), from.modelNameTime());
        return copy;
    }

    @Override
    public FairnessPane copy(FairnessPane from, FairnessPane reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FairnessPane pane, DataOutputView out) throws IOException {
        GroupFairness.Snapshot s = pane.fairness().snapshot();
        out.writeByte(FORMAT);
        out.writeDouble(s.threshold());
        out.writeUTF(pane.modelName());
        out.writeLong(pane.modelNameTime());
        out.writeInt(pane.modelVersions().size());
        for (String v : pane.modelVersions()) {
            out.writeUTF(v);
        }
        out.writeInt(s.counts().size());
        for (Map.Entry<String, long[]> e : s.counts().entrySet()) {
            out.writeUTF(e.getKey());
            for (long c : e.getValue()) {
                out.writeLong(c);
            }
            out.writeDouble(s.sumScores().get(e.getKey()));
        }
        out.writeBoolean(s.clusters() != null);
        if (s.clusters() != null) {
            for (String group : s.counts().keySet()) {
                Map<Long, long[]> clusters = s.clusters().get(group);
                out.writeInt(clusters.size());
                for (Map.Entry<Long, long[]> c : clusters.entrySet()) {
                    out.writeLong(c.getKey());
                    for (long v : c.getValue()) {
                        out.writeLong(v);
                    }
                }
            }
        }
    }

    @Override
    public FairnessPane deserialize(DataInputView in) throws IOException {
        byte format = in.readByte();
        if (format != FORMAT && format != FORMAT_UNCLUSTERED) {
            throw new IOException("unknown fairness pane format " + format);
        }
        double threshold = in.readDouble();
        String modelName = in.readUTF();
        long modelNameTime = in.readLong();
        int versions = in.readInt();
        List<String> modelVersions = new ArrayList<>(versions);
        for (int i = 0; i < versions; i++) {
            modelVersions.add(in.readUTF());
        }
        int groups = in.readInt();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Double> sums = new TreeMap<>();
        for (int i = 0; i < groups; i++) {
            String group = in.readUTF();
            long[] c = new long[4];
            for (int j = 0; j < 4; j++) {
                c[j] = in.readLong();
            }
            counts.put(group, c);
            sums.put(group, in.readDouble());
        }
        Map<String, Map<Long, long[]>> clusters = null;
        if (format == FORMAT && in.readBoolean()) {
            clusters = new TreeMap<>();
            for (String group : counts.keySet()) {
                int n = in.readInt();
                Map<Long, long[]> groupClusters = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    long cluster = in.readLong();
                    long[] c = new long[4];
                    for (int j = 0; j < 4; j++) {
                        c[j] = in.readLong();
                    }
                    groupClusters.put(cluster, c);
                }
                clusters.put(group, groupClusters);
            }
        }
        FairnessPane pane = new FairnessPane(
                GroupFairness.restore(new GroupFairness.Snapshot(threshold, counts, sums, clusters)));
        pane.restoreModels(modelVersions, modelName, modelNameTime);
        return pane;
    }

    @Override
    public FairnessPane deserialize(FairnessPane reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<FairnessPane> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The serializer's snapshot, written into checkpoints; restores {@link #INSTANCE}. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<FairnessPane> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
