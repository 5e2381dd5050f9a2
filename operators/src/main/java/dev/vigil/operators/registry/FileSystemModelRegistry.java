package dev.vigil.operators.registry;

import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.ModelVersionJson;
import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.models.registry.OnnxVersionStamp;
import dev.vigil.models.registry.StageChange;
import dev.vigil.models.registry.StageLedger;
import dev.vigil.models.registry.StageLedgerJson;
import dev.vigil.models.registry.Verification;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.models.util.Sha256;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelRegistry} in a directory of any Flink file system ({@code file:///}, {@code s3://}, {@code hdfs://},
 * ...; outside a TaskManager call {@code FileSystem.initialize} first for plugin schemes).
 *
 * <p>Layout, one directory per version:
 *
 * <pre>
 *   &lt;root&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx          the model, stamped with name and version
 *   &lt;root&gt;/&lt;name&gt;/&lt;version&gt;/model.onnx.sha256   its lower-case hex sha-256 and a line break
 *   &lt;root&gt;/&lt;name&gt;/&lt;version&gt;/metadata.json       {@link ModelVersionJson}
 *   &lt;root&gt;/&lt;name&gt;/&lt;version&gt;/SHA256SUMS          sha-256 of the three files above, as {@code sha256sum} writes it
 *   &lt;root&gt;/&lt;name&gt;/&lt;version&gt;/_COMMITTED          written last; empty
 *   &lt;root&gt;/&lt;name&gt;/_STAGES.json                  the name's {@link StageLedger} ({@link StageLedgerJson})
 *   &lt;root&gt;/&lt;name&gt;/_STAGES.lock                  lock file of stage changes (local file system)
 * </pre>
 *
 * <p><b>Publication protocol.</b> A publisher (1) picks the number after the highest version directory of the name,
 * committed or not; (2) claims it by creating that directory <i>exclusively</i> — if another publisher got there
 * first it takes the next number; (3) writes and syncs {@code model.onnx}, {@code model.onnx.sha256} and {@code
 * metadata.json}, then {@code SHA256SUMS}; (4) writes the {@code _COMMITTED} marker. Readers only see versions whose marker exists, so a
 * version is visible complete or not at all. A publisher that dies between (2) and (4) leaves an uncommitted
 * directory that stays invisible and whose number is never reused; versions may therefore have gaps. Markers rather
 * than a temp-directory rename, because renaming a directory is neither atomic nor cheap on object stores.
 *
 * <p><b>Exclusive claims</b> use {@code mkdir} on the local file system (atomic) and {@code create(_CLAIM,
 * NO_OVERWRITE)} elsewhere, which is atomic on HDFS. Object stores without conditional writes (S3 through Flink's
 * S3 file systems) cannot make it atomic: run one publisher per model name there, which is what a learner operator
 * with parallelism 1 does. Readers rely on read-after-write consistency (S3 has had it since 2020).
 *
 * <p><b>Stage changes</b> ({@link #updateStages}) rewrite the name's {@code _STAGES.json} as a whole: the new ledger
 * is written to a temporary name and renamed over the old one, an atomic replacement on POSIX file systems, so
 * readers see the old ledger or the new one, never a mix (HDFS cannot rename over a file: there a reader may, for
 * an instant, find no ledger). On the local file system writers take an exclusive OS lock
 * on {@code _STAGES.lock} (released by the OS if the process dies) and, within a JVM, a lock per ledger, so
 * concurrent changes from any number of threads and processes are applied one after the other. Elsewhere only the
 * JVM lock applies: change stages from one process at a time (the CLI or the promotion gate). On object stores a
 * single PUT is atomic, and {@code _STAGES.json} is written with one.
 *
 * <p><b>Integrity.</b> {@link #verify} recomputes the sha-256 of every file listed in {@code SHA256SUMS}, compares
 * the model's with {@code metadata.json} and {@code model.onnx.sha256}, and reports files that are not listed.
 * Versions published before {@code SHA256SUMS} existed are checked on their model file only. Signatures are not
 * verified (see docs/REGISTRY.md).
 *
 * <p>Names of entries starting with {@code _} are reserved for the registry (e.g. stages), and entries that are not
 * version numbers are ignored by readers.
 *
 * <pre>{@code
 * ModelRegistry registry = new FileSystemModelRegistry("s3://vigil-models/registry");
 * ModelVersion v = registry.publish("icu-deterioration", onnx, VersionMetadata.empty());
 * // v.uri() = s3://vigil-models/registry/icu-deterioration/1/model.onnx
 * }</pre>
 *
 * <p>Serializable (it holds only its root and clock), so operators can carry it in the job graph.
 */
public final class FileSystemModelRegistry implements ModelRegistry, Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemModelRegistry.class);

    public static final String MODEL_FILE = "model.onnx";
    public static final String SHA256_FILE = "model.onnx.sha256";
    public static final String METADATA_FILE = "metadata.json";
    public static final String COMMITTED_MARKER = "_COMMITTED";
    /** Claim file of a version directory on file systems other than the local one. */
    public static final String CLAIM_FILE = "_CLAIM";
    /** Checksums of every file of a version, in the format of {@code sha256sum} ({@code <hex>  <file>}). */
    public static final String CHECKSUMS_FILE = "SHA256SUMS";
    /** The stage ledger of a name, next to its version directories. */
    public static final String STAGES_FILE = "_STAGES.json";
    /** The lock file of stage changes of a name. */
    public static final String STAGES_LOCK_FILE = "_STAGES.lock";

    /** Files a version's {@link #CHECKSUMS_FILE} lists, in this order. */
    static final List<String> CHECKSUMMED_FILES = List.of(MODEL_FILE, SHA256_FILE, METADATA_FILE);

    /** In-JVM locks of stage ledgers, by ledger path: the OS file lock does not exclude threads of one JVM. */
    private static final ConcurrentHashMap<String, Object> LEDGER_LOCKS = new ConcurrentHashMap<>();

    /** Most version numbers one {@link #publish} call tries before giving up (each lost to a concurrent publisher). */
    static final int MAX_CLAIM_ATTEMPTS = 1000;

    private final String root;
    private final Clock clock;

    /** A registry rooted at {@code rootUri}; a path without a scheme is on the default file system. */
    public FileSystemModelRegistry(String rootUri) {
        this(rootUri, Clock.systemUTC());
    }

    /** A registry rooted at {@code rootUri} that stamps {@link ModelVersion#createdAt()} from {@code clock}. */
    public FileSystemModelRegistry(String rootUri, Clock clock) {
        Preconditions.checkArgument(rootUri != null && !rootUri.isBlank(), "registry root must not be blank");
        this.root = rootUri;
        this.clock = Preconditions.checkNotNull(clock, "clock");
    }

    /** The root, as given. */
    public String root() {
        return root;
    }

    @Override
    public ModelVersion publish(String name, byte[] onnx, VersionMetadata metadata) throws IOException {
        ModelRegistry.checkName(name);
        Preconditions.checkNotNull(onnx, "onnx");
        Preconditions.checkNotNull(metadata, "metadata");
        // Refuse what is not a model of this name before claiming a number for it.
        OnnxVersionStamp.stamp(onnx, name, "0", metadata.parentVersion());
        FileSystem fs = fileSystem();
        Path modelDir = modelDir(fs, name);
        long version = highestVersion(fs, modelDir) + 1;
        for (int attempt = 0; !claim(fs, new Path(modelDir, Long.toString(version))); attempt++) {
            if (attempt >= MAX_CLAIM_ATTEMPTS) {
                throw new IOException("could not claim a version of " + name + " in " + modelDir + " after "
                        + MAX_CLAIM_ATTEMPTS + " attempts");
            }
            version = Math.max(version + 1, highestVersion(fs, modelDir) + 1);
        }
        Path versionDir = new Path(modelDir, Long.toString(version));
        String label = Long.toString(version);
        byte[] stamped = OnnxVersionStamp.stamp(onnx, name, label, metadata.parentVersion());
        Path modelFile = new Path(versionDir, MODEL_FILE);
        ModelVersion published =
                new ModelVersion(
                        name,
                        version,
                        modelFile.toUri().toString(),
                        Sha256.hex(stamped),
                        stamped.length,
                        clock.instant(),
                        metadata.parentVersion(),
                        metadata.metrics(),
                        metadata.properties(),
                        OnnxVersionStamp.provenance(stamped));
        byte[] shaFile = (published.sha256() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] metadataFile = ModelVersionJson.write(published);
        write(fs, modelFile, stamped);
        write(fs, new Path(versionDir, SHA256_FILE), shaFile);
        write(fs, new Path(versionDir, METADATA_FILE), metadataFile);
        StringBuilder sums = new StringBuilder();
        sums.append(published.sha256()).append("  ").append(MODEL_FILE).append('\n');
        sums.append(Sha256.hex(shaFile)).append("  ").append(SHA256_FILE).append('\n');
        sums.append(Sha256.hex(metadataFile)).append("  ").append(METADATA_FILE).append('\n');
        write(fs, new Path(versionDir, CHECKSUMS_FILE), sums.toString().getBytes(StandardCharsets.UTF_8));
        write(fs, new Path(versionDir, COMMITTED_MARKER), new byte[0]);
        LOG.info("Published model {} ({} bytes, sha-256 {}) at {}", published.label(), stamped.length,
                published.sha256(), versionDir);
        return published;
    }

    @Override
    public List<ModelVersion> list(String name) throws IOException {
        ModelRegistry.checkName(name);
        FileSystem fs = fileSystem();
        Path modelDir = modelDir(fs, name);
        List<ModelVersion> out = new ArrayList<>();
        for (long version : versionNumbers(fs, modelDir)) {
            Optional<ModelVersion> v = read(fs, modelDir, version);
            v.ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<ModelVersion> get(String name, long version) throws IOException {
        ModelRegistry.checkName(name);
        if (version < 1) {
            return Optional.empty();
        }
        FileSystem fs = fileSystem();
        return read(fs, modelDir(fs, name), version);
    }

    @Override
    public Optional<ModelVersion> latest(String name) throws IOException {
        ModelRegistry.checkName(name);
        FileSystem fs = fileSystem();
        Path modelDir = modelDir(fs, name);
        for (long version : versionNumbers(fs, modelDir).descendingSet()) {
            Optional<ModelVersion> v = read(fs, modelDir, version);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    @Override
    public List<String> names() throws IOException {
        FileSystem fs = fileSystem();
        List<String> out = new ArrayList<>();
        for (FileStatus status : listOrEmpty(fs, rootPath(fs))) {
            String name = status.getPath().getName();
            if (status.isDir() && NAME_PATTERN.matcher(name).matches() && latest(name).isPresent()) {
                out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    @Override
    public byte[] readModel(ModelVersion version) throws IOException {
        Preconditions.checkNotNull(version, "version");
        Path file = new Path(version.uri());
        FileSystem fs = file.getFileSystem();
        if (!fs.exists(new Path(file.getParent(), COMMITTED_MARKER))) {
            throw new FileNotFoundException("model " + version.label() + " is not committed at " + file.getParent());
        }
        byte[] bytes = readAll(fs, file);
        String actual = Sha256.hex(bytes);
        if (!actual.equals(version.sha256())) {
            throw new IOException("model " + version.label() + " at " + file + " has sha-256 " + actual + " but "
                    + version.sha256() + " was expected");
        }
        return bytes;
    }

    @Override
    public StageLedger stages(String name) throws IOException {
        ModelRegistry.checkName(name);
        FileSystem fs = fileSystem();
        return readLedger(fs, new Path(modelDir(fs, name), STAGES_FILE), name);
    }

    @Override
    public StageLedger updateStages(String name, StageUpdate update) throws IOException {
        ModelRegistry.checkName(name);
        Preconditions.checkNotNull(update, "update");
        FileSystem fs = fileSystem();
        Path modelDir = modelDir(fs, name);
        Path ledgerFile = new Path(modelDir, STAGES_FILE);
        synchronized (LEDGER_LOCKS.computeIfAbsent(ledgerFile.toUri().toString(), k -> new Object())) {
            if (!isLocal(fs, ledgerFile)) {
                return updateLedger(fs, modelDir, ledgerFile, name, update);
            }
            java.nio.file.Path lockFile = Paths.get(new Path(modelDir, STAGES_LOCK_FILE).toUri());
            Files.createDirectories(lockFile.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = channel.lock()) {
                return updateLedger(fs, modelDir, ledgerFile, name, update);
            }
        }
    }

    /** Read, apply, check, replace; the caller holds the ledger's locks. */
    private StageLedger updateLedger(FileSystem fs, Path modelDir, Path ledgerFile, String name, StageUpdate update)
            throws IOException {
        StageLedger current = readLedger(fs, ledgerFile, name);
        StageLedger next = Preconditions.checkNotNull(update.apply(current, clock.instant()), "updated ledger");
        for (long version : current.versionsChangedBy(next)) {
            Preconditions.checkArgument(read(fs, modelDir, version).isPresent(), "%s:%s is not published", name,
                    version);
        }
        if (next.equals(current)) {
            return current;
        }
        replace(fs, ledgerFile, StageLedgerJson.write(next));
        List<StageChange> history = next.history();
        StageChange last = history.get(history.size() - 1);
        LOG.info("Model {}: {} by {}; champion now {}", name, last.action(), last.actor(),
                next.champion().isPresent() ? name + ':' + next.champion().getAsLong() : "none");
        return next;
    }

    @Override
    public Verification verify(ModelVersion version) throws IOException {
        Preconditions.checkNotNull(version, "version");
        Path modelFile = new Path(version.uri());
        FileSystem fs = modelFile.getFileSystem();
        Path versionDir = modelFile.getParent();
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!fs.exists(new Path(versionDir, COMMITTED_MARKER))) {
            problems.add("not committed: " + COMMITTED_MARKER + " is missing");
            return new Verification(version.name(), version.version(), checked, problems);
        }
        Map<String, String> actual = new TreeMap<>();
        Map<String, Long> sizes = new TreeMap<>();
        for (FileStatus status : listOrEmpty(fs, versionDir)) {
            String file = status.getPath().getName();
            if (!status.isDir() && !file.equals(COMMITTED_MARKER) && !file.equals(CLAIM_FILE)) {
                actual.put(file, Sha256.hex(readAll(fs, status.getPath())));
                sizes.put(file, status.getLen());
            }
        }
        String modelSha = actual.get(MODEL_FILE);
        if (modelSha == null) {
            problems.add(MODEL_FILE + " is missing");
        } else if (!modelSha.equals(version.sha256())) {
            problems.add(MODEL_FILE + " has sha-256 " + modelSha + " but " + version.sha256() + " was recorded");
        } else if (sizes.get(MODEL_FILE) != version.sizeBytes()) {
            problems.add(MODEL_FILE + " has " + sizes.get(MODEL_FILE) + " bytes but " + version.sizeBytes()
                    + " were recorded");
        } else {
            checked.add(MODEL_FILE + " sha-256 = metadata.json");
        }
        String shaFile = actual.containsKey(SHA256_FILE)
                ? new String(readAll(fs, new Path(versionDir, SHA256_FILE)), StandardCharsets.UTF_8).trim()
                : null;
        if (shaFile == null) {
            problems.add(SHA256_FILE + " is missing");
        } else if (!shaFile.equals(version.sha256())) {
            problems.add(SHA256_FILE + " says " + shaFile + " but " + version.sha256() + " was recorded");
        } else {
            checked.add(SHA256_FILE + " = metadata.json");
        }
        if (!actual.containsKey(CHECKSUMS_FILE)) {
            checked.add("no " + CHECKSUMS_FILE + " (published before it existed): other files not checked");
            return new Verification(version.name(), version.version(), checked, problems);
        }
        Map<String, String> listed = new TreeMap<>();
        String sums = new String(readAll(fs, new Path(versionDir, CHECKSUMS_FILE)), StandardCharsets.UTF_8);
        for (String line : sums.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int gap = line.indexOf("  ");
            if (gap != 64) {
                problems.add(CHECKSUMS_FILE + " has a malformed line: " + line);
                continue;
            }
            listed.put(line.substring(gap + 2), line.substring(0, gap));
        }
        for (String file : CHECKSUMMED_FILES) {
            if (!listed.containsKey(file)) {
                problems.add(CHECKSUMS_FILE + " does not list " + file);
            }
        }
        for (Map.Entry<String, String> e : listed.entrySet()) {
            String sha = actual.get(e.getKey());
            if (sha == null) {
                problems.add(e.getKey() + " is listed in " + CHECKSUMS_FILE + " but missing");
            } else if (!sha.equals(e.getValue())) {
                problems.add(e.getKey() + " has sha-256 " + sha + " but " + CHECKSUMS_FILE + " lists " + e.getValue());
            } else {
                checked.add(e.getKey() + " sha-256");
            }
        }
        for (String file : actual.keySet()) {
            if (!file.equals(CHECKSUMS_FILE) && !listed.containsKey(file)) {
                problems.add(file + " is not listed in " + CHECKSUMS_FILE);
            }
        }
        return new Verification(version.name(), version.version(), checked, problems);
    }

    @Override
    public String toString() {
        return "FileSystemModelRegistry{" + root + '}';
    }

    // ------------------------------------------------------------------------------------------------------------

    private FileSystem fileSystem() throws IOException {
        return new Path(root).getFileSystem();
    }

    private Path rootPath(FileSystem fs) {
        return new Path(root).makeQualified(fs);
    }

    private Path modelDir(FileSystem fs, String name) {
        return new Path(rootPath(fs), name);
    }

    /** The committed version {@code version} in {@code modelDir}, if there is one. */
    private static Optional<ModelVersion> read(FileSystem fs, Path modelDir, long version) throws IOException {
        Path versionDir = new Path(modelDir, Long.toString(version));
        if (!fs.exists(new Path(versionDir, COMMITTED_MARKER))) {
            return Optional.empty();
        }
        String uri = new Path(versionDir, MODEL_FILE).toUri().toString();
        ModelVersion v = ModelVersionJson.read(readAll(fs, new Path(versionDir, METADATA_FILE)), uri);
        if (v.version() != version || !v.name().equals(modelDir.getName())) {
            throw new IOException("metadata of " + versionDir + " describes " + v.label());
        }
        return Optional.of(v);
    }

    /** Version numbers of the directories in {@code modelDir}, committed or not, ascending. */
    private static TreeSet<Long> versionNumbers(FileSystem fs, Path modelDir) throws IOException {
        TreeSet<Long> versions = new TreeSet<>();
        for (FileStatus status : listOrEmpty(fs, modelDir)) {
            String entry = status.getPath().getName();
            if (status.isDir() && ModelVersionOrder.isNumeric(entry) && entry.length() <= 18
                    && entry.charAt(0) != '0') {
                versions.add(Long.parseLong(entry));
            }
        }
        return versions;
    }

    private static long highestVersion(FileSystem fs, Path modelDir) throws IOException {
        TreeSet<Long> versions = versionNumbers(fs, modelDir);
        return versions.isEmpty() ? 0 : versions.last();
    }

    private static FileStatus[] listOrEmpty(FileSystem fs, Path dir) throws IOException {
        try {
            FileStatus[] statuses = fs.listStatus(dir);
            return statuses == null ? new FileStatus[0] : statuses;
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }

    /** Creates {@code versionDir} exclusively; false if it (or its claim) already exists. */
    private static boolean claim(FileSystem fs, Path versionDir) throws IOException {
        if (isLocal(fs, versionDir)) {
            java.nio.file.Path dir = Paths.get(versionDir.toUri());
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        fs.mkdirs(versionDir);
        try (FSDataOutputStream out = fs.create(new Path(versionDir, CLAIM_FILE), WriteMode.NO_OVERWRITE)) {
            out.write(UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            // java.nio's or Hadoop's FileAlreadyExistsException, depending on the file system.
            if (e.getClass().getSimpleName().equals("FileAlreadyExistsException")) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isLocal(FileSystem fs, Path path) {
        return !fs.isDistributedFS() && "file".equals(path.toUri().getScheme());
    }

    /** Writes {@code bytes} to {@code file} (replacing it) and syncs it to durable storage where that is possible. */
    private static void write(FileSystem fs, Path file, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(file, WriteMode.OVERWRITE)) {
            out.write(bytes);
            out.flush();
            try {
                out.sync();
            } catch (UnsupportedOperationException e) {
                // Object stores persist on close.
            }
        }
    }

    private static StageLedger readLedger(FileSystem fs, Path ledgerFile, String name) throws IOException {
        byte[] json;
        try {
            json = readAll(fs, ledgerFile);
        } catch (FileNotFoundException | java.nio.file.NoSuchFileException e) {
            return StageLedger.empty(name);
        }
        return StageLedgerJson.read(json, name, ledgerFile.toString());
    }

    /**
     * Replaces {@code file} with {@code bytes} so that readers see the old or the new content: a temporary file
     * renamed over it (atomic on the local file system and HDFS); on object stores, one PUT.
     */
    private static void replace(FileSystem fs, Path file, byte[] bytes) throws IOException {
        String scheme = file.toUri().getScheme();
        boolean local = isLocal(fs, file);
        if (!local && !"hdfs".equals(scheme) && !"viewfs".equals(scheme)) {
            write(fs, file, bytes); // object stores: one PUT, visible whole or not at all
            return;
        }
        Path tmp = new Path(file.getParent(), file.getName() + ".tmp-" + UUID.randomUUID());
        write(fs, tmp, bytes);
        if (local) {
            Files.move(Paths.get(tmp.toUri()), Paths.get(file.toUri()), StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        if (!fs.rename(tmp, file)) { // HDFS does not rename over an existing file
            fs.delete(file, false);
            if (!fs.rename(tmp, file)) {
                fs.delete(tmp, false);
                throw new IOException("could not rename " + tmp + " to " + file);
            }
        }
    }

    private static byte[] readAll(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
