package dev.vigil.operators.chat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.vigil.operators.inference.ExecutionProvider;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OrtEnvironments;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pretrained transformer sentence encoder in ONNX Runtime: the servable behind the chat pipeline's embedding step,
 * usable without Flink's DataStream API.
 *
 * <p>The default model is the INT8-quantized all-MiniLM-L6-v2 (N. Reimers and I. Gurevych, "Sentence-BERT: sentence
 * embeddings using Siamese BERT-networks", EMNLP 2019; W. Wang et al., "MiniLM: deep self-attention distillation for
 * task-agnostic compression of pre-trained transformers", NeurIPS 2020), read from the langchain4j model jar on the
 * class path ({@link ChatEncoderOptions}); its sha-256 is checked before a session is opened.
 *
 * <p>Per call: each text is tokenized with the model's own HuggingFace {@code tokenizer.json} (DJL's binding of the
 * Rust {@code tokenizers} library, no network), truncated to {@link ChatEncoderOptions#MAX_TOKENS}; the batch is padded
 * to its longest sequence (after splitting it into length buckets, {@link ChatEncoderOptions#LENGTH_BUCKET_RATIO});
 * one ONNX call per bucket computes {@code last_hidden_state [n, L, d]}; each row is mean-pooled over its
 * attention mask and L2-normalized. The result equals the library's own embedding of a sentence (cosine 1.000 alone;
 * the INT8 model shifts slightly inside a padded batch, cosine about 0.99).
 *
 * <pre>{@code
 * try (SentenceEncoder encoder = SentenceEncoder.load(config, classLoader)) {
 *     float[][] embeddings = encoder.encode(List.of("my chest hurts", "reschedule my appointment"));
 * }
 * }</pre>
 *
 * <p>Owns its session and tokenizer and closes them in {@link #close()}; the shared {@link OrtEnvironment} is never
 * closed. The three native int64 input buffers are reused between calls. Not thread-safe: one encoder per operator
 * instance.
 */
public final class SentenceEncoder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SentenceEncoder.class);

    public static final String MODEL_NAME = "chat-encoder";
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    /** Most tokens the BERT position embeddings of MiniLM support. */
    public static final int MAX_POSITIONS = 512;

    private final String version;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ExecutionProvider provider;
    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;
    private final int dimension;
    private final boolean hasTokenTypes;
    private final double bucketRatio;

    private LongBuffer ids;
    private LongBuffer mask;
    private LongBuffer types;
    private boolean closed;
    private long calls;

    /**
     * Reads the encoder and tokenizer named by {@link ChatEncoderOptions}, checks the encoder's sha-256 and opens a
     * session with the {@link dev.vigil.operators.inference.InferenceOptions} execution provider and threads.
     *
     * @throws dev.vigil.operators.inference.ModelIntegrityException if the encoder's sha-256 differs
     */
    public static SentenceEncoder load(ReadableConfig options, ClassLoader classLoader)
            throws IOException, OrtException {
        ModelRef ref = new ModelRef(MODEL_NAME, options.get(ChatEncoderOptions.MODEL_VERSION),
                options.get(ChatEncoderOptions.MODEL_URI), options.get(ChatEncoderOptions.MODEL_SHA256));
        byte[] model = ModelBytes.read(ref.uri(), classLoader);
        ModelBytes.verify(ref, model);
        byte[] tokenizerJson = ModelBytes.read(options.get(ChatEncoderOptions.TOKENIZER_URI), classLoader);
        return new SentenceEncoder(ref.version(), model, tokenizerJson, options);
    }

    private SentenceEncoder(String version, byte[] model, byte[] tokenizerJson, ReadableConfig options)
            throws IOException, OrtException {
        this.maxTokens = options.get(ChatEncoderOptions.MAX_TOKENS);
        Preconditions.checkArgument(maxTokens >= 2 && maxTokens <= MAX_POSITIONS, "%s must be in [2, %s], got %s",
                ChatEncoderOptions.MAX_TOKENS.key(), MAX_POSITIONS, maxTokens);
        this.bucketRatio = options.get(ChatEncoderOptions.LENGTH_BUCKET_RATIO);
        Preconditions.checkArgument(bucketRatio == 0 || bucketRatio >= 1, "%s must be 0 (off) or at least 1, got %s",
                ChatEncoderOptions.LENGTH_BUCKET_RATIO.key(), bucketRatio);
        this.version = version;
        this.env = OrtEnvironments.get();
        Map<String, String> tokenizerOptions = new HashMap<>();
        tokenizerOptions.put("addSpecialTokens", "true");
        tokenizerOptions.put("padding", "false"); // the batch is padded here, to its own longest sequence
        tokenizerOptions.put("truncation", "true");
        tokenizerOptions.put("maxLength", Integer.toString(maxTokens));
        this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), tokenizerOptions);
        OrtSessions.Opened opened;
        try {
            opened = OrtSessions.open(model, MODEL_NAME + ':' + version, options);
        } catch (OrtException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        this.session = opened.session();
        this.provider = opened.provider();
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            Preconditions.checkArgument(inputs.containsKey(INPUT_IDS) && inputs.containsKey(ATTENTION_MASK),
                    "encoder %s needs inputs %s and %s, has %s", version, INPUT_IDS, ATTENTION_MASK, inputs.keySet());
            this.hasTokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
            NodeInfo out = session.getOutputInfo().values().iterator().next();
            long[] shape = ((TensorInfo) out.getInfo()).getShape();
            Preconditions.checkArgument(shape.length == 3 && shape[2] > 0,
                    "encoder %s: output '%s' must be [batch, tokens, d], is %s", version, out.getName(),
                    java.util.Arrays.toString(shape));
            this.dimension = Math.toIntExact(shape[2]);
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("Opened sentence encoder {} (d={}, max {} tokens) on {}", version, dimension, maxTokens, provider);
    }

    /** The embeddings of {@code texts}, one unit-length {@code float[dimension()]} per text, in one model call. */
    public float[][] encode(List<? extends CharSequence> texts) throws OrtException {
        float[][] out = new float[texts.size()][dimension];
        encode(texts, out);
        return out;
    }

    /**
     * Encodes {@code texts} into the first {@code texts.size()} rows of {@code out} (each {@code float[dimension()]},
     * overwritten), in one model call. An empty text becomes the embedding of {@code [CLS] [SEP]}.
     */
    public void encode(List<? extends CharSequence> texts, float[][] out) throws OrtException {
        Preconditions.checkState(!closed, "encoder %s is closed", version);
        int n = texts.size();
        Preconditions.checkArgument(out.length >= n, "out has %s rows for %s texts", out.length, n);
        if (n == 0) {
            return;
        }
        Encoding[] encodings = new Encoding[n];
        for (int i = 0; i < n; i++) {
            encodings[i] = tokenizer.encode(texts.get(i).toString(), true, false);
        }
        if (bucketRatio <= 0) {
            run(encodings, identity(n), 0, n, out);
            return;
        }
        // Length buckets: the INT8 model quantizes activations per tensor, so heavy padding shifts a short text's
        // embedding (cosine 0.95 for a 4-token text among 40-token ones). Texts sorted by length are cut into
        // sub-batches whose longest sequence is at most bucketRatio x their shortest.
        Integer[] order = identity(n);
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(encodings[a].getIds().length,
                encodings[b].getIds().length));
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (i == n || encodings[order[i]].getIds().length
                    > bucketRatio * encodings[order[start]].getIds().length) {
                run(encodings, order, start, i, out);
                start = i;
            }
        }
    }

    /** One model call on {@code encodings[order[from..to)]}, pooled into the matching rows of {@code out}. */
    private void run(Encoding[] encodings, Integer[] order, int from, int to, float[][] out) throws OrtException {
        int n = to - from;
        int longest = 0;
        for (int i = from; i < to; i++) {
            longest = Math.max(longest, encodings[order[i]].getIds().length);
        }
        fillInputs(encodings, order, from, to, longest);
        calls++;
        long[] shape = {n, longest};
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, ids, shape);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape);
                OnnxTensor typeTensor = hasTokenTypes ? OnnxTensor.createTensor(env, types, shape) : null) {
            Map<String, OnnxTensor> inputs = new HashMap<>(4);
            inputs.put(INPUT_IDS, idTensor);
            inputs.put(ATTENTION_MASK, maskTensor);
            if (typeTensor != null) {
                inputs.put(TOKEN_TYPE_IDS, typeTensor);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxValue hidden = result.get(0);
                FloatBuffer h = ((OnnxTensor) hidden).getFloatBuffer();
                pool(h, encodings, order, from, to, longest, out);
            }
        }
    }

    /** Model calls made so far (more than one per {@link #encode} when a batch is split into length buckets). */
    public long modelCalls() {
        return calls;
    }

    /** Number of tokens the encoder sees for {@code text} ([CLS] and [SEP] included, after truncation). */
    public int tokenCount(String text) {
        return tokenizer.encode(text, true, false).getIds().length;
    }

    /** Width of an embedding (384 for MiniLM). */
    public int dimension() {
        return dimension;
    }

    public int maxTokens() {
        return maxTokens;
    }

    /** The encoder's version label ({@link ChatEncoderOptions#MODEL_VERSION}). */
    public String version() {
        return version;
    }

    /** {@code CPU} or {@code CUDA}. */
    public ExecutionProvider activeProvider() {
        return provider;
    }

    /** Closes the session and the tokenizer (idempotent). The shared environment stays open. */
    @Override
    public void close() throws OrtException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tokenizer.close();
        } finally {
            session.close();
        }
    }

    @Override
    public String toString() {
        return "SentenceEncoder{" + version + ", " + provider + ", d=" + dimension + ", maxTokens=" + maxTokens + '}';
    }

    // ------------------------------------------------------------------------------------------------------------

    private void fillInputs(Encoding[] encodings, Integer[] order, int from, int to, int longest) {
        int needed = (to - from) * longest;
        if (ids == null || ids.capacity() < needed) {
            ids = directLongs(needed);
            mask = directLongs(needed);
            types = directLongs(needed);
        }
        ids.clear();
        mask.clear();
        types.clear();
        for (int i = from; i < to; i++) {
            Encoding e = encodings[order[i]];
            long[] tokenIds = e.getIds();
            long[] attention = e.getAttentionMask();
            long[] typeIds = e.getTypeIds();
            ids.put(tokenIds);
            mask.put(attention);
            types.put(typeIds);
            for (int j = tokenIds.length; j < longest; j++) { // [PAD] = 0, masked out
                ids.put(0L);
                mask.put(0L);
                types.put(0L);
            }
        }
        ids.flip();
        mask.flip();
        types.flip();
    }

    /** Masked mean over each row's tokens, then L2 normalization, into {@code out}. */
    private void pool(FloatBuffer hidden, Encoding[] encodings, Integer[] order, int from, int to, int longest,
            float[][] out) {
        int d = dimension;
        for (int r = from; r < to; r++) {
            int i = r - from;
            float[] row = out[order[r]];
            java.util.Arrays.fill(row, 0f);
            long[] attention = encodings[order[r]].getAttentionMask();
            int count = 0;
            for (int j = 0; j < attention.length; j++) {
                if (attention[j] == 0) {
                    continue;
                }
                count++;
                int base = (i * longest + j) * d;
                for (int k = 0; k < d; k++) {
                    row[k] += hidden.get(base + k);
                }
            }
            double norm = 0;
            for (int k = 0; k < d; k++) {
                row[k] /= Math.max(count, 1);
                norm += (double) row[k] * row[k];
            }
            float inv = (float) (1.0 / Math.max(Math.sqrt(norm), 1e-12));
            for (int k = 0; k < d; k++) {
                row[k] *= inv;
            }
        }
    }

    private static Integer[] identity(int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static LongBuffer directLongs(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
}
