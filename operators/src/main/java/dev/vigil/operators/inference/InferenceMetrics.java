package dev.vigil.operators.inference;

import dev.vigil.models.registry.ModelVersionOrder;
import java.util.function.Supplier;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The scoring operators' shared metrics, registered on the operator's metric group under the names below (constants
 * so that dashboards and tests use the same strings).
 *
 * <p>The Prometheus reporter exports only numeric gauges ({@code String} gauges read 0), so beside the readable
 * {@link #MODEL_VERSION} and {@link #ACTIVE_PROVIDER} gauges a scorer registers {@link #MODEL_VERSION_NUMBER} and
 * {@link #EXECUTION_PROVIDER_CUDA}. {@link #INFERENCE_LATENCY_MS} times the model call of each batch (not feature
 * extraction, nor the records' way downstream).
 */
public final class InferenceMetrics {

    /** Version of the model served ({@code String} gauge, {@value BatchFunction#NONE} when none). */
    public static final String MODEL_VERSION = "modelVersion";
    /** Execution provider in use ({@code String} gauge: {@code CPU}, {@code CUDA} or {@value BatchFunction#NONE}). */
    public static final String ACTIVE_PROVIDER = "activeProvider";
    /** The served version as a number (long gauge): the version when it is all digits, else {@value #NO_VERSION}. */
    public static final String MODEL_VERSION_NUMBER = "modelVersionNumber";
    /** 1 while the model runs on the CUDA execution provider, else 0 (int gauge). */
    public static final String EXECUTION_PROVIDER_CUDA = "executionProviderCuda";
    /** Wall-clock milliseconds of one batch's model call (histogram over the last {@value #LATENCY_WINDOW}). */
    public static final String INFERENCE_LATENCY_MS = "inferenceLatencyMs";

    /** Value of {@link #MODEL_VERSION_NUMBER} when no model is served or its version is not a number. */
    public static final long NO_VERSION = -1L;
    /** Number of recent batches the {@link #INFERENCE_LATENCY_MS} histogram summarizes. */
    public static final int LATENCY_WINDOW = 1024;

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    private InferenceMetrics() {}

    /**
     * Registers {@link #MODEL_VERSION}, {@link #ACTIVE_PROVIDER} and their numeric twins on {@code group}; the
     * suppliers are read from the metrics reporter thread, so they must read {@code volatile} fields.
     */
    public static void registerModelGauges(MetricGroup group, Supplier<String> version, Supplier<String> provider) {
        group.gauge(MODEL_VERSION, (Gauge<String>) version::get);
        group.gauge(ACTIVE_PROVIDER, (Gauge<String>) provider::get);
        group.gauge(MODEL_VERSION_NUMBER, (Gauge<Long>) () -> versionNumber(version.get()));
        group.gauge(EXECUTION_PROVIDER_CUDA, (Gauge<Integer>) () -> cudaFlag(provider.get()));
    }

    /** Registers the {@link #INFERENCE_LATENCY_MS} histogram on {@code group}. */
    public static Histogram registerLatency(MetricGroup group) {
        return group.histogram(INFERENCE_LATENCY_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    }

    /**
     * Records a model call that started at {@code startNanos} ({@link System#nanoTime()}) and ends now, in whole
     * milliseconds rounded up, so that a call under a millisecond reads 1 rather than 0.
     */
    public static void recordSince(Histogram latency, long startNanos) {
        long nanos = Math.max(0L, System.nanoTime() - startNanos);
        latency.update((long) Math.ceil(nanos / NANOS_PER_MILLI));
    }

    /**
     * {@code version} as a number: its value when it is a run of ASCII digits that fits a {@code long} ({@link
     * ModelVersionOrder#isNumeric}), else {@value #NO_VERSION} (also for {@code null} and {@value
     * BatchFunction#NONE}).
     */
    public static long versionNumber(String version) {
        if (version == null || !ModelVersionOrder.isNumeric(version)) {
            return NO_VERSION;
        }
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException tooLong) {
            return NO_VERSION;
        }
    }

    /** 1 when {@code provider} names {@link ExecutionProvider#CUDA}, else 0. */
    public static int cudaFlag(String provider) {
        return ExecutionProvider.CUDA.name().equals(provider) ? 1 : 0;
    }
}
