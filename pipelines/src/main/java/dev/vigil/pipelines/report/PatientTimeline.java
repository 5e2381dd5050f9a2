package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One patient's stay as the report draws it: the model's risk score and NEWS2 over event time, the alerts raised,
 * and (for simulated patients) when the outcome happened.
 *
 * <p>The label must be a pseudonym of the form {@link Pseudonyms} hands out ({@code "patient A"}); anything else is
 * rejected, so no patient identifier can reach a report through this type.
 *
 * <pre>{@code
 * PatientTimeline timeline = PatientTimeline.builder(pseudonyms.labelFor(patientId))
 *         .score(prediction.getEventTime(), prediction.getScore(), prediction.getBaselineScore())
 *         .alert(alert.getEventTime(), alert.getLevel().name(), alert.getTrigger().name(), alert.getEscalation())
 *         .outcome(truth.outcomeTime(), "deterioration")
 *         .build();
 * }</pre>
 *
 * @param label pseudonymous label, e.g. {@code patient A}
 * @param scores scored snapshots in event-time order
 * @param alerts alerts in event-time order
 * @param outcome the outcome, or {@code null} when none happened (or none is known)
 */
public record PatientTimeline(String label, List<ScorePoint> scores, List<AlertMark> alerts, Outcome outcome) {

    /** NEWS2 totals lie in {@code [0, MAX_NEWS2]}. */
    public static final int MAX_NEWS2 = 20;

    public PatientTimeline {
        checkArgument(Pseudonyms.isLabel(label),
                "a patient timeline's label must be a pseudonym like 'patient A' (see Pseudonyms), got another form");
        scores = List.copyOf(scores);
        alerts = List.copyOf(alerts);
        for (int i = 1; i < scores.size(); i++) {
            checkArgument(!scores.get(i).eventTime().isBefore(scores.get(i - 1).eventTime()),
                    "scores must be in event-time order");
        }
        for (int i = 1; i < alerts.size(); i++) {
            checkArgument(!alerts.get(i).eventTime().isBefore(alerts.get(i - 1).eventTime()),
                    "alerts must be in event-time order");
        }
    }

    public static Builder builder(String label) {
        return new Builder(label);
    }

    /**
     * One scored snapshot.
     *
     * @param eventTime event time the features describe
     * @param modelScore model probability in [0, 1]; {@code NaN} when the model was unavailable
     * @param news2 NEWS2 total in [0, 20]; {@code NaN} when not computed
     */
    public record ScorePoint(Instant eventTime, double modelScore, double news2) {
        public ScorePoint {
            checkNotNull(eventTime, "eventTime");
            checkArgument(Double.isNaN(modelScore) || (modelScore >= 0 && modelScore <= 1),
                    "modelScore must be in [0, 1] or NaN, got %s", modelScore);
            checkArgument(Double.isNaN(news2) || (news2 >= 0 && news2 <= MAX_NEWS2),
                    "news2 must be in [0, %s] or NaN, got %s", MAX_NEWS2, news2);
        }
    }

    /**
     * One alert.
     *
     * @param eventTime event time of the observation that raised it
     * @param level alert level, e.g. {@code LOW_MEDIUM}, {@code MEDIUM}, {@code HIGH}
     * @param trigger what raised it, e.g. {@code MODEL}, {@code NEWS2}, {@code MODEL_AND_NEWS2}
     * @param escalation whether it escalated an earlier alert
     */
    public record AlertMark(Instant eventTime, String level, String trigger, boolean escalation) {
        public AlertMark {
            checkNotNull(eventTime, "eventTime");
            checkArgument(level != null && !level.isBlank(), "level must not be blank");
            checkArgument(trigger != null && !trigger.isBlank(), "trigger must not be blank");
        }
    }

    /**
     * What happened to the patient (known for simulated patients), drawn as a vertical line.
     *
     * @param eventTime when it happened
     * @param kind what happened, e.g. {@code deterioration}
     */
    public record Outcome(Instant eventTime, String kind) {
        public Outcome {
            checkNotNull(eventTime, "eventTime");
            checkArgument(kind != null && !kind.isBlank(), "kind must not be blank");
        }
    }

    /** Collects points in any order; {@link #build()} sorts them by event time. */
    public static final class Builder {
        private final String label;
        private final List<ScorePoint> scores = new ArrayList<>();
        private final List<AlertMark> alerts = new ArrayList<>();
        private Outcome outcome;

        private Builder(String label) {
            this.label = label;
        }

        /**
         * Adds a scored snapshot.
         *
         * @param modelScore model probability, or {@code null} when the model was unavailable
         * @param news2 NEWS2 total, or {@code null} when not computed
         */
        public Builder score(Instant eventTime, Double modelScore, Double news2) {
            scores.add(new ScorePoint(eventTime, modelScore == null ? Double.NaN : modelScore,
                    news2 == null ? Double.NaN : news2));
            return this;
        }

        public Builder alert(Instant eventTime, String level, String trigger, boolean escalation) {
            alerts.add(new AlertMark(eventTime, level, trigger, escalation));
            return this;
        }

        public Builder outcome(Instant eventTime, String kind) {
            this.outcome = new Outcome(eventTime, kind);
            return this;
        }

        public PatientTimeline build() {
            scores.sort(Comparator.comparing(ScorePoint::eventTime));
            alerts.sort(Comparator.comparing(AlertMark::eventTime));
            return new PatientTimeline(label, scores, alerts, outcome);
        }
    }
}
