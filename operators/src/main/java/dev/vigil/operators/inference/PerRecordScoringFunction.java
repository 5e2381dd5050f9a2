package dev.vigil.operators.inference;

import java.util.List;
import org.apache.flink.util.Preconditions;

/** {@link HotSwapScoringFunction#perRecord}: one result per record from an extractor and a mapper. */
final class PerRecordScoringFunction<IN, OUT> implements HotSwapScoringFunction<IN, OUT> {

    private static final long serialVersionUID = 1L;

    private final OnnxScoringFunction.FeatureExtractor<IN> extractor;
    private final RecordMapper<IN, OUT> mapper;

    PerRecordScoringFunction(OnnxScoringFunction.FeatureExtractor<IN> extractor, RecordMapper<IN, OUT> mapper) {
        this.extractor = Preconditions.checkNotNull(extractor, "extractor");
        this.mapper = Preconditions.checkNotNull(mapper, "mapper");
    }

    @Override
    public void extractFeatures(IN record, float[] row) {
        extractor.extract(record, row);
    }

    @Override
    public void processBatch(List<IN> batch, ScoreBatch scores, ModelRef model, BatchCollector<OUT> out) {
        for (int i = 0; i < batch.size(); i++) {
            OUT result = mapper.map(batch.get(i), scores, i, model);
            if (result != null) {
                out.collect(i, result);
            }
        }
    }
}
