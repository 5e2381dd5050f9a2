package dev.vigil.operators.inference;

/**
 * What {@link HotSwapScoringOperator} does with records while no model is usable: before the first version has been
 * loaded, when there is no bootstrap model or it failed to load. Chosen with {@link HotSwapOptions#NO_MODEL_POLICY}.
 *
 * <ul>
 *   <li>{@link #UNSCORED}: records flow on in batches as usual and the {@link HotSwapScoringFunction} receives {@code
 *       null} scores for them, so it can fall back (the ICU pipeline alerts on NEWS2 alone).
 *   <li>{@link #HOLD}: records (and the watermarks behind them) wait in operator state until the first model is
 *       active, then are scored in arrival order, as flink-ml does. The wait is bounded by {@link
 *       HotSwapOptions#HOLD_MAX_RECORDS}: when it is exceeded, and at end of input, the held records leave unscored.
 * </ul>
 */
public enum NoModelPolicy {
    UNSCORED,
    HOLD
}
