package dev.vigil.operators.explain;

import ai.onnxruntime.OrtException;
import java.util.SplittableRandom;
import org.apache.flink.util.Preconditions;

/**
 * Permutation-sampling Shapley values: E. Štrumbelj and I. Kononenko, "Explaining prediction models and individual
 * predictions with feature contributions", Knowledge and Information Systems 41(3), 2014. A Shapley value is the mean
 * marginal contribution of a player over uniformly random orderings; each sample walks one ordering {@code pi} from a
 * background row {@code z} to {@code x}, switching one player at a time to {@code x}'s values, and credits each player
 * with the change of {@code g(f(.))} its switch caused. One walk costs {@code M - 1} model rows (the ends, {@code
 * g(f(z))} and {@code g(f(x))}, are known) and yields a sample for every player, and its contributions add up to
 * {@code g(f(x)) - g(f(z))}.
 *
 * <p><b>Antithetic permutations.</b> Orderings come in pairs, {@code pi} and its reverse, on the same background row,
 * which cancels much of the position effect (R. Mitchell, J. Cooper, E. Frank and G. Holmes, "Sampling Permutations
 * for Shapley Value Estimation", JMLR 23, 2022).
 *
 * <p><b>Background.</b> Pair {@code j} walks from background row {@code j mod B}, and the pair count is rounded down to
 * a multiple of {@code B} (the builder requires at least one pair per row of a full background), so that every
 * background row starts equally many walks: the attributions then add up exactly to {@code g(f(x))} minus the same
 * base value {@link KernelShap} uses, and a player that cannot change the output gets exactly 0 (dummy).
 *
 * <p><b>Bounded cost.</b> At most {@code permutations (M - 1) + 1} model rows per explanation, plus {@code B} per
 * background change. For a model linear in the {@link OutputSpace output space} every walk gives the exact answer.
 *
 * <p>Deterministic: an explanation is a function of the row, the background and the seed. Not thread-safe.
 */
public final class SamplingShapley implements Explainer {

    /** The most orderings an explainer may be configured for. */
    public static final int MAX_PERMUTATIONS = 1 << 16;

    private final CoalitionValues values;
    private final int permutations;
    private final Filler filler = new Filler();
    private int[] orders = new int[0];
    private int[] starts = new int[0];
    private int walkLength;
    private int players;

    private SamplingShapley(Builder b) {
        this.values = b.coalitionValues();
        this.permutations = b.permutations;
    }

    /**
     * A builder over {@code predictor}; defaults: every feature its own player, logit space, 64 permutations, 32
     * background rows.
     */
    public static Builder builder(BatchPredictor predictor) {
        return new Builder(predictor);
    }

    @Override
    public Explanation explain(float[] x, BackgroundSample background) throws OrtException {
        values.prepare(x, background);
        int m = values.players();
        int rows = values.backgroundRows();
        int pairs = permutations / 2;
        pairs -= pairs % rows; // rows <= backgroundSize <= pairs
        int walks = 2 * pairs;
        this.players = m;
        this.walkLength = Math.max(0, m - 1);
        if (orders.length < walks * m) {
            orders = new int[walks * m];
        }
        if (starts.length < walks) {
            starts = new int[walks];
        }
        SplittableRandom random = values.random();
        for (int j = 0; j < pairs; j++) {
            int forward = 2 * j * m;
            int backward = forward + m;
            for (int k = 0; k < m; k++) {
                orders[forward + k] = k;
            }
            for (int k = m - 1; k > 0; k--) {
                int r = random.nextInt(k + 1);
                int t = orders[forward + k];
                orders[forward + k] = orders[forward + r];
                orders[forward + r] = t;
            }
            for (int k = 0; k < m; k++) {
                orders[backward + k] = orders[forward + m - 1 - k];
            }
            starts[2 * j] = j % rows;
            starts[2 * j + 1] = j % rows;
        }
        double[] v = values.evaluate(walks * walkLength, filler);
        double prediction = values.prediction();
        double[] phi = new double[Math.max(1, m)];
        for (int t = 0; t < walks; t++) {
            int order = t * m;
            double previous = values.backgroundValue(starts[t]);
            int offset = t * walkLength;
            for (int k = 0; k < walkLength; k++) {
                double current = v[offset + k];
                phi[orders[order + k]] += current - previous;
                previous = current;
            }
            if (m > 0) {
                phi[orders[order + m - 1]] += prediction - previous;
            }
        }
        for (int k = 0; k < m; k++) {
            phi[k] /= walks;
        }
        return values.explanation(
                phi, values.baseValue(), Explanation.Estimator.SAMPLING_SHAPLEY, m <= 1, walks);
    }

    @Override
    public FeatureGroups groups() {
        return values.groups();
    }

    @Override
    public OutputSpace outputSpace() {
        return values.outputSpace();
    }

    /** The most orderings walked per explanation. */
    public int permutations() {
        return permutations;
    }

    /**
     * Step {@code k + 1} of walk {@code t}: its background row with its first {@code k + 1} players from x; built from
     * step {@code k} when that is the previous row of the batch.
     */
    private final class Filler implements CoalitionValues.RowFiller {
        @Override
        public void fill(int r, float[] row, float[] previous) {
            int t = r / walkLength;
            int step = r - t * walkLength;
            int order = t * players;
            if (step > 0 && previous != null) {
                System.arraycopy(previous, 0, row, 0, row.length);
                values.applyPlayer(orders[order + step], row);
                return;
            }
            values.copyBackground(starts[t], row);
            for (int k = 0; k <= step; k++) {
                values.applyPlayer(orders[order + k], row);
            }
        }
    }

    /** Builds a {@link SamplingShapley}; {@link #build()} validates. */
    public static final class Builder extends CoalitionExplainerBuilder<Builder> {
        private int permutations = ExplainOptions.PERMUTATIONS.defaultValue();

        private Builder(BatchPredictor predictor) {
            super(predictor);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Orderings walked per explanation: even (pairs of an ordering and its reverse), at least {@code 2 *
         * backgroundSize} (a pair per background row) and at most {@code 2^16}.
         */
        public Builder permutations(int permutations) {
            this.permutations = permutations;
            return this;
        }

        public SamplingShapley build() {
            defaultGroups();
            Preconditions.checkArgument(
                    permutations >= 2 && permutations <= MAX_PERMUTATIONS && permutations % 2 == 0,
                    "permutations must be even and in [2, %s], got %s",
                    MAX_PERMUTATIONS,
                    permutations);
            Preconditions.checkArgument(
                    backgroundSize >= 1, "backgroundSize must be at least 1, got %s", backgroundSize);
            Preconditions.checkArgument(
                    permutations >= 2L * backgroundSize,
                    "permutations (%s) must be at least twice backgroundSize (%s): a pair of walks per background row",
                    permutations,
                    backgroundSize);
            Preconditions.checkArgument(
                    (long) permutations * groups.groupCount() <= CoalitionValues.MAX_ROWS,
                    "permutations x players must be at most %s rows, got %s x %s",
                    CoalitionValues.MAX_ROWS,
                    permutations,
                    groups.groupCount());
            return new SamplingShapley(this);
        }
    }
}
