package dev.vigil.models.onnx;

/**
 * Keys of the ONNX {@code metadata_props} every Vigil model carries (docs/CONTRACTS.md). Scorers and the registry
 * read a model's provenance back with these; {@link ModelProvenance#fromMetadata} parses them all.
 */
public final class MetadataKeys {

    private MetadataKeys() {}

    public static final String MODEL_NAME = "vigil.model.name";
    public static final String MODEL_VERSION = "vigil.model.version";
    /**
     * The model family, {@link ModelType#metadataValue()}: {@code logistic}, {@code softmax}, {@code mlp} or {@code
     * autoencoder}. Written
     * by the exporters from the model itself; absent in models exported before it existed (all logistic).
     */
    public static final String MODEL_TYPE = "vigil.model.type";
    /**
     * Class labels in output order, comma-separated: entry {@code k} names column {@code k} of a multiclass model's
     * {@code probabilities} (required for multiclass models); for a binary model, optional, negative class first.
     */
    public static final String CLASSES = "vigil.classes";
    /** Feature names in input order, comma-separated. */
    public static final String FEATURE_NAMES = "vigil.feature.names";
    /** Hex SHA-256 of the feature names joined by {@code "\n"}. */
    public static final String FEATURE_FINGERPRINT = "vigil.feature.fingerprint";
    /** Inclusive start of the training data's event-time window, ISO-8601 instant. */
    public static final String TRAINING_WINDOW_START = "vigil.training.window.start";
    /** Exclusive end of the training data's event-time window, ISO-8601 instant. */
    public static final String TRAINING_WINDOW_END = "vigil.training.window.end";
    public static final String TRAINING_SEED = "vigil.training.seed";
    public static final String TRAINING_ROWS = "vigil.training.rows";
    public static final String TRAINING_POSITIVES = "vigil.training.positives";
    public static final String VALIDATION_ROWS = "vigil.training.validation.rows";
    public static final String VALIDATION_POSITIVES = "vigil.training.validation.positives";
    /** Prefix of one key per metric, e.g. {@code vigil.metrics.validation.auroc}; values are Java double literals. */
    public static final String METRICS_PREFIX = "vigil.metrics.";
    /** Version this model was trained from (fine-tuned or retrained after); empty for a first model. */
    public static final String PARENT_VERSION = "vigil.parent.version";
    /** Version of the code that trained the model, e.g. a git commit. */
    public static final String CODE_VERSION = "vigil.code.version";
    /**
     * Prefix of the anomaly models' score quantiles over their training rows, e.g. {@code vigil.anomaly.quantile.p99};
     * values are Java double literals. A decision stage defaults its anomaly threshold from them.
     */
    public static final String ANOMALY_QUANTILE_PREFIX = "vigil.anomaly.quantile.";
    /** Median anomaly score of the training rows. */
    public static final String ANOMALY_QUANTILE_P50 = ANOMALY_QUANTILE_PREFIX + "p50";
    /** 90th percentile of the training rows' anomaly scores. */
    public static final String ANOMALY_QUANTILE_P90 = ANOMALY_QUANTILE_PREFIX + "p90";
    /** 99th percentile of the training rows' anomaly scores: 1% of the training rows score above it. */
    public static final String ANOMALY_QUANTILE_P99 = ANOMALY_QUANTILE_PREFIX + "p99";
    /** 99.9th percentile of the training rows' anomaly scores: 0.1% of the training rows score above it. */
    public static final String ANOMALY_QUANTILE_P999 = ANOMALY_QUANTILE_PREFIX + "p999";
}
