package dev.vigil.pipelines.sim.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Easy Data Augmentation for text classification: J. Wei and K. Zou, "EDA: easy data augmentation techniques for
 * boosting performance on text classification tasks", EMNLP-IJCNLP 2019. Each augmented message applies one of
 * EDA's operations with strength {@code alpha} (the share of the {@code l} words changed, {@code n = max(1, alpha l)}):
 *
 * <ul>
 *   <li><b>SR</b>, synonym replacement: {@code n} words that have synonyms are replaced by a random synonym;
 *   <li><b>RI</b>, random insertion: {@code n} times, a synonym of a random word is inserted at a random position;
 *   <li><b>RS</b>, random swap: {@code n} times, two random words swap places; for a message of several sentences the
 *       sentences are shuffled instead (sentence shuffling, the seed's variant of RS);
 *   <li><b>RD</b>, random deletion: each word is deleted with probability {@code alpha} (never all of them).
 * </ul>
 *
 * <p>The paper draws synonyms from WordNet; here a small thesaurus of the support domain ({@link #SYNONYMS}) stands in,
 * so no dictionary is downloaded. Words without synonyms (e.g. non-English text) are left to RS and RD. Deterministic
 * for a given {@link SplittableRandom}.
 */
public final class EdaAugmenter {

    /** The EDA operations. */
    public enum Operation {
        SYNONYM_REPLACEMENT,
        RANDOM_INSERTION,
        RANDOM_SWAP,
        RANDOM_DELETION
    }

    static final Map<String, List<String>> SYNONYMS = Map.ofEntries(
            Map.entry("appointment", List.of("booking", "visit", "slot")),
            Map.entry("move", List.of("change", "shift", "reschedule")),
            Map.entry("need", List.of("require", "want")),
            Map.entry("want", List.of("wish", "would like")),
            Map.entry("copy", List.of("duplicate", "version")),
            Map.entry("send", List.of("mail", "forward")),
            Map.entry("find", List.of("locate", "see", "get")),
            Map.entry("help", List.of("assistance", "support")),
            Map.entry("person", List.of("human", "someone", "staff member")),
            Map.entry("agent", List.of("representative", "human", "advisor")),
            Map.entry("frustrated", List.of("annoyed", "upset", "fed up")),
            Map.entry("wrong", List.of("incorrect", "mistaken", "false")),
            Map.entry("error", List.of("mistake", "problem")),
            Map.entry("charged", List.of("billed", "debited")),
            Map.entry("complaint", List.of("grievance", "objection")),
            Map.entry("explain", List.of("clarify", "go over")),
            Map.entry("pain", List.of("ache", "pressure", "hurting")),
            Map.entry("breathe", List.of("breath", "get air")),
            Map.entry("dizzy", List.of("lightheaded", "faint", "woozy")),
            Map.entry("collapsed", List.of("fainted", "passed out", "fell down")),
            Map.entry("money", List.of("cash", "funds", "savings")),
            Map.entry("account", List.of("bank account", "balance")),
            Map.entry("gone", List.of("missing", "taken", "lost")),
            Map.entry("threatened", List.of("warned", "menaced")),
            Map.entry("taking", List.of("stealing", "withdrawing")),
            Map.entry("forcing", List.of("pressuring", "making")),
            Map.entry("right", List.of("just")),
            Map.entry("now", List.of("immediately", "at the moment")),
            Map.entry("doctor", List.of("physician", "GP", "clinician")),
            Map.entry("nurse", List.of("carer", "clinician")),
            Map.entry("results", List.of("report", "findings")),
            Map.entry("bill", List.of("invoice", "statement", "charge")),
            Map.entry("cancel", List.of("call off", "drop")),
            Map.entry("thanks", List.of("thank you", "cheers")),
            Map.entry("please", List.of("kindly")),
            Map.entry("really", List.of("very", "truly")),
            Map.entry("usually", List.of("normally", "typically")),
            Map.entry("refill", List.of("renewal", "top-up")),
            Map.entry("update", List.of("change", "edit")),
            Map.entry("pills", List.of("tablets", "doses")));

    private final double alpha;

    /** @param alpha share of words each operation changes, in {@code (0, 0.5]}; the paper recommends 0.1. */
    public EdaAugmenter(double alpha) {
        if (!(alpha > 0 && alpha <= 0.5)) {
            throw new IllegalArgumentException("alpha must be in (0, 0.5], got " + alpha);
        }
        this.alpha = alpha;
    }

    /** One augmented variant of {@code text}, with an operation drawn uniformly. */
    public String augment(String text, SplittableRandom rng) {
        Operation[] ops = Operation.values();
        return apply(ops[rng.nextInt(ops.length)], text, rng);
    }

    /** {@code text} after {@code op}. */
    public String apply(Operation op, String text, SplittableRandom rng) {
        List<String> words = new ArrayList<>(Arrays.asList(text.trim().split("\\s+")));
        int n = Math.max(1, (int) Math.round(alpha * words.size()));
        switch (op) {
            case SYNONYM_REPLACEMENT -> {
                List<Integer> candidates = new ArrayList<>();
                for (int i = 0; i < words.size(); i++) {
                    if (SYNONYMS.containsKey(key(words.get(i)))) {
                        candidates.add(i);
                    }
                }
                for (int k = 0; k < n && !candidates.isEmpty(); k++) {
                    int i = candidates.remove(rng.nextInt(candidates.size()));
                    words.set(i, withPunctuationOf(words.get(i), pick(SYNONYMS.get(key(words.get(i))), rng)));
                }
            }
            case RANDOM_INSERTION -> {
                for (int k = 0; k < n; k++) {
                    List<String> synonyms = null;
                    for (int attempt = 0; attempt < 10 && synonyms == null; attempt++) {
                        synonyms = SYNONYMS.get(key(words.get(rng.nextInt(words.size()))));
                    }
                    if (synonyms != null) {
                        words.add(rng.nextInt(words.size() + 1), pick(synonyms, rng));
                    }
                }
            }
            case RANDOM_SWAP -> {
                String[] sentences = text.trim().split("(?<=[.!?])\\s+");
                if (sentences.length > 1) {
                    List<String> shuffled = new ArrayList<>(Arrays.asList(sentences));
                    shuffle(shuffled, rng);
                    return String.join(" ", shuffled);
                }
                for (int k = 0; k < n && words.size() > 1; k++) {
                    int a = rng.nextInt(words.size());
                    int b = rng.nextInt(words.size());
                    String w = words.get(a);
                    words.set(a, words.get(b));
                    words.set(b, w);
                }
            }
            case RANDOM_DELETION -> {
                if (words.size() > 1) {
                    List<String> kept = new ArrayList<>();
                    for (String w : words) {
                        if (rng.nextDouble() >= alpha) {
                            kept.add(w);
                        }
                    }
                    words = kept.isEmpty() ? List.of(words.get(rng.nextInt(words.size()))) : kept;
                }
            }
        }
        return String.join(" ", words);
    }

    private static String key(String word) {
        return word.replaceAll("[^\\p{L}'-]", "").toLowerCase(Locale.ROOT);
    }

    /** {@code replacement} with the trailing punctuation of {@code original} (e.g. "pain," -> "ache,"). */
    private static String withPunctuationOf(String original, String replacement) {
        int end = original.length();
        while (end > 0 && !Character.isLetter(original.charAt(end - 1))) {
            end--;
        }
        return replacement + original.substring(end);
    }

    private static String pick(List<String> options, SplittableRandom rng) {
        return options.get(rng.nextInt(options.size()));
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
