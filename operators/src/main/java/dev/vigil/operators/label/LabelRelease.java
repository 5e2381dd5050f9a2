package dev.vigil.operators.label;

/**
 * When the horizon join ({@link OutcomeLabelJoinFunction}) emits a positive label ({@link
 * LabelOptions#RELEASE}). Negatives are always emitted when the watermark passes {@code end(t) + L}.
 */
public enum LabelRelease {
    /**
     * A positive leaves as soon as it is decided (its outcome, or the prediction, arrives): the fastest label, but an
     * online learner downstream sees positives hours before the negatives of the same period (label-delay bias).
     */
    IMMEDIATE,
    /**
     * A positive is held in keyed state and leaves with the event-time timer that decides negatives for its
     * prediction ({@code watermark >= end(t) + L}): labelled examples leave in prediction-time order per entity, and
     * positives and negatives reach the learner with the same delay. The label time stays the outcome time.
     */
    AT_HORIZON
}
