package dev.vigil.models.registry;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where model versions are published and found: the hand-off between a learner (which publishes) and the scorers
 * (which load what the model-control topic announces).
 *
 * <p>Versions of a name are positive integers assigned by the registry in publication order ({@code 1, 2, 3, ...}),
 * never reused; a publication that crashed half-way may leave a gap. A published version is immutable: its ONNX
 * file, its sha-256 and its {@link ModelVersion metadata} never change, and readers never see a version before all of
 * it is written. The registry stamps the version into the model's own {@code metadata_props} (see {@link
 * OnnxVersionStamp}), so the file always says which version it is.
 *
 * <pre>{@code
 * ModelRegistry registry = new FileSystemModelRegistry("s3://models/vigil");   // or new InMemoryModelRegistry()
 * ModelVersion v = registry.publish("icu-deterioration", onnx,
 *         VersionMetadata.builder().parentVersion("3").metric("prequential.auroc", 0.84).build());
 * controlTopic.send(ModelUpdates.of(v));                                      // scorers verify v.sha256()
 * }</pre>
 *
 * <p>Implementations: {@link InMemoryModelRegistry} (tests, demo) and {@code
 * dev.vigil.operators.registry.FileSystemModelRegistry} (any Flink file system). Model stages and promotion are not
 * part of this interface yet; they will point at published versions without changing them.
 */
public interface ModelRegistry {

    /** Model names: a letter or digit, then letters, digits, {@code .}, {@code _} or {@code -}; at most 128. */
    Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * Publishes {@code onnx} as the next version of {@code name}. The bytes are stamped with the name, the assigned
     * version and the parent version before they are stored (the returned {@link ModelVersion#sha256()} is that of
     * the stored file). Safe to call concurrently, also from several processes: each call gets its own version.
     *
     * @throws IllegalArgumentException if {@code name} is not a valid model name, {@code onnx} is not an ONNX model,
     *     or the model declares a different {@code vigil.model.name}
     * @throws IOException if the registry cannot be written
     */
    ModelVersion publish(String name, byte[] onnx, VersionMetadata metadata) throws IOException;

    /** Every published version of {@code name}, oldest first; empty when there is none. */
    List<ModelVersion> list(String name) throws IOException;

    /** Version {@code version} of {@code name}, if it is published. */
    Optional<ModelVersion> get(String name, long version) throws IOException;

    /** The highest published version of {@code name}, if any. */
    Optional<ModelVersion> latest(String name) throws IOException;

    /** Names with at least one published version, sorted. */
    List<String> names() throws IOException;

    /**
     * The ONNX bytes of {@code version}, checked against its sha-256.
     *
     * @throws java.io.FileNotFoundException if the version is not published here
     * @throws IOException if it cannot be read, or what was read does not have the recorded sha-256
     */
    byte[] readModel(ModelVersion version) throws IOException;

    /** Throws {@link IllegalArgumentException} unless {@code name} matches {@link #NAME_PATTERN}. */
    static String checkName(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "model name must match " + NAME_PATTERN.pattern() + ", got '" + name + "'");
        }
        return name;
    }
}
