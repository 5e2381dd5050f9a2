package dev.vigil.operators.explain;

import org.apache.flink.util.Preconditions;

/**
 * The settings {@link KernelShap.Builder} and {@link SamplingShapley.Builder} share: the model, the players, the output
 * space, the background size, the batch size and the seed, i.e. what their {@link CoalitionValues} is built from.
 * {@code CoalitionValues} validates them; each builder validates its own budget in {@code build()}.
 *
 * @param <B> the concrete builder, returned by the setters for chaining
 */
abstract class CoalitionExplainerBuilder<B extends CoalitionExplainerBuilder<B>> {
    final BatchPredictor predictor;
    FeatureGroups groups;
    private OutputSpace outputSpace = OutputSpace.LOGIT;
    int backgroundSize = ExplainOptions.BACKGROUND_SIZE.defaultValue();
    private int batchRows = ExplainOptions.BATCH_ROWS.defaultValue();
    private long seed = ExplainOptions.SEED.defaultValue();

    CoalitionExplainerBuilder(BatchPredictor predictor) {
        this.predictor = Preconditions.checkNotNull(predictor, "predictor");
    }

    /** This builder, as its concrete type. */
    abstract B self();

    /** The players; default every feature its own player. */
    public B groups(FeatureGroups groups) {
        this.groups = Preconditions.checkNotNull(groups, "groups");
        return self();
    }

    public B outputSpace(OutputSpace outputSpace) {
        this.outputSpace = Preconditions.checkNotNull(outputSpace, "outputSpace");
        return self();
    }

    /** The most background rows per explanation, {@code >= 1}. */
    public B backgroundSize(int backgroundSize) {
        this.backgroundSize = backgroundSize;
        return self();
    }

    /** The most rows per model call, {@code >= 1}. */
    public B batchRows(int batchRows) {
        this.batchRows = batchRows;
        return self();
    }

    public B seed(long seed) {
        this.seed = seed;
        return self();
    }

    /** Defaults unset {@link #groups} to every feature its own player; call first in {@code build()}. */
    void defaultGroups() {
        if (groups == null) {
            groups = FeatureGroups.singletons(predictor.featureCount());
        }
    }

    /** The shared machinery over these settings (validates them). */
    CoalitionValues coalitionValues() {
        return new CoalitionValues(predictor, groups, outputSpace, backgroundSize, batchRows, seed);
    }
}
