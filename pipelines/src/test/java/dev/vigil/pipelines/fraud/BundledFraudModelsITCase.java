package dev.vigil.pipelines.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The committed fraud models are exactly what {@code ./vigil models train-fraud} builds from the code in this tree:
 * the simulator, the feature code and the trainers. If this fails after a change to any of them, rebuild the models
 * with that command and commit them. (About a minute: the default simulation is replayed and three models trained.)
 */
class BundledFraudModelsITCase {

    @Test
    void defaultTrainingRebuildsTheCommittedModelsByteForByte() throws Exception {
        FraudModelTraining.Result rebuilt = FraudModelTraining.train(FraudModelTraining.Config.defaults());
        String hint = "committed model differs from a fresh build: run ./vigil models train-fraud and commit the result";
        assertThat(rebuilt.classifier())
                .as(hint)
                .isEqualTo(FraudModelTrainingTest.resource(FraudModelTraining.CLASSIFIER_RESOURCE));
        assertThat(rebuilt.autoencoder())
                .as(hint)
                .isEqualTo(FraudModelTrainingTest.resource(FraudModelTraining.AUTOENCODER_RESOURCE));
        assertThat(rebuilt.mlp()).as(hint).isEqualTo(FraudModelTrainingTest.resource(FraudModelTraining.MLP_RESOURCE));
    }
}
