package dev.vigil.operators.inference;

import dev.vigil.schema.common.ModelUpdate;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.flink.util.Preconditions;

/**
 * Points at one version of one model: where its ONNX file lives and the sha-256 it must have.
 *
 * @param name model name, e.g. {@code icu-deterioration}
 * @param version version label, unique per name
 * @param uri location readable by {@link ModelBytes#read}: any Flink file system ({@code file:///},
 *     {@code s3://}, ...) or {@code classpath:} for a resource in the job jar
 * @param sha256 lower-case hex sha-256 of the file (upper case is accepted and normalized)
 */
public record ModelRef(String name, String version, String uri, String sha256) implements Serializable {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ModelRef {
        Preconditions.checkArgument(name != null && !name.isBlank(), "model name must not be blank");
        Preconditions.checkArgument(
                version != null && !version.isBlank(), "version of model %s must not be blank", name);
        Preconditions.checkArgument(
                uri != null && !uri.isBlank(), "uri of model %s:%s must not be blank", name, version);
        Preconditions.checkArgument(sha256 != null, "sha256 of model %s:%s must not be null", name, version);
        sha256 = sha256.trim().toLowerCase(Locale.ROOT);
        Preconditions.checkArgument(
                SHA256_HEX.matcher(sha256).matches(),
                "sha256 of model %s:%s must be 64 hex characters, got '%s'",
                name,
                version,
                sha256);
    }

    /** The reference announced by a {@link ModelUpdate} on the model-control topic. */
    public static ModelRef of(ModelUpdate update) {
        return new ModelRef(
                update.getName().toString(),
                update.getVersion().toString(),
                update.getUri().toString(),
                update.getSha256().toString());
    }

    /** {@code name:version}, for logs and messages. */
    public String label() {
        return name + ':' + version;
    }
}
