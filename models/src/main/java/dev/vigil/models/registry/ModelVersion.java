package dev.vigil.models.registry;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.time.Instant;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One published, immutable version of a model, as a {@link ModelRegistry} records it.
 *
 * @param name model name, e.g. {@code icu-deterioration}
 * @param version the version number within {@code name}, from 1
 * @param uri where the ONNX file is (any Flink file system URI, or {@code memory:} for {@link InMemoryModelRegistry})
 * @param sha256 lower-case hex sha-256 of the file at {@code uri}
 * @param sizeBytes size of that file
 * @param createdAt when the version was published
 * @param parentVersion the version it was trained from, or {@code null} for a first model
 * @param metrics evaluation metrics by name (sorted), e.g. {@code prequential.auroc}
 * @param properties other facts about the version (sorted), e.g. optimizer settings
 */
public record ModelVersion(
        String name,
        long version,
        String uri,
        String sha256,
        long sizeBytes,
        Instant createdAt,
        String parentVersion,
        Map<String, Double> metrics,
        Map<String, String> properties) {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    public ModelVersion {
        ModelRegistry.checkName(name);
        checkArgument(version >= 1, "version must be at least 1, got %s", version);
        checkArgument(uri != null && !uri.isBlank(), "uri must not be blank");
        checkNotNull(sha256, "sha256");
        sha256 = sha256.trim().toLowerCase(Locale.ROOT);
        checkArgument(SHA256_HEX.matcher(sha256).matches(), "sha256 must be 64 hex characters, got '%s'", sha256);
        checkArgument(sizeBytes >= 0, "sizeBytes must not be negative, got %s", sizeBytes);
        checkNotNull(createdAt, "createdAt");
        checkArgument(parentVersion == null || !parentVersion.isBlank(), "parentVersion must be null or not blank");
        metrics = Collections.unmodifiableMap(new TreeMap<>(checkNotNull(metrics, "metrics")));
        properties = Collections.unmodifiableMap(new TreeMap<>(checkNotNull(properties, "properties")));
    }

    /** The version as the label carried on the control topic and in {@code vigil.model.version}: {@code "7"}. */
    public String versionLabel() {
        return Long.toString(version);
    }

    public Optional<String> parent() {
        return Optional.ofNullable(parentVersion);
    }

    /** {@code name:version}, for logs and messages. */
    public String label() {
        return name + ':' + version;
    }
}
