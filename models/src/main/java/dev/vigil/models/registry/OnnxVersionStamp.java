package dev.vigil.models.registry;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.models.onnx.MetadataKeys;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Writes a version's identity into the model file itself: {@code vigil.model.name}, {@code vigil.model.version} and
 * (when known) {@code vigil.parent.version} in the ONNX {@code metadata_props} (docs/CONTRACTS.md). A learner cannot
 * know the version number before the registry assigns it, so registries stamp the bytes right before storing them;
 * the sha-256 announced on the control topic is that of the stamped file. Every other part of the model is kept as
 * it was (graph, opsets, other metadata, in their order).
 */
public final class OnnxVersionStamp {

    private static final String VIGIL_PREFIX = "vigil.";

    private OnnxVersionStamp() {}

    /**
     * {@code onnx} with name, version and parent set.
     *
     * @param parentVersion the parent to record, or {@code null} to keep whatever the model declares
     * @throws IllegalArgumentException if {@code onnx} is not an ONNX model with a graph, or it declares a model name
     *     other than {@code name}
     */
    public static byte[] stamp(byte[] onnx, String name, String version, String parentVersion) {
        OnnxMl.ModelProto model = parse(onnx);
        Optional<String> declared = declared(model, MetadataKeys.MODEL_NAME);
        if (declared.isPresent() && !declared.get().equals(name)) {
            throw new IllegalArgumentException(
                    "the model declares " + MetadataKeys.MODEL_NAME + " '" + declared.get()
                            + "' but is published as '" + name + "'");
        }
        OnnxMl.ModelProto.Builder builder = model.toBuilder();
        put(builder, MetadataKeys.MODEL_NAME, name);
        put(builder, MetadataKeys.MODEL_VERSION, version);
        if (parentVersion != null) {
            put(builder, MetadataKeys.PARENT_VERSION, parentVersion);
        }
        return builder.build().toByteArray();
    }

    /**
     * What {@code onnx} declares about its training, as {@link ModelVersion#provenance()} keeps it: every {@code vigil.}
     * metadata key but those of {@link ModelVersion#PROVENANCE_KEYS_EXCLUDED} and the metrics ({@code
     * vigil.metrics.*}, kept in {@link ModelVersion#metrics()} as the publisher states them).
     *
     * @throws IllegalArgumentException if {@code onnx} is not an ONNX model with a graph
     */
    public static Map<String, String> provenance(byte[] onnx) {
        Map<String, String> out = new TreeMap<>();
        for (OnnxMl.StringStringEntryProto entry : parse(onnx).getMetadataPropsList()) {
            String key = entry.getKey();
            if (key.startsWith(VIGIL_PREFIX) && !key.startsWith(MetadataKeys.METRICS_PREFIX)
                    && !ModelVersion.PROVENANCE_KEYS_EXCLUDED.contains(key)) {
                out.put(key, entry.getValue());
            }
        }
        return out;
    }

    /** The value of metadata key {@code key} in {@code onnx}. */
    public static Optional<String> declared(byte[] onnx, String key) {
        return declared(parse(onnx), key);
    }

    private static OnnxMl.ModelProto parse(byte[] onnx) {
        if (onnx == null || onnx.length == 0) {
            throw new IllegalArgumentException("not an ONNX model: no bytes");
        }
        try {
            OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(onnx);
            if (!model.hasGraph()) {
                throw new IllegalArgumentException("not an ONNX model: no graph (" + onnx.length + " bytes)");
            }
            return model;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    private static Optional<String> declared(OnnxMl.ModelProto model, String key) {
        for (OnnxMl.StringStringEntryProto entry : model.getMetadataPropsList()) {
            if (entry.getKey().equals(key)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** Sets {@code key} in place when present (later duplicates are removed), else appends it. */
    private static void put(OnnxMl.ModelProto.Builder builder, String key, String value) {
        OnnxMl.StringStringEntryProto entry =
                OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
        int first = -1;
        for (int i = builder.getMetadataPropsCount() - 1; i >= 0; i--) {
            if (builder.getMetadataProps(i).getKey().equals(key)) {
                if (first >= 0) {
                    builder.removeMetadataProps(first);
                }
                first = i;
            }
        }
        if (first < 0) {
            builder.addMetadataProps(entry);
        } else {
            builder.setMetadataProps(first, entry);
        }
    }
}
