package dev.vigil.pipelines.sim.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.chat.TriageClass;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChatCorpusTest {

    @Test
    void heldOutTemplatesNeverReachTheTrainingSet() {
        ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults());
        Set<String> train = corpus.train().stream().map(ChatCorpus.Example::templateId).collect(Collectors.toSet());
        Set<String> held = corpus.heldOut().stream().map(ChatCorpus.Example::templateId).collect(Collectors.toSet());
        assertThat(train).doesNotContainAnyElementsOf(held);
        assertThat(train.size() + held.size()).isEqualTo(ChatTemplates.ALL.size());
        // 1 template in 4 of every class is held out, and every class is in both sets.
        assertThat(held).hasSize(13);
        for (TriageClass c : TriageClass.values()) {
            assertThat(corpus.train()).anyMatch(e -> e.label() == c);
            assertThat(corpus.heldOut()).anyMatch(e -> e.label() == c);
        }
        assertThat(corpus.heldOut()).noneMatch(ChatCorpus.Example::augmented);
        // 39 training templates x 24 messages x (1 + 2 EDA variants); 13 x 24 held out.
        assertThat(corpus.train()).hasSize(39 * 24 * 3);
        assertThat(corpus.heldOut()).hasSize(13 * 24);
    }

    @Test
    void isDeterministicForASeedAndChangesWithIt() {
        ChatCorpus a = ChatCorpus.generate(ChatCorpus.Config.defaults());
        ChatCorpus b = ChatCorpus.generate(ChatCorpus.Config.defaults());
        ChatCorpus c = ChatCorpus.generate(ChatCorpus.Config.defaults().withSeed(1));
        assertThat(a.train()).isEqualTo(b.train());
        assertThat(a.heldOut()).isEqualTo(b.heldOut());
        assertThat(ChatCorpus.texts(a.train())).isNotEqualTo(ChatCorpus.texts(c.train()));
    }

    @Test
    void everySlotAndAlternativeIsFilled() {
        ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults().withPerTemplate(5));
        assertThat(corpus.train()).allSatisfy(e -> assertThat(e.text()).doesNotContain("{", "}", "[", "|").isNotBlank());
        assertThat(corpus.heldOut()).allSatisfy(e -> assertThat(e.text()).doesNotContain("{", "}", "[", "|"));
    }
}
