package dev.vigil.pipelines.sim.chat;

import dev.vigil.operators.chat.TriageClass;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The labelled chat corpus: messages drawn from {@link ChatTemplates}, grown with {@link EdaAugmenter EDA}, and split by
 * template so that evaluation measures generalisation to unseen wording rather than memory of the templates.
 *
 * <pre>{@code
 * ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults());
 * List<ChatCorpus.Example> train = corpus.train();     // templates not held out, with augmented copies
 * List<ChatCorpus.Example> test = corpus.heldOut();    // held-out templates, no augmentation
 * }</pre>
 *
 * <p><b>Split.</b> In each class, every {@code heldOutEvery}-th template (index {@code heldOutEvery - 1},
 * {@code 2 heldOutEvery - 1}, ...) is held out; none of its messages, nor any augmentation of them, is in the training
 * set. <b>Determinism.</b> Every template has its own random stream derived from the seed and its position, so the
 * corpus is the same for the same config, whatever else changes.
 */
public final class ChatCorpus {

    /** One labelled message. {@code augmented}: produced by EDA from another message of the same template. */
    public record Example(String text, TriageClass label, String templateId, boolean augmented) {}

    /**
     * @param seed random seed
     * @param perTemplate messages filled from each template
     * @param augmentPerMessage EDA variants added per training message
     * @param alpha EDA strength
     * @param heldOutEvery every this-many-th template of a class is held out (at least 2)
     */
    public record Config(long seed, int perTemplate, int augmentPerMessage, double alpha, int heldOutEvery) {

        public static final long DEFAULT_SEED = 20261125L;

        public Config {
            if (perTemplate < 1 || augmentPerMessage < 0 || heldOutEvery < 2) {
                throw new IllegalArgumentException("perTemplate >= 1, augmentPerMessage >= 0 and heldOutEvery >= 2"
                        + " required, got " + perTemplate + ", " + augmentPerMessage + ", " + heldOutEvery);
            }
        }

        /** 24 messages per template, 2 EDA variants each (alpha 0.1, the paper's default), 1 template in 4 held out. */
        public static Config defaults() {
            return new Config(DEFAULT_SEED, 24, 2, 0.1, 4);
        }

        public Config withSeed(long newSeed) {
            return new Config(newSeed, perTemplate, augmentPerMessage, alpha, heldOutEvery);
        }

        public Config withPerTemplate(int n) {
            return new Config(seed, n, augmentPerMessage, alpha, heldOutEvery);
        }
    }

    private final List<Example> train;
    private final List<Example> heldOut;

    private ChatCorpus(List<Example> train, List<Example> heldOut) {
        this.train = List.copyOf(train);
        this.heldOut = List.copyOf(heldOut);
    }

    /** Generates the corpus for {@code config}. */
    public static ChatCorpus generate(Config config) {
        EdaAugmenter eda = new EdaAugmenter(config.alpha());
        List<Example> train = new ArrayList<>();
        List<Example> heldOut = new ArrayList<>();
        for (int t = 0; t < ChatTemplates.ALL.size(); t++) {
            ChatTemplates.Template template = ChatTemplates.ALL.get(t);
            boolean held = isHeldOut(template, config.heldOutEvery());
            SplittableRandom rng = new SplittableRandom(config.seed() * 1_000_003L + t);
            for (int i = 0; i < config.perTemplate(); i++) {
                String text = ChatTemplates.fill(template.text(), rng);
                Example example = new Example(text, template.triageClass(), template.id(), false);
                if (held) {
                    heldOut.add(example);
                    continue;
                }
                train.add(example);
                for (int a = 0; a < config.augmentPerMessage(); a++) {
                    train.add(new Example(eda.augment(text, rng), template.triageClass(), template.id(), true));
                }
            }
        }
        return new ChatCorpus(train, heldOut);
    }

    /** Whether {@code template} is in the held-out set: its index within its class is {@code k * every - 1}. */
    public static boolean isHeldOut(ChatTemplates.Template template, int every) {
        int index = Integer.parseInt(template.id().substring(template.id().indexOf('/') + 1));
        return index % every == every - 1;
    }

    /** Training messages (templates not held out), augmented copies included, in template order. */
    public List<Example> train() {
        return train;
    }

    /** Messages of the held-out templates, not augmented, in template order. */
    public List<Example> heldOut() {
        return heldOut;
    }

    /** Class indices of {@code examples}. */
    public static int[] labels(List<Example> examples) {
        int[] y = new int[examples.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = examples.get(i).label().ordinal();
        }
        return y;
    }

    /** Texts of {@code examples}. */
    public static List<String> texts(List<Example> examples) {
        List<String> texts = new ArrayList<>(examples.size());
        for (Example e : examples) {
            texts.add(e.text());
        }
        return texts;
    }
}
