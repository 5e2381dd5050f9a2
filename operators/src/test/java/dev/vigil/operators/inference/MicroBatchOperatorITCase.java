package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.operators.inference.TestingOnnxModels.LinearModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.checkpoint.CheckpointCoordinator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link MicroBatchOperator} in real jobs: serialized factory and function, parallelism 2, real timers. */
class MicroBatchOperatorITCase {

    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @TempDir Path dir;

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        return env;
    }

    @Test
    void everyRecordComesOutExactlyOnceAcrossCheckpoints() throws Exception {
        StreamExecutionEnvironment env = environment();
        env.enableCheckpointing(50);
        Configuration options = new Configuration();
        options.set(InferenceOptions.BATCH_MAX_SIZE, 16);
        options.set(InferenceOptions.BATCH_MAX_WAIT, Duration.ofMillis(2));

        DataStream<Long> out =
                env.fromSequence(0, 9_999)
                        .rebalance()
                        .map(MicroBatchOperatorITCase::slowly)
                        .transform(
                                "batch",
                                Types.LONG,
                                MicroBatchOperator.factory(new TestingBatchFunction<Long>(), options));

        List<Long> seen = new ArrayList<>();
        try (TestingLogAppender checkpoints =
                TestingLogAppender.attach(CheckpointCoordinator.class.getName(), Level.INFO)) {
            try (CloseableIterator<Long> it = out.executeAndCollect()) {
                it.forEachRemaining(seen::add);
            }
            assertThat(checkpoints.messages(Level.INFO)).anyMatch(m -> m.startsWith("Completed checkpoint"));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(0, 9_999).boxed().toList());
    }

    /** Spreads the job over about a second so that checkpoints are taken while batches are open. */
    private static Long slowly(Long value) throws InterruptedException {
        if (value % 20 == 0) {
            Thread.sleep(2);
        }
        return value;
    }

    @Test
    void scoresWithOnnxRuntimeInMicroBatches() throws Exception {
        LinearModel model = TestingOnnxModels.linear(6, 5L);
        ModelRef ref = TestingOnnxModels.write(dir, "m", "1", model.toOnnx("m", "1"));
        float[][] rows = TestingOnnxModels.randomRows(model, 1_000, 6L);
        OnnxScoringFunction<float[], float[]> function =
                new OnnxScoringFunction<>(
                        ref,
                        model.featureNames(),
                        (x, row) -> System.arraycopy(x, 0, row, 0, row.length),
                        (x, scores, i, m) -> {
                            float[] scored = Arrays.copyOf(x, x.length + 1);
                            scored[x.length] = scores.probability(i);
                            return scored;
                        });
        Configuration options = new Configuration();
        options.set(InferenceOptions.BATCH_MAX_SIZE, 32);

        StreamExecutionEnvironment env = environment();
        DataStream<float[]> out =
                env.fromData(Arrays.asList(rows), PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO)
                        .rebalance()
                        .transform(
                                "score",
                                PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO,
                                MicroBatchOperator.factory(function, options));

        List<float[]> scored = new ArrayList<>();
        try (CloseableIterator<float[]> it = out.executeAndCollect()) {
            it.forEachRemaining(scored::add);
        }
        assertThat(scored).hasSize(rows.length);
        for (float[] s : scored) {
            float[] x = Arrays.copyOf(s, model.featureCount());
            assertThat(s[model.featureCount()]).isCloseTo(model.probability(x), within(1e-5f));
        }
    }
}
