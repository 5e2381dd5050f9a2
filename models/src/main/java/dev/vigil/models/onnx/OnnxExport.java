package dev.vigil.models.onnx;

import static dev.vigil.models.util.Checks.checkNotNull;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.linear.SoftmaxRegression;
import dev.vigil.models.nn.Mlp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;

/**
 * ONNX export of any {@link DifferentiableModel} with its {@link Standardizer}, with the interface of
 * docs/CONTRACTS.md, so a learner can publish whatever model it trains. Graphs are built with Tribuo's ONNX builder
 * at opset {@value #OPSET} (plus {@code Relu} from {@link VigilOnnxOperators}); parameters are stored as float32, what
 * ONNX Runtime computes in, so outputs match the double-precision Java forward pass to about {@code 1e-6}.
 *
 * <pre>
 *   features      float32 [batch, F]   raw features in provenance feature order
 *   standardized  = (features - mu) / sigma                                (Sub, Div)
 *
 *   logistic      see {@link LogisticRegressionOnnxExporter}: probability [batch, 1], contributions [batch, F]
 *   softmax       probabilities = Softmax(Gemm(standardized, W, b))          [batch, K]
 *   mlp           h_1 = Relu(Gemm(standardized, W_1, b_1)) [, h_2 = Relu(Gemm(h_1, W_2, b_2))]
 *                 binary:     probability   = Sigmoid(Gemm(h, W_o, b_o))     [batch, 1]
 *                 multiclass: probabilities = Softmax(Gemm(h, W_o, b_o))     [batch, K]
 * </pre>
 *
 * <p>Binary models ({@code numClasses() == 2}) always output {@code probability} {@code [batch, 1]} = P(class 1),
 * multiclass ones {@code probabilities} {@code [batch, K]} in class-index order, named by {@link
 * MetadataKeys#CLASSES}. The {@code metadata_props} are {@link ModelProvenance#toMetadata()} plus {@link
 * MetadataKeys#MODEL_TYPE}; a multiclass model's provenance must carry its class labels.
 *
 * <pre>{@code
 * byte[] onnx = OnnxExport.export(model, standardizer, provenance);
 * String sha256 = OnnxExport.write(model, standardizer, provenance, dir.resolve("model.onnx"));
 * }</pre>
 */
public final class OnnxExport {

    public static final String INPUT_FEATURES = "features";
    /** P(class 1) of a binary model, {@code [batch, 1]}. */
    public static final String OUTPUT_PROBABILITY = "probability";
    /** Class probabilities of a multiclass model, {@code [batch, K]}. */
    public static final String OUTPUT_PROBABILITIES = "probabilities";
    /** Per-feature logit contributions of a logistic model, {@code [batch, F]}. */
    public static final String OUTPUT_CONTRIBUTIONS = "contributions";
    public static final String PRODUCER_NAME = "vigil";
    public static final String DOMAIN = "dev.vigil";
    /** The default-domain opset every graph uses, that of Tribuo's {@link ONNXOperators}. */
    public static final int OPSET = 13;
    /** ONNX IR version 7 (ONNX 1.8), the first to support opset 13. */
    static final int IR_VERSION = OnnxMl.Version.IR_VERSION_2020_5_8_VALUE;

    private OnnxExport() {}

    /** The serialized ONNX model for {@code model} with {@code standardizer}'s mean and std baked in. */
    public static byte[] export(DifferentiableModel model, Standardizer standardizer, ModelProvenance provenance) {
        return toModelProto(model, standardizer, provenance).toByteArray();
    }

    /** The serialized ONNX model for {@code model} with the given standardization baked in. */
    public static byte[] export(
            DifferentiableModel model, double[] mean, double[] std, ModelProvenance provenance) {
        return toModelProto(model, mean, std, provenance).toByteArray();
    }

    /**
     * Writes the exported model to {@code target} through a temporary file and an atomic rename where the file system
     * supports it, so readers never see half a model.
     *
     * @return the hex SHA-256 of the written bytes, as the registry and the model-control topic carry it
     */
    public static String write(
            DifferentiableModel model, Standardizer standardizer, ModelProvenance provenance, Path target)
            throws IOException {
        checkNotNull(target, "target");
        return OnnxGraphs.write(export(model, standardizer, provenance), target);
    }

    /** The ONNX model proto, for callers that want to inspect or extend it before serializing. */
    public static OnnxMl.ModelProto toModelProto(
            DifferentiableModel model, Standardizer standardizer, ModelProvenance provenance) {
        double[] mean = OnnxGraphs.mean(standardizer);
        return toModelProto(model, mean, standardizer.std(), provenance);
    }

