package dev.vigil.operators.explain;

import ai.onnxruntime.OrtException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.flink.util.Preconditions;

/**
 * The machinery {@link KernelShap} and {@link SamplingShapley} share: the background rows an explanation uses, the
 * players that can matter, and the evaluation of many composed rows ({@code x} on some players, a background row on
 * the others) in batches through the {@link BatchPredictor}, with the {@link OutputSpace} link applied per row.
 *
 * <p><b>Background.</b> At most {@code backgroundSize} rows: all of a smaller sample, else a uniform subset drawn with
 * the seed. They are copied, and their outputs {@code g(f(z_b))} cached, until the sample changes ({@link
 * BackgroundSample#version()}), so a fixed background costs {@code B} model rows once, not per explanation.
 *
 * <p><b>Players.</b> A group whose features equal {@code x}'s in every background row cannot change any coalition's
 * value (a dummy player): it gets attribution 0 without entering the estimator, which shrinks the coalition space for
 * free (as SHAP's KernelExplainer does with its "varying" features).
 *
 * <p>Allocation-light: batch buffers are allocated once; per explanation only arrays that grow with the largest
 * explanation seen. Not thread-safe.
 */
final class CoalitionValues {

    /** The most composed rows one explanation may evaluate (their values are held: 8 bytes each). */
    static final long MAX_ROWS = 1L << 24;

    /** Writes composed row {@code r} of a request into {@code row}. */
    interface RowFiller {
        /**
         * @param previous row {@code r - 1} as filled just before, in the same batch; {@code null} for the first row
         *     of a batch
         */
        void fill(int r, float[] row, float[] previous);
    }

    private final BatchPredictor predictor;
    private final FeatureGroups groups;
    private final int[][] members;
    private final OutputSpace outputSpace;
    private final int backgroundSize;
    private final long seed;
    private final int featureCount;
    private final float[][] batch;
    private final double[] out;

    // The background in use, and what it costs to know.
    private BackgroundSample sample;
    private long sampleVersion;
    private final float[][] background;
    private int backgroundRows;
    private final double[] backgroundValues;
    private boolean backgroundEvaluated;
    private double baseValue;

    // The explanation in progress.
    private float[] x;
    private int players;
    private final int[] playerGroups;
    private double prediction;
    private double[] values = new double[0];
    private long modelRows;
    private int modelCalls;

    CoalitionValues(
            BatchPredictor predictor,
            FeatureGroups groups,
            OutputSpace outputSpace,
            int backgroundSize,
            int batchRows,
            long seed) {
        this.predictor = Preconditions.checkNotNull(predictor, "predictor");
        this.groups = Preconditions.checkNotNull(groups, "groups");
        this.outputSpace = Preconditions.checkNotNull(outputSpace, "outputSpace");
        Preconditions.checkArgument(
                predictor.featureCount() == groups.featureCount(),
                "the model has %s features, the groups %s",
                predictor.featureCount(),
                groups.featureCount());
        Preconditions.checkArgument(
                backgroundSize >= 1, "backgroundSize must be at least 1, got %s", backgroundSize);
        Preconditions.checkArgument(batchRows >= 1, "batchRows must be at least 1, got %s", batchRows);
        this.members = groups.membersView();
        this.backgroundSize = backgroundSize;
        this.seed = seed;
        this.featureCount = groups.featureCount();
        this.batch = new float[batchRows][featureCount];
        this.out = new double[batchRows];
        this.background = new float[backgroundSize][featureCount];
        this.backgroundValues = new double[backgroundSize];
        this.playerGroups = new int[groups.groupCount()];
    }

