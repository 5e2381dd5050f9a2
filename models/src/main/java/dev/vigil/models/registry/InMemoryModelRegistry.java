package dev.vigil.models.registry;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.util.Sha256;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ModelRegistry} held in this JVM's memory, for tests and the demo. Behaves like the file-system registry
 * (numbering from 1, stamping, sha-256 checks, stages) without touching a disk.
 *
 * <p>Versions get URIs {@code memory://<registry-id>/<name>/<version>/model.onnx}, which {@link #readUri} resolves
 * while the registry is reachable, so a scorer in the same JVM (a test harness, a MiniCluster job) can load what a
 * model-control record announces. Java serialization keeps the identity: a deserialized registry, e.g. one that
 * travelled inside a job graph to a MiniCluster task, is this same instance. It cannot leave the JVM.
 *
 * <pre>{@code
 * InMemoryModelRegistry registry = new InMemoryModelRegistry();
 * ModelVersion v1 = registry.publish("icu-deterioration", onnx, VersionMetadata.empty());
 * byte[] same = InMemoryModelRegistry.readUri(v1.uri());
 * }</pre>
 */
public final class InMemoryModelRegistry implements ModelRegistry, Serializable {

    private static final long serialVersionUID = 1L;

    /** URI scheme of the versions of in-memory registries. */
    public static final String URI_SCHEME = "memory";

    private static final String URI_PREFIX = URI_SCHEME + "://";
    private static final String FILE_NAME = "model.onnx";
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<String, WeakReference<InMemoryModelRegistry>> LIVE = new ConcurrentHashMap<>();

    private final transient String id;
    private final transient Clock clock;
    /** Per name, versions in order; version {@code v} is at index {@code v - 1}. Guarded by {@code this}. */
    private final transient Map<String, List<Stored>> models = new TreeMap<>();
    /** Per name, the stage ledger; absent until the first stage change. Guarded by {@code this}. */
    private final transient Map<String, StageLedger> ledgers = new TreeMap<>();

    private record Stored(ModelVersion version, byte[] bytes) {}

    public InMemoryModelRegistry() {
        this(Clock.systemUTC());
    }

    /** A registry that stamps {@link ModelVersion#createdAt()} from {@code clock}. */
    public InMemoryModelRegistry(Clock clock) {
        this.clock = checkNotNull(clock, "clock");
        this.id = "registry-" + IDS.incrementAndGet();
        LIVE.put(id, new WeakReference<>(this));
    }

    /**
     * The bytes at a URI of an in-memory registry of this JVM ({@link ModelVersion#uri()}), not checked against any
     * sha-256 (scorers check that themselves).
     *
     * @throws FileNotFoundException if the registry is gone or holds no such version
     */
    public static byte[] readUri(String uri) throws FileNotFoundException {
        checkNotNull(uri, "uri");
        if (!uri.startsWith(URI_PREFIX)) {
            throw new FileNotFoundException("not an in-memory registry URI: " + uri);
        }
        String[] parts = uri.substring(URI_PREFIX.length()).split("/");
        if (parts.length != 4 || !parts[3].equals(FILE_NAME) || !ModelVersionOrder.isNumeric(parts[2])) {
            throw new FileNotFoundException("not an in-memory registry URI: " + uri);
        }
        InMemoryModelRegistry registry = lookup(parts[0]);
        if (registry == null) {
            throw new FileNotFoundException("no in-memory registry '" + parts[0] + "' in this JVM for " + uri);
        }
        Stored stored = registry.find(parts[1], Long.parseLong(parts[2]));
        if (stored == null) {
            throw new FileNotFoundException("no model at " + uri);
        }
        return stored.bytes().clone();
    }

    /** This registry's id, the authority of its URIs. */
    public String id() {
        return id;
    }

    @Override
    public synchronized ModelVersion publish(String name, byte[] onnx, VersionMetadata metadata) {
        ModelRegistry.checkName(name);
        checkNotNull(onnx, "onnx");
        checkNotNull(metadata, "metadata");
        List<Stored> versions = models.getOrDefault(name, List.of());
        long version = versions.size() + 1L;
        byte[] stamped = OnnxVersionStamp.stamp(onnx, name, Long.toString(version), metadata.parentVersion());
        ModelVersion published =
                new ModelVersion(
                        name,
                        version,
                        URI_PREFIX + id + '/' + name + '/' + version + '/' + FILE_NAME,
                        Sha256.hex(stamped),
                        stamped.length,
                        clock.instant(),
                        metadata.parentVersion(),
                        metadata.metrics(),
                        metadata.properties(),
                        OnnxVersionStamp.provenance(stamped));
        models.computeIfAbsent(name, n -> new ArrayList<>()).add(new Stored(published, stamped));
        return published;
    }

    @Override
    public synchronized List<ModelVersion> list(String name) {
        List<ModelVersion> out = new ArrayList<>();
        for (Stored s : models.getOrDefault(name, List.of())) {
            out.add(s.version());
        }
        return out;
    }

    @Override
    public synchronized Optional<ModelVersion> get(String name, long version) {
        Stored stored = find(name, version);
        return stored == null ? Optional.empty() : Optional.of(stored.version());
    }

    @Override
    public synchronized Optional<ModelVersion> latest(String name) {
        List<Stored> versions = models.get(name);
        return versions == null || versions.isEmpty()
                ? Optional.empty()
                : Optional.of(versions.get(versions.size() - 1).version());
    }

    @Override
    public synchronized List<String> names() {
        return List.copyOf(models.keySet());
    }

    @Override
    public byte[] readModel(ModelVersion version) throws IOException {
        checkNotNull(version, "version");
        Stored stored = find(version.name(), version.version());
        if (stored == null || !stored.version().uri().equals(version.uri())) {
            throw new FileNotFoundException("model " + version.label() + " is not in registry " + id);
        }
        String actual = Sha256.hex(stored.bytes());
        if (!actual.equals(version.sha256())) {
            throw new IOException(
                    "model " + version.label() + " has sha-256 " + actual + " but " + version.sha256()
                            + " was expected");
        }
        return stored.bytes().clone();
    }

    @Override
    public synchronized StageLedger stages(String name) {
        ModelRegistry.checkName(name);
        StageLedger ledger = ledgers.get(name);
        return ledger != null ? ledger : StageLedger.empty(name);
    }

    @Override
    public synchronized StageLedger updateStages(String name, StageUpdate update) {
        checkNotNull(update, "update");
        StageLedger current = stages(name);
        StageLedger next = checkNotNull(update.apply(current, clock.instant()), "updated ledger");
        for (long version : current.versionsChangedBy(next)) {
            checkArgument(find(name, version) != null, "%s:%s is not published", name, version);
        }
        ledgers.put(name, next);
        return next;
    }

    /**
     * Replaces the stored bytes of a published version without changing its recorded sha-256: simulates a file
     * corrupted after publication, for tests of the scorers' integrity checks.
     */
    public synchronized void corrupt(String name, long version, byte[] bytes) {
        Stored stored = find(name, version);
        checkArgument(stored != null, "no version %s of %s", version, name);
        models.get(name).set((int) version - 1, new Stored(stored.version(), bytes.clone()));
    }

    @Override
    public String toString() {
        return "InMemoryModelRegistry{" + id + '}';
    }

    private synchronized Stored find(String name, long version) {
        List<Stored> versions = models.get(name);
        if (versions == null || version < 1 || version > versions.size()) {
            return null;
        }
        return versions.get((int) version - 1);
    }

    private static InMemoryModelRegistry lookup(String id) {
        WeakReference<InMemoryModelRegistry> ref = LIVE.get(id);
        InMemoryModelRegistry registry = ref == null ? null : ref.get();
        if (ref != null && registry == null) {
            LIVE.remove(id, ref);
        }
        return registry;
    }

    // Serialization keeps identity: only the id travels, and it resolves to the live instance.

    private Object writeReplace() {
        return new SerializedForm(id);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("an InMemoryModelRegistry is serialized as its id");
    }

    private record SerializedForm(String id) implements Serializable {
        private Object readResolve() throws InvalidObjectException {
            InMemoryModelRegistry registry = lookup(id);
            if (registry == null) {
                throw new InvalidObjectException(
                        "in-memory model registry " + id + " is not in this JVM (it cannot travel between"
                                + " processes: use a FileSystemModelRegistry)");
            }
            return registry;
        }
    }
}
