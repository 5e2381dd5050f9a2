package dev.vigil.operators.explain;

import ai.onnxruntime.OrtException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.flink.util.Preconditions;

/**
 * Kernel SHAP: S. M. Lundberg and S.-I. Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017.
 * The Shapley values of the {@code M} players (features or {@link FeatureGroups groups}) are the solution of a
 * weighted least-squares regression of the coalition values on coalition membership,
 *
 * <pre>
 *   minimize  sum_S  pi(S) (v(S) - v(0) - sum_{i in S} phi_i)^2
 *   subject to  sum_i phi_i = v(all) - v(0)                         (efficiency)
 *   pi(S) = (M - 1) / (C(M, |S|) |S| (M - |S|))                     (the Shapley kernel)
 *   v(S) = mean_b g(f(x_S, z_b))                                    (background rows z_b, link g)
 * </pre>
 *
 * solved exactly: the constraint eliminates the last player and the normal equations are solved by Cholesky
 * factorization.
 *
 * <p><b>Bounded cost.</b> At most {@code maxCoalitions} distinct coalitions, each evaluated on the {@code B <=
 * backgroundSize} background rows, so an explanation costs at most {@code 1 + B (1 + maxCoalitions)} model rows ({@code
 * B} of them once per background). When all {@code 2^M - 2} proper coalitions fit, they are enumerated and the result
 * is exact (for a linear model in {@link OutputSpace#LOGIT logit space} it equals {@link LinearShapley}'s closed form).
 * Otherwise, as in the reference implementation, coalition sizes are taken in order of kernel weight (1 and {@code
 * M-1}, then 2 and {@code M-2}, ...) and enumerated completely while the budget covers a size; the rest of the budget
 * samples coalitions from the remaining sizes in proportion to the kernel, each with its complement (paired, antithetic
 * sampling: Covert and Lee, "Improving KernelSHAP", AISTATS 2021), duplicates merged into one evaluation with their
 * weights added. Players that cannot change the output (equal to {@code x} in every background row) get 0 and do not
 * count towards {@code M}.
 *
 * <pre>{@code
 * KernelShap shap = KernelShap.builder(new OnnxBatchPredictor(scorer))
 *         .groups(IcuFeatureGroups.clinical())   // 10 players: 1022 coalitions enumerate exactly
 *         .outputSpace(OutputSpace.LOGIT)
 *         .maxCoalitions(1024)
 *         .backgroundSize(32)
 *         .seed(42)
 *         .build();
 * Explanation explanation = shap.explain(features, background);
 * List<Reason> reasons = explanation.topReasons(3);
 * }</pre>
 *
 * <p>Deterministic: an explanation is a function of the row, the background and the seed. Not thread-safe.
 */
public final class KernelShap implements Explainer {

    /** The most coalitions an explainer may be configured for (its masks and weights then take some 40 MB). */
    public static final int MAX_COALITIONS_LIMIT = 1 << 20;

    private final CoalitionValues values;
    private final int maxCoalitions;
    private final CoalitionSet coalitions;
    private final int maxPlayers;
    private final Filler filler;
    // Regression buffers, sized for the most players.
    private final double[] coalitionValues;
    private final int[] members;
    private final int[] subset;
    private final double[][] normal;
    private final double[] rhs;

    private KernelShap(Builder b) {
        this.values = b.coalitionValues();
        this.maxCoalitions = b.maxCoalitions;
        this.maxPlayers = b.groups.groupCount();
        this.coalitions = new CoalitionSet(maxCoalitions, maxPlayers);
        this.coalitionValues = new double[maxCoalitions];
        this.members = new int[maxPlayers];
        this.subset = new int[maxPlayers];
        this.normal = new double[Math.max(1, maxPlayers - 1)][Math.max(1, maxPlayers - 1)];
        this.rhs = new double[Math.max(1, maxPlayers - 1)];
        this.filler = new Filler();
    }

    /** A builder over {@code predictor}; defaults: every feature its own player, logit space, 1024 coalitions, 32 rows. */
    public static Builder builder(BatchPredictor predictor) {
        return new Builder(predictor);
    }

    @Override
    public Explanation explain(float[] x, BackgroundSample background) throws OrtException {
        values.prepare(x, background);
        int m = values.players();
        SplittableRandom random = values.random();
        coalitions.reset(m);
        boolean exact = m < 2 || design(m, random);
        int c = coalitions.size();
        int rowsPerCoalition = values.backgroundRows();
        filler.reset();
        double[] v = values.evaluate(c * rowsPerCoalition, filler);
        double base = values.baseValue();
        double delta = values.prediction() - base;
        double[] phi = new double[Math.max(1, m)];
        if (m == 1) {
            phi[0] = delta;
        } else if (m >= 2) {
            for (int k = 0; k < c; k++) {
                double sum = 0;
                int offset = k * rowsPerCoalition;
                for (int r = 0; r < rowsPerCoalition; r++) {
                    sum += v[offset + r];
                }
                coalitionValues[k] = sum / rowsPerCoalition;
            }
            solve(m, base, delta, phi);
        }
        return values.explanation(phi, base, Explanation.Estimator.KERNEL_SHAP, exact, c);
    }

