package dev.vigil.models.registry;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a publisher states about a new version: the version it was trained from, its metrics and any other facts
 * worth keeping next to it. The registry adds the rest (version, uri, sha-256, size, time) to make a {@link
 * ModelVersion}.
 *
 * <pre>{@code
 * VersionMetadata meta = VersionMetadata.builder()
 *         .parentVersion("3")
 *         .metric("prequential.auroc", 0.84)
 *         .property("optimizer", "adam(lr=0.002)")
 *         .build();
 * }</pre>
 *
 * @param parentVersion version the model was trained from, or {@code null}
 * @param metrics finite metric values by name
 * @param properties free-form facts by name
 */
public record VersionMetadata(String parentVersion, Map<String, Double> metrics, Map<String, String> properties) {

    private static final VersionMetadata EMPTY = new VersionMetadata(null, Map.of(), Map.of());

    public VersionMetadata {
        checkArgument(parentVersion == null || !parentVersion.isBlank(), "parentVersion must be null or not blank");
        metrics = Collections.unmodifiableMap(new TreeMap<>(checkNotNull(metrics, "metrics")));
        metrics.forEach((k, v) -> checkArgument(v != null && Double.isFinite(v), "metric %s is not finite: %s", k, v));
        properties = Collections.unmodifiableMap(new TreeMap<>(checkNotNull(properties, "properties")));
        properties.forEach((k, v) -> checkNotNull(v, "property " + k));
    }

    /** No parent, no metrics, no properties. */
    public static VersionMetadata empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link VersionMetadata}; every field is optional. */
    public static final class Builder {
        private String parentVersion;
        private final Map<String, Double> metrics = new TreeMap<>();
        private final Map<String, String> properties = new TreeMap<>();

        private Builder() {}

        public Builder parentVersion(String parentVersion) {
            this.parentVersion = parentVersion;
            return this;
        }

        public Builder metric(String name, double value) {
            metrics.put(checkNotNull(name, "metric name"), value);
            return this;
        }

        public Builder metrics(Map<String, Double> metrics) {
            this.metrics.putAll(checkNotNull(metrics, "metrics"));
            return this;
        }

        public Builder property(String name, String value) {
            properties.put(checkNotNull(name, "property name"), value);
            return this;
        }

        public VersionMetadata build() {
            return new VersionMetadata(parentVersion, metrics, properties);
        }
    }
}
