package dev.vigil.models.onnx;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import ai.onnx.proto.OnnxMl;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.nn.Autoencoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXNode;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * ONNX export of an {@link Autoencoder} as an anomaly model (docs/CONTRACTS.md), opset {@value OnnxExport#OPSET}, with
 * its {@link Standardizer} inside the graph:
 *
 * <pre>
 *   features        float32 [batch, F]   raw features in provenance feature order
 *   z               = (features - mu) / sigma                                   (Sub, Div)
 *   h               = act(Gemm(z, W_1, b_1)) ... act(Gemm(., W_{L-1}, b_{L-1}))  (Tanh or Relu)
 *   r               = Gemm(h, W_L, b_L)                                          reconstruction of z
 *   e               = (r - z) * (r - z)                                          (Sub, Mul)
 *   contributions   = e / F                                  float32 [batch, F]  (Div)
 *   anomaly_score   = ReduceMean(e, axes=[1], keepdims=1)    float32 [batch, 1]
 * </pre>
 *
 * <p>So {@code anomaly_score} is the mean squared reconstruction error of the standardized row ({@link
 * Autoencoder#anomalyScore}) and a row's {@code contributions} sum to it (up to float rounding): they are the
 * anomaly's reasons. The {@code metadata_props} are {@link ModelProvenance#toMetadata()}, {@link
 * MetadataKeys#MODEL_TYPE} {@code = autoencoder} and the quantiles {@code p50, p90, p99, p999} of reference scores
 * (normally the training rows', {@link MetadataKeys#ANOMALY_QUANTILE_PREFIX}), from which a decision stage defaults
 * its anomaly threshold. No wall-clock time goes into the model: the same inputs give the same bytes.
 *
 * <pre>{@code
 * byte[] onnx = AutoencoderOnnxExporter.export(result.model(), result.standardizer(), provenance,
 *         result.anomalyScores(trainRows));
 * }</pre>
 */
public final class AutoencoderOnnxExporter {

    /** Mean squared reconstruction error of the standardized row, {@code [batch, 1]}. */
    public static final String OUTPUT_ANOMALY_SCORE = "anomaly_score";

    /** Each feature's squared error divided by F, {@code [batch, F]}; a row's values sum to its anomaly score. */
    public static final String OUTPUT_CONTRIBUTIONS = OnnxExport.OUTPUT_CONTRIBUTIONS;

    /** The quantiles written to the metadata, with their {@link MetadataKeys} keys. */
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

    private static final String[] QUANTILE_KEYS = {
        MetadataKeys.ANOMALY_QUANTILE_P50,
        MetadataKeys.ANOMALY_QUANTILE_P90,
        MetadataKeys.ANOMALY_QUANTILE_P99,
        MetadataKeys.ANOMALY_QUANTILE_P999
    };

    private AutoencoderOnnxExporter() {}

    /**
     * The serialized ONNX model.
     *
     * @param referenceScores anomaly scores of reference rows (the training rows') whose quantiles go into the metadata
     */
    public static byte[] export(
            Autoencoder model, Standardizer standardizer, ModelProvenance provenance, double[] referenceScores) {
        return toModelProto(model, standardizer, provenance, referenceScores).toByteArray();
    }

    /** Writes the model to {@code target} atomically (where supported); returns the hex SHA-256 of the bytes. */
    public static String write(
            Autoencoder model,
            Standardizer standardizer,
            ModelProvenance provenance,
            double[] referenceScores,
            Path target)
            throws IOException {
        return OnnxGraphs.write(export(model, standardizer, provenance, referenceScores), target);
    }

    /**
     * The score quantiles an export carries, by metadata key ({@link MetadataKeys#ANOMALY_QUANTILE_P50} ... {@link
     * MetadataKeys#ANOMALY_QUANTILE_P999}), linearly interpolated between order statistics (Hyndman and Fan's type
     * 7).
     */
    public static Map<String, Double> quantiles(double[] scores) {
        checkNotNull(scores, "scores");
        checkArgument(scores.length > 0, "no reference scores");
        double[] sorted = scores.clone();
        for (double s : sorted) {
            checkArgument(Double.isFinite(s), "reference scores must be finite, got %s", s);
        }
        Arrays.sort(sorted);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < QUANTILES.length; k++) {
            double h = (sorted.length - 1) * QUANTILES[k];
            int lo = (int) Math.floor(h);
            int hi = Math.min(lo + 1, sorted.length - 1);
            out.put(QUANTILE_KEYS[k], sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]));
        }
        return out;
    }

    /** The {@code metadata_props} of an export: provenance, model type, score quantiles. */
    public static Map<String, String> metadata(ModelProvenance provenance, double[] referenceScores) {
        checkNotNull(provenance, "provenance");
        Map<String, String> m = OnnxGraphs.metadata(provenance, ModelType.AUTOENCODER);
        quantiles(referenceScores).forEach((k, v) -> m.put(k, Double.toString(v)));
        return m;
    }

    /** The ONNX model proto. */
    public static OnnxMl.ModelProto toModelProto(
            Autoencoder model, Standardizer standardizer, ModelProvenance provenance, double[] referenceScores) {
        checkNotNull(model, "model");
        checkNotNull(provenance, "provenance");
        double[] mean = OnnxGraphs.mean(standardizer);
        double[] std = standardizer.std();
        int f = model.numFeatures();
        OnnxGraphs.checkStandardization(f, mean, std);
        OnnxGraphs.checkProvenance(provenance, f, 2);
        Map<String, String> metadata = metadata(provenance, referenceScores);

        ONNXContext ctx = new ONNXContext();
        ctx.setName(provenance.modelName() + "-" + provenance.modelVersion());
        ONNXPlaceholder features = ctx.floatInput(OnnxExport.INPUT_FEATURES, f);
        ONNXPlaceholder score = ctx.floatOutput(OUTPUT_ANOMALY_SCORE, 1);
        ONNXPlaceholder contributions = ctx.floatOutput(OUTPUT_CONTRIBUTIONS, f);

        ONNXNode z = OnnxGraphs.standardize(ctx, features, mean, std);
        ONNXNode h = z;
        double[] params = model.parameters();
        int last = model.numLayers() - 1;
        ONNXOperator act = model.activation() == Autoencoder.Activation.TANH ? Ops.TANH : VigilOnnxOperators.RELU;
        String actName = model.activation() == Autoencoder.Activation.TANH ? "_tanh" : "_relu";
        for (int l = 0; l <= last; l++) {
            String name = l < last ? "hidden" + (l + 1) : "reconstruction";
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
                h = h.apply(act, name + actName);
            }
        }
        ONNXNode error = h.apply(ONNXOperators.SUB, z, "error");
        ONNXNode squared = error.apply(ONNXOperators.MUL, error, "squared_error");
        squared.apply(ONNXOperators.DIV, ctx.array("feature_count", new float[] {f}), "per_feature")
                .assignTo(contributions);
        // Attributes in a fixed order (Map.of iterates in a per-JVM order): same model, same bytes.
        Map<String, Object> reduce = new LinkedHashMap<>();
        reduce.put("axes", new int[] {1});
        reduce.put("keepdims", 1);
        ctx.operation(ONNXOperators.REDUCE_MEAN, List.<ONNXRef<?>>of(squared), "mean_squared_error", reduce)
                .assignTo(score);

        StringBuilder layers = new StringBuilder().append(f);
        for (int l = 0; l <= last; l++) {
            layers.append(" -> ").append(model.layerOutputSize(l));
        }
        String doc = "Vigil autoencoder " + provenance.modelName() + " " + provenance.modelVersion()
                + ": standardization (x - mu) / sigma, dense layers " + layers + " with "
                + model.activation().name().toLowerCase(java.util.Locale.ROOT)
                + " hidden units and a linear output; anomaly_score = mean squared reconstruction error of the"
                + " standardized row, contributions = squared error per feature / F.";
        OnnxMl.ModelProto.Builder proto = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(OnnxExport.IR_VERSION)
                .addOpsetImport(ONNXOperators.getOpsetProto())
                .setProducerName(OnnxExport.PRODUCER_NAME)
                .setProducerVersion(provenance.codeVersion())
                .setDomain(OnnxExport.DOMAIN)
                .setDocString(doc)
                .setGraph(ctx.buildGraph());
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            proto.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder()
                    .setKey(e.getKey())
                    .setValue(e.getValue())
                    .build());
        }
        return proto.build();
    }

    /** Default-domain operators at opset {@value OnnxExport#OPSET} that Tribuo's {@link ONNXOperators} lacks. */
    private enum Ops implements ONNXOperator {
        /** {@code Tanh-13}, elementwise. */
        TANH("Tanh");

        private final String opName;

        Ops(String opName) {
            this.opName = opName;
        }

        @Override
        public String getOpName() {
            return opName;
        }

        @Override
        public int getNumInputs() {
            return 1;
        }

        @Override
        public int getNumOptionalInputs() {
            return 0;
        }

        @Override
        public int getNumOutputs() {
            return 1;
        }

        @Override
        public Map<String, ONNXAttribute> getAttributes() {
            return Map.of();
        }

        @Override
        public Set<String> getMandatoryAttributeNames() {
            return Set.of();
        }

        @Override
        public int getOpVersion() {
            return ONNXOperators.getOpsetVersion();
        }

        /** The default ({@code ai.onnx}) domain, written as no domain at all. */
        @Override
        public String getOpDomain() {
            return null;
        }
    }
}
