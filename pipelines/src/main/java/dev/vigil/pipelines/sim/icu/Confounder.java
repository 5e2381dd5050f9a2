package dev.vigil.pipelines.sim.icu;

/**
 * Abnormal but benign physiology of a patient who does not deteriorate: the reason an early-warning score such as
 * NEWS2 raises false alarms.
 */
public enum Confounder {
    NONE,
    /** Rate-uncontrolled atrial fibrillation or beta-blocker-naive tachycardia: heart rate 100 to 125 throughout. */
    CHRONIC_TACHYCARDIA,
    /** A fever of 38.3 to 39.4 Cel with a faster heart rate for 8 to 20 hours that resolves on its own. */
    RESOLVING_FEVER,
    /** Low but stable systolic blood pressure (90s to low 100s). */
    CHRONIC_HYPOTENSION,
    /** Fast but stable breathing (obesity, anxiety, chronic lung disease): respiratory rate 21 to 24. */
    CHRONIC_TACHYPNEA,
    /** Episodes of hypoactive or hyperactive delirium in an older patient, charted as new confusion. */
    DELIRIUM,
    /** Pain and stress after surgery: faster heart and respiratory rates and higher blood pressure for a day. */
    POSTOPERATIVE_PAIN
}
