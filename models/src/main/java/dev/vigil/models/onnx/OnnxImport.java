package dev.vigil.models.onnx;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a logistic regression exported by {@link LogisticRegressionOnnxExporter} (or {@link OnnxExport}) back into
 * its parts: the {@link LogisticRegression}, the standardization baked into the graph and the {@link
 * ModelProvenance} of its {@code metadata_props}. This is how a learner warm-starts from a model it did not train
 * itself, e.g. the bundled ICU model.
 *
 * <pre>{@code
 * OnnxImport.ImportedLogistic bootstrap = OnnxImport.logistic(Files.readAllBytes(file));
 * LogisticRegression model = bootstrap.model();            // weights and bias, as stored (float32)
 * Standardizer.State statistics = bootstrap.standardizerState(10_000);
 * String parent = bootstrap.provenance().modelVersion();
 * }</pre>
 *
 * <p>The graph is recognized by its structure, not by the names of its initializers (Tribuo suffixes them, e.g.
 * {@code mean_0}): from the input {@code features}, {@code Sub(mean)}, {@code Div(std)}, {@code Mul(weights)}, {@code
 * ReduceSum} over axis 1, {@code Add(bias)}, {@code Sigmoid}. Parameters are float32 in the file, so the imported
 * doubles are those floats exactly, and exporting the import again writes the same tensors: export, import, export
 * gives the same predictions bit for bit (and the same bytes when the metadata is the same). Plain protobuf: no ONNX
 * Runtime and no native code.
 */
public final class OnnxImport {

    private OnnxImport() {}

    /**
     * A logistic model read from ONNX.
     *
     * @param model the weights and bias
     * @param mean the per-feature means subtracted in the graph
     * @param std the per-feature standard deviations divided by in the graph (finite, {@code > 0})
     * @param provenance the model's provenance, from its metadata
     */
    public record ImportedLogistic(
            LogisticRegression model, double[] mean, double[] std, ModelProvenance provenance) {

        public ImportedLogistic {
            checkNotNull(model, "model");
            checkNotNull(provenance, "provenance");
            model = model.copy();
            OnnxGraphs.checkStandardization(model.numFeatures(), mean, std);
            OnnxGraphs.checkProvenance(provenance, model.numFeatures(), 2);
            mean = mean.clone();
            std = std.clone();
        }

        /** The model (a copy: training it leaves this import as it was). */
        @Override
        public LogisticRegression model() {
            return model.copy();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }

        /** The number of features. */
        public int numFeatures() {
            return model.numFeatures();
        }

        /**
         * {@link Standardizer} statistics with this model's mean and std, as if fitted on {@code count} rows: a {@link
         * Standardizer} restored from them {@link Standardizer#transform transforms} as the graph does, and {@code
         * count} is how much weight the statistics carry when a learner keeps updating them (a larger count moves
         * them more slowly). The means are kept exactly; the sums of squares are chosen so that {@link
         * Standardizer#std()} gives back each std exactly where {@code sqrt(M2 / count)} can reach it, else within one
         * ulp of double: always the same float32, so an export of the standardizer writes the very std tensor this
         * model was imported from.
         *
         * @param count the rows the statistics stand for, {@code >= 1}
         */
        public Standardizer.State standardizerState(long count) {
            checkArgument(count >= 1, "count must be >= 1, got %s", count);
            double[] m2 = new double[std.length];
            for (int i = 0; i < std.length; i++) {
                m2[i] = sumOfSquares(std[i], count);
            }
            Standardizer.State state = new Standardizer.State(count, mean, m2);
            double[] reproduced = Standardizer.fromState(state).std();
            for (int i = 0; i < std.length; i++) {
                checkArgument(
                        (float) reproduced[i] == (float) std[i]
                                && Math.abs(reproduced[i] - std[i]) <= Math.ulp(std[i]),
                        "std[%s] = %s cannot be reproduced by a standardizer of %s rows (got %s)",
                        i,
                        std[i],
                        count,
                        reproduced[i]);
            }
            return state;
        }

        /**
         * {@code M2} with {@code sqrt(M2 / count)} as close to {@code std} as rounding allows: the plain product,
         * then nudged by ulps toward {@code std} while that brings it closer.
         */
        private static double sumOfSquares(double std, long count) {
            double m2 = std * std * count;
            double error = Math.abs(Math.sqrt(m2 / count) - std);
            for (int attempt = 0; attempt < 64 && error > 0; attempt++) {
                double s = Math.sqrt(m2 / count);
                double candidate = s < std ? Math.nextUp(m2) : Math.nextDown(m2);
                double candidateError = Math.abs(Math.sqrt(candidate / count) - std);
                if (candidateError > error) {
                    // Nudging further overshoots; keep going only while it does not get worse.
                    break;
                }
                m2 = candidate;
                error = candidateError;
            }
            return m2;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ImportedLogistic i
                    && Arrays.equals(model.parameters(), i.model.parameters())
                    && Arrays.equals(mean, i.mean)
                    && Arrays.equals(std, i.std)
                    && provenance.equals(i.provenance);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(model.parameters()) + Arrays.hashCode(mean)) + provenance.hashCode();
        }

