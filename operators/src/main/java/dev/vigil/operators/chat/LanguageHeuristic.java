package dev.vigil.operators.chat;

/**
 * A cheap "is this English?" test that backs the triage head's out-of-scope class: a character-set rule plus a
 * stopword rule, in the spirit of W. B. Cavnar and J. M. Trenkle, "N-gram-based text categorization" (SDAIR 1994)
 * reduced to its two strongest signals for short messages.
 *
 * <ol>
 *   <li><b>Script.</b> When more than {@value #MAX_NON_LATIN_SHARE} of the letters are outside Latin (Cyrillic, CJK,
 *       Arabic, Devanagari, ...), the text is not English.
 *   <li><b>Stopwords.</b> Otherwise the words are matched against small lists of the most frequent function words of
 *       English and of the Latin-script languages most often met in a European/US support queue (Spanish, French,
 *       German, Portuguese, Italian, Dutch, Polish, Turkish); letters with diacritics that English does not use count
 *       for the foreign side. The text is foreign when foreign evidence exceeds English evidence.
 * </ol>
 *
 * <p>Ties and texts with no evidence (e.g. "ok", numbers) count as English, so the head decides. Pure Java, no
 * allocation beyond the lowercase copy. Used as {@code out-of-scope = head says out-of-scope OR isForeign(text)}.
 */
public final class LanguageHeuristic {

    /** Largest share of non-Latin letters an English message may have. */
    public static final double MAX_NON_LATIN_SHARE = 0.3;

    private static final java.util.Set<String> ENGLISH = java.util.Set.of(
            "the", "and", "is", "are", "my", "i", "to", "of", "a", "an", "in", "it", "you", "for", "on", "with",
            "me", "can", "what", "how", "do", "have", "has", "this", "that", "was", "not", "please", "be", "at",
            "from", "he", "she", "her", "his", "they", "we", "your", "our", "will", "would", "need", "want", "get",
            "been", "or", "if", "but", "no", "am", "so", "did", "does", "there", "when", "where", "why", "who");

    private static final java.util.Set<String> FOREIGN = java.util.Set.of(
            // es
            "el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "por", "para", "con", "mi", "es", "no",
            "necesito", "quiero", "puedo", "cita", "hola", "gracias", "está", "muy", "pero", "su",
            // fr
            "le", "les", "des", "et", "je", "est", "une", "pour", "mon", "ma", "mes", "vous", "pas", "avec", "bonjour",
            "merci", "suis", "ai", "au", "du", "sur", "voudrais",
            // de
            "der", "die", "das", "und", "ich", "ist", "nicht", "mit", "mein", "meine", "ein", "eine", "zu", "auf",
            "bitte", "habe", "wie", "wo", "danke", "möchte", "termin",
            // pt / it
            "não", "um", "uma", "com", "meu", "minha", "eu", "preciso", "obrigado", "il", "di", "che", "è", "per",
            "mio", "sono", "vorrei", "ho", "della", "grazie",
            // nl / pl / tr
            "het", "een", "ik", "niet", "mijn", "wil", "afspraak", "jest", "nie", "się", "mój", "moja", "chcę",
            "bir", "ve", "bu", "için", "benim", "istiyorum");

    private LanguageHeuristic() {}

    /** True when {@code text} is most likely not English (see the class Javadoc). */
    public static boolean isForeign(CharSequence text) {
        int letters = 0;
        int nonLatin = 0;
        int foreignDiacritics = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isLetter(c)) {
                continue;
            }
            letters++;
            Character.UnicodeScript script = Character.UnicodeScript.of(c);
            if (script != Character.UnicodeScript.LATIN) {
                nonLatin++;
            } else if (c > 0x7F) {
                foreignDiacritics++;
            }
        }
        if (letters == 0) {
            return false;
        }
        if (nonLatin > MAX_NON_LATIN_SHARE * letters) {
            return true;
        }
        int english = 0;
        int foreign = 0;
        String lower = text.toString().toLowerCase(java.util.Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean letter = i < lower.length() && Character.isLetter(lower.charAt(i));
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                String word = lower.substring(start, i);
                // "a", "no", "is" etc. appear on both lists' sides in spirit; only count the unambiguous ones.
                boolean en = ENGLISH.contains(word);
                boolean fo = FOREIGN.contains(word);
                if (en && !fo) {
                    english++;
                } else if (fo && !en) {
                    foreign++;
                }
                start = -1;
            }
        }
        foreign += Math.min(foreignDiacritics, 2);
        return foreign > english;
    }
}
