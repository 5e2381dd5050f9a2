package dev.vigil.models.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerSpecTest {

    @Test
    void everyNameBuildsItsOptimizer() {
        assertThat(Optimizers.NAMES)
                .containsExactly("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "ftrl");
        assertThat(Optimizers.create(OptimizerSpec.of("sgd", 0.1))).isInstanceOf(Sgd.class);
        assertThat(Optimizers.create(OptimizerSpec.of("momentum", 0.1))).isInstanceOf(Momentum.class);
        assertThat(Optimizers.create(OptimizerSpec.of("nesterov", 0.1))).isInstanceOf(Nesterov.class);
        assertThat(Optimizers.create(OptimizerSpec.of("adagrad", 0.1))).isInstanceOf(AdaGrad.class);
        assertThat(Optimizers.create(OptimizerSpec.of("rmsprop", 0.1))).isInstanceOf(RMSprop.class);
        assertThat(Optimizers.create(OptimizerSpec.of("adam", 0.1))).isInstanceOf(Adam.class);
        assertThat(Optimizers.create(OptimizerSpec.builder("adamw").learningRate(0.1).weightDecay(1e-4).build()))
                .isInstanceOf(AdamW.class);
        assertThat(Optimizers.create(OptimizerSpec.of("ftrl", 0.1))).isInstanceOf(Ftrl.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "ftrl"})
    void theOptimizerCarriesItsNameIntoItsState(String name) {
        Optimizer optimizer = OptimizerSpec.of(name, 0.1).create();
        optimizer.step(new double[2], new double[] {1.0, -1.0});
        assertThat(optimizer.snapshot().algorithm()).isEqualTo(name);
    }

    @Test
    void unsetSettingsTakeThePublishedDefaults() {
        Adam adam = (Adam) OptimizerSpec.of("adam", 0.01).create();
        assertThat(adam.beta1()).isEqualTo(0.9);
        assertThat(adam.beta2()).isEqualTo(0.999);
        assertThat(adam.epsilon()).isEqualTo(1e-8);
        AdaGrad adaGrad = (AdaGrad) OptimizerSpec.of("adagrad", 0.01).create();
        assertThat(adaGrad.delta()).isEqualTo(1e-10);
        assertThat(adaGrad.initialAccumulator()).isEqualTo(0.0);
        RMSprop rmsprop = (RMSprop) OptimizerSpec.of("rmsprop", 0.01).create();
        assertThat(rmsprop.rho()).isEqualTo(0.9);
        assertThat(rmsprop.centered()).isFalse();
        Nesterov nesterov = (Nesterov) OptimizerSpec.of("nesterov", 0.01).create();
        assertThat(nesterov.mu()).isEqualTo(0.9);
        Ftrl ftrl = (Ftrl) OptimizerSpec.of("ftrl", 0.05).create();
        assertThat(ftrl.alpha()).isEqualTo(0.05);
        assertThat(ftrl.beta()).isEqualTo(1.0);
        assertThat(ftrl.lambda1()).isEqualTo(0.0);
    }

    @Test
    void settingsReachTheOptimizer() {
        OptimizerSpec spec = OptimizerSpec.builder("adamw")
                .learningRate(LearningRateSchedule.inverseTimeDecay(0.01, 0.1))
                .weightDecay(1e-5)
                .beta1(0.8)
                .beta2(0.99)
                .epsilon(1e-7)
                .build();
        ParameterMask mask = ParameterMask.excluding(5, 4);
        AdamW adamW = (AdamW) Optimizers.create(spec, mask);
        assertThat(adamW.alpha()).isEqualTo(0.01);
        assertThat(adamW.lambda()).isEqualTo(1e-5);
        assertThat(adamW.beta1()).isEqualTo(0.8);
        assertThat(adamW.beta2()).isEqualTo(0.99);
        assertThat(adamW.epsilon()).isEqualTo(1e-7);
        assertThat(adamW.decayMask()).isEqualTo(mask);
        assertThat(spec.toString())
                .isEqualTo("adamw{learningRate=InverseTimeDecay[eta0=0.01, decay=0.1], beta1=0.8, beta2=0.99,"
                        + " epsilon=1.0E-7, weightDecay=1.0E-5}");

        Ftrl ftrl = (Ftrl) Optimizers.create(
                OptimizerSpec.builder("ftrl").learningRate(0.2).ftrlBeta(0.5).lambda1(2).lambda2(3).build(), mask);
        assertThat(ftrl.alpha()).isEqualTo(0.2);
        assertThat(ftrl.beta()).isEqualTo(0.5);
        assertThat(ftrl.lambda1()).isEqualTo(2.0);
        assertThat(ftrl.lambda2()).isEqualTo(3.0);
        assertThat(ftrl.regularizedMask()).isEqualTo(mask);

        RMSprop rmsprop = (RMSprop) OptimizerSpec.builder("rmsprop")
                .learningRate(0.1)
                .rho(0.5)
                .centered(true)
                .build()
                .create();
        assertThat(rmsprop.centered()).isTrue();
        assertThat(rmsprop.rho()).isEqualTo(0.5);
        assertThat(OptimizerSpec.of("sgd", 0.1).toString()).isEqualTo("sgd{learningRate=0.1}");
    }

    @Test
    void rejectsSettingsThatDoNotApply() {
        assertThatThrownBy(() -> OptimizerSpec.builder("adam").learningRate(0.1).momentum(0.9).build())
                .hasMessageContaining("momentum does not apply to adam (it applies to momentum, nesterov)");
        assertThatThrownBy(() -> OptimizerSpec.builder("sgd").learningRate(0.1).lambda1(1).build())
                .hasMessageContaining("lambda1 does not apply to sgd");
        assertThatThrownBy(() -> OptimizerSpec.builder("adam").learningRate(0.1).centered(false).build())
                .hasMessageContaining("centered");
        assertThatThrownBy(() -> new OptimizerSpec(
                        "sgd", LearningRateSchedule.constant(0.1), 0.9, Double.NaN, Double.NaN, Double.NaN,
                        Double.NaN, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN))
                .hasMessageContaining("momentum does not apply to sgd");
    }

    @Test
    void rejectsInvalidOrMissingSettings() {
        assertThatThrownBy(() -> OptimizerSpec.of("lion", 0.1)).hasMessageContaining("unknown optimizer lion");
        assertThatThrownBy(() -> OptimizerSpec.builder("adam").build()).hasMessageContaining("needs a learningRate");
        assertThatThrownBy(() -> OptimizerSpec.of("adam", -0.1)).hasMessageContaining("eta0");
        assertThatThrownBy(() -> OptimizerSpec.of("adamw", 0.1)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> OptimizerSpec.builder("adamw").learningRate(0.1).weightDecay(1.0).build())
                .hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> OptimizerSpec.builder("momentum").learningRate(0.1).momentum(1.0).build())
                .hasMessageContaining("momentum must be in [0, 1)");
        assertThatThrownBy(() -> OptimizerSpec.builder("adam").learningRate(0.1).beta2(Double.NaN).build())
                .hasMessageContaining("beta2");
        assertThatThrownBy(() -> OptimizerSpec.builder("rmsprop").learningRate(0.1).epsilon(0).build())
                .hasMessageContaining("epsilon");
        assertThatThrownBy(() -> OptimizerSpec.builder("adagrad").learningRate(0.1).initialAccumulator(-1).build())
                .hasMessageContaining("initialAccumulator");
        assertThatThrownBy(() -> OptimizerSpec.builder("ftrl").learningRate(0.1).lambda1(-1).build())
                .hasMessageContaining("lambda1");
        assertThatThrownBy(() -> OptimizerSpec.builder("ftrl").learningRate(0.1).ftrlBeta(-1).build())
                .hasMessageContaining("ftrlBeta");
        assertThatThrownBy(() -> OptimizerSpec.builder("ftrl")
                        .learningRate(LearningRateSchedule.inverseScaling(0.1, 0.5))
                        .build())
                .hasMessageContaining("per-coordinate");
    }

    @Test
    void specsAreValuesAndSerializable() throws Exception {
        OptimizerSpec a = OptimizerSpec.builder("rmsprop").learningRate(0.1).centered(true).build();
        OptimizerSpec b = OptimizerSpec.builder("rmsprop").learningRate(0.1).centered(true).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        try (ObjectOutputStream out = new ObjectOutputStream(new ByteArrayOutputStream())) {
            out.writeObject(a);
        }
    }
}
