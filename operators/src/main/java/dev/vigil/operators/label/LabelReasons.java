package dev.vigil.operators.label;

/**
 * Stable, greppable reason codes the label join writes to {@code DeadLetter.reason} (stage {@link LabelJoin#STAGE}).
 * Dashboards and runbooks key on these strings: never rename one, only add.
 */
public final class LabelReasons {

    /** A prediction whose label did not come within {@code vigil.labels.ttl}; the dead letter carries it. */
    public static final String UNLABELED = "UNLABELED";

    /** A prediction that arrived more than {@code vigil.labels.allowed-lateness} behind the watermark. */
    public static final String PREDICTION_LATE = "PREDICTION_LATE";

    /** Feedback that referred to a prediction id no prediction arrived for within the TTL. */
    public static final String ORPHAN_LABEL = "ORPHAN_LABEL";

    /** Feedback for a prediction that already had a label (the first label wins). */
    public static final String DUPLICATE_LABEL = "DUPLICATE_LABEL";

    private LabelReasons() {}
}
