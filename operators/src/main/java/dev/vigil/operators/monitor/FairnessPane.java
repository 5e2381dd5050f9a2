package dev.vigil.operators.monitor;

import dev.vigil.operators.fairness.GroupFairness;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The accumulator of one (pipeline, attribute) over one pane of the sliding windows (a slide-long stretch of event
 * time): the {@link GroupFairness} counts of its examples and the models that scored them. A window's report merges
 * its panes, so each example is counted once however many windows it falls into. Serialized by {@link
 * FairnessPaneSerializer}. Not thread-safe.
 *
 * <p><b>Order-independent sums.</b> Scores are rounded to multiples of 2<sup>-32</sup> before they are added
 * (keeping the side of the threshold they were on). Sums of such numbers are exact in a {@code double} up to
 * 2<sup>21</sup> examples per group and window, so a group's mean score is the same bits whatever the order the
 * examples arrived in and however panes are merged: a replay reproduces every report exactly. The rounding moves a
 * score by at most 2<sup>-33</sup> (about 1e-10).
 */
public final class FairnessPane {

    private static final double GRID = 0x1p32;

    private final GroupFairness fairness;
    private final TreeSet<String> modelVersions = new TreeSet<>();
    private String modelName = "";
    private long modelNameTime = Long.MIN_VALUE;

    public FairnessPane(double threshold) {
        this(threshold, false);
    }

    /** An empty pane; {@code clustered}: counts are also kept per cluster ({@link FairnessObservation#cluster}). */
    public FairnessPane(double threshold, boolean clustered) {
        this(clustered ? GroupFairness.clustered(threshold) : new GroupFairness(threshold));
    }

    FairnessPane(GroupFairness fairness) {
        this.fairness = Objects.requireNonNull(fairness, "fairness");
    }

    /** Adds one observation. */
    public void add(FairnessObservation o) {
        double score = quantize(o.score, fairness.threshold());
        if (fairness.isClustered()) {
            fairness.add(o.group, score, o.label, o.cluster);
        } else {
            fairness.add(o.group, score, o.label);
        }
        modelVersions.add(o.modelVersion == null ? "" : o.modelVersion);
        noteModel(o.modelName == null ? "" : o.modelName, o.eventTime);
    }

    /** Adds all of {@code other}'s examples (same threshold); {@code other} is unchanged. */
    public void merge(FairnessPane other) {
        fairness.merge(other.fairness);
        modelVersions.addAll(other.modelVersions);
        if (other.modelNameTime != Long.MIN_VALUE) {
            noteModel(other.modelName, other.modelNameTime);
        }
    }

    /**
     * {@code score} rounded to the nearest multiple of 2<sup>-32</sup>, or, when that would cross the threshold, to
     * the nearest multiple on the score's side of it.
     */
    static double quantize(double score, double threshold) {
        double q = Math.rint(score * GRID) / GRID;
        if ((q >= threshold) != (score >= threshold)) {
            double up = Math.ceil(threshold * GRID); // the smallest multiple >= threshold, in grid units
            q = (score >= threshold ? up : up - 1) / GRID;
        }
        return q;
    }

    /** Keeps the model name of the newest example; among equally new ones the greatest name, for determinism. */
    private void noteModel(String name, long time) {
        if (time > modelNameTime || (time == modelNameTime && name.compareTo(modelName) > 0)) {
            modelName = name;
            modelNameTime = time;
        }
    }

    /** The counts (live view: do not modify). */
    public GroupFairness fairness() {
        return fairness;
    }

    /** The model versions seen, sorted (unmodifiable view). */
    public SortedSet<String> modelVersions() {
        return Collections.unmodifiableSortedSet(modelVersions);
    }

    /** The model name of the newest example; empty when the pane is empty. */
    public String modelName() {
        return modelName;
    }

    /** Event time of the newest example; {@link Long#MIN_VALUE} when the pane is empty. */
    public long modelNameTime() {
        return modelNameTime;
    }

    public boolean isEmpty() {
        return fairness.isEmpty();
    }

    /** Restores the model bookkeeping (serializer use). */
    void restoreModels(Iterable<String> versions, String name, long nameTime) {
        modelVersions.clear();
        for (String v : versions) {
            modelVersions.add(v);
        }
        modelName = Objects.requireNonNull(name, "name");
        modelNameTime = nameTime;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FairnessPane that)) {
            return false;
        }
        GroupFairness.Snapshot a = fairness.snapshot();
        GroupFairness.Snapshot b = that.fairness.snapshot();
        if (Double.compare(a.threshold(), b.threshold()) != 0 || !a.sumScores().equals(b.sumScores())
                || !a.counts().keySet().equals(b.counts().keySet())) {
            return false;
        }
        for (String g : a.counts().keySet()) {
            if (!java.util.Arrays.equals(a.counts().get(g), b.counts().get(g))) {
                return false;
            }
        }
        if ((a.clusters() == null) != (b.clusters() == null)) {
            return false;
        }
        if (a.clusters() != null) {
            if (!a.clusters().keySet().equals(b.clusters().keySet())) {
                return false;
            }
            for (String g : a.clusters().keySet()) {
                Map<Long, long[]> ca = a.clusters().get(g);
                Map<Long, long[]> cb = b.clusters().get(g);
                if (!ca.keySet().equals(cb.keySet())) {
                    return false;
                }
                for (Long c : ca.keySet()) {
                    if (!java.util.Arrays.equals(ca.get(c), cb.get(c))) {
                        return false;
                    }
                }
            }
        }
        return modelVersions.equals(that.modelVersions)
                && modelName.equals(that.modelName)
                && modelNameTime == that.modelNameTime;
    }

    @Override
    public int hashCode() {
        return Objects.hash(fairness.groups(), modelVersions, modelName);
    }

    @Override
    public String toString() {
        return "FairnessPane" + fairness.allCounts() + " " + modelName + " " + modelVersions;
    }
}