    @Override
    public FeatureGroups groups() {
        return values.groups();
    }

    @Override
    public OutputSpace outputSpace() {
        return values.outputSpace();
    }

    /** The most distinct coalitions one explanation evaluates. */
    public int maxCoalitions() {
        return maxCoalitions;
    }

    /**
     * Fills {@link #coalitions} for {@code m >= 2} players.
     *
     * @return whether every proper coalition is in (exact)
     */
    private boolean design(int m, SplittableRandom random) {
        if (m < 31 && (1L << m) - 2 <= maxCoalitions) {
            enumerateAll(m);
            return true;
        }
        int sizes = m / 2; // sizes 1 .. ceil((m - 1) / 2); size s stands for s and m - s
        int pairedSizes = (m - 1) / 2; // sizes with a distinct complement size
        double[] mass = new double[sizes + 1];
        double total = 0;
        for (int s = 1; s <= sizes; s++) {
            mass[s] = (m - 1.0) / ((double) s * (m - s)) * (s <= pairedSizes ? 2 : 1);
            total += mass[s];
        }
        for (int s = 1; s <= sizes; s++) {
            mass[s] /= total;
        }
        // Complete sizes while the budget's kernel share covers them.
        double remainingMass = 1;
        int left = maxCoalitions;
        int complete = 0;
        for (int s = 1; s <= sizes; s++) {
            boolean paired = s <= pairedSizes;
            double count = binomial(m, s) * (paired ? 2 : 1);
            double share = mass[s] / remainingMass;
            if (count > left || left * share / count < 1 - 1e-8) {
                break;
            }
            enumerateSize(m, s, mass[s] / count, paired);
            left -= (int) count;
            remainingMass -= mass[s];
            complete = s;
        }
        if (complete == sizes) {
            return true;
        }
        // Sample the other sizes in proportion to their kernel mass, each coalition with its complement.
        double[] cumulative = new double[sizes + 1];
        double acc = 0;
        for (int s = complete + 1; s <= sizes; s++) {
            acc += mass[s];
            cumulative[s] = acc;
        }
        for (int p = 0; p < m; p++) {
            subset[p] = p;
        }
        int firstSampled = coalitions.size();
        long draws = 0;
        long maxDraws = 4L * maxCoalitions + 64;
        double counted = 0;
        while (left > 0 && draws++ < maxDraws) {
            double u = random.nextDouble() * acc;
            int s = complete + 1;
            while (s < sizes && cumulative[s] <= u) {
                s++;
            }
            boolean paired = s <= pairedSizes;
            // A uniform s-subset: partial Fisher-Yates over the running permutation in `subset`.
            coalitions.clearScratch();
            for (int i = 0; i < s; i++) {
                int j = i + random.nextInt(m - i);
                int t = subset[i];
                subset[i] = subset[j];
                subset[j] = t;
                coalitions.setScratch(subset[i]);
            }
            boolean isNew = !coalitions.containsScratch();
            coalitions.complementScratch();
            boolean complementNew = paired && !coalitions.containsScratch();
            int needed = (isNew ? 1 : 0) + (complementNew ? 1 : 0);
            if (needed > left) {
                break;
            }
            if (paired) {
                coalitions.addScratch(1);
            }
            coalitions.complementScratch();
            coalitions.addScratch(1);
            counted += paired ? 2 : 1;
            left -= needed;
        }
        if (counted > 0) {
            coalitions.scaleWeights(firstSampled, remainingMass / counted);
        }
        return false;
    }

    private void enumerateAll(int m) {
        long last = (1L << m) - 1;
        for (long mask = 1; mask < last; mask++) {
            coalitions.clearScratch();
            for (long bits = mask; bits != 0; bits &= bits - 1) {
                coalitions.setScratch(Long.numberOfTrailingZeros(bits));
            }
            int s = Long.bitCount(mask);
            coalitions.addScratch((m - 1.0) / (binomial(m, s) * s * (m - s)));
        }
    }

    /** Adds every coalition of size {@code s} (and, if {@code paired}, its complement) with weight {@code weight}. */
    private void enumerateSize(int m, int s, double weight, boolean paired) {
        int[] index = subset;
        for (int i = 0; i < s; i++) {
            index[i] = i;
        }
        while (true) {
            coalitions.clearScratch();
            for (int i = 0; i < s; i++) {
                coalitions.setScratch(index[i]);
            }
            coalitions.addScratch(weight);
            if (paired) {
                coalitions.complementScratch();
                coalitions.addScratch(weight);
            }
            int i = s - 1;
            while (i >= 0 && index[i] == m - s + i) {
                i--;
            }
            if (i < 0) {
                return;
            }
            index[i]++;
            for (int j = i + 1; j < s; j++) {
                index[j] = index[j - 1] + 1;
            }
        }
    }

