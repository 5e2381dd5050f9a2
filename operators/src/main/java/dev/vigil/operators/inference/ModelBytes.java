package dev.vigil.operators.inference;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.util.Preconditions;

/**
 * The bytes of one model version whose sha-256 has been checked against its {@link ModelRef}. The only ways to get
 * one are {@link #load} and {@link #verify}, so an {@link OnnxScorer} (which takes a {@code ModelBytes}) can never be
 * built from unverified bytes.
 *
 * <p>URIs are read with Flink's {@link FileSystem}, so every scheme the cluster has a plugin for works ({@code
 * file:///}, {@code s3://}, {@code hdfs://}, ...; outside a TaskManager call {@code FileSystem.initialize} first for
 * plugin schemes). A {@code classpath:} URI names a resource in the job jar (loaded with the given class loader; a
 * leading {@code /} is ignored).
 *
 * <pre>{@code
 * ModelBytes model = ModelBytes.load(ref, getUserCodeClassLoader()); // throws ModelIntegrityException on mismatch
 * try (OnnxScorer scorer = new OnnxScorer(model, options)) { ... }
 * }</pre>
 */
public final class ModelBytes {

    /** URI prefix of models shipped as resources of the job jar. */
    public static final String CLASSPATH_SCHEME = "classpath:";

    private static final HexFormat HEX = HexFormat.of();

    private final ModelRef ref;
    private final byte[] bytes;

    private ModelBytes(ModelRef ref, byte[] bytes) {
        this.ref = ref;
        this.bytes = bytes;
    }

    /**
     * Reads {@code ref.uri()} and checks its sha-256.
     *
     * @throws ModelIntegrityException if the sha-256 of what was read differs from {@code ref.sha256()}
     * @throws IOException if the URI cannot be read
     */
    public static ModelBytes load(ModelRef ref, ClassLoader classLoader) throws IOException {
        return verify(ref, read(ref.uri(), classLoader));
    }

    /** {@link #load(ModelRef, ClassLoader)} with the thread's context class loader. */
    public static ModelBytes load(ModelRef ref) throws IOException {
        return load(ref, Thread.currentThread().getContextClassLoader());
    }

    /**
     * Checks bytes obtained elsewhere (e.g. a registry held in memory) against {@code ref}. The array is not copied:
     * do not modify it afterwards.
     *
     * @throws ModelIntegrityException if the sha-256 differs from {@code ref.sha256()}
     */
    public static ModelBytes verify(ModelRef ref, byte[] bytes) throws ModelIntegrityException {
        Preconditions.checkNotNull(ref, "ref");
        Preconditions.checkNotNull(bytes, "bytes");
        String actual = sha256Hex(bytes);
        if (!actual.equals(ref.sha256())) {
            throw new ModelIntegrityException(ref, actual, bytes.length);
        }
        return new ModelBytes(ref, bytes);
    }

    /** All bytes at {@code uri}: a Flink file system path or a {@code classpath:} resource. */
    public static byte[] read(String uri, ClassLoader classLoader) throws IOException {
        Preconditions.checkNotNull(uri, "uri");
        if (uri.startsWith(CLASSPATH_SCHEME)) {
            String resource = uri.substring(CLASSPATH_SCHEME.length());
            while (resource.startsWith("/")) {
                resource = resource.substring(1);
            }
            ClassLoader loader = classLoader != null ? classLoader : ModelBytes.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new FileNotFoundException("No class path resource '" + resource + "' for " + uri);
                }
                return in.readAllBytes();
            }
        }
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem();
        try (FSDataInputStream in = fs.open(path)) {
            return in.readAllBytes();
        }
    }

    /** Lower-case hex sha-256 of {@code bytes}, the form used in {@link ModelRef#sha256()}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required on every Java platform", e);
        }
    }

    public ModelRef ref() {
        return ref;
    }

    public int size() {
        return bytes.length;
    }

    /** The verified bytes (not copied; do not modify). */
    byte[] bytes() {
        return bytes;
    }
}
