package dev.vigil.models.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelVersionJsonTest {

    private static final String SHA = "9f2c".repeat(16);

    @Test
    void roundTripsEveryFieldButTheUri() throws Exception {
        ModelVersion version =
                new ModelVersion(
                        "icu-deterioration",
                        7,
                        "file:/registry/icu-deterioration/7/model.onnx",
                        SHA,
                        1843,
                        Instant.parse("2026-11-25T10:15:30.123Z"),
                        "6",
                        Map.of("prequential.auroc", 0.84, "brier", 0.07),
                        Map.of("optimizer", "adam"),
                        Map.of("vigil.training.rows", "1200", "vigil.feature.fingerprint", "5be1"));

        byte[] json = ModelVersionJson.write(version);

        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("file:").contains("\"format\" : 2");
        assertThat(ModelVersionJson.read(json, version.uri())).isEqualTo(version);
        assertThat(ModelVersionJson.read(json, "s3://elsewhere/7/model.onnx").uri())
                .isEqualTo("s3://elsewhere/7/model.onnx");
    }

    @Test
    void aFirstVersionHasNoParentAndUnknownFieldsAreIgnored() throws Exception {
        String json =
                "{\"format\":2,\"name\":\"icu\",\"version\":1,\"sha256\":\"" + SHA + "\",\"sizeBytes\":5,"
                        + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"stage\":\"production\"}";

        ModelVersion version = ModelVersionJson.read(json.getBytes(StandardCharsets.UTF_8), "memory://x");

        assertThat(version.parentVersion()).isNull();
        assertThat(version.metrics()).isEmpty();
        assertThat(version.versionLabel()).isEqualTo("1");
    }

    @Test
    void invalidDescriptionsAreIoErrorsNamingTheLocation() {
        assertThatThrownBy(() -> ModelVersionJson.read("{\"name\":\"icu\"}".getBytes(StandardCharsets.UTF_8), "u"))
                .isInstanceOf(IOException.class)
                .hasMessage("model metadata at u has no 'version'");
        assertThatThrownBy(() -> ModelVersionJson.read("{not json".getBytes(StandardCharsets.UTF_8), "u"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("model metadata at u is invalid");
    }
}
