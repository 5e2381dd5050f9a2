package dev.vigil.operators.fairness;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per-group accumulator of a binary decision rule ("predict 1 when {@code score >= threshold}", as in
 * {@link dev.vigil.models.metrics.ConfusionMatrix#atThreshold}) against labels: TP/FP/TN/FN, from which count,
 * positives and predicted positives follow, and the sum of scores for calibration-in-the-large. Plain Java (no Flink),
 * mergeable (counts add), with an exact snapshot as plain maps of arrays. Not thread-safe.
 */
public final class GroupFairness {

    private static final int TP = 0;
    private static final int FP = 1;
    private static final int TN = 2;
    private static final int FN = 3;

    private final double threshold;
    /** group → {TP, FP, TN, FN}; sorted by group name so reports are deterministic. */
    private final TreeMap<String, long[]> counts = new TreeMap<>();
    /** group → sum of scores. */
    private final TreeMap<String, Double> sumScores = new TreeMap<>();

    public GroupFairness(double threshold) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must not be NaN");
        }
        this.threshold = threshold;
    }

    public double threshold() {
        return threshold;
    }

    /** Adds one joined example: its group, the model's score (finite) and its label (0 or 1). */
    public void add(String group, double score, int label) {
        Objects.requireNonNull(group, "group");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score must be finite, got " + score);
        }
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
        boolean predicted = score >= threshold;
        int cell = label == 1 ? (predicted ? TP : FN) : (predicted ? FP : TN);
        counts.computeIfAbsent(group, g -> new long[4])[cell]++;
        sumScores.merge(group, score, Double::sum);
    }

    /** Adds all of {@code other}'s counts (same threshold required); {@code other} is unchanged. */
    public void merge(GroupFairness other) {
        Objects.requireNonNull(other, "other");
        if (Double.compare(threshold, other.threshold) != 0) {
            throw new IllegalArgumentException(
                    "cannot merge threshold " + other.threshold + " into threshold " + threshold);
        }
        for (Map.Entry<String, long[]> e : other.counts.entrySet()) {
            long[] mine = counts.computeIfAbsent(e.getKey(), g -> new long[4]);
            for (int i = 0; i < 4; i++) {
                mine[i] = Math.addExact(mine[i], e.getValue()[i]);
            }
            sumScores.merge(e.getKey(), other.sumScores.get(e.getKey()), Double::sum);
        }
    }

    /** The groups seen, in name order (unmodifiable view). */
    public java.util.Set<String> groups() {
        return Collections.unmodifiableSet(counts.keySet());
    }

    /** The counts of {@code group}; all zero for a group never seen. */
    public GroupCounts counts(String group) {
        long[] c = counts.get(group);
        if (c == null) {
            return new GroupCounts(0, 0, 0, 0, 0.0);
        }
        return new GroupCounts(c[TP], c[FP], c[TN], c[FN], sumScores.get(group));
    }

    /** All groups' counts, in name order. */
    public Map<String, GroupCounts> allCounts() {
        Map<String, GroupCounts> out = new LinkedHashMap<>();
        for (String g : counts.keySet()) {
            out.put(g, counts(g));
        }
        return out;
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    public void clear() {
        counts.clear();
        sumScores.clear();
    }

    /**
     * The exact state as plain values: the threshold, group → {TP, FP, TN, FN} and group → sum of scores. The arrays
     * are copies.
     */
    public Snapshot snapshot() {
        Map<String, long[]> c = new TreeMap<>();
        counts.forEach((g, v) -> c.put(g, v.clone()));
        return new Snapshot(threshold, c, new TreeMap<>(sumScores));
    }

    /** Rebuilds an accumulator equal to the one that produced {@code snapshot}. */
    public static GroupFairness restore(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        GroupFairness g = new GroupFairness(snapshot.threshold());
        if (!snapshot.counts().keySet().equals(snapshot.sumScores().keySet())) {
            throw new IllegalArgumentException("counts and sumScores must have the same groups");
        }
        for (Map.Entry<String, long[]> e : snapshot.counts().entrySet()) {
            long[] v = e.getValue();
            if (v == null || v.length != 4) {
                throw new IllegalArgumentException("counts of group " + e.getKey() + " must be {TP, FP, TN, FN}");
            }
            for (long x : v) {
                if (x < 0) {
                    throw new IllegalArgumentException("counts of group " + e.getKey() + " must be >= 0");
                }
            }
            g.counts.put(Objects.requireNonNull(e.getKey(), "group"), v.clone());
            g.sumScores.put(e.getKey(), Objects.requireNonNull(snapshot.sumScores().get(e.getKey()), "sumScores"));
        }
        return g;
    }

    /**
     * Checkpointable state of a {@link GroupFairness}.
     *
     * @param threshold decision threshold
     * @param counts group → {TP, FP, TN, FN}
     * @param sumScores group → sum of scores
     */
    public record Snapshot(double threshold, Map<String, long[]> counts, Map<String, Double> sumScores) {
        public Snapshot {
            Objects.requireNonNull(counts, "counts");
            Objects.requireNonNull(sumScores, "sumScores");
        }
    }
}
