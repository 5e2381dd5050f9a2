package dev.vigil.pipelines.icu;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.onnx.MetadataKeys;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.icu.IcuFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IcuModelTrainingTest {

    static final String RESOURCE = "/dev/vigil/models/icu/" + IcuModelTraining.RESOURCE_FILE;

    @Test
    void trainingIsDeterministicAndLearnsSomething() {
        IcuModelTraining.Config config =
                new IcuModelTraining.Config(5L, 150, Duration.ofHours(24), Duration.ofHours(12), 0.2, "t");
        IcuModelTraining.Result first = IcuModelTraining.train(config);
        IcuModelTraining.Result second = IcuModelTraining.train(config);

        assertThat(first.onnx()).isEqualTo(second.onnx());
        assertThat(first.sha256()).isEqualTo(Sha256.hex(first.onnx()));
        assertThat(first.test().positives()).isPositive();
        assertThat(first.test().modelAuroc()).isGreaterThan(0.75);
        // Prior correction keeps the mean predicted risk near the event rate despite balanced class weights.
        double eventRate = (double) first.test().positives() / first.test().rows();
        assertThat(first.test().meanRisk()).isBetween(eventRate / 3, eventRate * 3);
    }

    @Test
    void bundledModelMatchesItsDigestAndTheFeatureSchema() throws IOException {
        byte[] onnx = resource(RESOURCE);
        String sidecar = new String(resource(RESOURCE + ".sha256"), StandardCharsets.UTF_8).trim();
        assertThat(Sha256.hex(onnx)).isEqualTo(sidecar);

        Map<String, String> metadata = metadata(onnx);
        assertThat(metadata.get(MetadataKeys.MODEL_NAME)).isEqualTo(IcuModelTraining.MODEL_NAME);
        assertThat(Arrays.asList(metadata.get(MetadataKeys.FEATURE_NAMES).split(",")))
                .isEqualTo(IcuFeatures.NAMES);
        assertThat(IcuJob.declaredVersion(onnx)).contains(metadata.get(MetadataKeys.MODEL_VERSION));
        // Held-out patients: the model must beat the clinical baseline it sits beside.
        double auroc = Double.parseDouble(metadata.get("vigil.metrics.test.auroc"));
        double news2 = Double.parseDouble(metadata.get("vigil.metrics.test.news2_auroc"));
        assertThat(auroc).isGreaterThan(news2);
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = IcuModelTrainingTest.class.getResourceAsStream(name)) {
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
