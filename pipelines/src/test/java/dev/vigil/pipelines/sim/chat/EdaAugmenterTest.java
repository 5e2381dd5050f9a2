package dev.vigil.pipelines.sim.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.pipelines.sim.chat.EdaAugmenter.Operation;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EdaAugmenterTest {

    private static final String TEXT = "I want to speak to a real person about my bill, the bot keeps giving me the"
            + " wrong answer.";
    private final EdaAugmenter eda = new EdaAugmenter(0.1);

    @Test
    void synonymReplacementSwapsWordsForSynonymsOnly() {
        String out = eda.apply(Operation.SYNONYM_REPLACEMENT, TEXT, new SplittableRandom(1));
        assertThat(out).isNotEqualTo(TEXT);
        // n = round(0.1 * 18) = 2 words replaced; all other words unchanged, punctuation kept.
        assertThat(out).endsWith(".").contains("the bot keeps giving me");
    }

    @Test
    void randomInsertionAddsSynonymsOfWordsInTheText() {
        String out = eda.apply(Operation.RANDOM_INSERTION, TEXT, new SplittableRandom(2));
        // n = round(0.1 * 18) = 2 insertions of one- or two-word synonyms.
        assertThat(words(out).length).isBetween(words(TEXT).length + 2, words(TEXT).length + 4);
    }

    @Test
    void randomSwapKeepsTheWordsAndSentenceShuffleKeepsTheSentences() {
        String out = eda.apply(Operation.RANDOM_SWAP, TEXT, new SplittableRandom(3));
        assertThat(sorted(words(out))).isEqualTo(sorted(words(TEXT)));
        String two = "My appointment is Friday. Can I move it?";
        String shuffled = eda.apply(Operation.RANDOM_SWAP, two, new SplittableRandom(4));
        assertThat(shuffled).isIn(two, "Can I move it? My appointment is Friday.");
    }

    @Test
    void randomDeletionNeverEmptiesAMessage() {
        for (int seed = 0; seed < 50; seed++) {
            assertThat(eda.apply(Operation.RANDOM_DELETION, "help", new SplittableRandom(seed))).isEqualTo("help");
            String out = new EdaAugmenter(0.5).apply(Operation.RANDOM_DELETION, "a b c", new SplittableRandom(seed));
            assertThat(out).isNotBlank();
        }
    }

    @Test
    void isDeterministicAndValidatesAlpha() {
        assertThat(eda.augment(TEXT, new SplittableRandom(9))).isEqualTo(eda.augment(TEXT, new SplittableRandom(9)));
        assertThatThrownBy(() -> new EdaAugmenter(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EdaAugmenter(0.6)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String[] words(String s) {
        return s.trim().split("\\s+");
    }

    private static String[] sorted(String[] a) {
        String[] c = a.clone();
        Arrays.sort(c);
        return c;
    }
}
