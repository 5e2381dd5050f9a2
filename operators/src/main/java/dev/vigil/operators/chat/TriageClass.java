package dev.vigil.operators.chat;

import java.util.List;

/**
 * The chat triage classes, in the order of the head's {@code probabilities} output (class index = {@link #ordinal()}).
 *
 * <ul>
 *   <li>{@link #ROUTINE}: the assistant can answer (appointments, refills, documents, opening hours).
 *   <li>{@link #NEEDS_HUMAN}: a person must handle it (complaints, billing disputes, errors in records, explicit
 *       requests for an agent).
 *   <li>{@link #URGENT_SAFETY}: someone may be in danger now: clinical emergencies, self-harm, or financial abuse and
 *       fraud in progress (scam calls, a caregiver taking money, coercion).
 *   <li>{@link #OUT_OF_SCOPE}: a language the service does not triage (anything but English): routed to a
 *       multilingual queue.
 * </ul>
 */
public enum TriageClass {
    ROUTINE("routine"),
    NEEDS_HUMAN("needs-human"),
    URGENT_SAFETY("urgent-safety"),
    OUT_OF_SCOPE("out-of-scope");

    /** The labels in class-index order, as the head's {@code vigil.classes} metadata and the learner's classes. */
    public static final List<String> LABELS = List.of("routine", "needs-human", "urgent-safety", "out-of-scope");

    private final String label;

    TriageClass(String label) {
        this.label = label;
    }

    /** The kebab-case label written to the triage topic. */
    public String label() {
        return label;
    }

    /** The class of a label, e.g. {@code urgent-safety}. */
    public static TriageClass ofLabel(String label) {
        for (TriageClass c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown triage class '" + label + "', expected one of " + LABELS);
    }
}
