package dev.vigil.operators.fairness;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Per-group accumulator of a binary decision rule ("predict 1 when {@code score >= threshold}", as in
 * {@link dev.vigil.models.metrics.ConfusionMatrix#atThreshold}) against labels: TP/FP/TN/FN, from which count,
 * positives and predicted positives follow, and the sum of scores for calibration-in-the-large. Plain Java (no Flink),
 * mergeable (counts add), with an exact snapshot as plain maps of arrays. Not thread-safe.
 *
 * <p><b>Clustered examples.</b> A {@link #clustered} accumulator also keeps each group's counts per cluster (the
 * entity an example belongs to: a patient, an account), because examples of one entity are not independent — a
 * patient contributes a prediction every few minutes, all with the same outcome — and a proportion's variance is then
 * far larger than the binomial {@code p(1-p)/n}. {@link #effectiveTrials} turns the per-cluster counts into the
 * effective sample size of a rate: with {@code r = Σy/Σn} over clusters {@code i} (y successes among n trials), the
 * cluster-robust (ratio-estimator, linearization) variance {@code V = m/(m-1) · Σ(y_i - r·n_i)² / (Σn)²} over the
 * {@code m} clusters with trials, and {@code n* = r(1-r)/V}, truncated to {@code [1, Σn]} (design effect at least 1) —
 * the effective sample size Korn and Graubard use in binomial intervals for clustered survey data ("Confidence
 * intervals for proportions with small expected number of positive counts estimated from survey data", Survey
 * Methodology 24(2):193–201, 1998). When {@code r} is 0 or 1 the variance gives no information and {@code n*} is the
 * number of clusters. Memory grows with the distinct clusters of a group: {@code 4} longs each.
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
    /** group → cluster → {TP, FP, TN, FN}; null unless {@link #clustered}. */
    private final TreeMap<String, HashMap<Long, long[]>> clusters;

    /** An accumulator of independent examples. */
    public GroupFairness(double threshold) {
        this(threshold, false);
    }

    private GroupFairness(double threshold, boolean clustered) {
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must not be NaN");
        }
        this.threshold = threshold;
        this.clusters = clustered ? new TreeMap<>() : null;
    }

    /** An accumulator whose examples belong to clusters ({@link #add(String, double, int, long)}). */
    public static GroupFairness clustered(double threshold) {
        return new GroupFairness(threshold, true);
    }

    /** Whether examples carry clusters. */
    public boolean isClustered() {
        return clusters != null;
    }

    /** The rates whose effective sample size {@link #effectiveTrials} gives. */
    public enum Rate {
        /** {@code (TP+FP)/n}. */
        SELECTION_RATE,
        /** {@code TP/(TP+FN)}. */
        TRUE_POSITIVE_RATE,
        /** {@code FP/(FP+TN)}. */
        FALSE_POSITIVE_RATE,
        /** {@code TP/(TP+FP)}. */
        PRECISION,
        /** {@code (TP+FN)/n}. */
        EVENT_RATE;

        long successes(long[] c) {
            switch (this) {
                case SELECTION_RATE:
                    return c[TP] + c[FP];
                case TRUE_POSITIVE_RATE:
                case PRECISION:
                    return c[TP];
                case FALSE_POSITIVE_RATE:
                    return c[FP];
                default:
                    return c[TP] + c[FN];
            }
        }

        long trials(long[] c) {
            switch (this) {
                case TRUE_POSITIVE_RATE:
                    return c[TP] + c[FN];
                case FALSE_POSITIVE_RATE:
                    return c[FP] + c[TN];
                case PRECISION:
                    return c[TP] + c[FP];
                default:
                    return c[TP] + c[FP] + c[TN] + c[FN];
            }
        }
    }

    public double threshold() {
        return threshold;
    }

    /** Adds one joined example: its group, the model's score (finite) and its label (0 or 1). */
    public void add(String group, double score, int label) {
        if (clusters != null) {
            throw new IllegalStateException("a clustered accumulator needs each example's cluster");
        }
        count(group, score, label);
    }

    /** Adds one joined example of {@code cluster} (any id of the entity, e.g. a hash of it) to a clustered accumulator. */
    public void add(String group, double score, int label, long cluster) {
        if (clusters == null) {
            throw new IllegalStateException("examples of an unclustered accumulator carry no cluster");
        }
        int cell = count(group, score, label);
        clusters.computeIfAbsent(group, g -> new HashMap<>()).computeIfAbsent(cluster, c -> new long[4])[cell]++;
    }

    private int count(String group, double score, int label) {
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
        return cell;
    }

    /**
     * The effective number of trials of {@code rate} in {@code group}: its plain number of trials for an unclustered
     * accumulator, the cluster-robust effective sample size (see the class comment) for a clustered one; 0 for a
     * group never seen or without trials.
     */
    public double effectiveTrials(String group, Rate rate) {
        long[] total = counts.get(group);
        if (total == null) {
            return 0.0;
        }
        long trials = rate.trials(total);
        if (clusters == null || trials == 0) {
            return trials;
        }
        double r = (double) rate.successes(total) / trials;
        long m = 0;
        double sumSquares = 0.0;
        for (long[] c : clusters.get(group).values()) {
            long n = rate.trials(c);
            if (n > 0) {
                m++;
                double d = rate.successes(c) - r * n;
                sumSquares += d * d;
            }
        }
        if (r == 0.0 || r == 1.0 || m < 2) {
            return Math.min(m, trials);
        }
        double variance = (double) m / (m - 1) * sumSquares / ((double) trials * trials);
        if (variance == 0.0) {
            return trials;
        }
        return Math.max(1.0, Math.min(trials, r * (1 - r) / variance));
    }

    /** Number of distinct clusters of {@code group}; 0 for an unclustered accumulator. */
    public int clusterCount(String group) {
        if (clusters == null) {
            return 0;
        }
        HashMap<Long, long[]> c = clusters.get(group);
        return c == null ? 0 : c.size();
    }

    /** Adds all of {@code other}'s counts (same threshold required); {@code other} is unchanged. */
    public void merge(GroupFairness other) {
        Objects.requireNonNull(other, "other");
        if (Double.compare(threshold, other.threshold) != 0) {
            throw new IllegalArgumentException(
                    "cannot merge threshold " + other.threshold + " into threshold " + threshold);
        }
        if (isClustered() && !other.isClustered()) {
            throw new IllegalArgumentException("cannot merge an unclustered accumulator into a clustered one");
        }
        if (clusters != null) { // an unclustered accumulator takes a clustered one's counts and ignores its clusters
            for (Map.Entry<String, HashMap<Long, long[]>> g : other.clusters.entrySet()) {
                HashMap<Long, long[]> mine = clusters.computeIfAbsent(g.getKey(), k -> new HashMap<>());
                for (Map.Entry<Long, long[]> c : g.getValue().entrySet()) {
                    long[] into = mine.computeIfAbsent(c.getKey(), k -> new long[4]);
                    for (int i = 0; i < 4; i++) {
                        into[i] = Math.addExact(into[i], c.getValue()[i]);
                    }
                }
            }
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
        if (clusters != null) {
            clusters.clear();
        }
    }

    /**
     * The exact state as plain values: the threshold, group → {TP, FP, TN, FN}, group → sum of scores and, when
     * clustered, group → cluster → {TP, FP, TN, FN} (clusters in ascending order). The arrays are copies.
     */
    public Snapshot snapshot() {
        Map<String, long[]> c = new TreeMap<>();
        counts.forEach((g, v) -> c.put(g, v.clone()));
        Map<String, Map<Long, long[]>> k = null;
        if (clusters != null) {
            k = new TreeMap<>();
            for (Map.Entry<String, HashMap<Long, long[]>> g : clusters.entrySet()) {
                Map<Long, long[]> sorted = new TreeMap<>();
                g.getValue().forEach((id, v) -> sorted.put(id, v.clone()));
                k.put(g.getKey(), sorted);
            }
        }
        return new Snapshot(threshold, c, new TreeMap<>(sumScores), k);
    }

    /** Rebuilds an accumulator equal to the one that produced {@code snapshot}. */
    public static GroupFairness restore(Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        GroupFairness g = new GroupFairness(snapshot.threshold(), snapshot.clusters() != null);
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
        if (g.clusters != null) {
            if (!snapshot.clusters().keySet().equals(snapshot.counts().keySet())) {
                throw new IllegalArgumentException("clusters and counts must have the same groups");
            }
            for (Map.Entry<String, Map<Long, long[]>> e : snapshot.clusters().entrySet()) {
                long[] sum = new long[4];
                HashMap<Long, long[]> copy = new HashMap<>();
                for (Map.Entry<Long, long[]> c : e.getValue().entrySet()) {
                    long[] v = c.getValue();
                    if (v == null || v.length != 4) {
                        throw new IllegalArgumentException("cluster counts must be {TP, FP, TN, FN}");
                    }
                    for (int i = 0; i < 4; i++) {
                        if (v[i] < 0) {
                            throw new IllegalArgumentException("cluster counts must be >= 0");
                        }
                        sum[i] += v[i];
                    }
                    copy.put(c.getKey(), v.clone());
                }
                if (!java.util.Arrays.equals(sum, g.counts.get(e.getKey()))) {
                    throw new IllegalArgumentException("cluster counts of group " + e.getKey() + " do not add up");
                }
                g.clusters.put(e.getKey(), copy);
            }
        }
        return g;
    }

    /**
     * Checkpointable state of a {@link GroupFairness}.
     *
     * @param threshold decision threshold
     * @param counts group → {TP, FP, TN, FN}
     * @param sumScores group → sum of scores
     * @param clusters group → cluster → {TP, FP, TN, FN} of a clustered accumulator; null for an unclustered one
     */
    public record Snapshot(double threshold, Map<String, long[]> counts, Map<String, Double> sumScores,
            Map<String, Map<Long, long[]>> clusters) {
        public Snapshot {
            Objects.requireNonNull(counts, "counts");
            Objects.requireNonNull(sumScores, "sumScores");
        }

        /** The snapshot of an unclustered accumulator. */
        public Snapshot(double threshold, Map<String, long[]> counts, Map<String, Double> sumScores) {
            this(threshold, counts, sumScores, null);
        }
    }
}
