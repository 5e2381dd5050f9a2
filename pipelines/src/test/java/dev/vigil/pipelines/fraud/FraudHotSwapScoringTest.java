package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.FraudSnapshot;
import dev.vigil.operators.fraud.TransactionEvent;
import dev.vigil.operators.fraud.decision.DecidedTransaction;
import dev.vigil.operators.fraud.decision.FraudDecisionOptions;
import dev.vigil.operators.fraud.decision.TestingFraudModels;
import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import dev.vigil.operators.inference.TestingBatchCollector;
import dev.vigil.operators.inference.TestingBatchContext;
import dev.vigil.schema.common.Reason;
import dev.vigil.schema.fraud.Decision;
import dev.vigil.schema.fraud.FraudDecision;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fraud scorer's batch mapping against real ONNX models, without an operator. */
class FraudHotSwapScoringTest {

    private static final long T0 = Instant.parse("2026-11-03T12:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private static List<FraudSnapshot> batch() {
        List<FraudSnapshot> batch = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            float[] f = new float[FraudFeatures.SIZE];
            for (int j = 0; j < f.length; j++) {
                f[j] = (r == 3 ? 4f : 0.2f) * (1 + j % 3); // row 3 looks like an attack: everything high
            }
            TransactionEvent tx = new TransactionEvent("tx-" + r, "acct-" + r, "card-" + r, T0 + r, 12.5, "EUR",
                    "m-1", 5411, "NL", "ECOMMERCE", "dev-1", "NL", T0 + r + 5);
            batch.add(new FraudSnapshot(tx, f, r == 2));
        }
        return batch;
    }

    private static float[][] rows(List<FraudSnapshot> batch) {
        float[][] rows = new float[batch.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = batch.get(i).features().clone();
        }
        return rows;
    }

    private static Configuration options() {
        Configuration c = new Configuration();
        c.set(InferenceOptions.BATCH_MAX_SIZE, 8);
        c.set(FraudDecisionOptions.REVIEW_THRESHOLD, 0.5);
        c.set(FraudDecisionOptions.DECLINE_THRESHOLD, 0.9);
        c.set(FraudDecisionOptions.MAX_REASONS, 3);
        return c;
    }

    private ModelRef classifier() throws Exception {
        return TestingFraudModels.write(dir, "c.onnx", TestingFraudModels.classifier("1", -4.0),
                TestingFraudModels.CLASSIFIER, "1");
    }

    private ModelRef autoencoder() throws Exception {
        return TestingFraudModels.write(dir, "a.onnx", TestingFraudModels.autoencoder("a1", 3),
                TestingFraudModels.AUTOENCODER, "a1");
    }

    private static List<FraudDecision> run(FraudHotSwapScoring fn, List<FraudSnapshot> batch, ScoreBatch scores,
            OnnxScorer active) throws Exception {
        TestingBatchCollector<DecidedTransaction> out = TestingBatchCollector.withoutTimestamps(batch.size());
        fn.processBatch(batch, scores, active, out);
        List<FraudDecision> decisions = new ArrayList<>();
        for (int i = 0; i < out.values().size(); i++) {
            DecidedTransaction d = out.values().get(i);
            assertThat(d.features()).isSameAs(batch.get(i).features());
            assertThat(d.late()).isEqualTo(batch.get(i).late());
            decisions.add(d.decision());
        }
        return decisions;
    }

    @Test
    void bothModelsScoreEveryRowAndThePolicyDecides() throws Exception {
        List<FraudSnapshot> batch = batch();
        Configuration options = options();
        options.set(FraudDecisionOptions.ANOMALY_THRESHOLD, 1e6); // the classifier decides here
        FraudHotSwapScoring fn = new FraudHotSwapScoring(TestingFraudModels.CLASSIFIER, autoencoder(), "unused");
        try (OnnxScorer classifier = OnnxScorer.load(classifier(), options, getClass().getClassLoader());
                OnnxScorer reference = OnnxScorer.load(autoencoder(), options, getClass().getClassLoader())) {
            fn.open(new TestingBatchContext(options));
            ScoreBatch scores = classifier.score(rows(batch), batch.size());
            ScoreBatch anomalies = reference.score(rows(batch), batch.size());

            List<FraudDecision> decisions = run(fn, batch, scores, classifier);

            assertThat(decisions).hasSize(4);
            for (int i = 0; i < 4; i++) {
                FraudDecision d = decisions.get(i);
                assertThat(d.getTransactionId()).isEqualTo("tx-" + i);
                assertThat(d.getAccountId()).isEqualTo("acct-" + i);
                assertThat(d.getEventTime().toEpochMilli()).isEqualTo(T0 + i);
                assertThat(d.getIngestTime().toEpochMilli()).isEqualTo(T0 + i + 5);
                assertThat(d.getScore()).isEqualTo((double) scores.score(i));
                assertThat(d.getAnomalyScore()).isEqualTo((double) anomalies.score(i));
                assertThat(d.getModelName()).isEqualTo(TestingFraudModels.CLASSIFIER);
                assertThat(d.getModelVersion()).isEqualTo("1");
                assertThat(d.getAnomalyModelName()).isEqualTo(TestingFraudModels.AUTOENCODER);
                assertThat(d.getAnomalyModelVersion()).isEqualTo("a1");
                assertThat(d.getReviewThreshold()).isEqualTo(0.5);
                assertThat(d.getDeclineThreshold()).isEqualTo(0.9);
                assertThat(d.getAnomalyThreshold()).isEqualTo(1e6);
                Decision expected = d.getScore() >= 0.9 ? Decision.DECLINE
                        : d.getScore() >= 0.5 ? Decision.REVIEW : Decision.APPROVE;
                assertThat(d.getDecision()).isEqualTo(expected);
                // The classifier decided: its contributions are the reasons, largest magnitude first.
                assertThat(d.getReasons()).hasSize(3);
                float[] contributions = scores.contributions(i);
                for (Reason reason : d.getReasons()) {
                    int f = FraudFeatures.NAMES.indexOf(reason.getFeature());
                    assertThat(reason.getContribution()).isEqualTo((double) contributions[f]);
                    assertThat(reason.getValue()).isEqualTo((double) batch.get(i).features()[f]);
                }
                assertThat(Math.abs(d.getReasons().get(0).getContribution()))
                        .isGreaterThanOrEqualTo(Math.abs(d.getReasons().get(2).getContribution()));
            }
            assertThat(decisions.get(0).getDecision()).isEqualTo(Decision.APPROVE);
            assertThat(decisions.get(3).getDecision()).isEqualTo(Decision.DECLINE);
        } finally {
            fn.close();
        }
    }

    @Test
    void withoutAClassifierTheAnomalyRuleDecidesWithTheAutoencodersReasons() throws Exception {
        List<FraudSnapshot> batch = batch();
        Configuration options = options();
        FraudHotSwapScoring fn = new FraudHotSwapScoring(TestingFraudModels.CLASSIFIER, autoencoder(), "unused");
        try (OnnxScorer reference = OnnxScorer.load(autoencoder(), options, getClass().getClassLoader())) {
            fn.open(new TestingBatchContext(options));
            ScoreBatch anomalies = reference.score(rows(batch), batch.size());
            // The default threshold is the model's p999 training-score quantile.
            double threshold = Double.parseDouble(reference.metadata().get("vigil.anomaly.quantile.p999").orElseThrow());

            List<FraudDecision> decisions = run(fn, batch, null, null);

            for (int i = 0; i < 4; i++) {
                FraudDecision d = decisions.get(i);
                assertThat(d.getScore()).isNull();
                assertThat(d.getModelVersion()).isEqualTo("none");
                assertThat(d.getModelName()).isEqualTo(TestingFraudModels.CLASSIFIER);
                assertThat(d.getAnomalyThreshold()).isEqualTo(threshold);
                assertThat(d.getDecision()).isEqualTo(
                        anomalies.score(i) >= threshold ? Decision.REVIEW : Decision.APPROVE);
                assertThat(d.getReasons()).isNotEmpty().allSatisfy(r -> assertThat(r.getContribution()).isPositive());
            }
            // Row 3 is far from the reference rows.
            assertThat(decisions.get(3).getDecision()).isEqualTo(Decision.REVIEW);
        } finally {
            fn.close();
        }
    }

    @Test
    void anUnusableAnomalyModelLeavesTheClassifierAloneAndNeitherMeansReview() throws Exception {
        int sessionsBefore = OnnxScorer.liveSessions();
        List<FraudSnapshot> batch = batch();
        Configuration options = options();
        ModelRef good = autoencoder();
        ModelRef tampered = new ModelRef(good.name(), good.version(), good.uri(), "0".repeat(64));
        FraudHotSwapScoring fn = new FraudHotSwapScoring(TestingFraudModels.CLASSIFIER, tampered, "unused");
        try (OnnxScorer classifier = OnnxScorer.load(classifier(), options, getClass().getClassLoader())) {
            fn.open(new TestingBatchContext(options));

            List<FraudDecision> scored = run(fn, batch, classifier.score(rows(batch), 4), classifier);
            assertThat(scored).allSatisfy(d -> {
                assertThat(d.getAnomalyScore()).isNull();
                assertThat(d.getAnomalyModelVersion()).isEqualTo("none");
                assertThat(d.getAnomalyThreshold()).isNull();
                assertThat(d.getScore()).isNotNull();
            });

            List<FraudDecision> unscored = run(fn, batch, null, null);
            assertThat(unscored).allSatisfy(d -> {
                assertThat(d.getDecision()).isEqualTo(Decision.REVIEW);
                assertThat(d.getReasons()).isEmpty();
                assertThat(d.getModelVersion()).isEqualTo("none");
            });
        } finally {
            fn.close();
        }
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void theAccountGroupTravelsAsAPojo() {
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(FraudGroupJoin.AccountGroup.class))
                .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
    }

    @Test
    void theStaticScorerServesItsClassifierAndFallsBackWhenItCannotOpenIt() throws Exception {
        List<FraudSnapshot> batch = batch();
        Configuration options = options();
        ModelRef good = classifier();
        ModelRef tampered = new ModelRef(good.name(), good.version(), good.uri(), "0".repeat(64));
        FraudScoringFunction serving = new FraudScoringFunction(good, autoencoder());
        FraudScoringFunction broken = new FraudScoringFunction(tampered, autoencoder());
        try (OnnxScorer reference = OnnxScorer.load(good, options, getClass().getClassLoader())) {
            serving.open(new TestingBatchContext(options));
            broken.open(new TestingBatchContext(options));
            ScoreBatch expected = reference.score(rows(batch), batch.size());

            TestingBatchCollector<DecidedTransaction> out = TestingBatchCollector.withoutTimestamps(4);
            serving.processBatch(batch, out);
            assertThat(serving.modelVersion()).isEqualTo("1");
            for (int i = 0; i < 4; i++) {
                FraudDecision d = out.values().get(i).decision();
                assertThat(d.getScore()).isEqualTo((double) expected.score(i));
                assertThat(d.getModelVersion()).isEqualTo("1");
                assertThat(d.getAnomalyModelVersion()).isEqualTo("a1");
            }

            TestingBatchCollector<DecidedTransaction> fallback = TestingBatchCollector.withoutTimestamps(4);
            broken.processBatch(batch, fallback);
            assertThat(broken.modelVersion()).isEqualTo("none");
            assertThat(fallback.values()).hasSize(4).allSatisfy(t -> {
                assertThat(t.decision().getScore()).isNull();
                assertThat(t.decision().getModelVersion()).isEqualTo("none");
                assertThat(t.decision().getAnomalyScore()).isNotNull();
            });
        } finally {
            serving.close();
            broken.close();
        }
    }
}
