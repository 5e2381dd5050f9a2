package dev.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxVersionStampTest {

    @Test
    void setsNameVersionAndParentAndKeepsEverythingElse() throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("vigil.model.version", "draft");
        props.put("vigil.metrics.auroc", "0.8");
        props.put("vigil.model.version", "draft");
        byte[] stamped = OnnxVersionStamp.stamp(TestingOnnxBytes.identity(props), "icu", "7", "6");

        assertThat(TestingOnnxBytes.metadataOf(stamped))
                .containsExactly(
                        Map.entry("vigil.model.version", "7"),
                        Map.entry("vigil.metrics.auroc", "0.8"),
                        Map.entry("vigil.model.name", "icu"),
                        Map.entry("vigil.parent.version", "6"));
        assertThat(OnnxVersionStamp.declared(stamped, "vigil.model.version")).contains("7");
    }

    @Test
    void removesDuplicateKeys() throws Exception {
        ai.onnx.proto.OnnxMl.ModelProto.Builder model =
                ai.onnx.proto.OnnxMl.ModelProto.parseFrom(TestingOnnxBytes.identity()).toBuilder();
        for (String v : new String[] {"a", "b", "c"}) {
            model.addMetadataProps(
                    ai.onnx.proto.OnnxMl.StringStringEntryProto.newBuilder()
                            .setKey("vigil.model.version")
                            .setValue(v));
        }
        byte[] stamped = OnnxVersionStamp.stamp(model.build().toByteArray(), "icu", "3", null);

        ai.onnx.proto.OnnxMl.ModelProto parsed = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(stamped);
        assertThat(parsed.getMetadataPropsList().stream().filter(e -> e.getKey().equals("vigil.model.version")))
                .singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("3"));
        assertThat(TestingOnnxBytes.metadataOf(stamped)).doesNotContainKey("vigil.parent.version");
    }

    @Test
    void refusesWhatIsNotAnOnnxModelOrNamesAnotherModel() {
        assertThatThrownBy(() -> OnnxVersionStamp.stamp(new byte[0], "icu", "1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
        assertThatThrownBy(
                        () -> OnnxVersionStamp.stamp(
                                "hello, not a model".getBytes(StandardCharsets.UTF_8), "icu", "1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ONNX model");
        byte[] fraud = TestingOnnxBytes.identity(Map.of("vigil.model.name", "fraud"));
        assertThatThrownBy(() -> OnnxVersionStamp.stamp(fraud, "icu", "1", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model declares vigil.model.name 'fraud' but is published as 'icu'");
    }
}
