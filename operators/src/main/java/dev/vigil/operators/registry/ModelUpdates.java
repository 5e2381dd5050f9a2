package dev.vigil.operators.registry;

import dev.vigil.models.registry.ModelVersion;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.schema.common.ModelUpdate;
import java.util.HashMap;

/**
 * Turns a published {@link ModelVersion} into what travels to the scorers: the {@link ModelUpdate} record of the
 * model-control topic ({@code vigil.models.control}) and the {@link ModelRef} a scorer loads.
 *
 * <pre>{@code
 * ModelVersion v = registry.publish(name, onnx, metadata);
 * out.collect(ModelUpdates.of(v));   // to the control topic, keyed by v.name()
 * }</pre>
 */
public final class ModelUpdates {

    private ModelUpdates() {}

    /** The model-control record announcing {@code version}. */
    public static ModelUpdate of(ModelVersion version) {
        return ModelUpdate.newBuilder()
                .setName(version.name())
                .setVersion(version.versionLabel())
                .setUri(version.uri())
                .setSha256(version.sha256())
                .setCreatedAt(version.createdAt())
                .setParentVersion(version.parentVersion())
                .setMetrics(new HashMap<>(version.metrics()))
                .build();
    }

    /** The reference a scorer loads and verifies for {@code version}. */
    public static ModelRef toModelRef(ModelVersion version) {
        return new ModelRef(version.name(), version.versionLabel(), version.uri(), version.sha256());
    }
}
