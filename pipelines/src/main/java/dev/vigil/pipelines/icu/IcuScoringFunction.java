package dev.vigil.pipelines.icu;

import dev.vigil.operators.alert.AlertOptions;
import dev.vigil.operators.explain.Explanation;
import dev.vigil.operators.explain.IcuFeatureGroups;
import dev.vigil.operators.explain.ScoringExplainer;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.PatientSnapshot;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.BatchFunction;
import dev.vigil.operators.inference.InferenceMetrics;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import java.util.List;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores ICU feature snapshots with the deterioration model, one ONNX Runtime call per micro-batch, and keeps the
 * stream going when the model cannot be used: if the model fails to load (bad file, wrong sha-256, wrong feature
 * schema) or an ONNX Runtime call fails, the batch leaves unscored ({@code riskScore = null}, model version
 * {@value ScoredSnapshot#NO_MODEL}) and the alert policy falls back to NEWS2. Each fallback is counted and logged
 * without patient data.
 *
 * <p>Scores at or above the alert threshold ({@link AlertOptions#RISK_ENTER}) get a Shapley explanation over the
 * clinical feature groups ({@link IcuFeatureGroups#clinical()}, {@link ScoringExplainer}, {@code vigil.explain.*}),
 * at most {@code vigil.explain.max-per-batch} per batch, attached as {@link ScoredSnapshot#reasonAttributions}.
 */
public final class IcuScoringFunction implements BatchFunction<PatientSnapshot, ScoredSnapshot> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(IcuScoringFunction.class);

    private final ModelRef model;

    private transient OnnxScorer scorer;
    private transient float[][] rows;
    private transient ScoringExplainer explainer;
    private transient Counter unscored;
    private transient Counter failedBatches;
    private transient Histogram inferenceLatency;

    public IcuScoringFunction(ModelRef model) {
        this.model = Preconditions.checkNotNull(model, "model");
    }

    @Override
    public void open(Context context) {
        unscored = context.getMetricGroup().counter("icuUnscoredSnapshots");
        failedBatches = context.getMetricGroup().counter("icuFailedScoringBatches");
        inferenceLatency = InferenceMetrics.registerLatency(context.getMetricGroup());
        explainer = explainer(context); // invalid vigil.explain.* settings fail here, not as a NEWS2 fallback
        try {
            OnnxScorer opened = OnnxScorer.load(model, context.getOptions(), context.getUserCodeClassLoader());
            List<String> declared = opened.metadata().featureNames();
            if (!declared.equals(IcuFeatures.NAMES)) {
                opened.close();
                throw new IllegalArgumentException("model " + model.label() + " declares " + declared.size()
                        + " features that differ from the pipeline's " + IcuFeatures.SIZE);
            }
            rows = new float[context.getMaxBatchSize()][IcuFeatures.SIZE];
            scorer = opened;
            LOG.info("Scoring with model {} on {}", model.label(), opened.activeProvider());
        } catch (Exception e) {
            scorer = null;
            LOG.error("Model {} unavailable, alerts fall back to NEWS2: {}", model.label(), e.toString());
        }
    }

    @Override
    public void processBatch(List<PatientSnapshot> batch, BatchCollector<ScoredSnapshot> out) {
        int n = batch.size();
        ScoreBatch scores = null;
        if (scorer != null) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.get(i).features, 0, rows[i], 0, IcuFeatures.SIZE);
            }
            try {
                long start = System.nanoTime();
                scores = scorer.score(rows, n);
                InferenceMetrics.recordSince(inferenceLatency, start);
            } catch (Exception e) {
                failedBatches.inc();
                LOG.warn("Scoring a batch of {} failed, NEWS2 fallback for it: {}", n, e.toString());
            }
        }
        Explanation[] explained = scores == null ? null : explainer.explain(scorer, scores, i -> rows[i]);
        for (int i = 0; i < n; i++) {
            PatientSnapshot s = batch.get(i);
            if (scores == null) {
                unscored.inc();
                out.collect(i, ScoredSnapshot.of(s, null, model.name(), ScoredSnapshot.NO_MODEL, null));
            } else {
                out.collect(i, scored(s, scores, i, model, explained[i]));
            }
        }
    }

    /** The explainer of the ICU scores, configured by the operator's options. */
    static ScoringExplainer explainer(Context context) {
        return ScoringExplainer.builder(IcuFeatureGroups.clinical())
                .options(context.getOptions())
                .threshold(context.getOptions().get(AlertOptions.RISK_ENTER))
                .classLoader(context.getUserCodeClassLoader())
                .metricGroup(context.getMetricGroup())
                .build();
    }

    /** Row {@code i}'s result, with the reasons of {@code explanation} when it is not null. */
    static ScoredSnapshot scored(
            PatientSnapshot s, ScoreBatch scores, int i, ModelRef model, Explanation explanation) {
        ScoredSnapshot scored = ScoredSnapshot.of(s, (double) scores.probability(i), model.name(), model.version(),
                scores.hasContributions() ? scores.contributions(i) : null);
        if (explanation != null) {
            int players = explanation.size();
            String[] names = new String[players];
            float[] values = new float[players];
            float[] attributions = new float[players];
            for (int p = 0; p < players; p++) {
                names[p] = explanation.name(p);
                values[p] = (float) explanation.value(p);
                attributions[p] = (float) explanation.attribution(p);
            }
            scored.withReasons(names, values, attributions);
        }
        return scored;
    }

    @Override
    public void close() throws Exception {
        if (scorer != null) {
            scorer.close();
            scorer = null;
            explainer = null;
        }
    }

    @Override
    public String modelVersion() {
        return scorer == null ? NONE : model.version();
    }

    @Override
    public String activeProvider() {
        return scorer == null ? NONE : scorer.activeProvider().name();
    }
}