    /** Starts an explanation of {@code x}: selects the background and finds the players. */
    void prepare(float[] x, BackgroundSample sample) {
        Preconditions.checkNotNull(x, "x");
        Preconditions.checkNotNull(sample, "background");
        Preconditions.checkArgument(
                x.length == featureCount, "x has %s features, the model %s", x.length, featureCount);
        Preconditions.checkArgument(
                sample.featureCount() == featureCount,
                "the background has %s features, the model %s",
                sample.featureCount(),
                featureCount);
        Preconditions.checkArgument(sample.size() > 0, "the background sample is empty");
        if (sample != this.sample || sample.version() != sampleVersion) {
            selectBackground(sample);
        }
        this.x = x;
        this.players = 0;
        for (int g = 0; g < members.length; g++) {
            if (varies(members[g])) {
                playerGroups[players++] = g;
            }
        }
        this.modelRows = 0;
        this.modelCalls = 0;
    }

    /**
     * Evaluates {@code n} composed rows, and first {@code f(x)} and, unless cached, the background. Returns {@code
     * g(f(row r))} at index {@code r}; the array is reused by the next call.
     */
    double[] evaluate(int n, RowFiller filler) throws OrtException {
        int prefix = 1 + (backgroundEvaluated ? 0 : backgroundRows);
        long total = (long) prefix + n;
        Preconditions.checkArgument(total <= MAX_ROWS + 1 + backgroundRows, "too many rows: %s", total);
        if (values.length < n) {
            values = new double[Math.max(n, values.length + (values.length >> 1))];
        }
        int done = 0;
        while (done < total) {
            int count = (int) Math.min(batch.length, total - done);
            for (int j = 0; j < count; j++) {
                int r = done + j;
                if (r == 0) {
                    System.arraycopy(x, 0, batch[j], 0, featureCount);
                } else if (r < prefix) {
                    System.arraycopy(background[r - 1], 0, batch[j], 0, featureCount);
                } else {
                    filler.fill(r - prefix, batch[j], r > prefix && j > 0 ? batch[j - 1] : null);
                }
            }
            predictor.predict(batch, count, out);
            modelCalls++;
            for (int j = 0; j < count; j++) {
                int r = done + j;
                double v = outputSpace.apply(out[j]);
                if (r == 0) {
                    prediction = v;
                } else if (r < prefix) {
                    backgroundValues[r - 1] = v;
                } else {
                    values[r - prefix] = v;
                }
            }
            done += count;
        }
        modelRows += total;
        if (!backgroundEvaluated) {
            double sum = 0;
            for (int b = 0; b < backgroundRows; b++) {
                sum += backgroundValues[b];
            }
            baseValue = sum / backgroundRows;
            backgroundEvaluated = true;
        }
        return values;
    }

    /** Copies background row {@code b} into {@code row}. */
    void copyBackground(int b, float[] row) {
        System.arraycopy(background[b], 0, row, 0, featureCount);
    }

    /** Sets the features of player {@code k} in {@code row} to {@code x}'s. */
    void applyPlayer(int k, float[] row) {
        for (int f : members[playerGroups[k]]) {
            row[f] = x[f];
        }
    }

    /** Copies {@code x} into {@code row}. */
    void copyX(float[] row) {
        System.arraycopy(x, 0, row, 0, featureCount);
    }

    /** Sets features {@code features[0 .. count-1]} of {@code row} to background row {@code b}'s. */
    void applyBackground(int b, int[] features, int count, float[] row) {
        float[] z = background[b];
        for (int i = 0; i < count; i++) {
            int f = features[i];
            row[f] = z[f];
        }
    }

    /** Sets features {@code features[0 .. count-1]} of {@code row} to {@code x}'s. */
    void applyX(int[] features, int count, float[] row) {
        for (int i = 0; i < count; i++) {
            int f = features[i];
            row[f] = x[f];
        }
    }

