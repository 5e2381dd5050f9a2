package dev.vigil.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.models.util.Sha256;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelProvenanceTest {

    private static ModelProvenance.Builder valid() {
        return ModelProvenance.builder()
                .modelName("icu-deterioration")
                .modelVersion("1")
                .featureNames(List.of("heart_rate", "resp_rate"))
                .trainingWindow(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"))
                .seed(-7)
                .trainingCounts(100, 10)
                .codeVersion("dev");
    }

    @Test
    void fingerprintIsSha256OfNamesJoinedByNewline() {
        // printf 'heart_rate\nresp_rate' | sha256sum
        assertThat(valid().build().featureFingerprint())
                .isEqualTo("24423c66122fef72444636686bb6a00077a84bdc7b9419037ff4a4f6f29d0598");
        assertThat(ModelProvenance.fingerprintOf(List.of("a", "b")))
                .isEqualTo(Sha256.hexUtf8("a\nb"))
                .isNotEqualTo(ModelProvenance.fingerprintOf(List.of("b", "a")));
    }

    @Test
    void firstModelRoundTripsWithEmptyParentAndNoMetrics() {
        ModelProvenance provenance = valid().build();
        Map<String, String> metadata = provenance.toMetadata();
        assertThat(metadata).containsEntry(MetadataKeys.PARENT_VERSION, "");
        assertThat(metadata).containsEntry(MetadataKeys.TRAINING_SEED, "-7");
        assertThat(metadata.keySet()).noneMatch(k -> k.startsWith(MetadataKeys.METRICS_PREFIX));
        ModelProvenance back = ModelProvenance.fromMetadata(metadata);
        assertThat(back).isEqualTo(provenance);
        assertThat(back.parent()).isEmpty();
    }

    @Test
    void nanMetricsRoundTrip() {
        ModelProvenance provenance = valid().metrics(Map.of("validation.auroc", Double.NaN)).build();
        assertThat(ModelProvenance.fromMetadata(provenance.toMetadata()).metrics().get("validation.auroc")).isNaN();
    }

    @Test
    void rejectsMetadataWhoseFingerprintDoesNotMatch() {
        Map<String, String> metadata = new HashMap<>(valid().build().toMetadata());
        metadata.put(MetadataKeys.FEATURE_NAMES, "resp_rate,heart_rate");
        assertThatThrownBy(() -> ModelProvenance.fromMetadata(metadata)).hasMessageContaining("does not match");
        metadata.remove(MetadataKeys.CODE_VERSION);
        assertThatThrownBy(() -> ModelProvenance.fromMetadata(metadata)).hasMessageContaining("vigil.code.version");
    }

    @Test
    void validatesFields() {
        assertThatThrownBy(() -> valid().featureNames(List.of("a,b")).build()).hasMessageContaining("commas");
        assertThatThrownBy(() -> valid().featureNames(List.of("a", "a")).build()).hasMessageContaining("unique");
        assertThatThrownBy(() -> valid().featureNames(List.of()).build()).hasMessageContaining("empty");
        assertThatThrownBy(() -> valid().trainingCounts(10, 11).build()).hasMessageContaining("positives");
        assertThatThrownBy(() -> valid().modelName(" ").build()).hasMessageContaining("modelName");
        assertThatThrownBy(() -> valid().codeVersion(null).build()).hasMessageContaining("codeVersion");
        assertThatThrownBy(() -> valid().trainingWindow(Instant.parse("2026-02-01T00:00:00Z"),
                                Instant.parse("2026-01-01T00:00:00Z"))
                        .build())
                .hasMessageContaining("before it starts");
        assertThatThrownBy(() -> valid().metrics(Map.of("val auroc", 0.5)).build()).hasMessageContaining("whitespace");
    }

    @Test
    void classLabelsRoundTripAndAreOptional() {
        ModelProvenance binary = valid().build();
        assertThat(binary.classLabels()).isEmpty();
        assertThat(binary.toMetadata()).doesNotContainKey(MetadataKeys.CLASSES);

        ModelProvenance multiclass = valid().classLabels(List.of("stable", "watch", "critical")).build();
        Map<String, String> metadata = multiclass.toMetadata();
        assertThat(metadata).containsEntry("vigil.classes", "stable,watch,critical");
        ModelProvenance back = ModelProvenance.fromMetadata(metadata);
        assertThat(back).isEqualTo(multiclass);
        assertThat(back.classLabels()).containsExactly("stable", "watch", "critical");
        assertThat(back).isNotEqualTo(binary);
    }

    @Test
    void theConstructorWithoutClassLabelsStillWorks() {
        ModelProvenance built = valid().build();
        ModelProvenance constructed = new ModelProvenance(
                built.modelName(),
                built.modelVersion(),
                built.featureNames(),
                built.trainingWindowStart(),
                built.trainingWindowEnd(),
                built.seed(),
                built.trainingRows(),
                built.trainingPositives(),
                built.validationRows(),
                built.validationPositives(),
                built.metrics(),
                built.parentVersion(),
                built.codeVersion());
        assertThat(constructed).isEqualTo(built);
        assertThat(constructed.classLabels()).isEmpty();
    }

    @Test
    void validatesClassLabels() {
        assertThatThrownBy(() -> valid().classLabels(List.of("only")).build()).hasMessageContaining("at least two");
        assertThatThrownBy(() -> valid().classLabels(List.of("a", "a")).build()).hasMessageContaining("unique");
        assertThatThrownBy(() -> valid().classLabels(List.of("a", "b,c")).build()).hasMessageContaining("commas");
        assertThatThrownBy(() -> valid().classLabels(List.of("a", " ")).build()).hasMessageContaining("class label");
        assertThatThrownBy(() -> valid().classLabels(List.of("a", " b")).build()).hasMessageContaining("whitespace");
    }
}
