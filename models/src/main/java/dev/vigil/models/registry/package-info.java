/**
 * The model registry: where a learner publishes model versions, scorers find them, and versions move through their
 * stages. Plain Java, no Flink. docs/REGISTRY.md describes the layout, the life cycle and the CLI.
 *
 * <ul>
 *   <li>{@link dev.vigil.models.registry.ModelRegistry}: publish, list, get, latest, read, verify; versions are
 *       integers from 1 per name, immutable once published, never visible half-written; stage changes (promote,
 *       rollback, shadow, retire) through one atomic primitive, {@code updateStages}.
 *   <li>{@link dev.vigil.models.registry.ModelStage}, {@link dev.vigil.models.registry.StageLedger} (the stages of a
 *       name and their append-only history of {@link dev.vigil.models.registry.StageChange}s, validated on every
 *       change and on every read) and {@link dev.vigil.models.registry.StageLedgerJson} (its {@code _STAGES.json});
 *       {@link dev.vigil.models.registry.Verification}: what a verification found.
 *   <li>{@link dev.vigil.models.registry.ModelVersion}: one published version (uri, sha-256, parent, metrics,
 *       provenance: training window, data counts, feature fingerprint, code version);
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
