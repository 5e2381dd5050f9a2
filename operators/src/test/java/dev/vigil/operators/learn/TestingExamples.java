package dev.vigil.operators.learn;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;

/**
 * A seeded stream of labelled examples from a known logistic concept over {@link #FEATURES} features on very
 * different scales, and a bootstrap model of the same concept, for the learner's tests.
 */
final class TestingExamples {

    static final String MODEL = "test-risk";
    static final List<String> FEATURES = List.of("heart_rate", "resp_rate", "spo2", "temperature", "lactate", "age");
    static final int F = FEATURES.size();
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    private static final double[] MEAN = {85, 18, 96, 37, 1.5, 60};
    private static final double[] SCALE = {15, 4, 2.5, 0.6, 0.8, 15};
    private static final double[] WEIGHTS = {1.2, 0.9, -1.1, 0.4, 1.5, 0.6};
    private static final double BIAS = -1.0;

    private TestingExamples() {}

    /** {@code n} examples, one second of prediction time apart from {@link #START} plus {@code offsetSeconds}. */
    static List<LabeledExample> stream(int n, long seed, long offsetSeconds) {
        SplittableRandom random = new SplittableRandom(seed);
        List<LabeledExample> out = new ArrayList<>(n);
        float[] x = new float[F];
        for (int i = 0; i < n; i++) {
            double logit = BIAS;
            for (int j = 0; j < F; j++) {
                double z = random.nextGaussian();
                x[j] = (float) (MEAN[j] + SCALE[j] * z);
                logit += WEIGHTS[j] * z;
            }
            double label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1.0 : 0.0;
            out.add(example(x, label, START.plusSeconds(offsetSeconds + i)));
        }
        return out;
    }

    static LabeledExample example(float[] features, double label, Instant predictionTime) {
        List<Float> values = new ArrayList<>(features.length);
        for (float f : features) {
            values.add(f);
        }
        return example(values, label, predictionTime);
    }

    static LabeledExample example(List<Float> features, double label, Instant predictionTime) {
        return LabeledExample.newBuilder()
                .setPipeline("test")
                .setEntityId("patient-1")
                .setPredictionTime(predictionTime)
                .setFeatures(features)
                .setModelName(MODEL)
                .setModelVersion("none")
                .setLabel(label)
                .setLabelSource(LabelSource.ICU_OUTCOME)
                .setLabelTime(predictionTime.plusSeconds(3600))
                .setLabelDelayMillis(3_600_000L)
                .setGroup(Map.of())
                .build();
    }

    /** The raw features of an example. */
    static double[] raw(LabeledExample example) {
        double[] x = new double[example.getFeatures().size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = example.getFeatures().get(j);
        }
        return x;
    }

    /** Learner options: a binary logistic model of {@link #FEATURES} named {@link #MODEL}, sgd. */
    static Configuration config() {
        Configuration config = new Configuration();
        config.set(LearnerOptions.MODEL_NAME, MODEL);
        config.set(LearnerOptions.FEATURE_NAMES, FEATURES);
        config.set(LearnerOptions.OPTIMIZER, "sgd");
        config.set(LearnerOptions.LEARNING_RATE, 0.05);
        config.set(LearnerOptions.SEED, 7L);
        config.set(LearnerOptions.CODE_VERSION, "test");
        config.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 1_000L);
        config.set(LearnerOptions.PUBLISH_INTERVAL, java.time.Duration.ofMinutes(1));
        return config;
    }

    /**
     * A bootstrap model of the concept at version {@code version}: the true weights, slightly off, with statistics
     * fitted on 5,000 rows of the stream.
     */
    static byte[] bootstrap(String version) {
        Standardizer standardizer = new Standardizer(F);
        for (LabeledExample e : stream(5_000, 99, -10_000)) {
            standardizer.update(raw(e));
        }
        double[] w = new double[F];
        for (int j = 0; j < F; j++) {
            w[j] = 0.8 * WEIGHTS[j];
        }
        LogisticRegression model = LogisticRegression.of(w, BIAS + 0.3);
        ModelProvenance provenance = ModelProvenance.builder()
                .modelName(MODEL)
                .modelVersion(version)
                .featureNames(FEATURES)
                .trainingWindow(START.minusSeconds(86_400), START)
                .seed(1)
                .trainingCounts(5_000, 1_500)
                .codeVersion("bootstrap")
                .build();
        return OnnxExport.export(model, standardizer, provenance);
    }
}
