package dev.vigil.operators.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HDDM<sub>W</sub>: drift detection with McDiarmid's bound on exponentially weighted moving averages (W-test), for
 * values in [0, 1] (typically an error stream, 1 = error).
 *
 * <p>I. Frías-Blanco, J. del Campo-Ávila, G. Ramos-Jiménez, R. Morales-Bueno, A. Ortiz-Díaz and Y. Caballero-Mota,
 * "Online and Non-Parametric Drift Detection Methods Based on Hoeffding's Bounds", IEEE TKDE 27(3):810–823, 2015.
 *
 * <p>Each sample keeps the EWMA {@code X̂ = λx + (1 − λ)X̂} (the first value initialises it) and the sum of squared
 * weights {@code D = λ² + (1 − λ)²·D} ({@code D = 1} after the first value). The cut point is where
 * {@code X̂ + ε} is minimal, {@code ε = sqrt(D·ln(1/α_D)/2)}; the EWMA of the values after it is compared with the
 * EWMA up to it, and an increase larger than {@code sqrt((D₁ + D₂)·ln(1/α)/2)} is a drift ({@code α = α_D}) or a
 * warning ({@code α = α_W}). With {@code twoSided} a decrease is tested symmetrically. Resets after a drift. Details
 * follow the MOA implementation.
 *
 * <p>{@code new HddmW()} uses the published defaults: {@code α_D = 0.001}, {@code α_W = 0.005}, {@code λ = 0.05},
 * one-sided.
 */
public final class HddmW implements DriftDetector {

    public static final String NAME = "hddm-w";

    // sample slots in state[][]: {ewma, D, initialised}
    private static final int TOTAL = 0;
    private static final int INCR1 = 1;
    private static final int INCR2 = 2;
    private static final int DECR1 = 3;
    private static final int DECR2 = 4;
    private static final int EWMA = 0;
    private static final int D = 1;
    private static final int INIT = 2;

    private final double alphaD;
    private final double alphaW;
    private final double lambda;
    private final boolean twoSided;

    private final double[][] samples = new double[5][3];
    private double incrCutPoint;
    private double decrCutPoint;
    private boolean warning;
    private boolean drift;

    /** Published defaults: α_D = 0.001, α_W = 0.005, λ = 0.05, one-sided. */
    public HddmW() {
        this(0.001, 0.005, 0.05, false);
    }

    /**
     * @param alphaD drift confidence α_D, in (0, 1)
     * @param alphaW warning confidence α_W, in [α_D, 1)
     * @param lambda λ, the weight of the newest value in the EWMA, in (0, 1]
     * @param twoSided also test for a decrease of the mean
     */
    public HddmW(double alphaD, double alphaW, double lambda, boolean twoSided) {
        check(alphaD > 0 && alphaD < 1, "alphaD (drift confidence) must be in (0, 1), got %s", alphaD);
        check(alphaW >= alphaD && alphaW < 1, "alphaW (warning confidence) must be in [alphaD, 1), got %s", alphaW);
        check(lambda > 0 && lambda <= 1, "lambda must be in (0, 1], got %s", lambda);
        this.alphaD = alphaD;
        this.alphaW = alphaW;
        this.lambda = lambda;
        this.twoSided = twoSided;
        reset();
    }

    private void reset() {
        for (double[] s : samples) {
            clear(s);
        }
        incrCutPoint = Double.POSITIVE_INFINITY;
        decrCutPoint = Double.NEGATIVE_INFINITY;
        warning = false;
        drift = false;
    }

    private static void clear(double[] s) {
        s[EWMA] = 0.0;
        s[D] = 1.0;
        s[INIT] = 0.0;
    }

    private void add(double[] s, double x) {
        if (s[INIT] == 0) {
            s[EWMA] = x;
            s[D] = 1.0;
            s[INIT] = 1.0;
        } else {
            s[EWMA] = lambda * x + (1 - lambda) * s[EWMA];
            s[D] = lambda * lambda + (1 - lambda) * (1 - lambda) * s[D];
        }
    }

    private static double bound(double d, double confidence) {
        return Math.sqrt(d * Math.log(1.0 / confidence) / 2.0);
    }

    /** Whether {@code later}'s EWMA exceeds {@code earlier}'s by more than the McDiarmid bound. */
    private boolean increased(double[] earlier, double[] later, double confidence) {
        if (earlier[INIT] == 0 || later[INIT] == 0) {
            return false;
        }
        return later[EWMA] - earlier[EWMA] > bound(earlier[D] + later[D], confidence);
    }

    @Override
    public boolean update(double x) {
        if (drift) {
            reset();
        }
        double[] total = samples[TOTAL];
        add(total, x);

        double eps = bound(total[D], alphaD);
        if (total[EWMA] + eps < incrCutPoint) {
            incrCutPoint = total[EWMA] + eps;
            System.arraycopy(total, 0, samples[INCR1], 0, 3);
            clear(samples[INCR2]);
        } else {
            add(samples[INCR2], x);
        }
        if (increased(samples[INCR1], samples[INCR2], alphaD)) {
            drift = true;
            warning = false;
        } else {
            drift = false;
            warning = increased(samples[INCR1], samples[INCR2], alphaW);
        }

        if (total[EWMA] - eps > decrCutPoint) {
            decrCutPoint = total[EWMA] - eps;
            System.arraycopy(total, 0, samples[DECR1], 0, 3);
            clear(samples[DECR2]);
        } else {
            add(samples[DECR2], x);
        }
        if (twoSided) {
            if (increased(samples[DECR2], samples[DECR1], alphaD)) {
                drift = true;
            } else if (increased(samples[DECR2], samples[DECR1], alphaW)) {
                warning = true;
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

    public double alphaD() {
        return alphaD;
    }

    public double alphaW() {
        return alphaW;
    }

    public double lambda() {
        return lambda;
    }

    public boolean twoSided() {
        return twoSided;
    }

    @Override
    public DetectorState snapshot() {
        Map<String, double[]> s = new LinkedHashMap<>();
        double[] flat = new double[15];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(samples[i], 0, flat, 3 * i, 3);
        }
        s.put("samples", flat);
        s.put("cutPoints", new double[] {incrCutPoint, decrCutPoint});
        s.put("flags", new double[] {warning ? 1 : 0, drift ? 1 : 0});
        return new DetectorState(NAME, s);
    }

    @Override
    public void restore(DetectorState state) {
        check(NAME.equals(state.detector()), "cannot restore %s state into " + NAME, state.detector());
        double[] flat = state.slot("samples");
        double[] cuts = state.slot("cutPoints");
        double[] flags = state.slot("flags");
        check(flat.length == 15 && cuts.length == 2 && flags.length == 2, "malformed %s state", NAME);
        for (int i = 0; i < 5; i++) {
            System.arraycopy(flat, 3 * i, samples[i], 0, 3);
        }
        incrCutPoint = cuts[0];
        decrCutPoint = cuts[1];
        warning = flags[0] != 0;
        drift = flags[1] != 0;
    }

    private static void check(boolean cond, String msg, Object arg) {
        if (!cond) {
            throw new IllegalArgumentException(String.format(msg, arg));
        }
    }
}
