package dev.vigil.operators.explain;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of the Shapley explanations attached to alerts and declines ({@link Explainers#create}):
 *
 * <pre>{@code
 * vigil:
 *   explain:
 *     method: KERNEL            # or SAMPLING
 *     output-space: LOGIT       # or PROBABILITY
 *     background-size: 32
 *     max-coalitions: 1024      # KERNEL
 *     permutations: 64          # SAMPLING
 *     batch-rows: 4096
 *     seed: 42
 *     max-per-batch: 4          # explained rows per scored micro-batch (ScoringExplainer); 0 turns explaining off
 * }</pre>
 *
 * The cost of one explanation is bounded by {@code background-size * (max-coalitions + 1) + 1} model rows for KERNEL and
 * {@code permutations * (players - 1) + 1} for SAMPLING (plus {@code background-size} when the background changed);
 * {@code ./vigil bench explain} measures it for the ICU model (docs/BENCHMARKS.md). On the scoring path {@link
 * ScoringExplainer} explains at most {@code max-per-batch} rows per micro-batch, so the added latency of a batch is
 * bounded by that many explanations.
 */
public final class ExplainOptions {

    /** The estimator. */
    public enum Method {
        /** {@link KernelShap}: exact for up to about 10 players within the default budget. */
        KERNEL,
        /** {@link SamplingShapley}. */
        SAMPLING
    }

    public static final ConfigOption<Method> METHOD =
            ConfigOptions.key("vigil.explain.method")
                    .enumType(Method.class)
                    .defaultValue(Method.KERNEL)
                    .withDescription(
                            "Shapley estimator: KERNEL (Kernel SHAP, exact when all coalitions fit max-coalitions)"
                                    + " or SAMPLING (antithetic permutation sampling).");

    public static final ConfigOption<OutputSpace> OUTPUT_SPACE =
            ConfigOptions.key("vigil.explain.output-space")
                    .enumType(OutputSpace.class)
                    .defaultValue(OutputSpace.LOGIT)
                    .withDescription(
                            "Space of the attributions: LOGIT (log-odds, additive for logistic models, the unit of"
                                    + " the linear reasons) or PROBABILITY.");

    public static final ConfigOption<Integer> BACKGROUND_SIZE =
            ConfigOptions.key("vigil.explain.background-size")
                    .intType()
                    .defaultValue(32)
                    .withDescription(
                            "Most background rows an explanation integrates over (at least 1); every coalition costs"
                                    + " this many model rows.");

    public static final ConfigOption<Integer> MAX_COALITIONS =
            ConfigOptions.key("vigil.explain.max-coalitions")
                    .intType()
                    .defaultValue(1024)
                    .withDescription(
                            "KERNEL: most distinct coalitions per explanation, in [2, 2^20]. With M players all 2^M - 2"
                                    + " coalitions are enumerated (exact) when they fit.");

    public static final ConfigOption<Integer> PERMUTATIONS =
            ConfigOptions.key("vigil.explain.permutations")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "SAMPLING: orderings walked per explanation, even (pairs of an ordering and its reverse),"
                                    + " at least twice background-size (a pair per background row) and at most"
                                    + " 2^16.");

    public static final ConfigOption<Integer> BATCH_ROWS =
            ConfigOptions.key("vigil.explain.batch-rows")
                    .intType()
                    .defaultValue(4096)
                    .withDescription("Most rows per model call while explaining (at least 1).");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("vigil.explain.seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription(
                            "Seed of coalition and permutation sampling and of the background selection. An"
                                    + " explanation depends only on the row, the background and this seed.");

    public static final ConfigOption<Integer> MAX_PER_BATCH =
            ConfigOptions.key("vigil.explain.max-per-batch")
                    .intType()
                    .defaultValue(4)
                    .withDescription(
                            "Most rows of one scored micro-batch that are explained (the riskiest first); the others"
                                    + " keep the reasons of the model's own contributions output, if it has one, and"
                                    + " are counted. 0 turns the explanations off.");

    private ExplainOptions() {}
}
