package dev.vigil.operators.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * EDDM, the Early Drift Detection Method for a stream of errors (1 = error, 0 = correct).
 *
 * <p>M. Baena-García, J. del Campo-Ávila, R. Fidalgo, A. Bifet, R. Gavaldà and R. Morales-Bueno, "Early Drift
 * Detection Method", Fourth International Workshop on Knowledge Discovery from Data Streams, 2006.
 *
 * <p>Tracks the mean {@code p'_i} and standard deviation {@code s'_i} of the distance between consecutive errors and
 * the values {@code p'_max}, {@code s'_max} where {@code p'_i + 2s'_i} reached its maximum. Once more than
 * {@code n} errors were seen, at each error: {@code (p'_i + 2s'_i)/(p'_max + 2s'_max) < β} is a drift (then reset),
 * {@code < α} a warning (which stands until the next error is evaluated). Details (sample variance, warm-up on both
 * instances and errors) follow River's {@code EDDM}.
 *
 * <p>{@code new Eddm()} uses the published defaults: {@code α = 0.95}, {@code β = 0.9}, {@code n = 30} errors.
 */
public final class Eddm implements DriftDetector {

    public static final String NAME = "eddm";

    private final int n;
    private final double alpha;
    private final double beta;

    private long count;
    private long lastError;
    private long errors;
    private double distMean;
    private double distM2;
    private double p2sMax;
    private boolean warning;
    private boolean drift;

    /** Published defaults: 30 errors, α = 0.95 warning, β = 0.9 drift. */
    public Eddm() {
        this(30, 0.95, 0.9);
    }

    /**
     * @param n errors (and instances) needed before warnings or drifts (≥ 1)
     * @param alpha warning ratio α, in (0, 1)
     * @param beta drift ratio β, in (0, α]
     */
    public Eddm(int n, double alpha, double beta) {
        check(n >= 1, "n (min errors) must be >= 1, got %s", n);
        check(alpha > 0 && alpha < 1, "alpha must be in (0, 1), got %s", alpha);
        check(beta > 0 && beta <= alpha, "beta must be in (0, alpha], got %s", beta);
        this.n = n;
        this.alpha = alpha;
        this.beta = beta;
        reset();
    }

    private void reset() {
        count = 0;
        lastError = 0;
        errors = 0;
        distMean = 0.0;
        distM2 = 0.0;
        p2sMax = -1.0;
        warning = false;
        drift = false;
    }

    /** {@code x}: 1 for an error, 0 for a correct prediction (any non-zero counts as an error). */
    @Override
    public boolean update(double x) {
        if (drift) {
            reset();
        }
        count++;
        if (x != 0) {
            errors++;
            double dist = count - lastError;
            double delta = dist - distMean;
            distMean += delta / errors;
            distM2 += delta * (dist - distMean);
            if (count > n) {
                double sd = errors > 1 ? Math.sqrt(distM2 / (errors - 1)) : 0.0;
                double p2s = distMean + 2 * sd;
                if (p2s > p2sMax) {
                    p2sMax = p2s;
                } else if (errors > n) {
                    double level = p2s / p2sMax;
                    if (level < beta) {
                        drift = true;
                        warning = false;
                    } else {
                        warning = level < alpha;
                    }
                }
            }
            lastError = count;
        }
        return drift;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public boolean warningDetected() {
        return warning;
    }

    @Override
    public String name() {
        return NAME;
    }

    public int n() {
        return n;
    }

    public double alpha() {
        return alpha;
    }

    public double beta() {
        return beta;
    }

    @Override
    public DetectorState snapshot() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("counts", new double[] {count, lastError, errors});
        s.put("distance", new double[] {distMean, distM2, p2sMax});
        s.put("flags", new double[] {warning ? 1 : 0, drift ? 1 : 0});
        return new DetectorState(NAME, s);
    }

    @Override
    public void restore(DetectorState state) {
        check(NAME.equals(state.detector()), "cannot restore %s state into " + NAME, state.detector());
        double[] c = state.slot("counts");
        double[] dist = state.slot("distance");
        double[] flags = state.slot("flags");
        check(c.length == 3 && dist.length == 3 && flags.length == 2, "malformed %s state", NAME);
        count = (long) c[0];
        lastError = (long) c[1];
        errors = (long) c[2];
        distMean = dist[0];
        distM2 = dist[1];
        p2sMax = dist[2];
        warning = flags[0] != 0;
        drift = flags[1] != 0;
    }

    private static void check(boolean cond, String msg, Object arg) {
        if (!cond) {
            throw new IllegalArgumentException(String.format(msg, arg));
        }
    }
}
