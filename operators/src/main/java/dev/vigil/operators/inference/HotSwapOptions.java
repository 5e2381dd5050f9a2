package dev.vigil.operators.inference;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of model hot-swapping in {@link HotSwapScoringOperator}; batching and ONNX Runtime sessions use {@link
 * InferenceOptions}. In {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   inference:
 *     hot-swap:
 *       async-load: true
 *       no-model-policy: UNSCORED
 *       hold:
 *         max-records: 10000
 * }</pre>
 */
public final class HotSwapOptions {

    public static final ConfigOption<Boolean> ASYNC_LOAD =
            ConfigOptions.key("vigil.inference.hot-swap.async-load")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Load, verify and open an announced model version on a background thread while records"
                                    + " keep being scored with the active one; the swap then happens at the next"
                                    + " batch boundary. When false, the version is loaded on the task thread when"
                                    + " its announcement arrives, right after the current batch is flushed"
                                    + " (records wait meanwhile).");

    public static final ConfigOption<NoModelPolicy> NO_MODEL_POLICY =
            ConfigOptions.key("vigil.inference.hot-swap.no-model-policy")
                    .enumType(NoModelPolicy.class)
                    .defaultValue(NoModelPolicy.UNSCORED)
                    .withDescription(
                            "What happens to records while no model is usable (no bootstrap model, or it failed,"
                                    + " and no version loaded yet): UNSCORED passes them on with null scores;"
                                    + " HOLD keeps them in state until the first model is active.");

    public static final ConfigOption<Integer> HOLD_MAX_RECORDS =
            ConfigOptions.key("vigil.inference.hot-swap.hold.max-records")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription(
                            "Most records held per parallel instance under the HOLD policy; when exceeded, the held"
                                    + " records leave unscored, in order.");

    private HotSwapOptions() {}
}
