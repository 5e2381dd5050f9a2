package dev.vigil.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.drift.DriftDetectors;
import dev.vigil.operators.learn.DriftAwareLearner;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.operators.learn.LearnerSettings;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/** The prequential driver with Vigil's learner, built the way the learner operator builds it. */
class PrequentialRunTest {

    private static final int FEATURES = 10;

    private static LearnerSettings settings(String optimizer, double learningRate) {
        Configuration conf = new Configuration();
        conf.set(LearnerOptions.OPTIMIZER, optimizer);
        conf.set(LearnerOptions.LEARNING_RATE, learningRate);
        return LearnerOptions.settings(conf);
    }

    private static DriftAwareLearner.LearnerFactory factory(LearnerSettings s) {
        return () -> s.newLearner(s.newModel(FEATURES), null);
    }

    /** Accuracy over the examples between two cumulative lines. */
    private static double accuracyBetween(PrequentialRun.Line from, PrequentialRun.Line to) {
        long correctFrom = Math.round(from.accuracy() * from.examples());
        long correctTo = Math.round(to.accuracy() * to.examples());
        return (double) (correctTo - correctFrom) / (to.examples() - from.examples());
    }

    @Test
    void aLearnerWithADriftDetectorRecoversFasterAfterAConceptChange() throws IOException {
        int change = 10_000;
        for (long seed = 1; seed <= 2; seed++) {
            LearnerSettings s = settings("adagrad", 0.1);
            List<PrequentialRun.Line> plain = new ArrayList<>();
            PrequentialRun.builder(new SyntheticStream(change + 4_000, FEATURES, 0.05, new long[] {change}, seed),
                            factory(s).newLearner())
                    .every(2_000)
                    .listener(plain::add)
                    .build()
                    .run();
            List<PrequentialRun.Line> aware = new ArrayList<>();
            List<DriftAwareLearner.Detection> detections = new ArrayList<>();
            DriftAwareLearner learner = DriftAwareLearner.builder(factory(s), DriftDetectors.create("ddm")).build();
            PrequentialRun.builder(new SyntheticStream(change + 4_000, FEATURES, 0.05, new long[] {change}, seed),
                            learner)
                    .every(2_000)
                    .listener(new PrequentialRun.Listener() {
                        @Override
                        public void line(PrequentialRun.Line line) {
                            aware.add(line);
                        }

                        @Override
                        public void drift(DriftAwareLearner.Detection detection) {
                            detections.add(detection);
                        }
                    })
                    .build()
                    .run();
            assertThat(plain).hasSize(7);
            assertThat(aware).hasSize(7);
            int at = change / 2_000 - 1; // the line at the change
            assertThat(plain.get(at).examples()).isEqualTo(change);
            double before = accuracyBetween(aware.get(at - 1), aware.get(at));
            double plainAfter = accuracyBetween(plain.get(at), plain.get(at + 1));
            double awareAfter = accuracyBetween(aware.get(at), aware.get(at + 1));
            assertThat(before).as("seed %s", seed).isGreaterThan(0.9);
            assertThat(awareAfter).as("seed %s: the 2000 examples after the change, plain %s", seed, plainAfter)
                    .isGreaterThan(plainAfter + 0.15);
            assertThat(detections).as("seed %s", seed).isNotEmpty();
            assertThat(detections.get(0).index()).isBetween((long) change, change + 1_000L);
            assertThat(aware.get(aware.size() - 1).accuracy()).isGreaterThan(plain.get(plain.size() - 1).accuracy());
        }
    }

