package dev.vigil.models.onnx;

import java.util.Map;
import java.util.Set;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;
import org.tribuo.util.onnx.ONNXOperators;

/**
 * Default-domain ONNX operators that Tribuo's {@link ONNXOperators} lacks, at the same opset ({@value
 * OnnxExport#OPSET}) so one opset import covers the whole graph.
 */
enum VigilOnnxOperators implements ONNXOperator {
    /** {@code Relu-13}: {@code Y = max(X, 0)}, elementwise. */
    RELU("Relu", 1, 1);

    private final String opName;
    private final int numInputs;
    private final int numOutputs;

    VigilOnnxOperators(String opName, int numInputs, int numOutputs) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOutputs = numOutputs;
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
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

    /** The default ({@code ai.onnx}) domain, which Tribuo writes as no domain at all. */
    @Override
    public String getOpDomain() {
        return null;
    }
}
