package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {

    @Test
    void numericVersionsReadAsTheirNumberAndEverythingElseAsMinusOne() {
        assertThat(InferenceMetrics.versionNumber("42")).isEqualTo(42L);
        assertThat(InferenceMetrics.versionNumber("007")).isEqualTo(7L);
        assertThat(InferenceMetrics.versionNumber(BatchFunction.NONE)).isEqualTo(InferenceMetrics.NO_VERSION);
        assertThat(InferenceMetrics.versionNumber("bundled-2026")).isEqualTo(InferenceMetrics.NO_VERSION);
        assertThat(InferenceMetrics.versionNumber("")).isEqualTo(InferenceMetrics.NO_VERSION);
        assertThat(InferenceMetrics.versionNumber(null)).isEqualTo(InferenceMetrics.NO_VERSION);
        assertThat(InferenceMetrics.versionNumber("99999999999999999999")).as("does not fit a long")
                .isEqualTo(InferenceMetrics.NO_VERSION);
    }

    @Test
    void theModelGaugesFollowTheSuppliersAndExportNumbers() {
        InterceptingOperatorMetricGroup group = new InterceptingOperatorMetricGroup();
        AtomicReference<String> version = new AtomicReference<>(BatchFunction.NONE);
        AtomicReference<String> provider = new AtomicReference<>(BatchFunction.NONE);
        InferenceMetrics.registerModelGauges(group, version::get, provider::get);

        assertThat(gauge(group, InferenceMetrics.MODEL_VERSION_NUMBER)).isEqualTo(InferenceMetrics.NO_VERSION);
        assertThat(gauge(group, InferenceMetrics.EXECUTION_PROVIDER_CUDA)).isEqualTo(0);
        version.set("12");
        provider.set(ExecutionProvider.CUDA.name());
        assertThat(gauge(group, InferenceMetrics.MODEL_VERSION)).isEqualTo("12");
        assertThat(gauge(group, InferenceMetrics.ACTIVE_PROVIDER)).isEqualTo("CUDA");
        assertThat(gauge(group, InferenceMetrics.MODEL_VERSION_NUMBER)).isEqualTo(12L);
        assertThat(gauge(group, InferenceMetrics.EXECUTION_PROVIDER_CUDA)).isEqualTo(1);
        provider.set(ExecutionProvider.CPU.name());
        assertThat(gauge(group, InferenceMetrics.EXECUTION_PROVIDER_CUDA)).isEqualTo(0);
    }

    @Test
    void latencyIsRecordedInWholeMillisecondsRoundedUp() {
        InterceptingOperatorMetricGroup group = new InterceptingOperatorMetricGroup();
        Histogram latency = InferenceMetrics.registerLatency(group);
        assertThat(group.get(InferenceMetrics.INFERENCE_LATENCY_MS)).isSameAs(latency);

        long now = System.nanoTime();
        InferenceMetrics.recordSince(latency, now - 2_500_000L); // at least 2.5 ms ago
        InferenceMetrics.recordSince(latency, now - 1L); // a fraction of a millisecond ago
        assertThat(latency.getCount()).isEqualTo(2);
        assertThat(latency.getStatistics().getMax()).isGreaterThanOrEqualTo(3);
        assertThat(latency.getStatistics().getMin()).isGreaterThanOrEqualTo(1);
    }

    private static Object gauge(InterceptingOperatorMetricGroup group, String name) {
        return ((Gauge<?>) group.get(name)).getValue();
    }
}
