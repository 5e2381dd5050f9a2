package dev.vigil.pipelines.eval;

/**
 * AUROC of a whole stream in constant memory: the Mann-Whitney statistic (D. J. Hand and R. J. Till, Machine
 * Learning 45(2), 2001, eq. 1; J. A. Hanley and B. J. McNeil, Radiology 143(1), 1982) over scores binned by their
 * logit, {@code log(p / (1 - p))}, into {@value #BINS} equal bins on {@code [-20, 20]} (scores beyond fall into the
 * end bins). AUROC is {@code P(score of a positive > score of a negative) + P(tie) / 2}; pairs that share a bin count
 * as ties, so the result differs from the exact value only by half the share of positive-negative pairs closer than
 * one bin ({@code 40 / 2^16 ~= 6e-4} in logit, {@code 1.5e-4} in probability near 0.5). Binning by logit keeps that
 * resolution for confident models whose scores crowd near 0 and 1. Adding is O(1) and allocation-free; {@link
 * #auroc()} is O(bins).
 */
public final class StreamingAuroc {

    /** Number of bins. */
    public static final int BINS = 1 << 16;

    private static final double LIMIT = 20.0;
    private static final double SCALE = BINS / (2 * LIMIT);

    private final long[] positives = new long[BINS];
    private final long[] negatives = new long[BINS];
    private long totalPositives;
    private long totalNegatives;

    /** Adds one binary prediction: {@code score = P(y = 1)} in {@code [0, 1]} and the label, 0 or 1. */
    public void add(double score, int label) {
        int bin = bin(score);
        if (label == 1) {
            positives[bin]++;
            totalPositives++;
        } else {
            negatives[bin]++;
            totalNegatives++;
        }
    }

    static int bin(double score) {
        double logit = Math.log(score) - Math.log1p(-score);
        if (!(logit > -LIMIT)) { // also NaN
            return 0;
        }
        if (logit >= LIMIT) {
            return BINS - 1;
        }
        int b = (int) ((logit + LIMIT) * SCALE);
        return Math.min(b, BINS - 1);
    }

    /** The AUROC so far; {@code NaN} until both classes have been seen. */
    public double auroc() {
        if (totalPositives == 0 || totalNegatives == 0) {
            return Double.NaN;
        }
        double wins = 0.0;
        long negativesBelow = 0;
        for (int b = 0; b < BINS; b++) {
            long p = positives[b];
            long n = negatives[b];
            if (p != 0) {
                wins += p * (negativesBelow + 0.5 * n);
            }
            negativesBelow += n;
        }
        return wins / ((double) totalPositives * totalNegatives);
    }
}
