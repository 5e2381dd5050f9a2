package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.inference.TestingOnnxModels.LinearModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxScoringFunctionTest {

    private static final LinearModel MODEL = TestingOnnxModels.linear(6, 11L);

    @TempDir Path dir;

    private static OnnxScoringFunction<float[], Float> probabilities(ModelRef ref, List<String> expectedNames) {
        return new OnnxScoringFunction<>(
                ref,
                expectedNames,
                (x, row) -> System.arraycopy(x, 0, row, 0, row.length),
                (x, scores, i, model) -> scores.probability(i));
    }

    @Test
    void scoresABatchWithoutAnOperator() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "m", "3", MODEL.toOnnx("m", "3"));
        OnnxScoringFunction<float[], Float> function = probabilities(ref, MODEL.featureNames());
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 5, 4L);
        TestingBatchCollector<Float> out = TestingBatchCollector.withoutTimestamps(5);

        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        function.open(new TestingBatchContext(new Configuration(), metrics));
        try {
            function.processBatch(Arrays.asList(rows), out);
            function.processBatch(Arrays.asList(rows).subList(0, 2), TestingBatchCollector.withoutTimestamps(2));
            assertThat(function.modelVersion()).isEqualTo("3");
            assertThat(function.activeProvider()).isEqualTo("CPU");
            Histogram latency = (Histogram) metrics.get(InferenceMetrics.INFERENCE_LATENCY_MS);
            assertThat(latency.getCount()).as("one model call per batch").isEqualTo(2);
            assertThat(latency.getStatistics().getMin()).isGreaterThanOrEqualTo(1);
        } finally {
            function.close();
        }

        assertThat(out.emitted()).extracting(TestingBatchCollector.Emitted::index).containsExactly(0, 1, 2, 3, 4);
        for (int i = 0; i < 5; i++) {
            assertThat(out.values().get(i)).isCloseTo(MODEL.probability(rows[i]), within(1e-5f));
        }
        assertThat(function.scorer()).isNull();
        assertThat(function.modelVersion()).isEqualTo(BatchFunction.NONE);
    }

    @Test
    void refusesAModelWithOtherFeatureNamesAndClosesItsSession() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "m", "3", MODEL.toOnnx("m", "3"));
        OnnxScoringFunction<float[], Float> function =
                probabilities(ref, List.of("hr", "rr", "spo2", "sbp", "temp", "gcs"));
        int sessionsBefore = OnnxScorer.liveSessions();

        assertThatThrownBy(() -> function.open(new TestingBatchContext()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Model m:3 declares features [f0, f1, f2, f3, f4, f5]");
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void scoresAStreamInMicroBatchesKeepingTimestampsAndOrder() throws Exception {
        ModelRef ref = TestingOnnxModels.write(dir, "m", "4", MODEL.toOnnx("m", "4"));
        Configuration options = new Configuration();
        options.set(InferenceOptions.BATCH_MAX_SIZE, 7);
        options.set(InferenceOptions.BATCH_MAX_WAIT, Duration.ofMillis(5));
        float[][] rows = TestingOnnxModels.randomRows(MODEL, 50, 8L);
        int sessionsBefore = OnnxScorer.liveSessions();

        OneInputStreamOperatorTestHarness<float[], Float> harness =
                new OneInputStreamOperatorTestHarness<>(
                        MicroBatchOperator.factory(probabilities(ref, MODEL.featureNames()), options),
                        FloatPrimitiveArraySerializer.INSTANCE);
        harness.open();
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore + 1);
        BatchFunction<?, ?> function = ((MicroBatchOperator<?, ?>) harness.getOperator()).getFunction();
        assertThat(function.modelVersion()).isEqualTo("4");
        assertThat(function.activeProvider()).isEqualTo("CPU");

        for (int i = 0; i < rows.length; i++) {
            harness.processElement(rows[i], 1_000L + i);
        }
        assertThat(harness.getOutput()).hasSize(49); // 7 full batches; the 50th record waits
        harness.setProcessingTime(5);
        harness.close();

        List<StreamRecord<? extends Float>> out = harness.extractOutputStreamRecords();
        assertThat(out).hasSize(50);
        for (int i = 0; i < rows.length; i++) {
            assertThat(out.get(i).getTimestamp()).isEqualTo(1_000L + i);
            assertThat(out.get(i).getValue()).isCloseTo(MODEL.probability(rows[i]), within(1e-5f));
        }
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }
}
