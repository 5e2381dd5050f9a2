package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.onnx.OnnxImport;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.decision.FraudDecisionOptions;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The job's default models, the bundled ones, are what it needs: a logistic classifier over {@link FraudFeatures} with
 * contributions, that the online learner can warm-start from, and an autoencoder over the same features whose
 * metadata gives the default anomaly threshold.
 */
class BundledFraudModelsTest {

    private final Configuration defaults = new Configuration();

    @Test
    void theBundledClassifierIsALogisticModelOverTheFraudFeatures() throws Exception {
        ModelRef ref = FraudJob.classifierRef(defaults);

        assertThat(ref.name()).isEqualTo(FraudJob.CLASSIFIER_NAME);
        try (OnnxScorer scorer = OnnxScorer.load(ref, defaults, getClass().getClassLoader())) {
            assertThat(scorer.metadata().featureNames()).isEqualTo(FraudFeatures.NAMES);
            assertThat(scorer.isAnomalyModel()).isFalse();
            assertThat(scorer.hasContributions()).isTrue();
        }
        // The learner's bootstrap must import as a logistic model.
        assertThat(OnnxImport.logistic(ModelBytes.read(ref.uri(), getClass().getClassLoader()))).isNotNull();
    }

    @Test
    void theBundledAutoencoderGivesTheDefaultAnomalyThreshold() throws Exception {
        ModelRef ref = FraudJob.anomalyRef(defaults).orElseThrow();

        assertThat(ref.name()).isEqualTo(FraudJob.ANOMALY_MODEL_NAME);
        try (OnnxScorer scorer = OnnxScorer.load(ref, defaults, getClass().getClassLoader())) {
            assertThat(scorer.metadata().featureNames()).isEqualTo(FraudFeatures.NAMES);
            assertThat(scorer.isAnomalyModel()).isTrue();
            assertThat(scorer.hasContributions()).isTrue();
            assertThat(FraudDecisionOptions.policy(defaults, scorer.metadata()).anomalyThreshold())
                    .isNotNull()
                    .isPositive();
        }
    }

    @Test
    void theAnomalyModelIsOptional() {
        Configuration off = new Configuration();
        off.set(FraudPipelineOptions.ANOMALY_MODEL_ENABLED, false);
        assertThat(FraudJob.anomalyRef(off)).isEmpty();

        Configuration missing = new Configuration();
        missing.set(FraudPipelineOptions.ANOMALY_MODEL_URI, "classpath:/dev/vigil/models/fraud/no-such-model.onnx");
        assertThat(FraudJob.anomalyRef(missing)).isEmpty();
    }
}
