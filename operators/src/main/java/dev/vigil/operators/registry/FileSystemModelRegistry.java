package dev.vigil.operators.registry;

import dev.vigil.models.registry.ModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.ModelVersionJson;
import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.models.registry.OnnxVersionStamp;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.models.util.Sha256;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
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
 *   &lt;root&gt;/&lt;name&gt;/&lt;version&gt;/_COMMITTED          written last; empty
 * </pre>
 *
 * <p><b>Publication protocol.</b> A publisher (1) picks the number after the highest version directory of the name,
 * committed or not; (2) claims it by creating that directory <i>exclusively</i> — if another publisher got there
 * first it takes the next number; (3) writes and syncs {@code model.onnx}, {@code model.onnx.sha256} and {@code
 * metadata.json}; (4) writes the {@code _COMMITTED} marker. Readers only see versions whose marker exists, so a
 * version is visible complete or not at all. A publisher that dies between (2) and (4) leaves an uncommitted
 * directory that stays invisible and whose number is never reused; versions may therefore have gaps. Markers rather
 * than a temp-directory rename, because renaming a directory is neither atomic nor cheap on object stores.
 *
 * <p><b>Exclusive claims</b> use {@code mkdir} on the local file system (atomic) and {@code create(_CLAIM,
 * NO_OVERWRITE)} elsewhere, which is atomic on HDFS. Object stores without conditional writes (S3 through Flink's
 * S3 file systems) cannot make it atomic: run one publisher per model name there, which is what a learner operator
 * with parallelism 1 does. Readers rely on read-after-write consistency (S3 has had it since 2020).
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
                        metadata.properties());
        write(fs, modelFile, stamped);
        write(fs, new Path(versionDir, SHA256_FILE), (published.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        write(fs, new Path(versionDir, METADATA_FILE), ModelVersionJson.write(published));
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

    private static byte[] readAll(FileSystem fs, Path file) throws IOException {
        try (FSDataInputStream in = fs.open(file)) {
            return in.readAllBytes();
        }
    }
}