        @Override
        public String toString() {
            return "ImportedLogistic[" + provenance.modelName() + ":" + provenance.modelVersion() + ", features="
                    + model.numFeatures() + "]";
        }
    }

    /**
     * Reads a logistic model from serialized ONNX bytes.
     *
     * @throws IllegalArgumentException if the bytes are not an ONNX model, or not a logistic regression in the shape
     *     {@link LogisticRegressionOnnxExporter} writes, or its metadata is not a valid {@link ModelProvenance}
     */
    public static ImportedLogistic logistic(byte[] onnx) {
        checkNotNull(onnx, "onnx");
        checkArgument(onnx.length > 0, "not an ONNX model: no bytes");
        try {
            return logistic(OnnxMl.ModelProto.parseFrom(onnx));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
        }
    }

    /** Reads a logistic model from a parsed ONNX model; see {@link #logistic(byte[])}. */
    public static ImportedLogistic logistic(OnnxMl.ModelProto proto) {
        checkNotNull(proto, "proto");
        checkArgument(proto.hasGraph(), "not an ONNX model: no graph");
        Map<String, String> metadata = metadata(proto);
        ModelType type = ModelType.fromMetadata(metadata).orElse(ModelType.LOGISTIC);
        checkArgument(
                type == ModelType.LOGISTIC,
                "only logistic models can be imported, this one is %s=%s",
                MetadataKeys.MODEL_TYPE,
                type.metadataValue());
        ModelProvenance provenance = ModelProvenance.fromMetadata(metadata);

        OnnxMl.GraphProto graph = proto.getGraph();
        Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        Map<String, OnnxMl.NodeProto> consumers = new HashMap<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getInputCount() > 0) {
                // The first data input identifies the chain; the exporter never fans a tensor out into two ops of it.
                consumers.putIfAbsent(node.getOpType() + "(" + node.getInput(0) + ")", node);
            }
        }
        int numFeatures = inputWidth(graph);

        OnnxMl.NodeProto sub = next(consumers, "Sub", OnnxExport.INPUT_FEATURES);
        double[] mean = floats(initializers, sub, 1, numFeatures, "mean");
        OnnxMl.NodeProto div = next(consumers, "Div", sub.getOutput(0));
        double[] std = floats(initializers, div, 1, numFeatures, "std");
        OnnxMl.NodeProto mul = next(consumers, "Mul", div.getOutput(0));
        double[] weights = floats(initializers, mul, 1, numFeatures, "weights");
        OnnxMl.NodeProto sum = next(consumers, "ReduceSum", mul.getOutput(0));
        checkArgument(sum.getInputCount() == 2, "not a Vigil logistic model: ReduceSum without axes");
        OnnxMl.TensorProto axes = initializers.get(sum.getInput(1));
        checkArgument(
                axes != null && axes.getDataType() == OnnxMl.TensorProto.DataType.INT64_VALUE && longs(axes).length == 1
                        && longs(axes)[0] == 1L,
                "not a Vigil logistic model: ReduceSum must sum over axis 1");
        OnnxMl.NodeProto add = next(consumers, "Add", sum.getOutput(0));
        double[] bias = floats(initializers, add, 1, 1, "bias");
        next(consumers, "Sigmoid", add.getOutput(0));

        return new ImportedLogistic(LogisticRegression.of(weights, bias[0]), mean, std, provenance);
    }

    /** The model's {@code metadata_props}, in file order (a later duplicate key wins). */
    public static Map<String, String> metadata(OnnxMl.ModelProto proto) {
        Map<String, String> m = new LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : proto.getMetadataPropsList()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    private static int inputWidth(OnnxMl.GraphProto graph) {
        for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
            if (input.getName().equals(OnnxExport.INPUT_FEATURES)) {
                OnnxMl.TensorShapeProto shape = input.getType().getTensorType().getShape();
                checkArgument(
                        input.getType().getTensorType().getElemType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE
                                && shape.getDimCount() == 2
                                && shape.getDim(1).hasDimValue()
                                && shape.getDim(1).getDimValue() > 0,
                        "not a Vigil model: input %s must be float32 [batch, F]",
                        OnnxExport.INPUT_FEATURES);
                return Math.toIntExact(shape.getDim(1).getDimValue());
            }
        }
        throw new IllegalArgumentException("not a Vigil model: no input named " + OnnxExport.INPUT_FEATURES);
    }

    private static OnnxMl.NodeProto next(Map<String, OnnxMl.NodeProto> consumers, String opType, String input) {
        OnnxMl.NodeProto node = consumers.get(opType + "(" + input + ")");
        checkArgument(node != null && node.getOutputCount() >= 1,
                "not a Vigil logistic model: expected %s applied to %s", opType, input);
        return node;
    }

    /** The float32 initializer at input {@code index} of {@code node}, checked to hold {@code length} values. */
    private static double[] floats(
            Map<String, OnnxMl.TensorProto> initializers, OnnxMl.NodeProto node, int index, int length, String what) {
        checkArgument(node.getInputCount() > index, "not a Vigil logistic model: %s has no %s", node.getOpType(), what);
        OnnxMl.TensorProto tensor = initializers.get(node.getInput(index));
        checkArgument(tensor != null, "not a Vigil logistic model: the %s of %s is not an initializer", what,
                node.getOpType());
        checkArgument(
                tensor.getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE,
                "the %s initializer %s must be float32, got data type %s",
                what,
                tensor.getName(),
                tensor.getDataType());
        float[] values;
        if (tensor.getRawData().isEmpty()) {
            values = new float[tensor.getFloatDataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatData(i);
            }
        } else {
            FloatBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            values = new float[buffer.remaining()];
            buffer.get(values);
        }
        long elements = 1;
        for (long d : tensor.getDimsList()) {
            elements *= d;
        }
        checkArgument(
                values.length == length && elements == length,
                "the %s initializer %s must hold %s values, got %s",
                what,
                tensor.getName(),
                length,
                values.length);
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static long[] longs(OnnxMl.TensorProto tensor) {
        if (tensor.getRawData().isEmpty()) {
            long[] values = new long[tensor.getInt64DataCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getInt64Data(i);
            }
            return values;
        }
        ByteBuffer buffer = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] values = new long[buffer.remaining() / Long.BYTES];
        buffer.asLongBuffer().get(values);
        return values;
    }
}
