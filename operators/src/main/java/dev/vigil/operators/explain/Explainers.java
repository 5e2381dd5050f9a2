package dev.vigil.operators.explain;

import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;

/** Creates the configured {@link Explainer} from {@link ExplainOptions}. */
public final class Explainers {

    private Explainers() {}

    /**
     * The explainer {@code options} describe, over {@code predictor} (for example an {@link OnnxBatchPredictor} on the
     * scoring session) with {@code groups} as players.
     *
     * @throws IllegalArgumentException if a setting is out of range or the groups do not fit the model
     */
    public static Explainer create(ReadableConfig options, BatchPredictor predictor, FeatureGroups groups) {
        Preconditions.checkNotNull(options, "options");
        Preconditions.checkNotNull(groups, "groups");
        ExplainOptions.Method method = options.get(ExplainOptions.METHOD);
        switch (method) {
            case KERNEL:
                return KernelShap.builder(predictor)
                        .groups(groups)
                        .outputSpace(options.get(ExplainOptions.OUTPUT_SPACE))
                        .maxCoalitions(options.get(ExplainOptions.MAX_COALITIONS))
                        .backgroundSize(options.get(ExplainOptions.BACKGROUND_SIZE))
                        .batchRows(options.get(ExplainOptions.BATCH_ROWS))
                        .seed(options.get(ExplainOptions.SEED))
                        .build();
            case SAMPLING:
                return SamplingShapley.builder(predictor)
                        .groups(groups)
                        .outputSpace(options.get(ExplainOptions.OUTPUT_SPACE))
                        .permutations(options.get(ExplainOptions.PERMUTATIONS))
                        .backgroundSize(options.get(ExplainOptions.BACKGROUND_SIZE))
                        .batchRows(options.get(ExplainOptions.BATCH_ROWS))
                        .seed(options.get(ExplainOptions.SEED))
                        .build();
            default:
                throw new IllegalArgumentException("Unknown explanation method " + method);
        }
    }
}
