package dev.vigil.operators.label;

import dev.vigil.schema.common.LabeledExample;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The label joins' metrics, registered on the operator's metric group under the names below (constants so that
 * dashboards and tests use the same strings): counters, of predictions unless the name says otherwise, and the {@link
 * #LABEL_DELAY_MS} histogram.
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
    /**
     * {@link LabeledExample#getLabelDelayMillis()} of the examples emitted (histogram over the last {@value
     * #LABEL_DELAY_WINDOW}): how long after its prediction a label became known.
     */
    public static final String LABEL_DELAY_MS = "labelDelayMs";

    /** Number of recent examples the {@link #LABEL_DELAY_MS} histogram summarizes. */
    public static final int LABEL_DELAY_WINDOW = 1024;

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
    final Histogram labelDelay;

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
        labelDelay = group.histogram(LABEL_DELAY_MS, new DescriptiveStatisticsHistogram(LABEL_DELAY_WINDOW));
    }

    /** Records an example about to be emitted; returns it. */
    LabeledExample emitted(LabeledExample example) {
        labelDelay.update(example.getLabelDelayMillis());
        return example;
    }

    /** The {@link #LABEL_DELAY_MS} histogram. */
    public Histogram labelDelay() {
        return labelDelay;
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
