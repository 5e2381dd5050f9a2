package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.onnx.MetadataKeys;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import dev.vigil.pipelines.sim.fraud.FraudPattern;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class FraudModelTrainingTest {

    private static final FraudPattern N = FraudPattern.NONE;
    private static final FraudPattern CT = FraudPattern.CARD_TESTING;
    private static final FraudPattern ATO = FraudPattern.ACCOUNT_TAKEOVER;

    @Test
    void precisionAtKAndPatternRecallCountTheTopKRows() {
        double[] s = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2};
        int[] y = {1, 0, 1, 0, 0, 1, 0, 1};
        FraudPattern[] p = {CT, N, ATO, N, N, CT, N, ATO};

        FraudModelTraining.Scores top3 = FraudModelTraining.score("m", s, y, p, 3);

        assertThat(top3.precisionAtK()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(top3.thresholdAtK()).isEqualTo(0.7);
        assertThat(top3.recallByPattern()).containsEntry(CT, 0.5).containsEntry(ATO, 0.5).hasSize(2);
        assertThat(top3.rocAuc()).isCloseTo(8.0 / 16, within(1e-12)); // 8 of the 16 (pos, neg) pairs in order
        assertThat(FraudModelTraining.score("m", s, y, p, 8).recallByPattern())
                .containsEntry(CT, 1.0).containsEntry(ATO, 1.0);
    }

    @Test
    void recallAtFprUsesTheThresholdAboveTheAllowedNegatives() {
        // 200 negatives scored 0..199, positives at 150.5, 197.5, 198.5 and 250: 1% FPR allows the 2 highest
        // negatives (198, 199) above the threshold, which is therefore 197.
        double[] s = new double[204];
        int[] y = new int[204];
        for (int i = 0; i < 200; i++) {
            s[i] = i;
        }
        double[] positives = {150.5, 197.5, 198.5, 250};
        for (int i = 0; i < 4; i++) {
            s[200 + i] = positives[i];
            y[200 + i] = 1;
        }
        assertThat(FraudModelTraining.recallAtFpr(s, y, 0.01)).isEqualTo(0.75);
        assertThat(FraudModelTraining.recallAtFpr(s, y, 0.0)).isEqualTo(0.25);
        assertThat(FraudModelTraining.recallAtFpr(new double[] {1, 2}, new int[] {0, 0}, 0.01)).isNaN();
    }

    @Test
    void theCombinationFlagsWhatEitherModelFlagsAtTheSameTrainingQuantile() {
        double[] trainA = new double[100];
        double[] trainB = new double[100];
        for (int i = 0; i < 100; i++) {
            trainA[i] = i / 100.0; // levels of A: share of training scores at or below
            trainB[i] = i; // B on another scale
        }
        double[] combined = FraudModelTraining.combine(trainA, trainB, new double[] {0.995, 0.10, 0.5}, new double[] {
            5, 98.5, 50
        });
        assertThat(combined[0]).isCloseTo(1.0, within(1e-5)); // A above its whole training range
        assertThat(combined[1]).isCloseTo(0.99, within(1e-5)); // B at its 99th percentile
        assertThat(combined[2]).isCloseTo(0.51, within(1e-5));
        assertThat(combined[0]).isGreaterThan(combined[1]);
    }

    @Test
    void configRejectsAWarmupAsLongAsTheRun() {
        assertThatThrownBy(() -> new FraudModelTraining.Config(1, 100, Duration.ofDays(3), Duration.ofDays(3), "1"))
                .hasMessageContaining("warmup");
    }

    @Test
    void smallTrainingRunIsDeterministicAndExportsThreeContractModels() throws Exception {
        FraudModelTraining.Config config =
                new FraudModelTraining.Config(7L, 1_500, Duration.ofDays(9), Duration.ofDays(2), "t");
        FraudModelTraining.Result first = FraudModelTraining.train(config);
        FraudModelTraining.Result second = FraudModelTraining.train(config);

        assertThat(first.classifier()).isEqualTo(second.classifier());
        assertThat(first.autoencoder()).isEqualTo(second.autoencoder());
        assertThat(first.mlp()).isEqualTo(second.mlp());
        assertThat(first.classifierSha256()).isEqualTo(Sha256.hex(first.classifier()));
        assertThat(first.trainPositives()).isPositive();
        assertThat(first.test().models()).extracting(FraudModelTraining.Scores::model)
                .containsExactly("logistic", "mlp", "autoencoder", "combined");
        assertThat(first.test().k()).isEqualTo(Math.max(1, Math.round(0.005 * first.test().rows())));

        assertThat(metadata(first.classifier())).containsEntry(MetadataKeys.MODEL_NAME, "fraud-classifier")
                .containsEntry(MetadataKeys.MODEL_VERSION, "t")
                .containsEntry(MetadataKeys.MODEL_TYPE, "logistic");
        assertThat(metadata(first.autoencoder())).containsEntry(MetadataKeys.MODEL_NAME, "fraud-autoencoder")
                .containsEntry(MetadataKeys.MODEL_TYPE, "autoencoder")
                .containsKeys(MetadataKeys.ANOMALY_QUANTILE_P99, MetadataKeys.ANOMALY_QUANTILE_P999);
        assertThat(metadata(first.mlp())).containsEntry(MetadataKeys.MODEL_NAME, "fraud-classifier-mlp")
                .containsEntry(MetadataKeys.MODEL_TYPE, "mlp");
    }

    @Test
    void bundledModelsMatchTheirDigestsTheFeatureSchemaAndTheScorerContract() throws Exception {
        String[][] bundled = {
            {FraudModelTraining.CLASSIFIER_RESOURCE, "fraud-classifier", "logistic", OnnxScorer.PROBABILITY_OUTPUT},
            {FraudModelTraining.AUTOENCODER_RESOURCE, "fraud-autoencoder", "autoencoder",
                OnnxScorer.ANOMALY_SCORE_OUTPUT},
            {FraudModelTraining.MLP_RESOURCE, "fraud-classifier-mlp", "mlp", OnnxScorer.PROBABILITY_OUTPUT}
        };
        float[][] rows = new float[2][FraudFeatures.SIZE];
        rows[1][FraudFeatures.COUNT_1H] = 9; // a burst, first seen everything, abroad, card not present
        rows[1][FraudFeatures.NEW_DEVICE] = 1;
        rows[1][FraudFeatures.NEW_MERCHANT] = 1;
        rows[1][FraudFeatures.NEW_COUNTRY] = 1;
        rows[1][FraudFeatures.FOREIGN_COUNTRY] = 1;
        rows[1][FraudFeatures.CARD_NOT_PRESENT] = 1;
        rows[1][FraudFeatures.AMOUNT_ROBUST_Z] = 10;
        for (String[] b : bundled) {
            byte[] onnx = resource(b[0]);
            String sidecar = new String(resource(b[0] + ".sha256"), StandardCharsets.UTF_8).trim();
            assertThat(Sha256.hex(onnx)).as(b[0]).isEqualTo(sidecar);
            Map<String, String> metadata = metadata(onnx);
            assertThat(metadata).containsEntry(MetadataKeys.MODEL_NAME, b[1])
                    .containsEntry(MetadataKeys.MODEL_VERSION, "1")
                    .containsEntry(MetadataKeys.MODEL_TYPE, b[2])
                    .containsEntry(MetadataKeys.FEATURE_FINGERPRINT, FraudFeatures.FINGERPRINT);
            assertThat(Arrays.asList(metadata.get(MetadataKeys.FEATURE_NAMES).split(",")))
                    .isEqualTo(FraudFeatures.NAMES);
            assertThat(Double.parseDouble(metadata.get("vigil.metrics.test.roc_auc"))).isGreaterThan(0.9);

            ModelRef ref = new ModelRef(b[1], "1", "classpath:" + b[0], sidecar);
            try (OnnxScorer scorer = OnnxScorer.load(ref, new Configuration(), getClass().getClassLoader())) {
                assertThat(scorer.scoreOutput()).isEqualTo(b[3]);
                ScoreBatch scores = scorer.score(rows, 2);
                assertThat(scores.score(1)).as("%s scores the burst higher", b[1]).isGreaterThan(scores.score(0));
            }
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = FraudModelTrainingTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    static Map<String, String> metadata(byte[] onnx) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (OnnxMl.StringStringEntryProto e : OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
