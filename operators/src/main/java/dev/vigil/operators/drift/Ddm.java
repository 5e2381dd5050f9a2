package dev.vigil.operators.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DDM, the Drift Detection Method for a stream of errors (1 = error, 0 = correct).
 *
 * <p>J. Gama, P. Medas, G. Castillo and P. Rodrigues, "Learning with Drift Detection", SBIA 2004, LNCS 3171,
 * pp. 286–295.
 *
 * <p>At instance {@code i} the error rate {@code p_i} and its binomial standard deviation
 * {@code s_i = sqrt(p_i(1 − p_i)/i)} are kept; {@code p_min} and {@code s_min} are recorded when {@code p_i + s_i}
 * reaches its minimum. After more than {@code n} (warm-up) instances, {@code p_i + s_i > p_min + w·s_min} is a warning
 * and {@code p_i + s_i > p_min + d·s_min} a drift, after which the detector resets.
 *
 * <p>{@code new Ddm()} uses the published defaults: {@code n = 30}, {@code w = 2} (≈95 %), {@code d = 3} (≈99 %).
 */
public final class Ddm implements DriftDetector {

    public static final String NAME = "ddm";

    private final int n;
    private final double w;
    private final double d;

    private long count;
    private double p;
    private double pMin;
    private double sMin;
    private double psMin;
    private boolean warning;
    private boolean drift;

    /** Published defaults: n = 30 instances, w = 2σ warning, d = 3σ drift. */
    public Ddm() {
        this(30, 2.0, 3.0);
    }

    /**
     * @param n minimum number of instances before warnings or drifts (≥ 1)
     * @param w warning level, in standard deviations (&gt; 0)
     * @param d drift level, in standard deviations (≥ w)
     */
    public Ddm(int n, double w, double d) {
        check(n >= 1, "n (min instances) must be >= 1, got %s", n);
        check(w > 0 && Double.isFinite(w), "w (warning level) must be finite and > 0, got %s", w);
        check(d >= w && Double.isFinite(d), "d (drift level) must be finite and >= w, got %s", d);
        this.n = n;
        this.w = w;
        this.d = d;
        reset();
    }

    private void reset() {
        count = 0;
        p = 0.0;
        pMin = Double.POSITIVE_INFINITY;
        sMin = Double.POSITIVE_INFINITY;
        psMin = Double.POSITIVE_INFINITY;
        warning = false;
        drift = false;
    }

    /** {@code x}: 1 for an error, 0 for a correct prediction (any non-zero counts as an error). */
    @Override
    public boolean update(double x) {
        if (drift) {
            reset();
        }
        double e = x != 0 ? 1.0 : 0.0;
        count++;
        p += (e - p) / count;
        double s = Math.sqrt(p * (1 - p) / count);
        if (count > n) {
            if (p + s <= psMin) {
                pMin = p;
                sMin = s;
                psMin = p + s;
            }
            warning = p + s > pMin + w * sMin;
            if (p + s > pMin + d * sMin) {
                drift = true;
                warning = false;
            }
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

    public double w() {
        return w;
    }

    public double d() {
        return d;
    }

    @Override
    public DetectorState snapshot() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("count", new double[] {count});
        s.put("p", new double[] {p});
        s.put("min", new double[] {pMin, sMin, psMin});
        s.put("flags", new double[] {warning ? 1 : 0, drift ? 1 : 0});
        return new DetectorState(NAME, s);
    }

    @Override
    public void restore(DetectorState state) {
        check(NAME.equals(state.detector()), "cannot restore %s state into " + NAME, state.detector());
        double[] min = state.slot("min");
        double[] flags = state.slot("flags");
        check(min.length == 3 && flags.length == 2, "malformed %s state", NAME);
        count = (long) state.slot("count")[0];
        p = state.slot("p")[0];
        pMin = min[0];
        sMin = min[1];
        psMin = min[2];
        warning = flags[0] != 0;
        drift = flags[1] != 0;
    }

    private static void check(boolean cond, String msg, Object arg) {
        if (!cond) {
            throw new IllegalArgumentException(String.format(msg, arg));
        }
    }
}
