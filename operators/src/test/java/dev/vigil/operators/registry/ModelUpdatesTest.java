package dev.vigil.operators.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.registry.ModelVersion;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.kafka.AvroCodec;
import dev.vigil.schema.common.ModelUpdate;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelUpdatesTest {

    private static final String SHA = "ab".repeat(32);

    @Test
    void announcesEveryFieldOfAVersion() throws Exception {
        ModelVersion v =
                new ModelVersion(
                        "icu",
                        7,
                        "s3://models/icu/7/model.onnx",
                        SHA,
                        100,
                        Instant.parse("2026-11-25T10:00:00.123Z"),
                        "6",
                        Map.of("auroc", 0.84),
                        Map.of("optimizer", "adam"));

        ModelUpdate update = ModelUpdates.of(v);

        assertThat(update.getName()).isEqualTo("icu");
        assertThat(update.getVersion()).isEqualTo("7");
        assertThat(update.getUri()).isEqualTo("s3://models/icu/7/model.onnx");
        assertThat(update.getSha256()).isEqualTo(SHA);
        assertThat(update.getCreatedAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123Z"));
        assertThat(update.getParentVersion()).isEqualTo("6");
        assertThat(update.getMetrics()).containsExactly(Map.entry("auroc", 0.84));
        assertThat(ModelRef.of(update)).isEqualTo(ModelUpdates.toModelRef(v));
        assertThat(ModelUpdates.toModelRef(v)).isEqualTo(new ModelRef("icu", "7", "s3://models/icu/7/model.onnx", SHA));

        AvroCodec<ModelUpdate> codec = AvroCodec.of(ModelUpdate.class); // as on the control topic
        assertThat(codec.decode(codec.encode(update))).isEqualTo(update);
    }

    @Test
    void aFirstVersionHasNoParent() {
        ModelVersion v = new ModelVersion("icu", 1, "file:/r/icu/1/model.onnx", SHA, 1, Instant.EPOCH, null,
                Map.of(), Map.of());

        assertThat(ModelUpdates.of(v).getParentVersion()).isNull();
        assertThat(ModelUpdates.of(v).getMetrics()).isEmpty();
    }
}
