package dev.vigil.pipelines.icu;

import dev.vigil.operators.explain.Explanation;
import dev.vigil.operators.explain.ScoringExplainer;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.PatientSnapshot;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.BatchFunction;
import dev.vigil.operators.inference.HotSwapScoringFunction;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import java.util.List;

/**
 * The ICU scorer's record mapping when models are hot-swapped from the control topic: the same outputs as {@link
 * IcuScoringFunction}, stamped with whichever version scored the batch, and the same Shapley explanations of the
 * scores at or above the alert threshold, computed against whichever version is active (the explainer is rebuilt on
 * each swap). When no version is usable the operator hands over {@code null} scores and the snapshots leave unscored
 * (version {@value ScoredSnapshot#NO_MODEL}), so alerting falls back to NEWS2.
 */
public final class IcuHotSwapScoring implements HotSwapScoringFunction<PatientSnapshot, ScoredSnapshot> {

    private static final long serialVersionUID = 1L;

    private final String modelName;

    private transient ScoringExplainer explainer;

    public IcuHotSwapScoring(String modelName) {
        this.modelName = modelName;
    }

    @Override
    public void open(BatchFunction.Context context) {
        explainer = IcuScoringFunction.explainer(context);
    }

    @Override
    public void extractFeatures(PatientSnapshot record, float[] row) {
        System.arraycopy(record.features, 0, row, 0, IcuFeatures.SIZE);
    }

    @Override
    public void processBatch(
            List<PatientSnapshot> batch, ScoreBatch scores, OnnxScorer active, BatchCollector<ScoredSnapshot> out) {
        Explanation[] explained = scores == null || active == null || explainer == null
                ? null
                : explainer.explain(active, scores, i -> batch.get(i).features);
        emit(batch, scores, active == null ? null : active.modelRef(), explained, out);
    }

    /** Without the scorer no explanation can be computed: the graph's contributions are the only reasons. */
    @Override
    public void processBatch(
            List<PatientSnapshot> batch, ScoreBatch scores, ModelRef model, BatchCollector<ScoredSnapshot> out) {
        emit(batch, scores, model, null, out);
    }

    @Override
    public void close() {
        explainer = null;
    }

    private void emit(List<PatientSnapshot> batch, ScoreBatch scores, ModelRef model, Explanation[] explained,
            BatchCollector<ScoredSnapshot> out) {
        for (int i = 0; i < batch.size(); i++) {
            PatientSnapshot s = batch.get(i);
            if (scores == null || model == null) {
                out.collect(i, ScoredSnapshot.of(s, null, modelName, ScoredSnapshot.NO_MODEL, null));
            } else {
                out.collect(i, IcuScoringFunction.scored(s, scores, i, model, explained == null ? null : explained[i]));
            }
        }
    }
}
