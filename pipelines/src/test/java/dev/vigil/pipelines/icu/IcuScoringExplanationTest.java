package dev.vigil.pipelines.icu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.onnx.OnnxImport;
import dev.vigil.operators.alert.AlertOptions;
import dev.vigil.operators.explain.ExplainOptions;
import dev.vigil.operators.explain.FeatureGroups;
import dev.vigil.operators.explain.IcuFeatureGroups;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.PatientSnapshot;
import dev.vigil.operators.icu.ScoredSnapshot;
import dev.vigil.operators.inference.BatchCollector;
import dev.vigil.operators.inference.BatchFunction;
import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

/**
 * Both ICU scorers attach Shapley reasons over the clinical groups to the scores at or above the alert threshold, on
 * the bundled (logistic) model: exactly the graph's own per-feature contributions summed per group, re-centred on the
 * background of scored rows.
 */
class IcuScoringExplanationTest {

    private static final int BACKGROUND = 8;
    private static final int CAP = 2;

    private static Configuration options() {
        Configuration options = new Configuration();
        options.set(AlertOptions.RISK_ENTER, 0.0); // every score is an alert candidate
        options.set(ExplainOptions.BACKGROUND_SIZE, BACKGROUND);
        options.set(ExplainOptions.MAX_PER_BATCH, CAP);
        options.set(InferenceOptions.BATCH_MAX_SIZE, 16);
        return options;
    }

    private static BatchFunction.Context context(ReadableConfig options) {
        return new BatchFunction.Context() {
            @Override
            public ReadableConfig getOptions() {
                return options;
            }

            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public ClassLoader getUserCodeClassLoader() {
                return IcuScoringExplanationTest.class.getClassLoader();
            }

            @Override
            public int getMaxBatchSize() {
                return options.get(InferenceOptions.BATCH_MAX_SIZE);
            }

            @Override
            public int getSubtaskIndex() {
                return 0;
            }
        };
    }

    /** Collects the results in index order. */
    private static final class Results implements BatchCollector<ScoredSnapshot> {
        final List<ScoredSnapshot> values = new ArrayList<>();

        @Override
        public void collect(int index, ScoredSnapshot value) {
            assertThat(index).isEqualTo(values.size());
            values.add(value);
        }

        @Override
        public <X> void collect(OutputTag<X> tag, int index, X value) {
            throw new AssertionError("no side output expected");
        }

        @Override
        public long timestamp(int index) {
            return 0;
        }
    }

