package dev.vigil.operators.label;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The label joins' counters, registered on the operator's metric group under the names below (constants so that
 * dashboards and tests use the same strings). Counts are of predictions unless the name says otherwise.
 */
public final class LabelJoinMetrics {

    /** Predictions emitted with a positive label (horizon join). */
    public static final String POSITIVE = "labelsPositive";
    /** Predictions emitted with a negative label (horizon join). */
    public static final String NEGATIVE = "labelsNegative";
    /** Predictions joined with their feedback (prediction-id join). */
    public static final String JOINED = "labelsJoined";
    /** Predictions dead-lettered as {@link LabelReasons#UNLABELED}: no label within the TTL. */
    public static final String UNLABELED = "labelsUnlabeled";
    /** Predictions dead-lettered as {@link LabelReasons#PREDICTION_LATE}. */
    public static final String LATE_PREDICTIONS = "labelsLatePredictions";
    /** Predictions not kept because of {@code vigil.labels.sample-every}. */
    public static final String SAMPLED_OUT = "labelsSampledOut";
    /** Duplicate predictions (same prediction id) ignored by the prediction-id join. */
    public static final String DUPLICATE_PREDICTIONS = "labelsDuplicatePredictions";
    /** Outcomes or feedback that arrived more than the allowed lateness behind the watermark (still applied). */
    public static final String LATE_LABELS = "labelsLateLabels";
    /** Outcomes that carry no label (UNKNOWN type) and were ignored. */
    public static final String IGNORED_LABELS = "labelsIgnoredLabels";
    /** Feedback dead-lettered as {@link LabelReasons#ORPHAN_LABEL}. */
    public static final String ORPHAN_LABELS = "labelsOrphanLabels";
    /** Feedback dead-lettered as {@link LabelReasons#DUPLICATE_LABEL}. */
    public static final String DUPLICATE_LABELS = "labelsDuplicateLabels";

    final Counter positive;
    final Counter negative;
    final Counter joined;
    final Counter unlabeled;
    final Counter latePredictions;
    final Counter sampledOut;
    final Counter duplicatePredictions;
    final Counter lateLabels;
    final Counter ignoredLabels;
    final Counter orphanLabels;
    final Counter duplicateLabels;

    LabelJoinMetrics(MetricGroup group) {
        positive = group.counter(POSITIVE);
        negative = group.counter(NEGATIVE);
        joined = group.counter(JOINED);
        unlabeled = group.counter(UNLABELED);
        latePredictions = group.counter(LATE_PREDICTIONS);
        sampledOut = group.counter(SAMPLED_OUT);
        duplicatePredictions = group.counter(DUPLICATE_PREDICTIONS);
        lateLabels = group.counter(LATE_LABELS);
        ignoredLabels = group.counter(IGNORED_LABELS);
        orphanLabels = group.counter(ORPHAN_LABELS);
        duplicateLabels = group.counter(DUPLICATE_LABELS);
    }

    /** The count of the counter named {@code name} (one of the constants). */
    public long count(String name) {
        switch (name) {
            case POSITIVE:
                return positive.getCount();
            case NEGATIVE:
                return negative.getCount();
            case JOINED:
                return joined.getCount();
            case UNLABELED:
                return unlabeled.getCount();
            case LATE_PREDICTIONS:
                return latePredictions.getCount();
            case SAMPLED_OUT:
                return sampledOut.getCount();
            case DUPLICATE_PREDICTIONS:
                return duplicatePredictions.getCount();
            case LATE_LABELS:
                return lateLabels.getCount();
            case IGNORED_LABELS:
                return ignoredLabels.getCount();
            case ORPHAN_LABELS:
                return orphanLabels.getCount();
            case DUPLICATE_LABELS:
                return duplicateLabels.getCount();
            default:
                throw new IllegalArgumentException("no label metric " + name);
        }
    }
}
