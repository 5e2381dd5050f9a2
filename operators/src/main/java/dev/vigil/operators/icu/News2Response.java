package dev.vigil.operators.icu;

/**
 * NEWS2 clinical response bands (Royal College of Physicians, 2017, chart 2), in increasing order of urgency: compare
 * with {@link #compareTo} or {@link #atLeast}.
 */
public enum News2Response {
    /** Aggregate 0–4 with no single parameter scoring 3: ward-based response. */
    LOW,
    /** A 3 in any single parameter with an aggregate of 0–4: urgent ward-based response. */
    LOW_MEDIUM,
    /** Aggregate 5–6: key threshold for an urgent response. */
    MEDIUM,
    /** Aggregate 7 or more: emergency response. */
    HIGH;

    public boolean atLeast(News2Response other) {
        return compareTo(other) >= 0;
    }
}
