package dev.vigil.models.registry;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.onnx.MetadataKeys;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * @param provenance what the model file itself declares about its training (sorted): the {@code vigil.*} keys of its
 *     ONNX {@code metadata_props} other than name, version, parent and metrics, e.g. {@link
 *     MetadataKeys#TRAINING_WINDOW_START}, {@code vigil.training.rows}, {@code
 *     vigil.feature.fingerprint}, {@code vigil.code.version}; copied by the registry at publication so that listings
 *     need not open the model ({@link #PROVENANCE_KEYS_EXCLUDED})
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
        Map<String, String> properties,
        Map<String, String> provenance) {

    /**
     * Metadata keys of the model file that are not copied into {@link #provenance()}: they are fields of their own
     * ({@code vigil.model.name}, {@code vigil.model.version}, {@code vigil.parent.version}) or too long for a listing
     * ({@code vigil.feature.names}, of which {@code vigil.feature.fingerprint} is the digest).
     */
    public static final Set<String> PROVENANCE_KEYS_EXCLUDED =
            Set.of(
                    MetadataKeys.MODEL_NAME,
                    MetadataKeys.MODEL_VERSION,
                    MetadataKeys.PARENT_VERSION,
                    MetadataKeys.FEATURE_NAMES);

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
        provenance = Collections.unmodifiableMap(new TreeMap<>(checkNotNull(provenance, "provenance")));
    }

    /** A version whose model declared no provenance. */
    public ModelVersion(
            String name,
            long version,
            String uri,
            String sha256,
            long sizeBytes,
            Instant createdAt,
            String parentVersion,
            Map<String, Double> metrics,
            Map<String, String> properties) {
        this(name, version, uri, sha256, sizeBytes, createdAt, parentVersion, metrics, properties, Map.of());
    }

    /** Start of the training data's event-time window ({@code vigil.training.window.start}), if declared. */
    public Optional<Instant> trainingWindowStart() {
        return instant(MetadataKeys.TRAINING_WINDOW_START);
    }

    /** Exclusive end of the training data's event-time window ({@code vigil.training.window.end}), if declared. */
    public Optional<Instant> trainingWindowEnd() {
        return instant(MetadataKeys.TRAINING_WINDOW_END);
    }

    /** The feature schema fingerprint ({@code vigil.feature.fingerprint}), if declared. */
    public Optional<String> featureFingerprint() {
        return Optional.ofNullable(provenance.get(MetadataKeys.FEATURE_FINGERPRINT));
    }

    /** The version of the code that trained it ({@code vigil.code.version}), if declared. */
    public Optional<String> codeVersion() {
        return Optional.ofNullable(provenance.get(MetadataKeys.CODE_VERSION));
    }

    private Optional<Instant> instant(String key) {
        String value = provenance.get(key);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
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
