package dev.vigil.pipelines.icu;

import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.PatientSnapshot;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.HotSwapScoringFunction;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.ScoreBatch;
import java.util.List;

/**
 * The ICU scorer's record mapping when models are hot-swapped from the control topic: the same outputs as {@link
 * IcuScoringFunction}, stamped with whichever version scored the batch. When no version is usable the operator hands
 * over {@code null} scores and the snapshots leave unscored (version {@value ScoredSnapshot#NO_MODEL}), so alerting
 * falls back to NEWS2.
 */
public final class IcuHotSwapScoring implements HotSwapScoringFunction<PatientSnapshot, ScoredSnapshot> {

    private static final long serialVersionUID = 1L;

    private final String modelName;

    public IcuHotSwapScoring(String modelName) {
        this.modelName = modelName;
    }

    @Override
    public void extractFeatures(PatientSnapshot record, float[] row) {
        System.arraycopy(record.features, 0, row, 0, IcuFeatures.SIZE);
    }

    @Override
    public void processBatch(
            List<PatientSnapshot> batch, ScoreBatch scores, ModelRef model, BatchCollector<ScoredSnapshot> out) {
        for (int i = 0; i < batch.size(); i++) {
            PatientSnapshot s = batch.get(i);
            if (scores == null || model == null) {
                out.collect(i, ScoredSnapshot.of(s, null, modelName, ScoredSnapshot.NO_MODEL, null));
            } else {
                out.collect(i, ScoredSnapshot.of(s, (double) scores.probability(i), model.name(), model.version(),
                        scores.hasContributions() ? scores.contributions(i) : null));
            }
        }
    }
}
