package dev.vigil.operators.chat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.vigil.models.onnx.MetadataKeys;
import dev.vigil.operators.inference.ExecutionProvider;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelMetadata;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OrtEnvironments;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;

/**
 * One version of the chat triage head: a multiclass classifier on sentence embeddings ({@code float [N, d]} input,
 * {@code probabilities float [N, K]} output, class labels in the {@code vigil.classes} metadata in {@link TriageClass}
 * order), as {@link dev.vigil.models.onnx.OnnxExport} writes an MLP or softmax model. The servable behind the chat
 * pipeline's head step, usable without Flink.
 *
 * <pre>{@code
 * try (TriageHead head = TriageHead.load(ref, config, classLoader)) {   // sha-256 checked first
 *     float[] p = head.probabilities(embeddings, n);                    // row-major [n, K]
 * }
 * }</pre>
 *
 * <p>Owns its session and closes it; the shared environment is never closed. Not thread-safe.
 */
public final class TriageHead implements AutoCloseable {

    public static final String PROBABILITIES_OUTPUT = "probabilities";

    private final ModelRef ref;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final String inputName;
    private final int dimension;
    private final int numClasses;

    private FloatBuffer input;
    private boolean closed;

    /** Reads {@code ref.uri()}, checks its sha-256 and opens a session with the InferenceOptions provider. */
    public static TriageHead load(ModelRef ref, ReadableConfig options, ClassLoader classLoader)
            throws IOException, OrtException {
        byte[] bytes = ModelBytes.read(ref.uri(), classLoader);
        ModelBytes.verify(ref, bytes);
        return new TriageHead(ref, bytes, options);
    }

    private TriageHead(ModelRef ref, byte[] bytes, ReadableConfig options) throws OrtException {
        this.ref = ref;
        this.env = OrtEnvironments.get();
        OrtSessions.Opened opened = OrtSessions.open(bytes, ref.label(), options);
        this.session = opened.session();
        this.provider = opened.provider();
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Preconditions.checkArgument(inputs.size() == 1, "head %s must have one input, has %s", ref.label(),
                    inputs.keySet());
            NodeInfo in = inputs.values().iterator().next();
            this.inputName = in.getName();
            long[] inShape = ((TensorInfo) in.getInfo()).getShape();
            NodeInfo out = session.getOutputInfo().get(PROBABILITIES_OUTPUT);
            Preconditions.checkArgument(out != null, "head %s has no '%s' output (outputs %s)", ref.label(),
                    PROBABILITIES_OUTPUT, session.getOutputInfo().keySet());
            long[] outShape = ((TensorInfo) out.getInfo()).getShape();
            Preconditions.checkArgument(inShape.length == 2 && inShape[1] > 0 && outShape.length == 2
                            && outShape[1] > 0, "head %s must map [N, d] to [N, K], has %s -> %s", ref.label(),
                    Arrays.toString(inShape), Arrays.toString(outShape));
            this.dimension = Math.toIntExact(inShape[1]);
            this.numClasses = Math.toIntExact(outShape[1]);
            List<String> classes = new ModelMetadata(session.getMetadata().getCustomMetadata())
                    .get(MetadataKeys.CLASSES).map(c -> List.of(c.split(",", -1))).orElse(List.of());
            Preconditions.checkArgument(classes.isEmpty() || classes.equals(TriageClass.LABELS),
                    "head %s has classes %s, expected %s", ref.label(), classes, TriageClass.LABELS);
            Preconditions.checkArgument(numClasses == TriageClass.LABELS.size(),
                    "head %s has %s outputs, expected %s", ref.label(), numClasses, TriageClass.LABELS.size());
        } catch (OrtException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Class probabilities of the first {@code n} rows of {@code embeddings} in one call: row-major {@code [n, K]}, a
     * new array.
     */
    public float[] probabilities(float[][] embeddings, int n) throws OrtException {
        Preconditions.checkState(!closed, "head %s is closed", ref.label());
        if (n == 0) {
            return new float[0];
        }
        int needed = n * dimension;
        if (input == null || input.capacity() < needed) {
            input = ByteBuffer.allocateDirect(needed * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        input.clear();
        for (int i = 0; i < n; i++) {
            Preconditions.checkArgument(embeddings[i].length == dimension, "row %s has %s values, head %s expects %s",
                    i, embeddings[i].length, ref.label(), dimension);
            input.put(embeddings[i]);
        }
        input.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, new long[] {n, dimension});
                OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(PROBABILITIES_OUTPUT))) {
            FloatBuffer p = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] out = new float[n * numClasses];
            p.get(out);
            return out;
        }
    }

    /** Index of the most probable class of row {@code row} of {@code probabilities}. */
    public static int argmax(float[] probabilities, int row, int numClasses) {
        int base = row * numClasses;
        int best = 0;
        for (int k = 1; k < numClasses; k++) {
            if (probabilities[base + k] > probabilities[base + best]) {
                best = k;
            }
        }
        return best;
    }

    public ModelRef modelRef() {
        return ref;
    }

    public int dimension() {
        return dimension;
    }

    public int numClasses() {
        return numClasses;
    }

    public ExecutionProvider activeProvider() {
        return provider;
    }

    @Override
    public void close() throws OrtException {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}
