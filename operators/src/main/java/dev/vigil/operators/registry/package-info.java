/**
 * The model registry on Flink file systems, and the records that announce its versions.
 *
 * <ul>
 *   <li>{@link dev.vigil.operators.registry.FileSystemModelRegistry}: the {@link
 *       dev.vigil.models.registry.ModelRegistry} on any Flink file system, with atomic publication through
 *       {@code _COMMITTED} markers, a {@code SHA256SUMS} per version, and stage changes by atomic replacement of
 *       each name's {@code _STAGES.json} under a file lock.
 *   <li>{@link dev.vigil.operators.registry.ModelUpdates}: a {@link dev.vigil.models.registry.ModelVersion} as a
 *       model-control record and as the {@link dev.vigil.operators.inference.ModelRef} a scorer loads.
 * </ul>
 *
 * <p>The interface, the in-memory registry and the metadata format are plain Java in {@link
 * dev.vigil.models.registry}.
 */
package dev.vigil.operators.registry;
