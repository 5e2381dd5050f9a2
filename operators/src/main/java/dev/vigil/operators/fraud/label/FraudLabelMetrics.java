package dev.vigil.operators.fraud.label;

import dev.vigil.operators.label.LabelJoinMetrics;
import dev.vigil.schema.common.LabeledExample;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The fraud label join's metrics, registered on the operator's metric group under the names below. Where a count
 * means the same as one of the generic label joins' ({@link LabelJoinMetrics}) it has the same name, so dashboards
 * work across pipelines.
 */
public final class FraudLabelMetrics {

    /** Examples emitted with label 1 (a FRAUD chargeback or verdict). */
    public static final String POSITIVE = LabelJoinMetrics.POSITIVE;
    /** Examples emitted with label 0 (a LEGIT verdict, or matured). */
    public static final String NEGATIVE = LabelJoinMetrics.NEGATIVE;
    /** Of {@link #NEGATIVE}: negatives by label maturity (no fraud label in time). */
    public static final String MATURED = "fraudLabelsMatured";
    /** Declined transactions that matured without a label: no example (it would be selection-biased). */
    public static final String DECLINED_UNLABELED = "fraudLabelsDeclinedUnlabeled";
    /** Chargebacks of a category other than FRAUD: not fraud labels, ignored. */
    public static final String NON_FRAUD_CHARGEBACKS = "fraudLabelsNonFraudChargebacks";
    /** Investigator verdicts that carry no label (UNKNOWN), ignored. */
    public static final String IGNORED_LABELS = LabelJoinMetrics.IGNORED_LABELS;
    /** Labels dead-lettered because their transaction had matured ({@link FraudLabelJoinFunction#LABEL_AFTER_MATURITY}). */
    public static final String LATE_LABELS = LabelJoinMetrics.LATE_LABELS;
    /** Labels dead-lettered because no prediction of their transaction arrived by its maturity. */
    public static final String ORPHAN_LABELS = LabelJoinMetrics.ORPHAN_LABELS;
    /** Labels dead-lettered because the transaction already had one (the first label wins). */
    public static final String DUPLICATE_LABELS = LabelJoinMetrics.DUPLICATE_LABELS;
    /** Repeated predictions of a transaction, ignored. */
    public static final String DUPLICATE_PREDICTIONS = LabelJoinMetrics.DUPLICATE_PREDICTIONS;
    /** Label delay of the emitted examples ({@link LabeledExample#getLabelDelayMillis()}), a histogram. */
    public static final String LABEL_DELAY_MS = LabelJoinMetrics.LABEL_DELAY_MS;

    final Counter positive;
    final Counter negative;
    final Counter matured;
    final Counter declinedUnlabeled;
    final Counter nonFraudChargebacks;
    final Counter ignoredLabels;
    final Counter lateLabels;
    final Counter orphanLabels;
    final Counter duplicateLabels;
    final Counter duplicatePredictions;
    final Histogram labelDelay;

    FraudLabelMetrics(MetricGroup group) {
        positive = group.counter(POSITIVE);
        negative = group.counter(NEGATIVE);
        matured = group.counter(MATURED);
        declinedUnlabeled = group.counter(DECLINED_UNLABELED);
        nonFraudChargebacks = group.counter(NON_FRAUD_CHARGEBACKS);
        ignoredLabels = group.counter(IGNORED_LABELS);
        lateLabels = group.counter(LATE_LABELS);
        orphanLabels = group.counter(ORPHAN_LABELS);
        duplicateLabels = group.counter(DUPLICATE_LABELS);
        duplicatePredictions = group.counter(DUPLICATE_PREDICTIONS);
        labelDelay = group.histogram(
                LABEL_DELAY_MS, new DescriptiveStatisticsHistogram(LabelJoinMetrics.LABEL_DELAY_WINDOW));
    }

    /** Records an example about to be emitted; returns it. */
    LabeledExample emitted(LabeledExample example) {
        (example.getLabel() > 0.5 ? positive : negative).inc();
        labelDelay.update(example.getLabelDelayMillis());
        return example;
    }

    /** The count of the counter named {@code name} (one of the constants). */
    public long count(String name) {
        switch (name) {
            case POSITIVE:
                return positive.getCount();
            case NEGATIVE:
                return negative.getCount();
            case MATURED:
                return matured.getCount();
            case DECLINED_UNLABELED:
                return declinedUnlabeled.getCount();
            case NON_FRAUD_CHARGEBACKS:
                return nonFraudChargebacks.getCount();
            case IGNORED_LABELS:
                return ignoredLabels.getCount();
            case LATE_LABELS:
                return lateLabels.getCount();
            case ORPHAN_LABELS:
                return orphanLabels.getCount();
            case DUPLICATE_LABELS:
                return duplicateLabels.getCount();
            case DUPLICATE_PREDICTIONS:
                return duplicatePredictions.getCount();
            default:
                throw new IllegalArgumentException("no fraud label metric " + name);
        }
    }
}
