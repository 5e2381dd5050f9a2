package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.util.HashMap;
import java.util.Map;

/**
 * Pseudonymous labels for the patients a report shows: {@code "patient A"}, {@code "patient B"}, ..., {@code "patient
 * Z"}, {@code "patient AA"}, ... in the order identifiers are first asked for. The same identifier always gets the
 * same label from one instance; the mapping lives only in memory and is never written to a report.
 *
 * <p>Ask for identifiers in a deterministic order (e.g. sorted) so that a seeded run labels the same patients alike.
 *
 * <pre>{@code
 * Pseudonyms names = new Pseudonyms();
 * PatientTimeline.builder(names.labelFor(patientId)) ...
 * }</pre>
 */
public final class Pseudonyms {

    /** The prefix of every label. */
    public static final String PREFIX = "patient ";

    /** Labels with more letters than this are not handed out (26 + 26² + 26³ patients). */
    static final int MAX_LETTERS = 3;

    private final Map<String, String> labels = new HashMap<>();

    /** The label of {@code id}, assigning the next free one on first use. */
    public String labelFor(String id) {
        checkNotNull(id, "id");
        return labels.computeIfAbsent(id, unused -> PREFIX + letters(labels.size()));
    }

    /** How many identifiers have a label. */
    public int size() {
        return labels.size();
    }

    /** The spreadsheet-column name of {@code index}: 0 → A, 25 → Z, 26 → AA, 701 → ZZ, 702 → AAA (base 26). */
    static String letters(int index) {
        checkArgument(index >= 0, "index must be >= 0, got %s", index);
        StringBuilder out = new StringBuilder(MAX_LETTERS);
        int n = index + 1;
        while (n > 0) {
            n--;
            out.append((char) ('A' + n % 26));
            n /= 26;
        }
        checkArgument(out.length() <= MAX_LETTERS, "too many patients for pseudonymous labels: %s", index + 1);
        return out.reverse().toString();
    }

    /** Whether {@code label} has the form this class hands out. */
    static boolean isLabel(String label) {
        if (label == null || !label.startsWith(PREFIX)) {
            return false;
        }
        int letters = label.length() - PREFIX.length();
        if (letters < 1 || letters > MAX_LETTERS) {
            return false;
        }
        for (int i = PREFIX.length(); i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }
}
