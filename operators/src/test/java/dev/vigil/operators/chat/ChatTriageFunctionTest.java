package dev.vigil.operators.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.nn.Mlp;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.label.LabelJoin;
import dev.vigil.schema.chat.TriageDecision;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The head step with the bundled head, and its hot swap from control-topic updates (operator test harness). */
class ChatTriageFunctionTest {

    static final String HEAD_URI = "classpath:/dev/vigil/models/chat/chat-triage-head.onnx";

    static ModelRef bundledHead() throws Exception {
        String sha = new String(ModelBytes.read(HEAD_URI + ".sha256", ChatTriageFunctionTest.class.getClassLoader()),
                StandardCharsets.UTF_8).trim();
        return new ModelRef("chat-triage-head", "1", HEAD_URI, sha);
    }

    @Test
    void decidesEveryMessageAndSwapsOnlyToANewerIntactVersionOfItsHead(@TempDir Path dir) throws Exception {
        ChatTriageFunction function = new ChatTriageFunction(bundledHead(), new Configuration());
        try (BroadcastOperatorTestHarness<EmbeddedMessage, ModelUpdate, TriageDecision> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(function, ChatTriageFunction.HEAD_STATE)) {
            SplittableRandom rng = new SplittableRandom(3);
            harness.processElement(message("m1", false, rng), 1L);
            harness.processElement(message("m2", true, rng), 2L);

            Path v2 = dir.resolve("v2.onnx");
            byte[] onnx = head(11);
            Files.write(v2, onnx);
            harness.processBroadcastElement(update("other-model", "9", v2, Sha256.hex(onnx)), 3L); // not ours
            harness.processBroadcastElement(update("chat-triage-head", "2", v2, "0".repeat(64)), 4L); // corrupt
            harness.processElement(message("m3", false, rng), 5L);
            harness.processBroadcastElement(update("chat-triage-head", "3", v2, Sha256.hex(onnx)), 6L);
            harness.processElement(message("m4", false, rng), 7L);
            harness.processBroadcastElement(update("chat-triage-head", "2", v2, Sha256.hex(onnx)), 8L); // older
            harness.processElement(message("m5", false, rng), 9L);

            List<TriageDecision> out = harness.extractOutputValues();
            assertThat(out).extracting(TriageDecision::getMessageId).containsExactly("m1", "m2", "m3", "m4", "m5");
            assertThat(out).extracting(TriageDecision::getHeadVersion).containsExactly("1", "1", "1", "3", "3");
            TriageDecision foreign = out.get(1);
            assertThat(foreign.getLanguageFlagged()).isTrue();
            assertThat(foreign.getTriageClass()).isEqualTo(TriageClass.OUT_OF_SCOPE.label());
            for (TriageDecision d : out) {
                assertThat(d.getProbabilities()).containsOnlyKeys(TriageClass.LABELS);
                double sum = 0;
                String best = null;
                for (Map.Entry<String, Double> e : d.getProbabilities().entrySet()) {
                    sum += e.getValue();
                    best = best == null || e.getValue() > d.getProbabilities().get(best) ? e.getKey() : best;
                }
                assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
                if (!d.getLanguageFlagged()) {
                    assertThat(d.getTriageClass()).isEqualTo(best);
                }
            }

            List<Prediction> predictions = new ArrayList<>();
            for (StreamRecord<Prediction> r : harness.getSideOutput(ChatTriageFunction.PREDICTIONS)) {
                predictions.add(r.getValue());
            }
            assertThat(predictions).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(LabelJoin.predictionId(predictions.get(i))).isEqualTo(out.get(i).getPredictionId());
                assertThat(predictions.get(i).getFeatures()).hasSize(384);
            }
        }
    }

    /** A multiclass MLP head on 384 inputs with random weights, as the online learner would publish one. */
    static byte[] head(long seed) {
        Mlp mlp = Mlp.builder().numFeatures(384).hiddenLayers(8).numClasses(4).seed(seed).build();
        double[] mean = new double[384];
        double[] std = new double[384];
        java.util.Arrays.fill(std, 1.0);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 384; i++) {
            names.add(String.format("e%03d", i));
        }
        ModelProvenance provenance = ModelProvenance.builder()
                .modelName("chat-triage-head")
                .modelVersion("3")
                .featureNames(names)
                .classLabels(TriageClass.LABELS)
                .trainingWindow(Instant.EPOCH, Instant.EPOCH)
                .codeVersion("test")
                .build();
        return OnnxExport.export(mlp, mean, std, provenance);
    }

    private static ModelUpdate update(String name, String version, Path file, String sha) {
        return ModelUpdate.newBuilder().setName(name).setVersion(version).setUri(file.toUri().toString())
                .setSha256(sha).setCreatedAt(Instant.EPOCH).build();
    }

    private static EmbeddedMessage message(String id, boolean foreign, SplittableRandom rng) {
        float[] e = new float[384];
        double n = 0;
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) (rng.nextDouble() - 0.5);
            n += e[i] * e[i];
        }
        for (int i = 0; i < e.length; i++) {
            e[i] /= (float) Math.sqrt(n);
        }
        return new EmbeddedMessage(id, "c-" + id, 1_000L, 1_001L, foreign, e, "enc@test");
    }
}
