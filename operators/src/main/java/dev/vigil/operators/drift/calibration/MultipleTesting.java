package dev.vigil.operators.drift.calibration;

import java.util.Locale;

/**
 * Multiple-testing corrections for one evaluation step over {@code m} features, each tested with a p-value: reject
 * feature {@code i} when its adjusted p-value is at most the family level {@code α}.
 *
 * <ul>
 *   <li>{@link Correction#BONFERRONI}: {@code min(1, m·p_i)}; family-wise error rate (FWER) {@code <= α} under any
 *       dependence.
 *   <li>{@link Correction#HOLM}: S. Holm, "A simple sequentially rejective multiple test procedure", Scand. J.
 *       Statist. 6(2), 1979. With {@code p_(1) <= … <= p_(m)}: {@code max_{j<=i} min(1, (m−j+1)·p_(j))}; FWER
 *       {@code <= α} under any dependence and never rejects less than Bonferroni.
 *   <li>{@link Correction#BENJAMINI_HOCHBERG}: Y. Benjamini and Y. Hochberg, "Controlling the false discovery rate: a
 *       practical and powerful approach to multiple testing", JRSS B 57(1), 1995: {@code min_{j>=i} min(1, m·p_(j)/j)};
 *       false discovery rate {@code <= α} for independent or positively dependent tests, and FWER {@code <= α} when
 *       no feature drifts (all nulls true), the case false alarms are about.
 *   <li>{@link Correction#NONE}: the p-values themselves (each feature at level {@code α}).
 * </ul>
 *
 * <p>The array methods allocate nothing: callers pass a scratch {@code int[]} of at least {@code m} entries.
 */
public final class MultipleTesting {

    /** How p-values of one step are combined across features. */
    public enum Correction {
        NONE,
        BONFERRONI,
        HOLM,
        BENJAMINI_HOCHBERG;

        /** Parses {@code none}, {@code bonferroni}, {@code holm}, {@code bh} / {@code benjamini-hochberg}. */
        public static Correction parse(String s) {
            String v = s.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            return switch (v) {
                case "none" -> NONE;
                case "bonferroni" -> BONFERRONI;
                case "holm" -> HOLM;
                case "bh", "benjamini-hochberg" -> BENJAMINI_HOCHBERG;
                default -> throw new IllegalArgumentException(
                        "correction must be none, bonferroni, holm or bh, got '" + s + "'");
            };
        }
    }

    private MultipleTesting() {}

    /** The adjusted p-values of {@code p} (a new array). */
    public static double[] adjust(Correction correction, double[] p) {
        double[] out = new double[p.length];
        adjust(correction, p, p.length, out, new int[p.length]);
        return out;
    }

    /**
     * Writes the adjusted p-values of {@code p[0..m)} into {@code adjusted[0..m)}; {@code order} is scratch of length
     * at least {@code m}.
     */
    public static void adjust(Correction correction, double[] p, int m, double[] adjusted, int[] order) {
        if (m < 0 || p.length < m || adjusted.length < m || order.length < m) {
            throw new IllegalArgumentException("arrays shorter than m = " + m);
        }
        for (int i = 0; i < m; i++) {
            double v = p[i];
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " must be in [0, 1], got " + v);
            }
        }
        switch (correction) {
            case NONE -> System.arraycopy(p, 0, adjusted, 0, m);
            case BONFERRONI -> {
                for (int i = 0; i < m; i++) {
                    adjusted[i] = Math.min(1.0, m * p[i]);
                }
            }
            case HOLM -> {
                sortIndices(p, m, order);
                double running = 0;
                for (int r = 0; r < m; r++) {
                    int i = order[r];
                    running = Math.max(running, Math.min(1.0, (m - r) * p[i]));
                    adjusted[i] = running;
                }
            }
            case BENJAMINI_HOCHBERG -> {
                sortIndices(p, m, order);
                double running = 1.0;
                for (int r = m - 1; r >= 0; r--) {
                    int i = order[r];
                    running = Math.min(running, Math.min(1.0, (double) m * p[i] / (r + 1)));
                    adjusted[i] = running;
                }
            }
            default -> throw new AssertionError(correction);
        }
    }

    /**
     * Sets {@code reject[i] = adjusted p_i <= level} for {@code i < m} and returns how many were rejected;
     * {@code adjusted} and {@code order} are scratch of length at least {@code m}.
     */
    public static int reject(Correction correction, double[] p, int m, double level, double[] adjusted, int[] order,
            boolean[] reject) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        adjust(correction, p, m, adjusted, order);
        int count = 0;
        for (int i = 0; i < m; i++) {
            reject[i] = adjusted[i] <= level;
            if (reject[i]) {
                count++;
            }
        }
        return count;
    }

    /** Which of {@code p} are rejected at family level {@code level} (new arrays). */
    public static boolean[] reject(Correction correction, double[] p, double level) {
        boolean[] out = new boolean[p.length];
        reject(correction, p, p.length, level, new double[p.length], new int[p.length], out);
        return out;
    }

    /** {@code order[0..m)} = the indices 0..m−1 sorted by ascending {@code p} (heapsort; no allocation). */
    static void sortIndices(double[] p, int m, int[] order) {
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        for (int start = m / 2 - 1; start >= 0; start--) {
            siftDown(p, order, start, m);
        }
        for (int end = m - 1; end > 0; end--) {
            int t = order[0];
            order[0] = order[end];
            order[end] = t;
            siftDown(p, order, 0, end);
        }
    }

    private static void siftDown(double[] p, int[] order, int root, int size) {
        int r = root;
        while (true) {
            int child = 2 * r + 1;
            if (child >= size) {
                return;
            }
            if (child + 1 < size && p[order[child + 1]] > p[order[child]]) {
                child++;
            }
            if (p[order[r]] >= p[order[child]]) {
                return;
            }
            int t = order[r];
            order[r] = order[child];
            order[child] = t;
            r = child;
        }
    }
}
