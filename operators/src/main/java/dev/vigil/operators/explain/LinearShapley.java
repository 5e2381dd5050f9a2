package dev.vigil.operators.explain;

import dev.vigil.models.onnx.OnnxImport;
import java.util.Arrays;
import org.apache.flink.util.Preconditions;

/**
 * Closed-form Shapley values of a model that is linear in {@link OutputSpace#LOGIT logit space}, {@code g(f(x)) = c_0 +
 * sum_i c_i x_i} (logistic regression): with the interventional value function over a background, feature {@code i}'s
 * Shapley value is {@code c_i (x_i - E_b[z_i])} and a group's is the sum over its features (S. M. Lundberg and S.-I.
 * Lee, "A Unified Approach to Interpreting Model Predictions", NeurIPS 2017, Corollary 1 "Linear SHAP"). No model call:
 * the cost is one pass over the background.
 *
 * <p>For a logistic model exported with standardization {@code w_i (x_i - mu_i) / sigma_i + b} the coefficients are
 * {@code c_i = w_i / sigma_i} ({@link #standardized}, {@link #fromOnnx}). The graph's own {@code contributions} output
 * is the same formula against the training mean {@code mu} instead of a background mean.
 *
 * <p>The background rows are selected as {@link KernelShap} and {@link SamplingShapley} select them (all of a sample of
 * at most {@code backgroundSize} rows, else a seeded uniform subset), so the three agree on the same inputs. Not
 * thread-safe.
 */
public final class LinearShapley implements Explainer {

    private final double[] coefficients;
    private final double intercept;
    private final FeatureGroups groups;
    private final int backgroundSize;
    private final long seed;
    private final double[] mean;

    /**
     * @param coefficients {@code c_i}, in feature order, finite
     * @param intercept {@code c_0}, finite
     * @param groups the players over {@code coefficients.length} features
     * @param backgroundSize the most background rows used, {@code >= 1}
     * @param seed the seed of the background selection
     */
    public LinearShapley(
            double[] coefficients, double intercept, FeatureGroups groups, int backgroundSize, long seed) {
        Preconditions.checkNotNull(coefficients, "coefficients");
        Preconditions.checkNotNull(groups, "groups");
        Preconditions.checkArgument(
                coefficients.length == groups.featureCount(),
                "%s coefficients for %s features",
                coefficients.length,
                groups.featureCount());
        for (double c : coefficients) {
            Preconditions.checkArgument(Double.isFinite(c), "coefficients must be finite: %s", Arrays.toString(coefficients));
        }
        Preconditions.checkArgument(Double.isFinite(intercept), "intercept must be finite, got %s", intercept);
        Preconditions.checkArgument(
                backgroundSize >= 1, "backgroundSize must be at least 1, got %s", backgroundSize);
        this.coefficients = coefficients.clone();
        this.intercept = intercept;
        this.groups = groups;
        this.backgroundSize = backgroundSize;
        this.seed = seed;
        this.mean = new double[coefficients.length];
    }

    /** For {@code logit = sum_i w_i (x_i - mu_i) / sigma_i + b}. */
    public static LinearShapley standardized(
            double[] weights,
            double bias,
            double[] mu,
            double[] sigma,
            FeatureGroups groups,
            int backgroundSize,
            long seed) {
        Preconditions.checkArgument(
                weights.length == mu.length && mu.length == sigma.length,
                "weights, mu and sigma differ in length: %s, %s, %s",
                weights.length,
                mu.length,
                sigma.length);
        double[] c = new double[weights.length];
        double c0 = bias;
        for (int i = 0; i < c.length; i++) {
            Preconditions.checkArgument(sigma[i] > 0, "sigma[%s] must be > 0, got %s", i, sigma[i]);
            c[i] = weights[i] / sigma[i];
            c0 -= c[i] * mu[i];
        }
        return new LinearShapley(c, c0, groups, backgroundSize, seed);
    }

    /**
     * For a logistic model in the ONNX form {@link dev.vigil.models.onnx.LogisticRegressionOnnxExporter} writes (the
     * bundled ICU model), with its float32 parameters.
     *
     * @throws IllegalArgumentException if the graph is not that of an exported logistic model
     */
    public static LinearShapley fromOnnx(byte[] onnx, FeatureGroups groups, int backgroundSize, long seed) {
        OnnxImport.ImportedLogistic model = OnnxImport.logistic(onnx);
        return standardized(
                model.model().weights(), model.model().bias(), model.mean(), model.std(), groups, backgroundSize, seed);
    }

    @Override
    public Explanation explain(float[] x, BackgroundSample background) {
        Preconditions.checkNotNull(x, "x");
        Preconditions.checkNotNull(background, "background");
        int f = coefficients.length;
        Preconditions.checkArgument(x.length == f, "x has %s features, the model %s", x.length, f);
        Preconditions.checkArgument(
                background.featureCount() == f, "the background has %s features, the model %s",
                background.featureCount(), f);
        Preconditions.checkArgument(background.size() > 0, "the background sample is empty");
        backgroundMean(background);
        double base = intercept;
        double prediction = intercept;
        for (int i = 0; i < f; i++) {
            base += coefficients[i] * mean[i];
            prediction += coefficients[i] * x[i];
        }
        int[][] members = groups.membersView();
        double[] attributions = new double[members.length];
        double[] values = new double[members.length];
        for (int g = 0; g < members.length; g++) {
            double a = 0;
            for (int i : members[g]) {
                a += coefficients[i] * (x[i] - mean[i]);
            }
            attributions[g] = a;
            values[g] = x[groups.representative(g)];
        }
        return new Explanation(groups.groupNames(), values, attributions, base, prediction, OutputSpace.LOGIT,
                Explanation.Estimator.LINEAR, true, 0, 0, 0);
    }

    @Override
    public FeatureGroups groups() {
        return groups;
    }

    /** Always {@link OutputSpace#LOGIT}: a logistic model is additive only there. */
    @Override
    public OutputSpace outputSpace() {
        return OutputSpace.LOGIT;
    }

    /** {@code c_i}, in feature order (a copy). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    public double intercept() {
        return intercept;
    }

    /** The mean of the selected background rows, as {@link CoalitionValues} selects them. */
    private void backgroundMean(BackgroundSample background) {
        Arrays.fill(mean, 0);
        int[] selected = CoalitionValues.selectRows(background.size(), backgroundSize, seed);
        float[] row = new float[coefficients.length];
        for (int b : selected) {
            background.copyRow(b, row);
            for (int i = 0; i < row.length; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= selected.length;
        }
    }

    @Override
    public String toString() {
        return "LinearShapley{" + groups.groupCount() + " players over " + coefficients.length + " features}";
    }
}
