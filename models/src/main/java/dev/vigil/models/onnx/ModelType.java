package dev.vigil.models.onnx;

import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.linear.SoftmaxRegression;
import dev.vigil.models.nn.Autoencoder;
import dev.vigil.models.nn.Mlp;
import java.util.Map;
import java.util.Optional;

/** The model families Vigil exports, as written to {@link MetadataKeys#MODEL_TYPE}. */
public enum ModelType {
    /** {@link LogisticRegression}: outputs {@code probability} and {@code contributions}. */
    LOGISTIC("logistic"),
    /** {@link SoftmaxRegression}: outputs {@code probabilities}. */
    SOFTMAX("softmax"),
    /** {@link Mlp}: outputs {@code probability} (binary) or {@code probabilities} (multiclass). */
    MLP("mlp"),
    /**
     * {@link Autoencoder}: outputs {@code anomaly_score} and {@code contributions} ({@link AutoencoderOnnxExporter});
     * not a {@link DifferentiableModel}, so never returned by {@link #of(DifferentiableModel)}.
     */
    AUTOENCODER("autoencoder");

    private final String metadataValue;

    ModelType(String metadataValue) {
        this.metadataValue = metadataValue;
    }

    /** The value of {@link MetadataKeys#MODEL_TYPE}. */
    public String metadataValue() {
        return metadataValue;
    }

    /**
     * The type of {@code model}.
     *
     * @throws IllegalArgumentException for a model class this version cannot export
     */
    public static ModelType of(DifferentiableModel model) {
        checkNotNull(model, "model");
        if (model instanceof LogisticRegression) {
            return LOGISTIC;
        }
        if (model instanceof SoftmaxRegression) {
            return SOFTMAX;
        }
        if (model instanceof Mlp) {
            return MLP;
        }
        throw new IllegalArgumentException("no ONNX export for " + model.getClass().getName());
    }

    /**
     * The type a model's metadata declares; empty when the key is absent (models exported before it existed, which
     * are all {@link #LOGISTIC}, or models not exported by Vigil).
     *
     * @throws IllegalArgumentException if the value is not a known type
     */
    public static Optional<ModelType> fromMetadata(Map<String, String> metadata) {
        checkNotNull(metadata, "metadata");
        String value = metadata.get(MetadataKeys.MODEL_TYPE);
        return value == null ? Optional.empty() : Optional.of(parse(value));
    }

    /** The type whose {@link #metadataValue()} is {@code value}. */
    public static ModelType parse(String value) {
        for (ModelType type : values()) {
            if (type.metadataValue.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown " + MetadataKeys.MODEL_TYPE + ": " + value);
    }
}
