package dev.vigil.models.registry;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 * <p><b>Stages.</b> Each version has a {@link ModelStage} (candidate from publication, then shadow, champion,
 * retired), kept per name in a {@link StageLedger} beside the immutable versions: stage changes never touch a
 * version's files. {@link #updateStages} is the one primitive, an atomic read-modify-write of a name's ledger;
 * {@link #promote}, {@link #rollback}, {@link #shadow} and {@link #retire} are built on it. Every change records when,
 * who and why in the ledger's append-only history.
 *
 * <pre>{@code
 * registry.promote("fraud", 4, "promotion-gate", "log loss -0.012 [-0.020, -0.004]");
 * registry.champion("fraud");                               // version 4
 * registry.rollback("fraud", "alice", "recall on card-testing dropped");   // back to the champion 4 replaced
 * }</pre>
 *
 * <p>Implementations: {@link InMemoryModelRegistry} (tests, demo) and {@code
 * dev.vigil.operators.registry.FileSystemModelRegistry} (any Flink file system).
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

    /**
     * The stages of {@code name}'s versions and their history; {@link StageLedger#empty} when no stage was changed.
     *
     * @throws IOException if the ledger cannot be read or is invalid
     */
    default StageLedger stages(String name) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no model stages");
    }

    /**
     * Atomically replaces {@code name}'s ledger {@code L} with {@code update.apply(L, now)}: concurrent updates, also
     * from other processes where the implementation says so, are applied one after the other and none is lost.
     *
     * @return the new ledger
     * @throws IllegalStateException if {@code update} refuses the transition (e.g. promoting a retired version)
     * @throws IllegalArgumentException if the new ledger does not extend the current history, or names a version that
     *     is not published
     * @throws IOException if the ledger cannot be read or written
     */
    default StageLedger updateStages(String name, StageUpdate update) throws IOException {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " keeps no model stages");
    }

    /** {@code name:version} becomes the champion; the champion, if any, is retired. See {@link StageLedger#promote}. */
    default StageLedger promote(String name, long version, String actor, String reason) throws IOException {
        return updateStages(name, (ledger, now) -> ledger.promote(version, now, actor, reason));
    }

    /** The champion of {@code name} is retired and the one it replaced serves again. See {@link StageLedger#rollback}. */
    default StageLedger rollback(String name, String actor, String reason) throws IOException {
        return updateStages(name, (ledger, now) -> ledger.rollback(now, actor, reason));
    }

    /** Candidate {@code name:version} starts scoring in shadow. See {@link StageLedger#shadow}. */
    default StageLedger shadow(String name, long version, String actor, String reason) throws IOException {
        return updateStages(name, (ledger, now) -> ledger.shadow(version, now, actor, reason));
    }

    /** Candidate or shadow {@code name:version} is retired. See {@link StageLedger#retire}. */
    default StageLedger retire(String name, long version, String actor, String reason) throws IOException {
        return updateStages(name, (ledger, now) -> ledger.retire(version, now, actor, reason));
    }

    /** The champion of {@code name}, if it has one. */
    default Optional<ModelVersion> champion(String name) throws IOException {
        OptionalLong champion = stages(name).champion();
        return champion.isPresent() ? get(name, champion.getAsLong()) : Optional.empty();
    }

    /**
     * Checks that every file of {@code version} still has the sha-256 recorded at publication. The default reads the
     * model with {@link #readModel}.
     */
    default Verification verify(ModelVersion version) throws IOException {
        try {
            readModel(version);
            return new Verification(version.name(), version.version(), List.of("model sha-256"), List.of());
        } catch (IOException e) {
            return new Verification(version.name(), version.version(), List.of(), List.of(e.getMessage()));
        }
    }

    /** A change of a name's {@link StageLedger}, applied by {@link #updateStages}. */
    @FunctionalInterface
    interface StageUpdate {
        /**
         * The ledger after the change.
         *
         * @param current the ledger now stored
         * @param now the registry's clock
         */
        StageLedger apply(StageLedger current, Instant now);
    }

    /** Throws {@link IllegalArgumentException} unless {@code name} matches {@link #NAME_PATTERN}. */
    static String checkName(String name) {
        if (name == null || !NAME_PATTERN.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "model name must match " + NAME_PATTERN.pattern() + ", got '" + name + "'");
        }
        return name;
    }
}
