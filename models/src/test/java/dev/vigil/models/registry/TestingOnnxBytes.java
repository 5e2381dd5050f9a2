package dev.vigil.models.registry;

import ai.onnx.proto.OnnxMl;
import java.util.Map;

/** Small valid ONNX models (an Identity graph) with chosen {@code metadata_props}, for registry tests. */
final class TestingOnnxBytes {

    private TestingOnnxBytes() {}

    static byte[] identity(Map<String, String> metadata) {
        OnnxMl.GraphProto graph =
                OnnxMl.GraphProto.newBuilder()
                        .setName("identity")
                        .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y"))
                        .addInput(OnnxMl.ValueInfoProto.newBuilder().setName("x"))
                        .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("y"))
                        .build();
        OnnxMl.ModelProto.Builder model =
                OnnxMl.ModelProto.newBuilder()
                        .setIrVersion(7)
                        .setProducerName("vigil-tests")
                        .setGraph(graph)
                        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13));
        metadata.forEach(
                (k, v) -> model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return model.build().toByteArray();
    }

    static byte[] identity() {
        return identity(Map.of("vigil.training.rows", "10"));
    }

    static Map<String, String> metadataOf(byte[] onnx) throws Exception {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (OnnxMl.StringStringEntryProto e : OnnxMl.ModelProto.parseFrom(onnx).getMetadataPropsList()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }
}
