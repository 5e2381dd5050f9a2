package dev.vigil.models.onnx;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkLength;
import static dev.vigil.models.util.Checks.checkNotNull;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.util.Sha256;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/** Pieces every exported graph shares: argument checks, the standardization prefix, dense layers, the model proto. */
final class OnnxGraphs {

    private OnnxGraphs() {}

    /** The standardizer's mean, after checking that it has seen data. */
    static double[] mean(Standardizer standardizer) {
        checkNotNull(standardizer, "standardizer");
        checkArgument(standardizer.count() > 0, "the standardizer has seen no rows");
        return standardizer.mean();
    }

    /** Checks the shapes of mean and std, that means are finite and stds finite and positive. */
    static void checkStandardization(int numFeatures, double[] mean, double[] std) {
        checkLength(mean, numFeatures, "mean");
        checkLength(std, numFeatures, "std");
        for (int i = 0; i < numFeatures; i++) {
            checkArgument(Double.isFinite(mean[i]), "mean[%s] is not finite", i);
            checkArgument(std[i] > 0 && Double.isFinite(std[i]), "std[%s] must be finite and > 0, got %s", i, std[i]);
        }
    }

    /**
     * Checks that the provenance names one feature per model input and, for a multiclass model, one class label per
     * class (a binary model may name its two classes or none).
     */
    static void checkProvenance(ModelProvenance provenance, int numFeatures, int numClasses) {
        checkNotNull(provenance, "provenance");
        List<String> names = provenance.featureNames();
        checkArgument(
                names.size() == numFeatures,
                "provenance names %s features, the model has %s",
                names.size(),
                numFeatures);
        int labels = provenance.classLabels().size();
        if (numClasses == 2) {
            checkArgument(
                    labels == 0 || labels == 2, "provenance names %s classes, the binary model has 2", labels);
        } else {
            checkArgument(
                    labels == numClasses,
                    "provenance names %s classes, the model has %s (a multiclass model needs its class labels)",
                    labels,
                    numClasses);
        }
    }

    /** {@code (features - mean) / std}, the standardization baked into every graph. */
    static ONNXNode standardize(ONNXContext ctx, ONNXPlaceholder features, double[] mean, double[] std) {
        ONNXInitializer mu = ctx.array("mean", mean);
        ONNXInitializer sigma = ctx.array("std", std);
        return features.apply(ONNXOperators.SUB, mu, "centered").apply(ONNXOperators.DIV, sigma, "standardized");
    }

    /**
     * A dense layer {@code input W^T + b} as one {@code Gemm} ({@code transB = 1}), with {@code W} ({@code out x in},
     * row-major) at {@code params[weightOffset ..]} and {@code b} at {@code params[biasOffset ..]}, stored as float32.
     */
    static ONNXNode dense(
            ONNXContext ctx,
            ONNXRef<?> input,
            double[] params,
            int weightOffset,
            int biasOffset,
            int in,
            int out,
            String name) {
        ONNXInitializer weights = ctx.floatTensor(name + "_weights", List.of(out, in), buffer -> {
            for (int i = 0; i < out * in; i++) {
                buffer.put((float) params[weightOffset + i]);
            }
        });
        ONNXInitializer bias = ctx.floatTensor(name + "_bias", List.of(out), buffer -> {
            for (int o = 0; o < out; o++) {
                buffer.put((float) params[biasOffset + o]);
            }
        });
        return ctx.operation(
                ONNXOperators.GEMM, List.<ONNXRef<?>>of(input, weights, bias), name, Map.of("transB", 1));
    }

    /** The {@code metadata_props} of an exported model: the provenance, then the model type. */
    static Map<String, String> metadata(ModelProvenance provenance, ModelType type) {
        Map<String, String> m = new LinkedHashMap<>(provenance.toMetadata());
        m.put(MetadataKeys.MODEL_TYPE, type.metadataValue());
        return m;
    }

    /** The model proto around {@code ctx}'s graph: IR version, opset, producer and metadata. */
    static OnnxMl.ModelProto modelProto(ONNXContext ctx, ModelProvenance provenance, ModelType type, String doc) {
        OnnxMl.ModelProto.Builder proto = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(OnnxExport.IR_VERSION)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName(OnnxExport.PRODUCER_NAME)
                .setProducerVersion(provenance.codeVersion())
                .setDomain(OnnxExport.DOMAIN)
                .setDocString(doc)
                .setGraph(ctx.buildGraph());
        for (Map.Entry<String, String> e : metadata(provenance, type).entrySet()) {
            proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey(e.getKey())
                    .setValue(e.getValue())
                    .build());
        }
        return proto.build();
    }

    /**
     * Writes {@code bytes} to {@code target} through a temporary file in the same directory and an atomic rename
     * where the file system supports it, so readers never see half a model; returns their hex SHA-256.
     */
    static String write(byte[] bytes, Path target) throws IOException {
        checkNotNull(target, "target");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return Sha256.hex(bytes);
    }
}
