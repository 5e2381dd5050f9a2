package dev.vigil.models.onnx;

import static dev.vigil.models.util.Checks.checkNotNull;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Exports a {@link LogisticRegression} and its {@link Standardizer} as one ONNX model with the interface of
 * docs/CONTRACTS.md, built with Tribuo's ONNX graph builder (opset {@value #OPSET}):
 *
 * <pre>
 *   features       float32 [batch, F]    raw features, in provenance feature order
 *   standardized   = (features - mu) / sigma
 *   contributions  = standardized * w                          float32 [batch, F]   (output)
 *   logit          = ReduceSum(contributions, axis 1) + b
 *   probability    = Sigmoid(logit)                            float32 [batch, 1]   (output)
 * </pre>
 *
 * <p>The logit is the sum of the exported contributions plus the bias, so in the served model the reasons add up to
 * the score exactly (the efficiency property of Shapley values). Parameters are stored as float32, which is what ONNX
 * Runtime computes in; the outputs match the double-precision Java forward pass to about {@code 1e-6}.
 *
 * <p>The model carries {@code producer_name} {@value #PRODUCER_NAME} and the provenance as {@code metadata_props}
 * ({@link ModelProvenance#toMetadata()}) plus {@link MetadataKeys#MODEL_TYPE} {@code = logistic}. {@link OnnxExport}
 * exports this and every other {@link dev.vigil.models.core.DifferentiableModel}.
 */
public final class LogisticRegressionOnnxExporter {

    public static final String INPUT_FEATURES = OnnxExport.INPUT_FEATURES;
    public static final String OUTPUT_PROBABILITY = OnnxExport.OUTPUT_PROBABILITY;
    public static final String OUTPUT_CONTRIBUTIONS = OnnxExport.OUTPUT_CONTRIBUTIONS;
    public static final String PRODUCER_NAME = OnnxExport.PRODUCER_NAME;
    public static final String DOMAIN = OnnxExport.DOMAIN;
    /** The default-domain opset the graph uses, that of Tribuo's {@link ONNXOperators}. */
    public static final int OPSET = OnnxExport.OPSET;
    /** ONNX IR version 7 (ONNX 1.8), the first to support opset 13. */
    static final int IR_VERSION = OnnxExport.IR_VERSION;

    private LogisticRegressionOnnxExporter() {}

    /** The serialized ONNX model for {@code model} with {@code standardizer}'s mean and std baked in. */
    public static byte[] export(LogisticRegression model, Standardizer standardizer, ModelProvenance provenance) {
        return toModelProto(model, standardizer, provenance).toByteArray();
    }

    /** The serialized ONNX model for {@code model} with the given standardization baked in. */
    public static byte[] export(LogisticRegression model, double[] mean, double[] std, ModelProvenance provenance) {
        return toModelProto(model, mean, std, provenance).toByteArray();
    }

    /**
     * Writes the exported model to {@code target} (through a temporary file in the same directory and an atomic
     * rename where the file system supports it, so readers never see half a model).
     *
     * @return the hex SHA-256 of the written bytes, as the registry and the model-control topic carry it
     */
    public static String write(
            LogisticRegression model, Standardizer standardizer, ModelProvenance provenance, Path target)
            throws IOException {
        checkNotNull(target, "target");
        return OnnxGraphs.write(export(model, standardizer, provenance), target);
    }

    /** The ONNX model proto, for callers that want to inspect or extend it before serializing. */
    public static OnnxMl.ModelProto toModelProto(
            LogisticRegression model, Standardizer standardizer, ModelProvenance provenance) {
        double[] mean = OnnxGraphs.mean(standardizer);
        return toModelProto(model, mean, standardizer.std(), provenance);
    }

    /** The ONNX model proto, for callers that want to inspect or extend it before serializing. */
    public static OnnxMl.ModelProto toModelProto(
            LogisticRegression model, double[] mean, double[] std, ModelProvenance provenance) {
        checkNotNull(model, "model");
        checkNotNull(provenance, "provenance");
        int numFeatures = model.numFeatures();
        OnnxGraphs.checkStandardization(numFeatures, mean, std);
        OnnxGraphs.checkProvenance(provenance, numFeatures, 2);

        ONNXContext ctx = new ONNXContext();
        ctx.setName(provenance.modelName() + "-" + provenance.modelVersion());
        ONNXPlaceholder features = ctx.floatInput(INPUT_FEATURES, numFeatures);
        ONNXPlaceholder probability = ctx.floatOutput(OUTPUT_PROBABILITY, 1);
        ONNXPlaceholder contributions = ctx.floatOutput(OUTPUT_CONTRIBUTIONS, numFeatures);

        ONNXNode standardized = OnnxGraphs.standardize(ctx, features, mean, std);
        ONNXInitializer weights = ctx.array("weights", model.weights());
        ONNXInitializer bias = ctx.array("bias", new float[] {(float) model.bias()});
        ONNXInitializer sumAxes = ctx.array("feature_axis", new long[] {1L});
        ONNXNode contribution = standardized.apply(ONNXOperators.MUL, weights, "contribution");
        // Opset 13 ReduceSum takes the axes as a second input.
        ONNXNode weightedSum = ctx.operation(
                ONNXOperators.REDUCE_SUM,
                List.<ONNXRef<?>>of(contribution, sumAxes),
                "weighted_sum",
                Map.of("keepdims", 1));
        ONNXNode logit = weightedSum.apply(ONNXOperators.ADD, bias, "logit");
        logit.apply(ONNXOperators.SIGMOID, "sigmoid").assignTo(probability);
        contribution.assignTo(contributions);

        return OnnxGraphs.modelProto(
                ctx,
                provenance,
                ModelType.LOGISTIC,
                "Vigil logistic regression " + provenance.modelName() + " " + provenance.modelVersion()
                        + ": standardization (x - mu) / sigma, per-feature logit contributions, sigmoid probability.");
    }
}
