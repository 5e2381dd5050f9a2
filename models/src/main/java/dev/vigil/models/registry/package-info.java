/**
 * The model registry: where a learner publishes model versions and scorers find them. Plain Java, no Flink.
 *
 * <ul>
 *   <li>{@link dev.vigil.models.registry.ModelRegistry}: publish, list, get, latest, read; versions are integers from
 *       1 per name, immutable once published, never visible half-written.
 *   <li>{@link dev.vigil.models.registry.ModelVersion}: one published version (uri, sha-256, parent, metrics);
 *       {@link dev.vigil.models.registry.VersionMetadata}: what a publisher states about it.
 *   <li>{@link dev.vigil.models.registry.InMemoryModelRegistry}: for tests and the demo ({@code memory://} URIs).
 *       The file-system implementation, on any Flink file system, is {@code
 *       dev.vigil.operators.registry.FileSystemModelRegistry}, which also turns versions into model-control records.
 *   <li>{@link dev.vigil.models.registry.ModelVersionJson}: the {@code metadata.json} format;
 *       {@link dev.vigil.models.registry.OnnxVersionStamp}: writes the assigned version into the ONNX metadata;
 *       {@link dev.vigil.models.registry.ModelVersionOrder}: how scorers order version labels.
 * </ul>
 */
package dev.vigil.models.registry;