    /**
     * The ONNX model proto, for callers that want to inspect or extend it before serializing.
     *
     * @throws IllegalArgumentException for an unknown model class, mismatched shapes, a non-positive std, or a
     *     provenance whose feature names or class labels do not fit the model
     */
    public static OnnxMl.ModelProto toModelProto(
            DifferentiableModel model, double[] mean, double[] std, ModelProvenance provenance) {
        return switch (ModelType.of(model)) {
            case LOGISTIC -> LogisticRegressionOnnxExporter.toModelProto(
                    (LogisticRegression) model, mean, std, provenance);
            case SOFTMAX -> softmax((SoftmaxRegression) model, mean, std, provenance);
            case MLP -> mlp((Mlp) model, mean, std, provenance);
            case AUTOENCODER -> throw new IllegalArgumentException("autoencoders export with AutoencoderOnnxExporter");
        };
    }

    /**
     * The {@code metadata_props} an export of {@code model} carries: the provenance's plus {@link
     * MetadataKeys#MODEL_TYPE}.
     */
    public static Map<String, String> metadata(DifferentiableModel model, ModelProvenance provenance) {
        checkNotNull(provenance, "provenance");
        return OnnxGraphs.metadata(provenance, ModelType.of(model));
    }

    private static OnnxMl.ModelProto softmax(
            SoftmaxRegression model, double[] mean, double[] std, ModelProvenance provenance) {
        checkNotNull(provenance, "provenance");
        int numFeatures = model.numFeatures();
        int numClasses = model.numClasses();
        OnnxGraphs.checkStandardization(numFeatures, mean, std);
        OnnxGraphs.checkProvenance(provenance, numFeatures, numClasses);

        ONNXContext ctx = new ONNXContext();
        ctx.setName(provenance.modelName() + "-" + provenance.modelVersion());
        ONNXPlaceholder features = ctx.floatInput(INPUT_FEATURES, numFeatures);
        ONNXPlaceholder probabilities = ctx.floatOutput(OUTPUT_PROBABILITIES, numClasses);
        ONNXNode standardized = OnnxGraphs.standardize(ctx, features, mean, std);
        ONNXNode logits = OnnxGraphs.dense(
                ctx,
                standardized,
                model.parameters(),
                model.weightIndex(0, 0),
                model.biasIndex(0),
                numFeatures,
                numClasses,
                "logits");
        logits.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1)).assignTo(probabilities);
        return OnnxGraphs.modelProto(
                ctx,
                provenance,
                ModelType.SOFTMAX,
                "Vigil softmax regression " + provenance.modelName() + " " + provenance.modelVersion()
                        + ": standardization (x - mu) / sigma, logits W z + b, softmax probabilities over "
                        + numClasses + " classes.");
    }

    private static OnnxMl.ModelProto mlp(Mlp model, double[] mean, double[] std, ModelProvenance provenance) {
        checkNotNull(provenance, "provenance");
        int numFeatures = model.numFeatures();
        int numClasses = model.numClasses();
        OnnxGraphs.checkStandardization(numFeatures, mean, std);
        OnnxGraphs.checkProvenance(provenance, numFeatures, numClasses);

        ONNXContext ctx = new ONNXContext();
        ctx.setName(provenance.modelName() + "-" + provenance.modelVersion());
        ONNXPlaceholder features = ctx.floatInput(INPUT_FEATURES, numFeatures);
        ONNXPlaceholder output = numClasses == 2
                ? ctx.floatOutput(OUTPUT_PROBABILITY, 1)
                : ctx.floatOutput(OUTPUT_PROBABILITIES, numClasses);
        ONNXNode h = OnnxGraphs.standardize(ctx, features, mean, std);
        double[] params = model.parameters();
        int last = model.numLayers() - 1;
        for (int l = 0; l <= last; l++) {
            String name = l < last ? "hidden" + (l + 1) : "logits";
            h = OnnxGraphs.dense(
                    ctx,
                    h,
                    params,
                    model.weightOffset(l),
                    model.biasOffset(l),
                    model.layerInputSize(l),
                    model.layerOutputSize(l),
                    name);
            if (l < last) {
                h = h.apply(VigilOnnxOperators.RELU, name + "_relu");
            }
        }
        if (numClasses == 2) {
            h.apply(ONNXOperators.SIGMOID, "sigmoid").assignTo(output);
        } else {
            h.apply(ONNXOperators.SOFTMAX, Map.of("axis", 1)).assignTo(output);
        }
        StringBuilder layers = new StringBuilder().append(numFeatures);
        for (int l = 0; l <= last; l++) {
            layers.append(" -> ").append(model.layerOutputSize(l));
        }
        return OnnxGraphs.modelProto(
                ctx,
                provenance,
                ModelType.MLP,
                "Vigil MLP " + provenance.modelName() + " " + provenance.modelVersion()
                        + ": standardization (x - mu) / sigma, dense layers " + layers + " with ReLU, "
                        + (numClasses == 2 ? "sigmoid probability." : "softmax probabilities."));
    }
}
