package dev.vigil.operators.inference;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** A {@link BatchFunction.Context} for testing a function without an operator. */
public final class TestingBatchContext implements BatchFunction.Context {

    private final ReadableConfig options;
    private final int maxBatchSize;
    private final MetricGroup metricGroup;

    /** {@code options}, metrics registered on {@code metricGroup}. */
    public TestingBatchContext(ReadableConfig options, MetricGroup metricGroup) {
        this.options = options;
        this.maxBatchSize = options.get(InferenceOptions.BATCH_MAX_SIZE);
        this.metricGroup = metricGroup;
    }

    /** {@code options}, metrics discarded. */
    public TestingBatchContext(ReadableConfig options) {
        this(options, new UnregisteredMetricsGroup());
    }

    /** Default {@link InferenceOptions}. */
    public TestingBatchContext() {
        this(new Configuration());
    }

    @Override
    public ReadableConfig getOptions() {
        return options;
    }

    @Override
    public MetricGroup getMetricGroup() {
        return metricGroup;
    }

    @Override
    public ClassLoader getUserCodeClassLoader() {
        return TestingBatchContext.class.getClassLoader();
    }

    @Override
    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    @Override
    public int getSubtaskIndex() {
        return 0;
    }
}
