package dev.vigil.operators.monitor;

/**
 * The fairness monitor's keyed run of significant windows: the end of the last reported window and how many
 * consecutive windows up to it had a significant gap. A Flink POJO (public fields, public no-argument constructor).
 */
public class FairnessStreak {

    /** End (exclusive) of the last reported window; {@link Long#MIN_VALUE} before the first. */
    public long lastWindowEnd = Long.MIN_VALUE;

    /** Consecutive significant windows ending with that one; 0 when it was not significant. */
    public int consecutive;

    public FairnessStreak() {}
}
