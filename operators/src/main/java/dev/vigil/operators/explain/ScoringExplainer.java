package dev.vigil.operators.explain;

import dev.vigil.models.onnx.ModelType;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelLoader;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapley explanations on the scoring path, for the few scored rows that need them: a scoring function hands over each
 * scored micro-batch ({@link #explain}) and gets back the grouped attributions of the rows whose probability reached
 * the {@link Builder#threshold threshold} (the alert threshold), so the hot path stays one model call per batch for
 * every other row.
 *
 * <ul>
 *   <li><b>Bounded cost.</b> At most {@link ExplainOptions#MAX_PER_BATCH} rows per batch are explained, the riskiest
 *       first (ties in arrival order); the rest are counted ({@code explanationsSkippedOverCap}) and keep whatever
 *       reasons the model's {@code contributions} output gives.
 *   <li><b>Background.</b> Every scored row is offered to a {@link BackgroundSample} reservoir of {@link
 *       ExplainOptions#BACKGROUND_SIZE} rows (a copy while it fills, then an occasional copy: cheap). Nothing is
 *       explained until it is full ({@code explanationsSkippedNoBackground}). A batch is explained against the
 *       background as it was before the batch, then offered to it.
 *   <li><b>Per model version.</b> The explainer is built lazily for the {@link OnnxScorer} instance of the batch and
 *       rebuilt when the instance changes (a hot swap). A logistic model ({@code vigil.model.type = logistic}, or no
 *       type, as in models exported before the key existed) in {@link OutputSpace#LOGIT} gets {@link LinearShapley}'s
 *       closed form (exact, microseconds, no model call), from the version's bytes read again with the {@link
 *       ModelLoader} and checked against its sha-256; any other model, or a logistic one whose bytes cannot be read,
 *       the configured model-agnostic estimator ({@link Explainers#create}: Kernel SHAP or sampling) over the live
 *       session ({@link OnnxBatchPredictor}).
 *   <li><b>Never fails the batch.</b> A model error while explaining, or an explainer that cannot be built for a
 *       version (its features do not fit the groups), leaves the row unexplained and is counted ({@code
 *       explanationFailures}) and logged without record contents.
 * </ul>
 *
 * <pre>{@code
 * explainer = ScoringExplainer.builder(IcuFeatureGroups.clinical())
 *         .options(context.getOptions())                    // vigil.explain.*
 *         .threshold(context.getOptions().get(AlertOptions.RISK_ENTER))
 *         .classLoader(context.getUserCodeClassLoader())
 *         .metricGroup(context.getMetricGroup())
 *         .build();
 * ...
 * ScoreBatch scores = scorer.score(rows, n);
 * Explanation[] explained = explainer.explain(scorer, scores, i -> rows[i]);   // null where not explained
 * }</pre>
 *
 * <p>Metrics (with {@link Builder#metricGroup}): {@code explanations}, {@code explanationsSkippedOverCap}, {@code
 * explanationsSkippedNoBackground}, {@code explanationFailures} (counters), {@code explanationMeanMillis} (gauge: mean
 * wall time of the last {@value #TIMING_WINDOW} explanations) and {@code explanationMethod} (gauge: the {@link
 * Explanation.Estimator} of the active model, or {@code none}).
 *
 * <p>The background lives in the operator instance, not in Flink state: after a restore explanations resume once
 * {@code background-size} rows have been scored again. Not thread-safe: use it from the thread that scores.
 */
public final class ScoringExplainer {

    /** Number of most recent explanations {@code explanationMeanMillis} averages. */
    public static final int TIMING_WINDOW = 64;

    /** Value of the {@code explanationMethod} gauge while no explainer is built. */
    public static final String NO_METHOD = "none";

    private static final Logger LOG = LoggerFactory.getLogger(ScoringExplainer.class);

    private final FeatureGroups groups;
    private final ReadableConfig options;
    private final double threshold;
    private final int maxPerBatch;
    private final int backgroundSize;
    private final long seed;
    private final OutputSpace outputSpace;
    private final ModelLoader modelLoader;
    private final ClassLoader classLoader;
    private final BackgroundSample background;

    /** The scorer the cached explainer belongs to; compared by identity. */
    private OnnxScorer explainedScorer;
    /** The explainer of {@link #explainedScorer}; null when none could be built for it. */
    private Explainer explainer;

    private Explanation[] results = new Explanation[0];
    private final int[] chosen;

    private final Counter explanations;
    private final Counter skippedOverCap;
    private final Counter skippedNoBackground;
    private final Counter failures;
    private final long[] recentNanos = new long[TIMING_WINDOW];
    private long timed;
    private long recentSum;
    private volatile double meanMillis;
    private volatile String method = NO_METHOD;

    private ScoringExplainer(Builder b) {
        this.groups = b.groups;
        this.options = b.options;
        this.threshold = b.threshold;
        this.maxPerBatch = b.options.get(ExplainOptions.MAX_PER_BATCH);
        this.backgroundSize = b.options.get(ExplainOptions.BACKGROUND_SIZE);
        this.seed = b.options.get(ExplainOptions.SEED);
        this.outputSpace = b.options.get(ExplainOptions.OUTPUT_SPACE);
        this.modelLoader = b.modelLoader;
        this.classLoader = b.classLoader;
        this.background = new BackgroundSample(backgroundSize, groups.featureCount(), seed);
        this.chosen = new int[maxPerBatch];
        MetricGroup metrics = b.metricGroup;
        this.explanations = counter(metrics, "explanations");
        this.skippedOverCap = counter(metrics, "explanationsSkippedOverCap");
        this.skippedNoBackground = counter(metrics, "explanationsSkippedNoBackground");
        this.failures = counter(metrics, "explanationFailures");
        if (metrics != null) {
            metrics.gauge("explanationMeanMillis", (Gauge<Double>) () -> meanMillis);
            metrics.gauge("explanationMethod", (Gauge<String>) () -> method);
        }
    }

    /** A builder over {@code groups}, the players of every explanation (their features: the model's, in order). */
    public static Builder builder(FeatureGroups groups) {
        return new Builder(groups);
    }

    /**
     * Explains the rows of one scored batch that need it and offers every row to the background.
     *
     * @param scorer the scorer that computed {@code scores}: the model explained (not closed, not kept beyond the
     *     next call with another scorer)
     * @param scores the batch's scores; row {@code i}'s probability decides whether it is explained
     * @param rows row {@code i}'s feature vector, as scored ({@code 0 <= i < scores.size()}); not modified, not kept
     * @return the explanation of row {@code i} at index {@code i}, null where it was not explained; the array is
     *     reused, valid until the next call, and may be longer than the batch
     */
    public Explanation[] explain(OnnxScorer scorer, ScoreBatch scores, IntFunction<float[]> rows) {
        Preconditions.checkNotNull(scorer, "scorer");
        Preconditions.checkNotNull(scores, "scores");
        Preconditions.checkNotNull(rows, "rows");
        int n = scores.size();
        if (results.length < n) {
            results = new Explanation[n];
        } else {
            Arrays.fill(results, 0, n, null);
        }
        if (maxPerBatch > 0) {
            explainRisky(scorer, scores, rows, n);
            for (int i = 0; i < n; i++) {
                background.offer(rows.apply(i));
            }
        }
        return results;
    }

    private void explainRisky(OnnxScorer scorer, ScoreBatch scores, IntFunction<float[]> rows, int n) {
        int candidates = 0;
        for (int i = 0; i < n; i++) {
            if (scores.probability(i) >= threshold) {
                candidates++;
            }
        }
        if (candidates == 0) {
            return;
        }
        if (background.size() < backgroundSize) {
            skippedNoBackground.inc(candidates);
            return;
        }
        Explainer active = explainerFor(scorer);
        if (active == null) {
            failures.inc(candidates);
            return;
        }
        int picked = pickRiskiest(scores, n, Math.min(candidates, maxPerBatch));
        skippedOverCap.inc(candidates - picked);
        for (int j = 0; j < picked; j++) {
            int i = chosen[j];
            long start = System.nanoTime();
            try {
                results[i] = active.explain(rows.apply(i), background);
                explanations.inc();
                recordTime(System.nanoTime() - start);
            } catch (Exception e) {
                failures.inc();
                LOG.warn("Explaining a score of model {} failed; it keeps the graph's reasons: {}",
                        scorer.modelRef().label(), e.toString());
            }
        }
    }

    /** Writes to {@link #chosen} the {@code k} rows of highest probability at or above the threshold. */
    private int pickRiskiest(ScoreBatch scores, int n, int k) {
        int picked = 0;
        while (picked < k) {
            int best = -1;
            float bestP = 0;
            for (int i = 0; i < n; i++) {
                float p = scores.probability(i);
                if (p >= threshold && (best < 0 || p > bestP) && !isChosen(i, picked)) {
                    best = i;
                    bestP = p;
                }
            }
            if (best < 0) {
                break;
            }
            chosen[picked++] = best;
        }
        return picked;
    }

    private boolean isChosen(int row, int picked) {
        for (int j = 0; j < picked; j++) {
            if (chosen[j] == row) {
                return true;
            }
        }
        return false;
    }

    /** The explainer of {@code scorer}, built on first use and whenever the scorer instance changes. */
    private Explainer explainerFor(OnnxScorer scorer) {
        if (scorer != explainedScorer) {
            explainedScorer = scorer;
            explainer = build(scorer);
            method = explainer == null ? NO_METHOD : estimatorName(explainer);
        }
        return explainer;
    }

    private Explainer build(OnnxScorer scorer) {
        ModelRef ref = scorer.modelRef();
        if (scorer.featureCount() != groups.featureCount()) {
            LOG.warn("Model {} has {} features, the explanation groups {}: its scores are not explained",
                    ref.label(), scorer.featureCount(), groups.featureCount());
            return null;
        }
        Optional<ModelType> type;
        try {
            type = ModelType.fromMetadata(scorer.metadata().properties());
        } catch (IllegalArgumentException unknownType) {
            type = Optional.of(ModelType.MLP); // not a linear model this version knows: model-agnostic
        }
        if (outputSpace == OutputSpace.LOGIT && type.map(t -> t == ModelType.LOGISTIC).orElse(true)) {
            try {
                byte[] onnx = modelLoader.read(ref, classLoader);
                String sha256 = ModelBytes.sha256Hex(onnx);
                Preconditions.checkArgument(sha256.equals(ref.sha256()), "sha-256 %s differs from %s", sha256,
                        ref.sha256());
                LinearShapley linear = LinearShapley.fromOnnx(onnx, groups, backgroundSize, seed);
                LOG.info("Explaining model {} with the exact linear Shapley values", ref.label());
                return linear;
            } catch (Exception e) {
                if (type.isPresent()) {
                    LOG.warn("Model {} is logistic but its parameters could not be read ({}); explaining it with"
                            + " the model-agnostic estimator", ref.label(), e.toString());
                }
                // Without a type: not the exported logistic graph, so a model-agnostic estimator is the right one.
            }
        }
        try {
            Explainer agnostic = Explainers.create(options, new OnnxBatchPredictor(scorer), groups);
            LOG.info("Explaining model {} with {}", ref.label(), agnostic);
            return agnostic;
        } catch (RuntimeException e) {
            LOG.warn("No explainer for model {}: {}", ref.label(), e.toString());
            return null;
        }
    }

    private static String estimatorName(Explainer explainer) {
        if (explainer instanceof LinearShapley) {
            return Explanation.Estimator.LINEAR.name();
        }
        if (explainer instanceof KernelShap) {
            return Explanation.Estimator.KERNEL_SHAP.name();
        }
        if (explainer instanceof SamplingShapley) {
            return Explanation.Estimator.SAMPLING_SHAPLEY.name();
        }
        return explainer.getClass().getSimpleName();
    }

    private void recordTime(long nanos) {
        int slot = (int) (timed++ % TIMING_WINDOW);
        recentSum += nanos - recentNanos[slot];
        recentNanos[slot] = nanos;
        meanMillis = recentSum / 1e6 / Math.min(timed, TIMING_WINDOW);
    }

    private static Counter counter(MetricGroup metrics, String name) {
        return metrics == null ? new SimpleCounter() : metrics.counter(name, new SimpleCounter());
    }

    /** Rows explained so far. */
    public long explanations() {
        return explanations.getCount();
    }

    /** Rows at or above the threshold left unexplained because the batch had more than {@code max-per-batch}. */
    public long skippedOverCap() {
        return skippedOverCap.getCount();
    }

    /** Rows at or above the threshold left unexplained because the background was still filling. */
    public long skippedNoBackground() {
        return skippedNoBackground.getCount();
    }

    /** Rows at or above the threshold left unexplained by a model error or a model no explainer fits. */
    public long failures() {
        return failures.getCount();
    }

    /** The mean wall time of the last {@value #TIMING_WINDOW} explanations, in milliseconds; 0 before the first. */
    public double meanMillis() {
        return meanMillis;
    }

    /** The explainer of the last scorer seen (null before the first explanation, or if none fits it). */
    Explainer currentExplainer() {
        return explainer;
    }

    /** Rows in the background sample. */
    public int backgroundRows() {
        return background.size();
    }

    public double threshold() {
        return threshold;
    }

    @Override
    public String toString() {
        return "ScoringExplainer{threshold=" + threshold + ", maxPerBatch=" + maxPerBatch + ", background="
                + background + ", method=" + method + '}';
    }

    /** Builds a {@link ScoringExplainer}; {@link #build()} validates the settings. */
    public static final class Builder {
        private final FeatureGroups groups;
        private ReadableConfig options = new Configuration();
        private double threshold = Double.NaN;
        private ModelLoader modelLoader = ModelLoader.fromUri();
        private ClassLoader classLoader = ScoringExplainer.class.getClassLoader();
        private MetricGroup metricGroup;

        private Builder(FeatureGroups groups) {
            this.groups = Preconditions.checkNotNull(groups, "groups");
        }

        /** {@link ExplainOptions}; defaults when not given. */
        public Builder options(ReadableConfig options) {
            this.options = Preconditions.checkNotNull(options, "options");
            return this;
        }

        /** Required: rows whose probability is at least this, in {@code [0, 1]}, are explained. */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** Reads a logistic version's bytes for its closed form; {@link ModelLoader#fromUri()} by default. */
        public Builder modelLoader(ModelLoader modelLoader) {
            this.modelLoader = Preconditions.checkNotNull(modelLoader, "modelLoader");
            return this;
        }

        /** The job's class loader, for {@code classpath:} model URIs. */
        public Builder classLoader(ClassLoader classLoader) {
            this.classLoader = Preconditions.checkNotNull(classLoader, "classLoader");
            return this;
        }

        /** Where the metrics are registered (optional). */
        public Builder metricGroup(MetricGroup metricGroup) {
            this.metricGroup = metricGroup;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the threshold is missing or out of range, or an {@link ExplainOptions}
         *     setting is
         */
        public ScoringExplainer build() {
            Preconditions.checkArgument(threshold >= 0 && threshold <= 1,
                    "threshold must be in [0, 1], got %s", threshold);
            int maxPerBatch = options.get(ExplainOptions.MAX_PER_BATCH);
            Preconditions.checkArgument(maxPerBatch >= 0, "%s must not be negative, got %s",
                    ExplainOptions.MAX_PER_BATCH.key(), maxPerBatch);
            int backgroundSize = options.get(ExplainOptions.BACKGROUND_SIZE);
            Preconditions.checkArgument(backgroundSize >= 1, "%s must be at least 1, got %s",
                    ExplainOptions.BACKGROUND_SIZE.key(), backgroundSize);
            // Fail at open rather than at the first alert: the estimator's settings are checked now.
            Explainers.create(options, new UnusedPredictor(groups.featureCount()), groups);
            return new ScoringExplainer(this);
        }
    }

    /** Stands for the model while {@link Builder#build()} validates the estimator settings; never called. */
    private static final class UnusedPredictor implements BatchPredictor {
        private final int featureCount;

        UnusedPredictor(int featureCount) {
            this.featureCount = featureCount;
        }

        @Override
        public int featureCount() {
            return featureCount;
        }

        @Override
        public void predict(float[][] rows, int n, double[] out) {
            throw new UnsupportedOperationException("validation only");
        }
    }
}