    /** Snapshots with features drawn around the bundled model's training means. */
    private static List<PatientSnapshot> snapshots(ModelRef model, int n, long seed) throws Exception {
        OnnxImport.ImportedLogistic logistic =
                OnnxImport.logistic(ModelBytes.read(model.uri(), IcuScoringExplanationTest.class.getClassLoader()));
        double[] mean = logistic.mean();
        double[] std = logistic.std();
        Random random = new Random(seed);
        List<PatientSnapshot> snapshots = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            PatientSnapshot snapshot = new PatientSnapshot();
            snapshot.patientId = "p" + seed + "-" + s;
            snapshot.features = new float[IcuFeatures.SIZE];
            for (int i = 0; i < IcuFeatures.SIZE; i++) {
                snapshot.features[i] = (float) (mean[i] + random.nextGaussian() * std[i]);
            }
            snapshots.add(snapshot);
        }
        return snapshots;
    }

    /**
     * For a logistic model {@code contributions_i = c_i (x_i - mu_i)}, so a group's Shapley value against the
     * background, {@code sum_{i in g} c_i (x_i - mean_b z_i)}, is the group's sum of the row's contributions minus
     * the background rows' mean contributions.
     */
    private static void assertExplainedLikeTheGraph(ScoredSnapshot s, List<ScoredSnapshot> background) {
        FeatureGroups groups = IcuFeatureGroups.clinical();
        assertThat(s.reasonNames).containsExactlyElementsOf(groups.groupNames());
        for (int g = 0; g < groups.groupCount(); g++) {
            double expected = 0;
            for (int i : groups.members(g)) {
                double backgroundMean = 0;
                for (ScoredSnapshot z : background) {
                    backgroundMean += z.contributions[i];
                }
                expected += s.contributions[i] - backgroundMean / background.size();
            }
            assertThat((double) s.reasonAttributions[g]).as(groups.groupName(g)).isCloseTo(expected, within(1e-3));
            assertThat(s.reasonValues[g]).isEqualTo(s.features[groups.representative(g)]);
        }
    }

    private static void assertCappedAndExplained(List<ScoredSnapshot> warmUp, List<ScoredSnapshot> scored) {
        assertThat(warmUp).noneMatch(ScoredSnapshot::hasExplanation).allMatch(s -> s.contributions != null);
        assertThat(scored).filteredOn(ScoredSnapshot::hasExplanation).hasSize(CAP);
        double leastExplained = scored.stream().filter(ScoredSnapshot::hasExplanation)
                .mapToDouble(s -> s.riskScore).min().orElseThrow();
        assertThat(scored).filteredOn(s -> !s.hasExplanation())
                .allMatch(s -> s.riskScore <= leastExplained && s.contributions != null);
        for (ScoredSnapshot s : scored) {
            if (s.hasExplanation()) {
                assertExplainedLikeTheGraph(s, warmUp);
            }
        }
    }

    @Test
    void theMicroBatchScorerExplainsTheRiskiestScoresOfABatch() throws Exception {
        ModelRef model = IcuJob.modelRef(new Configuration());
        IcuScoringFunction function = new IcuScoringFunction(model);
        function.open(context(options()));
        try {
            Results warmUp = new Results();
            function.processBatch(snapshots(model, BACKGROUND, 1), warmUp);
            Results scored = new Results();
            function.processBatch(snapshots(model, 6, 2), scored);

            assertCappedAndExplained(warmUp.values, scored.values);
        } finally {
            function.close();
        }
    }

    @Test
    void theHotSwapScorerExplainsWithTheActiveScorerOnly() throws Exception {
        ModelRef model = IcuJob.modelRef(new Configuration());
        IcuHotSwapScoring function = new IcuHotSwapScoring(model.name());
        Configuration options = options();
        function.open(context(options));
        try (OnnxScorer scorer = OnnxScorer.load(model, options, getClass().getClassLoader())) {
            List<ScoredSnapshot> warmUp = score(function, scorer, snapshots(model, BACKGROUND, 1));
            List<ScoredSnapshot> scored = score(function, scorer, snapshots(model, 6, 2));
            assertCappedAndExplained(warmUp, scored);

            // The version-only entry point has no session to explain with: graph reasons only.
            List<PatientSnapshot> batch = snapshots(model, 3, 3);
            float[][] rows = rows(batch);
            Results versionOnly = new Results();
            function.processBatch(batch, scorer.score(rows, rows.length), model, versionOnly);
            assertThat(versionOnly.values).noneMatch(ScoredSnapshot::hasExplanation);
            assertThat(versionOnly.values).allMatch(s -> model.version().equals(s.modelVersion));

            // No model: NEWS2 fallback, nothing explained, nothing scored.
            Results unscored = new Results();
            function.processBatch(batch, null, (OnnxScorer) null, unscored);
            assertThat(unscored.values).allMatch(s -> s.riskScore == null && !s.hasExplanation()
                    && ScoredSnapshot.NO_MODEL.equals(s.modelVersion));
        } finally {
            function.close();
        }
    }

    private static List<ScoredSnapshot> score(
            IcuHotSwapScoring function, OnnxScorer scorer, List<PatientSnapshot> batch) throws Exception {
        float[][] rows = rows(batch);
        ScoreBatch scores = scorer.score(rows, rows.length);
        Results out = new Results();
        function.processBatch(batch, scores, scorer, out);
        return out.values;
    }

    private static float[][] rows(List<PatientSnapshot> batch) {
        float[][] rows = new float[batch.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = Arrays.copyOf(batch.get(i).features, IcuFeatures.SIZE);
        }
        return rows;
    }
}