    /**
     * Writes the features of the players {@code players[0 .. count-1]} to {@code out}, or, if {@code complement}, the
     * features of every other player (dummy groups excluded either way); returns how many.
     */
    int features(int[] players, int count, boolean complement, int[] out, boolean[] scratch) {
        int n = 0;
        if (!complement) {
            for (int i = 0; i < count; i++) {
                for (int f : members[playerGroups[players[i]]]) {
                    out[n++] = f;
                }
            }
            return n;
        }
        Arrays.fill(scratch, 0, this.players, false);
        for (int i = 0; i < count; i++) {
            scratch[players[i]] = true;
        }
        for (int k = 0; k < this.players; k++) {
            if (!scratch[k]) {
                for (int f : members[playerGroups[k]]) {
                    out[n++] = f;
                }
            }
        }
        return n;
    }

    /** The number of features of the current players. */
    int playerFeatures() {
        int n = 0;
        for (int k = 0; k < players; k++) {
            n += members[playerGroups[k]].length;
        }
        return n;
    }

    int featureCount() {
        return featureCount;
    }

    /** A random generator for this explanation: a function of the seed and {@code x}'s bits only. */
    SplittableRandom random() {
        long h = seed;
        for (float v : x) {
            h = h * 0x9E3779B97F4A7C15L + Float.floatToIntBits(v);
        }
        return new SplittableRandom(h ^ (h >>> 29));
    }

    /** An {@link Explanation} with {@code playerAttributions[k]} for player {@code k} and 0 for dummy groups. */
    Explanation explanation(
            double[] playerAttributions,
            double base,
            Explanation.Estimator estimator,
            boolean exact,
            int samples) {
        double[] attributions = new double[members.length];
        for (int k = 0; k < players; k++) {
            attributions[playerGroups[k]] = playerAttributions[k];
        }
        double[] reported = new double[members.length];
        for (int g = 0; g < members.length; g++) {
            reported[g] = x[groups.representative(g)];
        }
        return new Explanation(groups.groupNames(), reported, attributions, base, prediction, outputSpace, estimator,
                exact, samples, modelRows, modelCalls);
    }

    /** Players that can change the output for the current explanation. */
    int players() {
        return players;
    }

    /** Background rows in use. */
    int backgroundRows() {
        return backgroundRows;
    }

    /** {@code g(f(z_b))} of background row {@code b}; valid after the first {@link #evaluate}. */
    double backgroundValue(int b) {
        return backgroundValues[b];
    }

    /** {@code mean_b g(f(z_b))}; valid after the first {@link #evaluate}. */
    double baseValue() {
        return baseValue;
    }

    /** {@code g(f(x))}; valid after the first {@link #evaluate}. */
    double prediction() {
        return prediction;
    }

    FeatureGroups groups() {
        return groups;
    }

    OutputSpace outputSpace() {
        return outputSpace;
    }

    private boolean varies(int[] features) {
        for (int b = 0; b < backgroundRows; b++) {
            float[] z = background[b];
            for (int f : features) {
                if (Float.floatToIntBits(z[f]) != Float.floatToIntBits(x[f])) {
                    return true;
                }
            }
        }
        return false;
    }

    private void selectBackground(BackgroundSample sample) {
        int[] selected = selectRows(sample.size(), backgroundSize, seed);
        backgroundRows = selected.length;
        for (int b = 0; b < backgroundRows; b++) {
            sample.copyRow(selected[b], background[b]);
        }
        this.sample = sample;
        this.sampleVersion = sample.version();
        this.backgroundEvaluated = false;
    }

    /**
     * The background rows an explanation uses out of {@code size}: all when {@code size <= max}, else a uniform subset
     * of {@code max}, the first positions of a partial Fisher-Yates shuffle seeded by {@code seed}.
     */
    static int[] selectRows(int size, int max, long seed) {
        int rows = Math.min(size, max);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        if (size > max) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int b = 0; b < rows; b++) {
                int j = b + random.nextInt(size - b);
                int t = order[b];
                order[b] = order[j];
                order[j] = t;
            }
        }
        return rows == size ? order : Arrays.copyOf(order, rows);
    }
}
