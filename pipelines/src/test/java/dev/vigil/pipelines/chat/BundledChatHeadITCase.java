package dev.vigil.pipelines.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.util.Sha256;
import dev.vigil.operators.inference.ModelBytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The committed chat triage head is exactly what {@code ./vigil models train-chat} builds from the code in this tree:
 * the templates, EDA, the encoder and the trainer. If this fails after a change to any of them, rebuild the head with
 * that command and commit it.
 */
class BundledChatHeadITCase {

    @Test
    void defaultTrainingRebuildsTheCommittedHeadByteForByte() throws Exception {
        ChatHeadTraining.Result rebuilt = ChatHeadTraining.train(ChatHeadTraining.Config.defaults());
        ClassLoader loader = getClass().getClassLoader();
        byte[] committed = ModelBytes.read(ChatHeadTraining.RESOURCE_URI, loader);
        String sidecar = new String(ModelBytes.read(ChatHeadTraining.RESOURCE_URI + ".sha256", loader),
                StandardCharsets.UTF_8).trim();
        assertThat(Sha256.hex(committed)).isEqualTo(sidecar);
        assertThat(rebuilt.onnx())
                .as("committed head differs from a fresh build: run ./vigil models train-chat and commit the result")
                .isEqualTo(committed);
        assertThat(rebuilt.heldOut().accuracy()).isGreaterThanOrEqualTo(0.8);
    }
}
