package dev.vigil.pipelines.icu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The committed ICU model is exactly what {@code ./vigil models train-icu} builds from the code in this tree: the
 * simulator, the feature code and the trainer. If this fails after a change to any of them, rebuild the model with
 * that command and commit it.
 */
class BundledIcuModelITCase {

    @Test
    void defaultTrainingRebuildsTheCommittedModelByteForByte() throws Exception {
        IcuModelTraining.Result rebuilt = IcuModelTraining.train(IcuModelTraining.Config.defaults());
        byte[] committed = IcuModelTrainingTest.resource("/dev/vigil/models/icu/" + IcuModelTraining.RESOURCE_FILE);
        assertThat(rebuilt.onnx())
                .as("committed model differs from a fresh build: run ./vigil models train-icu and commit the result")
                .isEqualTo(committed);
    }
}
