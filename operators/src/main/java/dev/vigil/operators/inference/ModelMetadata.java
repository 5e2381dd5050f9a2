package dev.vigil.operators.inference;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Provenance carried inside an ONNX model as {@code metadata_props} (docs/CONTRACTS.md): model name and version,
 * feature names and their fingerprint, training window, metrics, parent and code version. Every key is optional in
 * the file; accessors return empty values when a key is absent.
 */
public final class ModelMetadata {

    public static final String NAME = "vigil.model.name";
    public static final String VERSION = "vigil.model.version";
    /** Comma-separated feature names in the model's input order. */
    public static final String FEATURE_NAMES = "vigil.feature.names";
    /** Lower-case hex sha-256 of the feature names joined by {@code \n}. */
    public static final String FEATURE_FINGERPRINT = "vigil.feature.fingerprint";
    public static final String PARENT_VERSION = "vigil.parent.version";
    public static final String CODE_VERSION = "vigil.code.version";
    public static final String TRAINING_PREFIX = "vigil.training.";
    public static final String METRICS_PREFIX = "vigil.metrics.";

    private static final ModelMetadata EMPTY = new ModelMetadata(Map.of());

    private final Map<String, String> properties;
    private final List<String> featureNames;

    public ModelMetadata(Map<String, String> properties) {
        this.properties = Collections.unmodifiableMap(new TreeMap<>(properties));
        String names = properties.get(FEATURE_NAMES);
        this.featureNames =
                names == null || names.isBlank()
                        ? List.of()
                        : Arrays.stream(names.split(",")).map(String::trim).toList();
    }

    public static ModelMetadata empty() {
        return EMPTY;
    }

    /** Fingerprint of a feature order as {@link #FEATURE_FINGERPRINT} defines it. */
    public static String fingerprint(List<String> featureNames) {
        return ModelBytes.sha256Hex(String.join("\n", featureNames).getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> name() {
        return get(NAME);
    }

    public Optional<String> version() {
        return get(VERSION);
    }

    /** Feature names in input order; empty when the model does not declare them. */
    public List<String> featureNames() {
        return featureNames;
    }

    public Optional<String> featureFingerprint() {
        return get(FEATURE_FINGERPRINT);
    }

    public Optional<String> parentVersion() {
        return get(PARENT_VERSION);
    }

    public Optional<String> codeVersion() {
        return get(CODE_VERSION);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(properties.get(key));
    }

    /** Entries whose key starts with {@code prefix} (e.g. {@link #METRICS_PREFIX}), with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)) {
                        out.put(k.substring(prefix.length()), v);
                    }
                });
        return Collections.unmodifiableMap(out);
    }

    /** All {@code metadata_props}, sorted by key. */
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelMetadata other && properties.equals(other.properties);
    }

    @Override
    public int hashCode() {
        return properties.hashCode();
    }

    @Override
    public String toString() {
        return "ModelMetadata" + properties;
    }
}
