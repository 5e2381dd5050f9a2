package dev.vigil.models.onnx;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.util.Sha256;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a model came from, carried inside the model file as ONNX {@code metadata_props} under the keys of
 * {@link MetadataKeys} (docs/CONTRACTS.md): name and version, the feature schema and its fingerprint, the training
 * window, seed and data counts, evaluation metrics, the parent version and the code version.
 *
 * <pre>{@code
 * ModelProvenance provenance = ModelProvenance.builder()
 *         .modelName("icu-deterioration")
 *         .modelVersion("1")
 *         .featureNames(List.of("heart_rate", "resp_rate", "spo2"))
 *         .trainingWindow(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"))
 *         .seed(42)
 *         .trainingCounts(80_000, 2_400)
 *         .validationCounts(20_000, 650)
 *         .metrics(Map.of("validation.auroc", 0.87))
 *         .codeVersion("4f2c1e9")
 *         .build();
 * }</pre>
 *
 * @param modelName the model's name, e.g. {@code icu-deterioration}
 * @param modelVersion the model's version within its name
 * @param featureNames the input features in column order; unique, non-blank, without commas or line breaks
 * @param trainingWindowStart inclusive start of the training data's event time
 * @param trainingWindowEnd exclusive end of the training data's event time, not before the start
 * @param seed the training seed
 * @param trainingRows training rows
 * @param trainingPositives training rows with label 1 (for a multiclass model: rows of any class but 0)
 * @param validationRows validation rows (0 if none)
 * @param validationPositives validation rows with label 1
 * @param metrics evaluation metrics by name (sorted), e.g. {@code validation.auroc}
 * @param parentVersion the version this one was retrained from, or {@code null} for a first model
 * @param codeVersion the version of the code that trained it
 * @param classLabels the class names in class-index order (unique, non-blank, without commas or line breaks): empty,
 *     or one per class; an exported multiclass model needs them ({@link MetadataKeys#CLASSES})
 */
public record ModelProvenance(
        String modelName,
        String modelVersion,
        List<String> featureNames,
        Instant trainingWindowStart,
        Instant trainingWindowEnd,
        long seed,
        long trainingRows,
        long trainingPositives,
        long validationRows,
        long validationPositives,
        Map<String, Double> metrics,
        String parentVersion,
        String codeVersion,
        List<String> classLabels) {

    public ModelProvenance {
        checkNotBlank(modelName, "modelName");
        checkNotBlank(modelVersion, "modelVersion");
        featureNames = List.copyOf(checkNotNull(featureNames, "featureNames"));
        checkArgument(!featureNames.isEmpty(), "featureNames must not be empty");
        checkNames(featureNames, "feature name");
        checkNotNull(trainingWindowStart, "trainingWindowStart");
        checkNotNull(trainingWindowEnd, "trainingWindowEnd");
        checkArgument(
                !trainingWindowEnd.isBefore(trainingWindowStart),
                "training window ends (%s) before it starts (%s)",
                trainingWindowEnd,
                trainingWindowStart);
        checkCounts(trainingRows, trainingPositives, "training");
        checkCounts(validationRows, validationPositives, "validation");
        checkNotNull(metrics, "metrics");
        TreeMap<String, Double> sortedMetrics = new TreeMap<>();
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            String key = checkNotNull(e.getKey(), "metric name");
            checkArgument(
                    !key.isEmpty() && key.chars().noneMatch(Character::isWhitespace),
                    "metric name must be non-empty without whitespace: '%s'",
                    key);
            sortedMetrics.put(key, checkNotNull(e.getValue(), "metric " + key));
        }
        metrics = Map.copyOf(sortedMetrics);
        if (parentVersion != null) {
            checkNotBlank(parentVersion, "parentVersion");
        }
        checkNotBlank(codeVersion, "codeVersion");
        classLabels = classLabels == null ? List.of() : List.copyOf(classLabels);
        checkArgument(classLabels.size() != 1, "classLabels must be empty or name at least two classes: %s", classLabels);
        checkNames(classLabels, "class label");
    }

    /** Provenance without class labels (a binary model's), as before {@code classLabels} existed. */
    public ModelProvenance(
            String modelName,
            String modelVersion,
            List<String> featureNames,
            Instant trainingWindowStart,
            Instant trainingWindowEnd,
            long seed,
            long trainingRows,
            long trainingPositives,
            long validationRows,
            long validationPositives,
            Map<String, Double> metrics,
            String parentVersion,
            String codeVersion) {
        this(
                modelName,
                modelVersion,
                featureNames,
                trainingWindowStart,
                trainingWindowEnd,
                seed,
                trainingRows,
                trainingPositives,
                validationRows,
                validationPositives,
                metrics,
                parentVersion,
                codeVersion,
                List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Hex SHA-256 of the feature names joined by {@code "\n"}: a cheap check that a model fits a feature schema. */
    public static String fingerprintOf(List<String> featureNames) {
        checkNotNull(featureNames, "featureNames");
        return Sha256.hexUtf8(String.join("\n", featureNames));
    }

    /** {@link #fingerprintOf(List)} of this model's feature names. */
    public String featureFingerprint() {
        return fingerprintOf(featureNames);
    }

    /** The parent version, if any. */
    public Optional<String> parent() {
        return Optional.ofNullable(parentVersion);
    }

    /** The metrics sorted by name. */
    @Override
    public Map<String, Double> metrics() {
        return new TreeMap<>(metrics);
    }

    /** The provenance as ONNX {@code metadata_props}, keys of {@link MetadataKeys} in a fixed order. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(MetadataKeys.MODEL_NAME, modelName);
        m.put(MetadataKeys.MODEL_VERSION, modelVersion);
        m.put(MetadataKeys.FEATURE_NAMES, String.join(",", featureNames));
        m.put(MetadataKeys.FEATURE_FINGERPRINT, featureFingerprint());
        if (!classLabels.isEmpty()) {
            m.put(MetadataKeys.CLASSES, String.join(",", classLabels));
        }
        m.put(MetadataKeys.TRAINING_WINDOW_START, trainingWindowStart.toString());
        m.put(MetadataKeys.TRAINING_WINDOW_END, trainingWindowEnd.toString());
        m.put(MetadataKeys.TRAINING_SEED, Long.toString(seed));
        m.put(MetadataKeys.TRAINING_ROWS, Long.toString(trainingRows));
        m.put(MetadataKeys.TRAINING_POSITIVES, Long.toString(trainingPositives));
        m.put(MetadataKeys.VALIDATION_ROWS, Long.toString(validationRows));
        m.put(MetadataKeys.VALIDATION_POSITIVES, Long.toString(validationPositives));
        for (Map.Entry<String, Double> e : metrics().entrySet()) {
            m.put(MetadataKeys.METRICS_PREFIX + e.getKey(), Double.toString(e.getValue()));
        }
        m.put(MetadataKeys.PARENT_VERSION, parentVersion == null ? "" : parentVersion);
        m.put(MetadataKeys.CODE_VERSION, codeVersion);
        return m;
    }

    /**
     * Parses provenance back from a model's metadata (e.g. ONNX Runtime's {@code getCustomMetadata()}). Unknown keys
     * are ignored.
     *
     * @throws IllegalArgumentException if a key is missing or malformed, or the fingerprint does not match the names
     */
    public static ModelProvenance fromMetadata(Map<String, String> metadata) {
        checkNotNull(metadata, "metadata");
        Map<String, Double> metrics = new TreeMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith(MetadataKeys.METRICS_PREFIX)) {
                String name = e.getKey().substring(MetadataKeys.METRICS_PREFIX.length());
                try {
                    metrics.put(name, Double.parseDouble(e.getValue()));
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException("metric " + e.getKey() + " is not a number: " + e.getValue());
                }
            }
        }
        String parent = required(metadata, MetadataKeys.PARENT_VERSION);
        String classes = metadata.get(MetadataKeys.CLASSES);
        ModelProvenance provenance = new ModelProvenance(
                required(metadata, MetadataKeys.MODEL_NAME),
                required(metadata, MetadataKeys.MODEL_VERSION),
                Arrays.asList(required(metadata, MetadataKeys.FEATURE_NAMES).split(",", -1)),
                instant(metadata, MetadataKeys.TRAINING_WINDOW_START),
                instant(metadata, MetadataKeys.TRAINING_WINDOW_END),
                number(metadata, MetadataKeys.TRAINING_SEED),
                number(metadata, MetadataKeys.TRAINING_ROWS),
                number(metadata, MetadataKeys.TRAINING_POSITIVES),
                number(metadata, MetadataKeys.VALIDATION_ROWS),
                number(metadata, MetadataKeys.VALIDATION_POSITIVES),
                metrics,
                parent.isEmpty() ? null : parent,
                required(metadata, MetadataKeys.CODE_VERSION),
                classes == null || classes.isEmpty() ? List.of() : Arrays.asList(classes.split(",", -1)));
        String fingerprint = required(metadata, MetadataKeys.FEATURE_FINGERPRINT);
        checkArgument(
                fingerprint.equals(provenance.featureFingerprint()),
                "%s %s does not match the feature names (expected %s)",
                MetadataKeys.FEATURE_FINGERPRINT,
                fingerprint,
                provenance.featureFingerprint());
        return provenance;
    }

    private static String required(Map<String, String> metadata, String key) {
        String value = metadata.get(key);
        checkArgument(value != null, "model metadata lacks %s", key);
        return value;
    }

    private static long number(Map<String, String> metadata, String key) {
        String value = required(metadata, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not an integer: " + value);
        }
    }

    private static Instant instant(Map<String, String> metadata, String key) {
        String value = required(metadata, key);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is not an ISO-8601 instant: " + value);
        }
    }

    /** Unique, non-blank names without commas, line breaks or surrounding whitespace (they are joined by commas). */
    private static void checkNames(List<String> names, String what) {
        for (String name : names) {
            checkNotBlank(name, what);
            checkArgument(
                    name.indexOf(',') < 0 && name.indexOf('\n') < 0 && name.indexOf('\r') < 0,
                    "%s must not contain commas or line breaks: %s",
                    what,
                    name);
            checkArgument(name.strip().equals(name), "%s has surrounding whitespace: '%s'", what, name);
        }
        checkArgument(names.stream().distinct().count() == names.size(), "%ss must be unique: %s", what, names);
    }

    private static void checkNotBlank(String value, String name) {
        checkNotNull(value, name);
        checkArgument(!value.isBlank(), "%s must not be blank", name);
    }

    private static void checkCounts(long rows, long positives, String what) {
        checkArgument(
                rows >= 0 && positives >= 0 && positives <= rows,
                "%s counts must satisfy 0 <= positives <= rows, got %s positives of %s rows",
                what,
                positives,
                rows);
    }

    /** Builds a {@link ModelProvenance}; {@link #build()} checks every field. */
    public static final class Builder {
        private String modelName;
        private String modelVersion;
        private List<String> featureNames;
        private Instant trainingWindowStart;
        private Instant trainingWindowEnd;
        private long seed;
        private long trainingRows;
        private long trainingPositives;
        private long validationRows;
        private long validationPositives;
        private Map<String, Double> metrics = Map.of();
        private String parentVersion;
        private String codeVersion;
        private List<String> classLabels = List.of();

        private Builder() {}

        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        public Builder modelVersion(String modelVersion) {
            this.modelVersion = modelVersion;
            return this;
        }

        public Builder featureNames(List<String> featureNames) {
            this.featureNames = featureNames;
            return this;
        }

        /** Event-time window of the training data: {@code [start, end)}. */
        public Builder trainingWindow(Instant start, Instant end) {
            this.trainingWindowStart = start;
            this.trainingWindowEnd = end;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder trainingCounts(long rows, long positives) {
            this.trainingRows = rows;
            this.trainingPositives = positives;
            return this;
        }

        public Builder validationCounts(long rows, long positives) {
            this.validationRows = rows;
            this.validationPositives = positives;
            return this;
        }

        /** Metrics by name, e.g. {@code validation.auroc}; replaces earlier ones. */
        public Builder metrics(Map<String, Double> metrics) {
            this.metrics = metrics;
            return this;
        }

        /** The version retrained from; leave unset (null) for a first model. */
        public Builder parentVersion(String parentVersion) {
            this.parentVersion = parentVersion;
            return this;
        }

        public Builder codeVersion(String codeVersion) {
            this.codeVersion = codeVersion;
            return this;
        }

        /** Class names in class-index order; required to export a multiclass model. */
        public Builder classLabels(List<String> classLabels) {
            this.classLabels = classLabels;
            return this;
        }

        public ModelProvenance build() {
            return new ModelProvenance(
                    modelName,
                    modelVersion,
                    featureNames,
                    trainingWindowStart,
                    trainingWindowEnd,
                    seed,
                    trainingRows,
                    trainingPositives,
                    validationRows,
                    validationPositives,
                    metrics,
                    parentVersion,
                    codeVersion,
                    classLabels);
        }
    }
}