    @Test
    void linesAreCumulativeTheLastIsTheWholeStreamAndOnlyTheRateDependsOnTheClock() throws IOException {
        LearnerSettings s = settings("adam", 0.01);
        AtomicLong clock = new AtomicLong();
        List<PrequentialRun.Line> lines = new ArrayList<>();
        PrequentialRun.Line total = PrequentialRun.builder(
                        new SyntheticStream(2_500, FEATURES, 0.1, new long[0], 4), factory(s).newLearner())
                .every(1_000)
                .nanoClock(() -> clock.addAndGet(1_000_000)) // 1 ms per reading
                .listener(lines::add)
                .build()
                .run();
        assertThat(lines).extracting(PrequentialRun.Line::examples).containsExactly(1_000L, 2_000L, 2_500L);
        assertThat(lines.get(2)).isEqualTo(total);
        assertThat(total.accuracy()).isBetween(0.8, 0.9); // 10% noise caps it at 0.9
        assertThat(total.auroc()).isBetween(0.85, 1.0);
        assertThat(total.logLoss()).isBetween(0.2, 0.5);
        assertThat(lines.get(0).examplesPerSecond()).isEqualTo(1_000 / 0.001); // readings 1 ms apart
        assertThat(total.format()).matches("2500\t0\\.\\d{6}\t0\\.\\d{6}\t0\\.\\d{6}\t\\d+");

        List<PrequentialRun.Line> again = new ArrayList<>();
        PrequentialRun.builder(new SyntheticStream(2_500, FEATURES, 0.1, new long[0], 4), factory(s).newLearner())
                .every(1_000)
                .listener(again::add)
                .build()
                .run();
        for (int i = 0; i < lines.size(); i++) {
            PrequentialRun.Line a = lines.get(i);
            PrequentialRun.Line b = again.get(i);
            assertThat(new double[] {b.examples(), b.accuracy(), b.logLoss(), b.auroc()})
                    .containsExactly(a.examples(), a.accuracy(), a.logLoss(), a.auroc());
        }
    }

    @Test
    void reportsByEventTimePeriods() throws IOException {
        StringBuilder csv = new StringBuilder("t,x,label\n");
        long hour = Duration.ofHours(1).toMillis();
        for (int i = 0; i < 50; i++) {
            long t = i < 10 ? 10 : i < 30 ? hour + 5 : 3 * hour; // 10 in hour 0, 20 in hour 1, 20 in hour 3
            csv.append(t).append(',').append(i % 7).append(',').append(i % 2).append('\n');
        }
        ExampleEncoder stream = ExampleEncoder.open(new CsvReader(new StringReader(csv.toString())),
                new EncodingOptions(null, "t", Set.of(), Set.of(), Set.of(), List.of(),
                        4, 10));
        LearnerSettings s = settings("sgd", 0.1);
        List<Long> examples = new ArrayList<>();
        PrequentialRun.builder(stream, s.newLearner(s.newModel(1), null))
                .everyPeriod(Duration.ofHours(1))
                .listener(l -> examples.add(l.examples()))
                .build()
                .run();
        assertThat(examples).containsExactly(10L, 30L, 50L);
    }

    @Test
    void refusesALearnerOfAnotherShape() {
        LearnerSettings s = settings("sgd", 0.1);
        assertThatThrownBy(() -> PrequentialRun.builder(new SyntheticStream(10, 3, 0, new long[0], 1),
                        s.newLearner(s.newModel(4), null)).build())
                .hasMessage("the learner takes 4 features and 2 classes, the stream has 3 and 2");
    }

    @Test
    void theGeneratedCsvReadsBackAsTheSameStream() throws IOException {
        StringWriter csv = new StringWriter();
        new SyntheticStream(500, 4, 0.1, new long[] {200}, 9).writeCsv(csv);
        SyntheticStream direct = new SyntheticStream(500, 4, 0.1, new long[] {200}, 9);
        ExampleEncoder read = ExampleEncoder.open(new CsvReader(new StringReader(csv.toString())),
                EncodingOptions.defaults());
        assertThat(read.featureNames()).isEqualTo(direct.featureNames());
        int n = 0;
        while (direct.next()) {
            assertThat(read.next()).isTrue();
            assertThat(read.features()).containsExactly(direct.features());
            assertThat(read.label()).isEqualTo(direct.label());
            n++;
        }
        assertThat(read.next()).isFalse();
        assertThat(n).isEqualTo(500);
    }
}
