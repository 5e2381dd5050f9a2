package dev.vigil.operators.label;

import dev.vigil.schema.common.LabelSource;
import java.io.Serializable;

/**
 * How the prediction-id join ({@link FeedbackLabelJoinFunction}) reads a label out of a feedback record of type
 * {@code F}: an investigator's decision, a chat user's rating of an answer, a chargeback of one transaction. One
 * small implementation per feedback schema; the join needs nothing else from it.
 *
 * <pre>{@code
 * class InvestigatorLabels implements FeedbackLabels<CaseDecision> {
 *     public String predictionId(CaseDecision d) { return d.getPredictionId(); }
 *     public LabelSource source(CaseDecision d) { return LabelSource.INVESTIGATOR; }
 *     public double label(CaseDecision d) { return d.getFraud() ? 1.0 : 0.0; }
 *     public long labelTime(CaseDecision d) { return d.getDecidedAt().toEpochMilli(); }
 * }
 * }</pre>
 *
 * @param <F> the feedback type
 */
public interface FeedbackLabels<F> extends Serializable {

    /** Id of the prediction the feedback refers to, as {@link LabelJoin#predictionId} computes it. */
    String predictionId(F feedback);

    /** Where the label comes from. */
    LabelSource source(F feedback);

    /** The label: 1.0 / 0.0 for binary feedback. */
    double label(F feedback);

    /** Event time the label became true (the decision, the rating, the chargeback), epoch ms. */
    long labelTime(F feedback);

    /** When the feedback was recorded, epoch ms; by default its {@link #labelTime}. */
    default long recordedAt(F feedback) {
        return labelTime(feedback);
    }

    /**
     * A stable code of what decided the label (e.g. {@code CONFIRMED_FRAUD}, {@code THUMBS_DOWN}); empty by
     * default.
     */
    default String evidence(F feedback) {
        return "";
    }
}
