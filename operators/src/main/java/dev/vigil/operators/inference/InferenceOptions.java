package dev.vigil.operators.inference;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of in-process model scoring: micro-batching ({@link MicroBatchOperator}) and ONNX Runtime sessions ({@link
 * OnnxScorer}). In {@code config.yaml} they nest as:
 *
 * <pre>{@code
 * vigil:
 *   inference:
 *     batch:
 *       max-size: 64
 *       max-wait: 5 ms
 *     execution-provider: AUTO
 *     intra-op-threads: 1
 * }</pre>
 */
public final class InferenceOptions {

    public static final ConfigOption<Integer> BATCH_MAX_SIZE =
            ConfigOptions.key("vigil.inference.batch.max-size")
                    .intType()
                    .defaultValue(64)
                    .withDescription(
                            "Most records scored in one model call. A batch is flushed when it is full, when"
                                    + " 'vigil.inference.batch.max-wait' has passed since its first record, before"
                                    + " each watermark and checkpoint barrier, and at end of input.");

    public static final ConfigOption<Duration> BATCH_MAX_WAIT =
            ConfigOptions.key("vigil.inference.batch.max-wait")
                    .durationType()
                    .defaultValue(Duration.ofMillis(5))
                    .withDescription(
                            "Longest processing time a record waits in a partial batch (at least 1 ms). Bounds the"
                                    + " latency added by batching.");

    public static final ConfigOption<ExecutionProvider> EXECUTION_PROVIDER =
            ConfigOptions.key("vigil.inference.execution-provider")
                    .enumType(ExecutionProvider.class)
                    .defaultValue(ExecutionProvider.CPU)
                    .withDescription(
                            "ONNX Runtime execution provider: CPU, CUDA (fail when unavailable) or AUTO (CUDA when"
                                    + " available, otherwise CPU with a warning).");

    public static final ConfigOption<Integer> INTRA_OP_THREADS =
            ConfigOptions.key("vigil.inference.intra-op-threads")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Threads ONNX Runtime uses inside one operator call, per session. Keep 1 when every"
                                    + " slot of a TaskManager has its own core.");

    public static final ConfigOption<Integer> CUDA_DEVICE_ID =
            ConfigOptions.key("vigil.inference.cuda.device-id")
                    .intType()
                    .defaultValue(0)
                    .withDescription("CUDA device used by the CUDA (or AUTO) execution provider.");

    private InferenceOptions() {}
}
