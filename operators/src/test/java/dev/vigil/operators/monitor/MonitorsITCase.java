package dev.vigil.operators.monitor;

import static dev.vigil.operators.monitor.TestingSignals.MODEL;
import static dev.vigil.operators.monitor.TestingSignals.PIPELINE;
import static dev.vigil.operators.monitor.TestingSignals.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.monitor.TestingSignals.Detection;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.FairnessGroup;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Monitors} in a real job: settings and functions serialized into the job graph, inputs interleaved by two
 * parallel tasks, no Kryo anywhere; the detections equal a direct feed of the sorted stream.
 */
class MonitorsITCase {

    private static final int PARALLELISM = 2;
    private static final int N = 4000;
    private static final int CHANGE = 2000;
    private static final long STEP = 15_000L;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    /** Group F is selected at rate 0.5, M at 0.2; decisions agree with labels 90% of the time, then 50%. */
    private static List<LabeledExample> examples() {
        Random rng = new Random(17);
        List<LabeledExample> out = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            String sex = i % 2 == 0 ? "F" : "M";
            boolean selected = rng.nextDouble() < (sex.equals("F") ? 0.5 : 0.2);
            double score = selected ? 0.5 + rng.nextDouble() / 2 : rng.nextDouble() / 2;
            boolean agrees = rng.nextDouble() < (i < CHANGE ? 0.9 : 0.5);
            int label = agrees == selected ? 1 : 0;
            out.add(TestingSignals.labeled(T0 + i * STEP, score, label, Map.of("sexAtBirth", sex), "v1"));
        }
        return out;
    }

    /** Scores shift up at the change; feature x1 stays standard normal. */
    private static List<Prediction> predictions() {
        Random rng = new Random(18);
        List<Prediction> out = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            double score = (i < CHANGE ? 0.0 : 0.3) + rng.nextDouble() / 2;
            out.add(TestingSignals.prediction(T0 + i * STEP, score,
                    List.of((float) rng.nextGaussian(), (float) rng.nextGaussian(), 1f), "v1"));
        }
        return out;
    }

    private static <T extends SpecificRecordBase> DataStream<T> interleaved(StreamExecutionEnvironment env,
            List<T> data, Class<T> type, WatermarkStrategy<T> watermarks) {
        AvroTypeInfo<T> info = new AvroTypeInfo<>(type);
        return env.fromData(data, info)
                .assignTimestampsAndWatermarks(watermarks)
                .rebalance()
                .map(x -> x, info)
                .setParallelism(PARALLELISM);
    }

    @Test
    void theMonitorsOfAParallelJobMatchADirectFeed() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);

        Configuration options = new Configuration();
        options.set(MonitorOptions.BRIER_DETECTOR, MonitorOptions.NONE);
        options.set(MonitorOptions.FEATURES, List.of("x1"));
        options.set(MonitorOptions.FAIRNESS_ATTRIBUTES, List.of("sexAtBirth"));
        options.setString(MonitorOptions.FAIRNESS_WINDOW.key(), "2 h");
        options.setString(MonitorOptions.FAIRNESS_SLIDE.key(), "30 min");
        options.set(MonitorOptions.FAIRNESS_CONSECUTIVE_WINDOWS, 2);

        List<LabeledExample> examples = examples();
        List<Prediction> predictions = predictions();
        DataStream<LabeledExample> labeled = interleaved(env, examples, LabeledExample.class,
                WatermarkStrategy.<LabeledExample>forMonotonousTimestamps()
                        .withTimestampAssigner((e, t) -> e.getLabelTime().toEpochMilli()));
        DataStream<Prediction> scored = interleaved(env, predictions, Prediction.class,
                WatermarkStrategy.<Prediction>forMonotonousTimestamps()
                        .withTimestampAssigner((p, t) -> p.getEventTime().toEpochMilli()));

        Monitors.Result monitors = Monitors.attach(labeled, scored, options, PIPELINE, List.of("x0", "x1", "x2"));
        assertThat(((SingleOutputStreamOperator<?>) monitors.driftEvents()).getTransformation().getUid())
                .isEqualTo("icu-monitor-drift");
        assertThat(((SingleOutputStreamOperator<?>) monitors.fairnessReports()).getTransformation().getUid())
                .isEqualTo("icu-monitor-fairness");

        List<DriftEvent> drifts = new ArrayList<>();
        List<FairnessWindowReport> reports = new ArrayList<>();
        try (CloseableIterator<DriftEvent> d = monitors.driftEvents().collectAsync();
                CloseableIterator<FairnessWindowReport> f = monitors.fairnessReports().collectAsync()) {
            env.execute("monitors");
            d.forEachRemaining(drifts::add);
            f.forEachRemaining(reports::add);
        }

        // drift: the error and score signals match a direct feed of the sorted stream; the stable feature is quiet
        List<MonitorSignal> errors = new ArrayList<>();
        for (LabeledExample e : examples) {
            errors.add(new MonitorSignal(PIPELINE, "error/" + MODEL, e.getLabelTime().toEpochMilli(),
                    MonitorSignals.error(e.getScore(), e.getLabel(), 0.5), MODEL, "v1"));
        }
        List<MonitorSignal> scores = new ArrayList<>();
        for (Prediction p : predictions) {
            scores.add(new MonitorSignal(PIPELINE, "score/" + MODEL, p.getEventTime().toEpochMilli(), p.getScore(),
                    MODEL, "v1"));
        }
        List<Detection> expected = new ArrayList<>(TestingSignals.oracle(DetectorConfig.of("adwin"), errors, false));
        expected.addAll(TestingSignals.oracle(DetectorConfig.of("psi"), scores, false));
        List<Detection> found = TestingSignals.detections(drifts);
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(found).extracting(Detection::signal).contains("error/" + MODEL, "score/" + MODEL)
                .doesNotContain("feature/x1");
        assertThat(found).allSatisfy(x -> assertThat(x.eventTime()).isGreaterThanOrEqualTo(T0 + CHANGE * STEP));

        // fairness: every example counts in window / slide = 4 windows; the biased groups raise an alert
        reports.sort(Comparator.comparing(FairnessWindowReport::getWindowEnd));
        long counted = reports.stream().flatMap(r -> r.getGroups().stream()).mapToLong(FairnessGroup::getCount).sum();
        assertThat(counted).isEqualTo(4L * N);
        assertThat(reports).extracting(FairnessWindowReport::getAttribute).containsOnly("sexAtBirth");
        FairnessWindowReport firstAlert = reports.stream().filter(FairnessWindowReport::getAlert).findFirst()
                .orElseThrow();
        assertThat(firstAlert.getConsecutiveSignificantWindows()).isEqualTo(2);
        assertThat(firstAlert.getDemographicParity().getHighGroup()).isEqualTo("F");
        assertThat(reports.stream().filter(FairnessWindowReport::getAlert).count())
                .isGreaterThan(reports.size() / 2);
    }
}
