package dev.vigil.operators.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores feature rows with one version of one ONNX model: the servable behind the scoring operators, usable without
 * Flink's DataStream API.
 *
 * <p>The model follows docs/CONTRACTS.md: one float input {@code [batch, F]} (any name), a primary output {@code
 * [batch, 1]} and, optionally, a {@code contributions} output {@code [batch, F]}. The primary output is {@code
 * probability} for a classifier or, for an anomaly model without a {@code probability} output, {@code anomaly_score}
 * (see {@link #scoreOutput()}). The constructor checks this against the session, and that the feature count agrees
 * between the input shape, the {@code contributions} shape and the {@code vigil.feature.names} metadata.
 *
 * <pre>{@code
 * try (OnnxScorer scorer = OnnxScorer.load(ref, config, classLoader)) {   // sha-256 checked first
 *     ScoreBatch scores = scorer.score(rows, n);
 *     float p = scores.score(0);   // probability, or anomaly score for an anomaly model
 * }
 * }</pre>
 *
 * <p>Owns its {@link OrtSession} and closes it in {@link #close()}; the {@link OrtEnvironments shared environment} is
 * never closed. Input and output tensors are closed right after each call, and the native input buffer is reused
 * between calls. Not thread-safe: one scorer per operator instance.
 */
public final class OnnxScorer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxScorer.class);

    public static final String PROBABILITY_OUTPUT = "probability";
    /** The primary output of an anomaly model (one without a {@code probability} output). */
    public static final String ANOMALY_SCORE_OUTPUT = "anomaly_score";
    public static final String CONTRIBUTIONS_OUTPUT = "contributions";

    /** WARN line logged when {@link ExecutionProvider#AUTO} runs on the CPU. */
    public static final String AUTO_FALLBACK_FORMAT =
            "Model {}: execution provider AUTO fell back to CPU because CUDA is unavailable ({})";

    private static final String CONTRACT_FORMAT =
            "Model %s does not follow the ONNX model contract (docs/CONTRACTS.md): %s";

    private static final AtomicInteger LIVE_SESSIONS = new AtomicInteger();

    private final ModelRef ref;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ExecutionProvider activeProvider;
    private final ModelMetadata metadata;
    private final String inputName;
    private final int featureCount;
    private final List<String> outputNames;
    private final String scoreOutput;
    private final Set<String> requestedOutputs;
    private final boolean hasContributions;

    /** Direct, native-order buffer reused by every call; grows to the largest batch seen. */
    private FloatBuffer input;

    private boolean closed;

    /**
     * Reads the model at {@code ref.uri()}, checks its sha-256 and opens a session.
     *
     * @throws ModelIntegrityException if the sha-256 differs (no session is created)
     * @throws IOException if the model cannot be read
     * @throws OrtException if ONNX Runtime rejects the model or the requested execution provider
     */
    public static OnnxScorer load(ModelRef ref, ReadableConfig options, ClassLoader classLoader)
            throws IOException, OrtException {
        return new OnnxScorer(ModelBytes.load(ref, classLoader), options);
    }

    /**
     * Opens a session on verified model bytes with {@link InferenceOptions#EXECUTION_PROVIDER}, {@link
     * InferenceOptions#INTRA_OP_THREADS} and {@link InferenceOptions#CUDA_DEVICE_ID} from {@code options}.
     *
     * @throws OrtException if ONNX Runtime rejects the model, or CUDA was requested and cannot be used
     * @throws IllegalArgumentException if the model does not follow the contract
     */
    public OnnxScorer(ModelBytes model, ReadableConfig options) throws OrtException {
        Preconditions.checkNotNull(model, "model");
        Preconditions.checkNotNull(options, "options");
        int threads = options.get(InferenceOptions.INTRA_OP_THREADS);
        Preconditions.checkArgument(
                threads >= 1, "%s must be at least 1, got %s", InferenceOptions.INTRA_OP_THREADS.key(), threads);
        int deviceId = options.get(InferenceOptions.CUDA_DEVICE_ID);
        Preconditions.checkArgument(
                deviceId >= 0, "%s must not be negative, got %s", InferenceOptions.CUDA_DEVICE_ID.key(), deviceId);

        this.ref = model.ref();
        this.env = OrtEnvironments.get();
        Opened opened = open(env, model, options.get(InferenceOptions.EXECUTION_PROVIDER), threads, deviceId);
        this.session = opened.session();
        this.activeProvider = opened.provider();
        LIVE_SESSIONS.incrementAndGet();
        try {
            this.metadata = new ModelMetadata(session.getMetadata().getCustomMetadata());
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            checkContract(inputs.size() == 1, "it must have exactly one input, has %s", inputs.keySet());
            NodeInfo in = inputs.values().iterator().next();
            this.inputName = in.getName();
            long[] inShape = floatTensorShape(in, 2);
            checkContract(
                    outputs.containsKey(PROBABILITY_OUTPUT) || outputs.containsKey(ANOMALY_SCORE_OUTPUT),
                    "no '%s' or '%s' output (outputs: %s)",
                    PROBABILITY_OUTPUT,
                    ANOMALY_SCORE_OUTPUT,
                    outputs.keySet());
            this.scoreOutput = outputs.containsKey(PROBABILITY_OUTPUT) ? PROBABILITY_OUTPUT : ANOMALY_SCORE_OUTPUT;
            floatTensorShape(outputs.get(scoreOutput), -1);
            this.hasContributions = outputs.containsKey(CONTRIBUTIONS_OUTPUT);
            long contributionWidth =
                    hasContributions ? floatTensorShape(outputs.get(CONTRIBUTIONS_OUTPUT), 2)[1] : -1;
            this.featureCount = resolveFeatureCount(inShape[1], contributionWidth, metadata.featureNames());
            this.outputNames = List.copyOf(outputs.keySet());
            Set<String> wanted = new LinkedHashSet<>();
            wanted.add(scoreOutput);
            if (hasContributions) {
                wanted.add(CONTRIBUTIONS_OUTPUT);
            }
            this.requestedOutputs = Collections.unmodifiableSet(wanted);
        } catch (RuntimeException | OrtException e) {
            try {
                closeSession();
            } catch (OrtException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        LOG.info(
                "Opened model {} ({} bytes, {} features, input '{}', outputs {}, score '{}') on {}",
                ref.label(),
                model.size(),
                featureCount,
                inputName,
                outputNames,
                scoreOutput,
                activeProvider);
    }

    /**
     * Scores the first {@code n} rows of {@code rows} in one ONNX Runtime call; {@code rows} may be a larger array
     * reused between calls. Every scored row must have {@link #featureCount()} values, in the model's feature order.
     */
    public ScoreBatch score(float[][] rows, int n) throws OrtException {
        Preconditions.checkState(!closed, "scorer of model %s is closed", ref.label());
        Preconditions.checkArgument(
                n >= 0 && n <= rows.length, "n must be in [0, %s], got %s", rows.length, n);
        if (n == 0) {
            return new ScoreBatch(0, featureCount, new float[0], hasContributions ? new float[0] : null);
        }
        FloatBuffer buffer = inputBuffer(n);
        for (int i = 0; i < n; i++) {
            float[] row = rows[i];
            if (row.length != featureCount) {
                throw new IllegalArgumentException(
                        String.format(
                                "row %d has %d features but model %s expects %d",
                                i, row.length, ref.label(), featureCount));
            }
            buffer.put(row);
        }
        buffer.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, new long[] {n, featureCount});
                OrtSession.Result result = session.run(Map.of(inputName, tensor), requestedOutputs)) {
            float[] scores = readOutput(result, scoreOutput, n);
            float[] contributions =
                    hasContributions ? readOutput(result, CONTRIBUTIONS_OUTPUT, n * featureCount) : null;
            return new ScoreBatch(n, featureCount, scores, contributions);
        }
    }

    /** The model version this scorer serves. */
    public ModelRef modelRef() {
        return ref;
    }

    /** The model's {@code metadata_props}. */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The provider the session runs on: {@link ExecutionProvider#CPU} or {@link ExecutionProvider#CUDA}. */
    public ExecutionProvider activeProvider() {
        return activeProvider;
    }

    /** F, the width of the input and of the contributions. */
    public int featureCount() {
        return featureCount;
    }

    public String inputName() {
        return inputName;
    }

    /**
     * The name of the primary output that {@link ScoreBatch#score(int)} returns: {@value #PROBABILITY_OUTPUT} when the
     * model has one, otherwise {@value #ANOMALY_SCORE_OUTPUT}.
     */
    public String scoreOutput() {
        return scoreOutput;
    }

    /** True when the primary output is {@value #ANOMALY_SCORE_OUTPUT} rather than a probability. */
    public boolean isAnomalyModel() {
        return ANOMALY_SCORE_OUTPUT.equals(scoreOutput);
    }

    /** Every output of the graph, in session order. */
    public List<String> outputNames() {
        return outputNames;
    }

    public boolean hasContributions() {
        return hasContributions;
    }

    /** Closes the session (idempotent). The shared {@link OrtEnvironment} stays open. */
    @Override
    public void close() throws OrtException {
        if (!closed) {
            closeSession();
        }
    }

    /** Sessions opened by scorers in this JVM and not yet closed: a leak check for tests and model swaps. */
    public static int liveSessions() {
        return LIVE_SESSIONS.get();
    }

    @Override
    public String toString() {
        return "OnnxScorer{" + ref.label() + ", " + activeProvider + ", features=" + featureCount + '}';
    }

    // ------------------------------------------------------------------------------------------------------------

    private void closeSession() throws OrtException {
        closed = true;
        LIVE_SESSIONS.decrementAndGet();
        session.close();
    }

    private FloatBuffer inputBuffer(int rows) {
        int needed = rows * featureCount;
        if (input == null || input.capacity() < needed) {
            input = ByteBuffer.allocateDirect(needed * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        input.clear();
        return input;
    }

    /** The values of output {@code name}, which must hold exactly {@code expected} floats. */
    private float[] readOutput(OrtSession.Result result, String name, int expected) throws OrtException {
        OnnxValue value =
                result.get(name).orElseThrow(() -> new IllegalStateException("no output '" + name + "'"));
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException(
                    String.format(CONTRACT_FORMAT, ref.label(), "output '" + name + "' is not a tensor"));
        }
        long elements = tensor.getInfo().getNumElements();
        if (elements != expected) {
            throw new IllegalStateException(
                    String.format(
                            CONTRACT_FORMAT,
                            ref.label(),
                            "output '" + name + "' has " + elements + " values, expected " + expected));
        }
        // One copy out of native memory. (getBufferRef() only works for tensors created from a Java buffer.)
        FloatBuffer floats = tensor.getFloatBuffer();
        if (floats.hasArray() && floats.arrayOffset() == 0 && floats.array().length == expected) {
            return floats.array();
        }
        float[] copy = new float[expected];
        floats.get(0, copy);
        return copy;
    }

    private long[] floatTensorShape(NodeInfo node, int rank) {
        ValueInfo info = node.getInfo();
        checkContract(
                info instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT,
                "'%s' must be a float tensor, is %s",
                node.getName(),
                info);
        long[] shape = ((TensorInfo) info).getShape();
        checkContract(
                rank < 0 || shape.length == rank,
                "'%s' must have rank %s, has shape %s",
                node.getName(),
                rank,
                Arrays.toString(shape));
        return shape;
    }

    private int resolveFeatureCount(long inputWidth, long contributionWidth, List<String> names) {
        List<String> sources = new ArrayList<>();
        long count = -1;
        long[] widths = {inputWidth, contributionWidth, names.isEmpty() ? -1 : names.size()};
        String[] labels = {
            "input '" + inputName + "'", "output '" + CONTRIBUTIONS_OUTPUT + "'", ModelMetadata.FEATURE_NAMES
        };
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] > 0) {
                sources.add(labels[i] + "=" + widths[i]);
                if (count < 0) {
                    count = widths[i];
                }
                checkContract(count == widths[i], "the feature count disagrees: %s", sources);
            }
        }
        checkContract(
                count > 0,
                "the feature count is unknown: input '%s' has a dynamic width and no %s",
                inputName,
                ModelMetadata.FEATURE_NAMES);
        return Math.toIntExact(count);
    }

    private void checkContract(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(
                    String.format(CONTRACT_FORMAT, ref.label(), String.format(format, args)));
        }
    }

    /** A session and the provider it runs on. */
    private record Opened(OrtSession session, ExecutionProvider provider) {}

    private static Opened open(
            OrtEnvironment env, ModelBytes model, ExecutionProvider requested, int threads, int deviceId)
            throws OrtException {
        switch (requested) {
            case CPU:
                return new Opened(openSession(env, model, threads, -1), ExecutionProvider.CPU);
            case CUDA:
                return new Opened(openCudaSession(env, model, threads, deviceId), ExecutionProvider.CUDA);
            case AUTO:
                OrtSession cuda = openAutoSession(env, model, threads, deviceId);
                return cuda != null
                        ? new Opened(cuda, ExecutionProvider.CUDA)
                        : new Opened(openSession(env, model, threads, -1), ExecutionProvider.CPU);
            default:
                throw new IllegalArgumentException("Unknown execution provider " + requested);
        }
    }

    private static OrtSession openSession(OrtEnvironment env, ModelBytes model, int threads, int cudaDevice)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            if (cudaDevice >= 0) {
                options.addCUDA(cudaDevice);
            }
            return env.createSession(model.bytes(), options);
        }
    }

    private static OrtSession openCudaSession(OrtEnvironment env, ModelBytes model, int threads, int deviceId)
            throws OrtException {
        try {
            return openSession(env, model, threads, deviceId);
        } catch (OrtException e) {
            OrtException wrapped =
                    new OrtException(
                            e.getCode(),
                            String.format(
                                    "Model %s: execution provider CUDA (device %d) requested by %s but it cannot"
                                            + " be used: %s. This ONNX Runtime build provides %s; use the"
                                            + " onnxruntime_gpu build on a GPU node, or set %s to CPU or AUTO.",
                                    model.ref().label(),
                                    deviceId,
                                    InferenceOptions.EXECUTION_PROVIDER.key(),
                                    e.getMessage(),
                                    OrtEnvironments.availableProviders(),
                                    InferenceOptions.EXECUTION_PROVIDER.key()));
            wrapped.initCause(e);
            throw wrapped;
        }
    }

    /** A CUDA session, or {@code null} (after one WARN line) when CUDA cannot be used. */
    private static OrtSession openAutoSession(OrtEnvironment env, ModelBytes model, int threads, int deviceId) {
        if (!OrtEnvironments.availableProviders().contains(OrtProvider.CUDA)) {
            LOG.warn(
                    AUTO_FALLBACK_FORMAT,
                    model.ref().label(),
                    "this ONNX Runtime build provides " + OrtEnvironments.availableProviders());
            return null;
        }
        try {
            return openSession(env, model, threads, deviceId);
        } catch (OrtException e) {
            LOG.warn(AUTO_FALLBACK_FORMAT, model.ref().label(), "device " + deviceId + ": " + e.getMessage());
            return null;
        }
    }
}
