package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeutils.base.IntValueSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironment;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.IntValue;
import org.junit.jupiter.api.Test;

class MicroBatchOperatorTest {

    private static final Duration LONG_WAIT = Duration.ofHours(1);

    @Test
    void flushesWhenTheBatchIsFull() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness(3, LONG_WAIT)) {
            for (int i = 0; i < 7; i++) {
                harness.processElement("r" + i, 100 + i);
                if (i == 1) {
                    assertThat(harness.extractOutputValues()).isEmpty();
                }
            }

            assertThat(harness.extractOutputValues()).containsExactly("r0", "r1", "r2", "r3", "r4", "r5");
            assertThat(function(harness).batchSizes()).containsExactly(3, 3);
            assertThat(operator(harness).bufferedRecords()).isEqualTo(1);
        }
    }

    @Test
    void flushesWhenMaxWaitHasPassedSinceTheFirstRecordOfTheBatch() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness(100, Duration.ofMillis(10))) {
            harness.setProcessingTime(0);
            harness.processElement("a", 1);
            harness.processElement("b", 2);
            harness.setProcessingTime(9);
            harness.processElement("c", 3);
            assertThat(harness.extractOutputValues()).isEmpty();

            harness.setProcessingTime(10);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b", "c");

            harness.setProcessingTime(15);
            harness.processElement("d", 4);
            harness.setProcessingTime(24);
            assertThat(harness.extractOutputValues()).hasSize(3);
            harness.setProcessingTime(25);

            assertThat(harness.extractOutputValues()).containsExactly("a", "b", "c", "d");
            assertThat(function(harness).batchSizes()).containsExactly(3, 1);
        }
    }

    @Test
    void aBatchFlushedEarlyDoesNotLetItsTimerCutTheNextBatchShort() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness(2, Duration.ofMillis(10))) {
            harness.setProcessingTime(0);
            harness.processElement("a", 1);
            harness.processElement("b", 2); // full: flushed, its timer (due at 10) cancelled
            assertThat(harness.getProcessingTimeService().getActiveTimerTimestamps()).isEmpty();
            harness.setProcessingTime(5);
            harness.processElement("c", 3); // due at 15
            assertThat(harness.getProcessingTimeService().getActiveTimerTimestamps()).containsExactly(15L);
            harness.setProcessingTime(10);
            assertThat(function(harness).batchSizes()).containsExactly(2);

            harness.setProcessingTime(15);

            assertThat(function(harness).batchSizes()).containsExactly(2, 1);
            assertThat(harness.getProcessingTimeService().getNumActiveTimers()).isZero();
        }
    }

    @Test
    void flushesBeforeForwardingAWatermark() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness(100, LONG_WAIT)) {
            harness.processElement("a", 10);
            harness.processElement("b", 20);

            harness.processWatermark(new Watermark(20));

            assertThat(new ArrayList<>(harness.getOutput()))
                    .containsExactly(new StreamRecord<>("a", 10), new StreamRecord<>("b", 20), new Watermark(20));
            assertThat(function(harness).batchSizes()).containsExactly(2);
        }
    }

    @Test
    void aCheckpointFindsAnEmptyBufferAndEveryRecordIsEmittedExactlyOnce() throws Exception {
        OperatorSubtaskState snapshot;
        List<String> firstRun;
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness(100, LONG_WAIT)) {
            harness.processElement("a", 1);
            harness.processElement("b", 2);
            harness.processElement("c", 3);

            harness.prepareSnapshotPreBarrier(1L);
            assertThat(harness.extractOutputValues()).containsExactly("a", "b", "c");
            assertThat(operator(harness).bufferedRecords()).isZero();
            snapshot = harness.snapshot(1L, 0L);

            harness.processElement("d", 4); // after the barrier: belongs to the next checkpoint
            harness.prepareSnapshotPreBarrier(2L);
            firstRun = harness.extractOutputValues();
        }
        assertThat(snapshot.getManagedOperatorState()).isEmpty();
        assertThat(snapshot.getRawOperatorState()).isEmpty();
        assertThat(firstRun).containsExactly("a", "b", "c", "d");

        // Recovery from checkpoint 1 replays only "d" (the source rewinds to the barrier); no record comes from state.
        try (OneInputStreamOperatorTestHarness<String, String> restored = harness(100, LONG_WAIT, false)) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.getOutput()).isEmpty();
            restored.processElement("d", 4);
            restored.close();
            assertThat(restored.extractOutputValues()).containsExactly("d");
        }
    }

    @Test
    void flushesAtEndOfInputAndClosesTheFunction() throws Exception {
        OneInputStreamOperatorTestHarness<String, String> harness = harness(100, LONG_WAIT);
        harness.processElement("a", 1);
        harness.processElement("b", 2);
        TestingBatchFunction<String> function = function(harness);

        harness.close(); // finish() then close()

        assertThat(harness.extractOutputValues()).containsExactly("a", "b");
        assertThat(function.isClosed()).isTrue();
    }

    @Test
    void keepsEachRecordsTimestampAndTheOrderWithinABatch() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness(4, LONG_WAIT)) {
            harness.processElement(new StreamRecord<>("late", 500));
            harness.processElement(new StreamRecord<>("early", 5));
            harness.processElement(new StreamRecord<>("untimed"));
            harness.processElement(new StreamRecord<>("mid", 50));

            assertThat(new ArrayList<>(harness.getOutput()))
                    .containsExactly(
                            new StreamRecord<>("late", 500),
                            new StreamRecord<>("early", 5),
                            new StreamRecord<>("untimed"),
                            new StreamRecord<>("mid", 50));
        }
    }

    @Test
    void sideOutputsCarryTheTimestampOfTheirRecord() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> harness = harness(2, LONG_WAIT)) {
            harness.processElement("ok", 7);
            harness.processElement(TestingBatchFunction.REJECT, 8);

            assertThat(harness.extractOutputValues()).containsExactly("ok");
            assertThat(harness.getSideOutput(TestingBatchFunction.REJECTED))
                    .containsExactly(new StreamRecord<>("rejected@8", 8));
        }
    }

    @Test
    void copiesInputsWhenObjectReuseIsEnabled() throws Exception {
        BatchFunction<IntValue, Integer> function =
                (batch, out) -> {
                    for (int i = 0; i < batch.size(); i++) {
                        out.collect(i, batch.get(i).getValue());
                    }
                };
        try (OneInputStreamOperatorTestHarness<IntValue, Integer> harness =
                new OneInputStreamOperatorTestHarness<>(
                        MicroBatchOperator.factory(function, options(3, LONG_WAIT)), IntValueSerializer.INSTANCE)) {
            harness.getExecutionConfig().enableObjectReuse();
            harness.open();
            IntValue reused = new IntValue();
            for (int i = 1; i <= 3; i++) {
                reused.setValue(i);
                harness.processElement(reused, i);
            }

            assertThat(harness.extractOutputValues()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void givesTheFunctionItsContextAndReportsMetrics() throws Exception {
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        MockEnvironment environment =
                new MockEnvironmentBuilder()
                        .setMetricGroup(
                                new InterceptingTaskMetricGroup() {
                                    @Override
                                    public InternalOperatorMetricGroup getOrAddOperator(
                                            OperatorID id, String name, Map<String, String> variables) {
                                        return metrics;
                                    }
                                })
                        .build();
        Configuration options = options(2, LONG_WAIT);
        options.setString("pipeline.custom", "x");
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(
                        MicroBatchOperator.factory(new TestingBatchFunction<>(), options),
                        StringSerializer.INSTANCE,
                        environment)) {
            harness.open();
            for (String s : List.of("a", "b", "c", "d", "e")) {
                harness.processElement(s, 0);
            }

            BatchFunction.Context context = function(harness).context();
            assertThat(context.getMaxBatchSize()).isEqualTo(2);
            assertThat(context.getOptions().get(InferenceOptions.BATCH_MAX_SIZE)).isEqualTo(2);
            assertThat(context.getOptions().toMap()).containsEntry("pipeline.custom", "x");
            assertThat(context.getSubtaskIndex()).isZero();
            assertThat(context.getUserCodeClassLoader()).isNotNull();

            assertThat(((Counter) metrics.get("batches")).getCount()).isEqualTo(2);
            Histogram sizes = (Histogram) metrics.get("batchSize");
            assertThat(sizes.getCount()).isEqualTo(2);
            assertThat(sizes.getStatistics().getMax()).isEqualTo(2);
            assertThat(((Gauge<?>) metrics.get("bufferedRecords")).getValue()).isEqualTo(1);
            assertThat(((Gauge<?>) metrics.get("modelVersion")).getValue()).isEqualTo("v-test");
            assertThat(((Gauge<?>) metrics.get("activeProvider")).getValue()).isEqualTo("CPU");
            assertThat(((Gauge<?>) metrics.get(InferenceMetrics.MODEL_VERSION_NUMBER)).getValue())
                    .as("v-test is not a number")
                    .isEqualTo(InferenceMetrics.NO_VERSION);
            assertThat(((Gauge<?>) metrics.get(InferenceMetrics.EXECUTION_PROVIDER_CUDA)).getValue()).isEqualTo(0);
        }
    }

    @Test
    void resultsCanOnlyBeCollectedForRecordsOfTheCurrentBatch() throws Exception {
        BatchCollector<?>[] leaked = new BatchCollector<?>[1];
        BatchFunction<String, String> function =
                (batch, out) -> {
                    leaked[0] = out;
                    out.collect(batch.size(), "beyond");
                };
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(
                        MicroBatchOperator.factory(function, options(1, LONG_WAIT)), StringSerializer.INSTANCE)) {
            harness.open();
            assertThatThrownBy(() -> harness.processElement("a", 1))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("index 1 is outside the batch of 1 records");
            assertThatThrownBy(() -> leaked[0].timestamp(0))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("results can only be collected during processBatch");
        }
    }

    @Test
    void refusesOptionsThatCannotBatch() {
        TestingBatchFunction<String> function = new TestingBatchFunction<>();
        assertThatThrownBy(() -> MicroBatchOperator.factory(function, options(0, LONG_WAIT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vigil.inference.batch.max-size must be at least 1, got 0");
        assertThatThrownBy(() -> MicroBatchOperator.factory(function, options(8, Duration.ofNanos(500))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vigil.inference.batch.max-wait must be at least 1 ms");
    }

    // ------------------------------------------------------------------------------------------------------------

    static Configuration options(int maxSize, Duration maxWait) {
        Configuration options = new Configuration();
        options.set(InferenceOptions.BATCH_MAX_SIZE, maxSize);
        options.set(InferenceOptions.BATCH_MAX_WAIT, maxWait);
        return options;
    }

    private static OneInputStreamOperatorTestHarness<String, String> harness(int maxSize, Duration maxWait)
            throws Exception {
        return harness(maxSize, maxWait, true);
    }

    private static OneInputStreamOperatorTestHarness<String, String> harness(
            int maxSize, Duration maxWait, boolean open) throws Exception {
        OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(
                        MicroBatchOperator.factory(new TestingBatchFunction<String>(), options(maxSize, maxWait)),
                        StringSerializer.INSTANCE);
        if (open) {
            harness.open();
        }
        return harness;
    }

    @SuppressWarnings("unchecked")
    private static MicroBatchOperator<String, String> operator(OneInputStreamOperatorTestHarness<String, String> h) {
        return (MicroBatchOperator<String, String>) h.getOperator();
    }

    private static TestingBatchFunction<String> function(OneInputStreamOperatorTestHarness<String, String> h) {
        return (TestingBatchFunction<String>) operator(h).getFunction();
    }
}
