package dev.vigil.operators.inference;

import dev.vigil.schema.common.ModelUpdate;
import java.util.Map;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperatorFactory;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;

/**
 * A test harness for {@link HotSwapScoringOperator} built from its factory (Flink's {@code
 * TwoInputStreamOperatorTestHarness} only takes operator instances): input 1 takes records, input 2 model updates.
 * Metrics are intercepted, and {@link #awaitLoads()} runs the mails of background model loads on the test thread,
 * the way the task's mailbox would.
 */
public final class TestingHotSwapHarness<IN, OUT> extends AbstractStreamOperatorTestHarness<OUT> {

    private final InterceptingOperatorMetricGroup metrics;

    private TestingHotSwapHarness(
            TwoInputStreamOperatorFactory<IN, ModelUpdate, OUT> factory,
            InterceptingOperatorMetricGroup metrics,
            TypeSerializer<IN> inputSerializer)
            throws Exception {
        super(
                factory,
                new MockEnvironmentBuilder()
                        .setMetricGroup(
                                new InterceptingTaskMetricGroup() {
                                    @Override
                                    public InternalOperatorMetricGroup getOrAddOperator(
                                            OperatorID id, String name, Map<String, String> variables) {
                                        return metrics;
                                    }
                                })
                        .build());
        this.metrics = metrics;
        config.setupNetworkInputs(inputSerializer, new AvroSerializer<>(ModelUpdate.class));
        config.serializeAllConfigs();
    }

    /** A harness, not yet opened. */
    public static <IN, OUT> TestingHotSwapHarness<IN, OUT> create(
            TwoInputStreamOperatorFactory<IN, ModelUpdate, OUT> factory, TypeSerializer<IN> inputSerializer)
            throws Exception {
        return new TestingHotSwapHarness<>(factory, new InterceptingOperatorMetricGroup(), inputSerializer);
    }

    @SuppressWarnings("unchecked")
    public HotSwapScoringOperator<IN, OUT> operator() {
        return (HotSwapScoringOperator<IN, OUT>) operator;
    }

    public void processElement1(IN value, long timestamp) throws Exception {
        operator().processElement1(new StreamRecord<>(value, timestamp));
    }

    public void processElement2(ModelUpdate update) throws Exception {
        operator().processElement2(new StreamRecord<>(update));
    }

    public void processWatermark1(long timestamp) throws Exception {
        operator().processWatermark1(new Watermark(timestamp));
    }

    public void processWatermark2(long timestamp) throws Exception {
        operator().processWatermark2(new Watermark(timestamp));
    }

    public void endInput1() throws Exception {
        operator().endInput(1);
    }

    /** Runs mailbox mails until no announced version is still loading (each load posts one mail when done). */
    public void awaitLoads() throws Exception {
        TaskMailbox mailbox = getTaskMailbox();
        while (operator().loadingModels() > 0) {
            mailbox.take(TaskMailbox.MIN_PRIORITY).run();
        }
    }

    /** Waits (without running them) until {@code n} mails are queued, e.g. the results of {@code n} loads. */
    public void awaitQueuedMails(int n) throws InterruptedException {
        while (getTaskMailbox().size() < n) {
            Thread.sleep(1);
        }
    }

    public long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    public Object gauge(String name) {
        return ((Gauge<?>) metrics.get(name)).getValue();
    }

    public Histogram histogram(String name) {
        return (Histogram) metrics.get(name);
    }
}
