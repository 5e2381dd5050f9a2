package dev.vigil.operators.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.vigil.operators.inference.ModelIntegrityException;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Parity of {@link SentenceEncoder} with langchain4j's own embedding of the same INT8 all-MiniLM-L6-v2. */
class SentenceEncoderTest {

    private static final List<String> SENTENCES = List.of(
            "Can I move my appointment to next Tuesday?",
            "I have crushing chest pain and my left arm is numb.",
            "Someone keeps calling my grandmother asking her to wire money for a prize, she already sent two"
                    + " payments and now her account is empty.",
            "Thanks!",
            "Necesito hablar con alguien sobre mi receta.",
            "Please transfer me to a person, the bot does not understand my billing question about the invoice"
                    + " from last month which was charged twice.");

    private static SentenceEncoder encoder;
    private static AllMiniLmL6V2QuantizedEmbeddingModel reference;

    @BeforeAll
    static void open() throws Exception {
        encoder = SentenceEncoder.load(new Configuration(), SentenceEncoderTest.class.getClassLoader());
        reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    @AfterAll
    static void close() throws Exception {
        encoder.close();
    }

    @Test
    void aloneMatchesTheLibraryEmbedding() throws Exception {
        for (String s : SENTENCES) {
            float[] ours = encoder.encode(List.of(s))[0];
            float[] theirs = reference.embed(s).content().vector();
            assertThat(ours).hasSize(384);
            assertThat(cosine(ours, theirs)).as(s).isGreaterThanOrEqualTo(0.999);
        }
    }

    @Test
    void inAPaddedBatchStaysCloseToTheLibraryEmbedding() throws Exception {
        float[][] batch = encoder.encode(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            float[] theirs = reference.embed(SENTENCES.get(i)).content().vector();
            assertThat(cosine(batch[i], theirs)).as(SENTENCES.get(i)).isGreaterThanOrEqualTo(0.98);
            assertThat(norm(batch[i])).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void withoutLengthBucketsHeavyPaddingShiftsAShortText() throws Exception {
        Configuration config = new Configuration();
        config.set(ChatEncoderOptions.LENGTH_BUCKET_RATIO, 0.0);
        try (SentenceEncoder oneCall = SentenceEncoder.load(config, getClass().getClassLoader())) {
            float[][] batch = oneCall.encode(SENTENCES);
            assertThat(oneCall.modelCalls()).isEqualTo(1);
            int thanks = SENTENCES.indexOf("Thanks!");
            // The INT8 model quantizes activations per tensor: 4 real tokens among ~40 padded ones drift.
            assertThat(cosine(batch[thanks], reference.embed("Thanks!").content().vector())).isLessThan(0.98);
        }
        long before = encoder.modelCalls();
        encoder.encode(SENTENCES);
        assertThat(encoder.modelCalls() - before).isBetween(2L, (long) SENTENCES.size() - 1);
    }

    @Test
    void similarMessagesAreCloserThanUnrelatedOnes() throws Exception {
        float[][] e = encoder.encode(List.of(
                "I have severe chest pain", "my chest hurts badly and I can't breathe", "how do I update my address"));
        assertThat(cosine(e[0], e[1])).isGreaterThan(cosine(e[0], e[2]) + 0.2);
    }

    @Test
    void truncatesToMaxTokens() throws Exception {
        Configuration config = new Configuration();
        config.set(ChatEncoderOptions.MAX_TOKENS, 8);
        String longText = SENTENCES.get(2);
        try (SentenceEncoder shortEncoder = SentenceEncoder.load(config, getClass().getClassLoader())) {
            assertThat(shortEncoder.tokenCount(longText)).isEqualTo(8);
            assertThat(encoder.tokenCount(longText)).isGreaterThan(8);
            float[] truncated = shortEncoder.encode(List.of(longText))[0];
            float[] prefix = encoder.encode(List.of("Someone keeps calling my grandmother asking"))[0];
            // 8 tokens = [CLS] + the first 6 word pieces + [SEP]: the same as encoding that prefix.
            assertThat(cosine(truncated, prefix)).isGreaterThan(0.9);
            assertThat(cosine(truncated, encoder.encode(List.of(longText))[0])).isLessThan(0.99);
        }
    }

    @Test
    void refusesAModelWithAnotherDigest() {
        Configuration config = new Configuration();
        config.set(ChatEncoderOptions.MODEL_SHA256, "0".repeat(64));
        assertThatThrownBy(() -> SentenceEncoder.load(config, getClass().getClassLoader()))
                .isInstanceOf(ModelIntegrityException.class);
    }

    @Test
    void refusesAnOutOfRangeMaxTokens() {
        Configuration config = new Configuration();
        config.set(ChatEncoderOptions.MAX_TOKENS, 513);
        assertThatThrownBy(() -> SentenceEncoder.load(config, getClass().getClassLoader()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vigil.chat.encoder.max-tokens");
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
