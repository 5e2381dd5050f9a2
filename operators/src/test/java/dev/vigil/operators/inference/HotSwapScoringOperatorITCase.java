package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.registry.InMemoryModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.operators.inference.TestingHotSwapFunction.Scored;
import dev.vigil.operators.registry.ModelUpdates;
import dev.vigil.schema.common.ModelUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link HotSwapScoringOperator} in a real job: serialized factory, parallelism 2, checkpoints, a broadcast control
 * stream whose versions arrive while records flow, and a control stream that outlives the records without holding
 * their event time back.
 */
@Timeout(60)
class HotSwapScoringOperatorITCase {

    private static final int PARALLELISM = 2;
    private static final int RECORDS = 2_000;
    private static final String NAME = "icu";
    private static final int F = 4;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @Test
    void versionsOneTwoThreeReachTheScorerWhileEveryRecordIsScoredExactlyOnce() throws Exception {
        InMemoryModelRegistry registry = new InMemoryModelRegistry();
        Map<String, TestingOnnxModels.LinearModel> models = new HashMap<>();
        List<ModelUpdate> updates = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            TestingOnnxModels.LinearModel model = TestingOnnxModels.linear(F, seed);
            ModelVersion v = registry.publish(NAME, model.toOnnx(NAME, "x"), VersionMetadata.empty());
            models.put(v.versionLabel(), model);
            updates.add(ModelUpdates.of(v));
        }
        // Announced after the records end: the control stream stays open longer than the records.
        updates.add(ModelUpdates.of(registry.publish("other", models.get("1").toOnnx("other", "x"),
                VersionMetadata.empty())));

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(50);

        Configuration options = new Configuration();
        options.set(InferenceOptions.BATCH_MAX_SIZE, 16);
        options.set(InferenceOptions.BATCH_MAX_WAIT, Duration.ofMillis(2));
        options.set(HotSwapOptions.NO_MODEL_POLICY, NoModelPolicy.HOLD);

        DataStream<String> records =
                env.fromSequence(0, RECORDS - 1)
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((k, t) -> k))
                        .map(HotSwapScoringOperatorITCase::slowly)
                        .returns(Types.STRING);
        DataStream<ModelUpdate> control =
                env.fromData(updates, new AvroTypeInfo<>(ModelUpdate.class))
                        .setParallelism(1)
                        .map(HotSwapScoringOperatorITCase::spaced)
                        .returns(new AvroTypeInfo<>(ModelUpdate.class))
                        .setParallelism(1);

        DataStream<Tuple2<Scored, Long>> out =
                records.connect(control.broadcast())
                        .transform(
                                "score",
                                TypeInformation.of(Scored.class),
                                HotSwapScoringOperator.<String, Scored>builder()
                                        .modelName(NAME)
                                        .featureNames(models.get("1").featureNames())
                                        .function(new TestingHotSwapFunction(F))
                                        .options(options)
                                        .build())
                        .process(new WithWatermark());

        List<Tuple2<Scored, Long>> seen = new ArrayList<>();
        try (CloseableIterator<Tuple2<Scored, Long>> it = out.executeAndCollect()) {
            it.forEachRemaining(seen::add);
        }

        assertThat(seen).extracting(t -> t.f0.id()).doesNotHaveDuplicates().hasSize(RECORDS);
        for (Tuple2<Scored, Long> t : seen) {
            Scored s = t.f0;
            assertThat(s.version()).isIn("1", "2", "3");
            float expected = models.get(s.version()).probability(TestingHotSwapFunction.features(s.id(), F));
            assertThat(s.probability()).isEqualTo(TestingHotSwapFunction.round(expected));
        }
        assertThat(seen).extracting(t -> t.f0.version()).contains("3");
        // Event time advanced while the control stream (no watermarks, still open) was running.
        assertThat(seen).anyMatch(t -> t.f1 > Long.MIN_VALUE && t.f1 < RECORDS);
    }

    /** About 2 s of records per subtask. */
    private static String slowly(Long k) throws InterruptedException {
        Thread.sleep(2);
        return "r" + k;
    }

    /** 250 ms between announcements, and 3 s before the last (which outlives the records). */
    private static ModelUpdate spaced(ModelUpdate update) throws InterruptedException {
        Thread.sleep(update.getName().equals(NAME) ? 250 : 3_000);
        return update;
    }

    /** Pairs each result with the watermark its subtask had seen. */
    private static final class WithWatermark extends ProcessFunction<Scored, Tuple2<Scored, Long>> {
        @Override
        public void processElement(Scored value, Context ctx, Collector<Tuple2<Scored, Long>> out) {
            out.collect(Tuple2.of(value, ctx.timerService().currentWatermark()));
        }
    }
}
