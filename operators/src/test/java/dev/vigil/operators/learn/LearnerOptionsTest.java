package dev.vigil.operators.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.continual.OnlineLearner;
import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.optim.Optimizers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link LearnerOptions} read into {@link LearnerSettings}: defaults, validation, and the learner they build. */
class LearnerOptionsTest {

    @Test
    void defaults() {
        LearnerSettings s = LearnerOptions.settings(new Configuration());
        assertThat(s.model()).isEqualTo(ModelType.LOGISTIC);
        assertThat(s.optimizer().name()).isEqualTo("adam");
        assertThat(s.optimizer().learningRate().learningRate(1)).isEqualTo(0.001);
        assertThat(s.minibatch()).isEqualTo(1);
        assertThat(s.l1()).isZero();
        assertThat(s.l2()).isZero();
        assertThat(s.clipNorm()).isInfinite();
        assertThat(s.replay()).isFalse();
        assertThat(s.ewc()).isFalse();
        assertThat(s.publishEveryUpdates()).isEqualTo(1_000);
        assertThat(s.publishInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.evaluationWindow()).isEqualTo(1_000);
        assertThat(s.freezeStandardizerAfter()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.modelName()).isNull();
        assertThat(s.featureNames()).isEmpty();
        assertThat(s.numClasses()).isEqualTo(2);
        assertThat(s.codeVersion()).isNotBlank();
    }

    @Test
    void readsNestedKeys() {
        Configuration c = TestingExamples.config();
        c.set(LearnerOptions.OPTIMIZER, "adamw");
        c.set(LearnerOptions.WEIGHT_DECAY, 1e-4);
        c.set(LearnerOptions.BETA2, 0.99);
        c.set(LearnerOptions.REPLAY_ENABLED, true);
        c.set(LearnerOptions.REPLAY_SIZE, 64);
        c.set(LearnerOptions.REPLAY_PER_UPDATE, 4);
        c.set(LearnerOptions.EWC_ENABLED, true);
        c.set(LearnerOptions.EWC_LAMBDA, 5.0);
        c.set(LearnerOptions.EWC_CONSOLIDATE_EVERY, 10L);
        c.set(LearnerOptions.PUBLISH_INTERVAL, Duration.ofSeconds(5));
        LearnerSettings s = LearnerOptions.settings(c);
        assertThat(s.optimizer().weightDecay()).isEqualTo(1e-4);
        assertThat(s.optimizer().beta2()).isEqualTo(0.99);
        assertThat(s.reservoirSize()).isEqualTo(64);
        assertThat(s.replayPerUpdate()).isEqualTo(4);
        assertThat(s.ewcLambda()).isEqualTo(5.0);
        assertThat(s.ewcConsolidateEvery()).isEqualTo(10);
        assertThat(s.publishInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.modelName()).isEqualTo(TestingExamples.MODEL);
    }

