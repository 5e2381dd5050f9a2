package dev.vigil.operators.drift;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HDDM<sub>A</sub>: drift detection with Hoeffding's bound on moving averages (A-test), for values in [0, 1]
 * (typically an error stream, 1 = error).
 *
 * <p>I. Frías-Blanco, J. del Campo-Ávila, G. Ramos-Jiménez, R. Morales-Bueno, A. Ortiz-Díaz and Y. Caballero-Mota,
 * "Online and Non-Parametric Drift Detection Methods Based on Hoeffding's Bounds", IEEE TKDE 27(3):810–823, 2015.
 *
 * <p>The global mean {@code Ẑ_n} is compared with the mean {@code X̂_cut} of the prefix ending at the cut point, chosen
 * where {@code X̂_cut + ε_cut} is minimal ({@code ε_k = sqrt(ln(1/α_D)/(2k))}). An increase is signalled when
 * {@code Ẑ_n − X̂_cut ≥ sqrt(m/2 · ln(2/α))}, {@code m = (n − cut)/(cut·n)}, with {@code α = α_D} for a drift and
 * {@code α = α_W} for a warning; with {@code twoSided} a decrease is tested symmetrically. Resets after a drift.
 * Details follow the MOA/River implementation.
 *
 * <p>{@code new HddmA()} uses the published defaults: {@code α_D = 0.001}, {@code α_W = 0.005}, one-sided.
 */
public final class HddmA implements DriftDetector {

    public static final String NAME = "hddm-a";

    private final double alphaD;
    private final double alphaW;
    private final boolean twoSided;

    private long zN;
    private double zMean;
    private long minN;
    private double minMean;
    private long maxN;
    private double maxMean;
    private boolean warning;
    private boolean drift;

    /** Published defaults: drift confidence α_D = 0.001, warning confidence α_W = 0.005, one-sided. */
    public HddmA() {
        this(0.001, 0.005, false);
    }

    /**
     * @param alphaD drift confidence α_D, in (0, 1)
     * @param alphaW warning confidence α_W, in [α_D, 1)
     * @param twoSided also test for a decrease of the mean
     */
    public HddmA(double alphaD, double alphaW, boolean twoSided) {
        check(alphaD > 0 && alphaD < 1, "alphaD (drift confidence) must be in (0, 1), got %s", alphaD);
        check(alphaW >= alphaD && alphaW < 1, "alphaW (warning confidence) must be in [alphaD, 1), got %s", alphaW);
        this.alphaD = alphaD;
        this.alphaW = alphaW;
        this.twoSided = twoSided;
        reset();
    }

    private void reset() {
        zN = 0;
        zMean = 0.0;
        minN = 0;
        minMean = 0.0;
        maxN = 0;
        maxMean = 0.0;
        warning = false;
        drift = false;
    }

    private double hoeffding(long k) {
        return Math.sqrt(1.0 / (2.0 * k) * Math.log(1.0 / alphaD));
    }

    @Override
    public boolean update(double x) {
        if (drift) {
            reset();
        }
        zN++;
        zMean += (x - zMean) / zN;
        if (minN == 0) {
            minN = zN;
            minMean = zMean;
        }
        if (maxN == 0) {
            maxN = zN;
            maxMean = zMean;
        }
        double epsZ = hoeffding(zN);
        if (minMean + hoeffding(minN) >= zMean + epsZ) {
            minN = zN;
            minMean = zMean;
        }
        if (maxMean - hoeffding(maxN) <= zMean - epsZ) {
            maxN = zN;
            maxMean = zMean;
        }
        if (meanChanged(minN, zMean - minMean, alphaD)) {
            drift = true;
            warning = false;
        } else {
            drift = false;
            warning = meanChanged(minN, zMean - minMean, alphaW);
        }
        if (twoSided) {
            if (meanChanged(maxN, maxMean - zMean, alphaD)) {
                drift = true;
            } else if (meanChanged(maxN, maxMean - zMean, alphaW)) {
                warning = true;
            }
        }
        return drift;
    }

    private boolean meanChanged(long cutN, double diff, double confidence) {
        if (cutN == zN) {
            return false;
        }
        double m = (double) (zN - cutN) / cutN * (1.0 / zN);
        double eps = Math.sqrt(m / 2 * Math.log(2.0 / confidence));
        return diff >= eps;
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

    public boolean twoSided() {
        return twoSided;
    }

    @Override
    public DetectorState snapshot() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("z", new double[] {zN, zMean});
        s.put("cutMin", new double[] {minN, minMean});
        s.put("cutMax", new double[] {maxN, maxMean});
        s.put("flags", new double[] {warning ? 1 : 0, drift ? 1 : 0});
        return new DetectorState(NAME, s);
    }

    @Override
    public void restore(DetectorState state) {
        check(NAME.equals(state.detector()), "cannot restore %s state into " + NAME, state.detector());
        double[] z = state.slot("z");
        double[] mn = state.slot("cutMin");
        double[] mx = state.slot("cutMax");
        double[] flags = state.slot("flags");
        check(z.length == 2 && mn.length == 2 && mx.length == 2 && flags.length == 2, "malformed %s state", NAME);
        zN = (long) z[0];
        zMean = z[1];
        minN = (long) mn[0];
        minMean = mn[1];
        maxN = (long) mx[0];
        maxMean = mx[1];
        warning = flags[0] != 0;
        drift = flags[1] != 0;
    }

    private static void check(boolean cond, String msg, Object arg) {
        if (!cond) {
            throw new IllegalArgumentException(String.format(msg, arg));
        }
    }
}
