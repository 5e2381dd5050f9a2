package dev.vigil.pipelines.sim.icu;

/** The physiological course that leads a simulated patient to an adverse outcome. */
public enum DeteriorationType {
    /** The patient does not deteriorate during the simulation. */
    NONE,
    /** Fever and rising heart and respiratory rates first; falling blood pressure and new confusion late. */
    SEPSIS,
    /** Rising respiratory rate and falling SpO2, met by rising oxygen flow; tachycardia; drowsiness late. */
    RESPIRATORY_FAILURE,
    /** Rising heart rate and falling blood pressure, faster breathing; confusion late. */
    HEMORRHAGE,
    /** Arrhythmia or pump failure: tachycardia (sometimes bradycardia), falling blood pressure, little warning. */
    CARDIAC
}