    static List<String> optimizers() {
        return Optimizers.NAMES;
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void everyOptimizerBuildsALearnerThatTrains(String name) {
        Configuration c = TestingExamples.config();
        c.set(LearnerOptions.OPTIMIZER, name);
        c.set(LearnerOptions.LEARNING_RATE, 0.05);
        c.set(LearnerOptions.L2, 1e-3);
        if (name.equals("adamw")) {
            c.set(LearnerOptions.WEIGHT_DECAY, 1e-4);
        }
        if (!name.equals("ftrl")) {
            c.set(LearnerOptions.L1, 1e-4); // ftrl too, but as its own lambda1: covered below
        }
        LearnerSettings s = LearnerOptions.settings(c);
        OnlineLearner learner = s.newLearner(s.newModel(TestingExamples.F), null);
        for (var e : TestingExamples.stream(200, 1, 0)) {
            learner.evaluateThenTrain(TestingExamples.raw(e), (int) e.getLabel(), 1.0);
        }
        assertThat(learner.updates()).isEqualTo(200);
        assertThat(learner.metrics().windowAuroc()).isGreaterThan(0.6);
    }

    @Test
    void ftrlTakesL1AndL2AsItsOwnLambdas() {
        Configuration c = TestingExamples.config();
        c.set(LearnerOptions.OPTIMIZER, "ftrl");
        c.set(LearnerOptions.L1, 0.5);
        c.set(LearnerOptions.L2, 0.25);
        LearnerSettings s = LearnerOptions.settings(c);
        assertThat(s.optimizer().lambda1()).isEqualTo(0.5);
        assertThat(s.optimizer().lambda2()).isEqualTo(0.25);
    }

    @Test
    void rejectsWhatDoesNotFitNamingTheKey() {
        assertRejected(c -> c.set(LearnerOptions.BETA1, 0.8), "beta1");            // sgd has no beta1
        assertRejected(c -> c.set(LearnerOptions.OPTIMIZER, "lbfgs"), "vigil.learner.optimizer");
        assertRejected(c -> c.set(LearnerOptions.OPTIMIZER, "adamw"), "weightDecay");
        assertRejected(c -> c.set(LearnerOptions.LEARNING_RATE, 0.0), "vigil.learner.learning-rate");
        assertRejected(c -> c.set(LearnerOptions.L1, -1.0), "vigil.learner.l1");
        assertRejected(c -> c.set(LearnerOptions.CLIP_NORM, 0.0), "vigil.learner.clip-norm");
        assertRejected(c -> c.set(LearnerOptions.MINIBATCH, 0), "vigil.learner.minibatch");
        assertRejected(c -> c.set(LearnerOptions.REPLAY_SIZE, 0), "vigil.learner.replay.size");
        assertRejected(c -> c.set(LearnerOptions.EWC_LAMBDA, 0.0), "vigil.learner.ewc.lambda");
        assertRejected(c -> c.set(LearnerOptions.EWC_DECAY, 1.5), "vigil.learner.ewc.decay");
        assertRejected(c -> c.set(LearnerOptions.HIDDEN_LAYERS, List.of(8, 8, 8)), "vigil.learner.hidden-layers");
        assertRejected(c -> c.set(LearnerOptions.DROPOUT, 0.2), "vigil.learner.dropout"); // not an mlp
        assertRejected(c -> c.set(LearnerOptions.MODEL, ModelType.SOFTMAX), "vigil.learner.classes");
        assertRejected(c -> c.set(LearnerOptions.MODEL, ModelType.AUTOENCODER), "trains classifiers only");
        assertRejected(c -> c.set(LearnerOptions.CLASSES, List.of("a", "b", "c")), "vigil.learner.classes");
        assertRejected(c -> c.set(LearnerOptions.FEATURE_NAMES, List.of("x", "x")), "vigil.learner.feature-names");
        assertRejected(c -> c.set(LearnerOptions.MODEL_NAME, "no spaces"), "vigil.learner.model-name");
        assertRejected(c -> {
            c.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 0L);
            c.set(LearnerOptions.PUBLISH_INTERVAL, Duration.ZERO);
        }, "vigil.learner.publish.interval");
    }

    @Test
    void multiclassModels() {
        Configuration softmax = TestingExamples.config();
        softmax.set(LearnerOptions.MODEL, ModelType.SOFTMAX);
        softmax.set(LearnerOptions.CLASSES, List.of("stable", "watch", "deteriorating"));
        assertThat(LearnerOptions.settings(softmax).numClasses()).isEqualTo(3);

        Configuration mlp = TestingExamples.config();
        mlp.set(LearnerOptions.MODEL, ModelType.MLP);
        mlp.set(LearnerOptions.HIDDEN_LAYERS, List.of(16, 8));
        mlp.set(LearnerOptions.DROPOUT, 0.1);
        LearnerSettings s = LearnerOptions.settings(mlp);
        assertThat(s.newModel(TestingExamples.F).numClasses()).isEqualTo(2);
    }

    @Test
    void settingsTravelInTheJobGraph() throws Exception {
        LearnerSettings s = LearnerOptions.settings(TestingExamples.config());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(s);
        }
    }

    private static void assertRejected(Consumer<Configuration> change, String message) {
        Configuration c = TestingExamples.config();
        change.accept(c);
        assertThatThrownBy(() -> LearnerOptions.settings(c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