    /**
     * The constrained weighted least squares. With {@code L = m - 1} eliminated by {@code phi_L = delta - sum_{i<L}
     * phi_i}, coalition {@code S} contributes the row {@code a_i = z_i - z_L} ({@code i < L}) and the target {@code t =
     * v(S) - base - z_L delta}. {@code a} is the indicator of {@code S} when {@code L} is not in {@code S}, and minus
     * the indicator of the complement when it is, so {@code a a^T} adds {@code w} on the pairs of those players only.
     */
    private void solve(int m, double base, double delta, double[] phi) {
        int n = m - 1;
        for (int i = 0; i < n; i++) {
            Arrays.fill(normal[i], 0, n, 0.0);
        }
        Arrays.fill(rhs, 0, n, 0.0);
        int c = coalitions.size();
        for (int k = 0; k < c; k++) {
            double w = coalitions.weight(k);
            boolean withLast = coalitions.contains(k, n);
            int count = coalitions.players(k, withLast, members);
            double t = coalitionValues[k] - base - (withLast ? delta : 0);
            double wt = withLast ? -w * t : w * t;
            // The listed players never include L: it is outside S, or S's complement is listed.
            for (int a = 0; a < count; a++) {
                int i = members[a];
                rhs[i] += wt;
                double[] row = normal[i];
                for (int b = a; b < count; b++) {
                    row[members[b]] += w;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                normal[j][i] = normal[i][j];
            }
        }
        Cholesky.solveInPlace(normal, rhs, n);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            phi[i] = rhs[i];
            sum += rhs[i];
        }
        phi[n] = delta - sum;
    }

    /** {@code C(n, k)} in double: exact while below 2^53, else within rounding. */
    static double binomial(int n, int k) {
        k = Math.min(k, n - k);
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r < 0x1p53 ? Math.rint(r) : r;
    }

    /**
     * Composed row {@code r}: background row {@code r % B} with the players of coalition {@code r / B} from x. Per
     * coalition it lists once the features to overwrite and the cheaper base: the background row, then the coalition's
     * features from x, or x, then the other players' features from the background row.
     */
    private final class Filler implements CoalitionValues.RowFiller {
        private final int[] features = new int[values.featureCount()];
        private final boolean[] scratch = new boolean[maxPlayers];
        private int coalition = -1;
        private int count;
        private boolean fromX;

        void reset() {
            coalition = -1;
        }

        @Override
        public void fill(int r, float[] row, float[] previous) {
            int rowsPerCoalition = values.backgroundRows();
            int c = r / rowsPerCoalition;
            int b = r - c * rowsPerCoalition;
            if (c != coalition) {
                coalition = c;
                int in = coalitions.players(c, false, subset);
                int inFeatures = values.features(subset, in, false, features, scratch);
                fromX = 2 * inFeatures > values.playerFeatures();
                count = fromX ? values.features(subset, in, true, features, scratch) : inFeatures;
            }
            if (fromX) {
                values.copyX(row);
                values.applyBackground(b, features, count, row);
            } else {
                values.copyBackground(b, row);
                values.applyX(features, count, row);
            }
        }
    }

    /** Builds a {@link KernelShap}; {@link #build()} validates. */
    public static final class Builder extends CoalitionExplainerBuilder<Builder> {
        private int maxCoalitions = ExplainOptions.MAX_COALITIONS.defaultValue();

        private Builder(BatchPredictor predictor) {
            super(predictor);
        }

        @Override
        Builder self() {
            return this;
        }

        /** The most distinct coalitions per explanation, in {@code [2, 2^20]}. */
        public Builder maxCoalitions(int maxCoalitions) {
            this.maxCoalitions = maxCoalitions;
            return this;
        }

        public KernelShap build() {
            defaultGroups();
            Preconditions.checkArgument(
                    maxCoalitions >= 2 && maxCoalitions <= MAX_COALITIONS_LIMIT,
                    "maxCoalitions must be in [2, %s], got %s",
                    MAX_COALITIONS_LIMIT,
                    maxCoalitions);
            Preconditions.checkArgument(
                    (long) maxCoalitions * backgroundSize <= CoalitionValues.MAX_ROWS,
                    "maxCoalitions x backgroundSize must be at most %s rows, got %s x %s",
                    CoalitionValues.MAX_ROWS,
                    maxCoalitions,
                    backgroundSize);
            return new KernelShap(this);
        }
    }
}
