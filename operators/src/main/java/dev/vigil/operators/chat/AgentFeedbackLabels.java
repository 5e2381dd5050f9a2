package dev.vigil.operators.chat;

import dev.vigil.operators.label.FeedbackLabels;
import dev.vigil.schema.chat.AgentFeedback;
import dev.vigil.schema.common.LabelSource;

/**
 * Reads a triage label out of an agent's {@link AgentFeedback}: the class index of {@code correctClass}, from {@link
 * LabelSource#AGENT_FEEDBACK}, with evidence {@code AGENT_CONFIRMED} or {@code AGENT_CORRECTED}. Feedback naming an
 * unknown class is refused upstream (ingest), so {@link #label} never sees one.
 */
public final class AgentFeedbackLabels implements FeedbackLabels<AgentFeedback> {

    private static final long serialVersionUID = 1L;

    @Override
    public String predictionId(AgentFeedback feedback) {
        return feedback.getPredictionId();
    }

    @Override
    public LabelSource source(AgentFeedback feedback) {
        return LabelSource.AGENT_FEEDBACK;
    }

    @Override
    public double label(AgentFeedback feedback) {
        return TriageClass.ofLabel(feedback.getCorrectClass()).ordinal();
    }

    @Override
    public long labelTime(AgentFeedback feedback) {
        return feedback.getGivenAt().toEpochMilli();
    }

    @Override
    public String evidence(AgentFeedback feedback) {
        return feedback.getAgreed() ? "AGENT_CONFIRMED" : "AGENT_CORRECTED";
    }
}
