package dev.vigil.operators.alert;

import dev.vigil.operators.icu.News2Response;
import dev.vigil.schema.icu.AlertLevel;
import dev.vigil.schema.icu.AlertTrigger;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When to raise a deterioration alert for one patient, from the model's risk and NEWS2, with hysteresis and a
 * suppression window. Immutable and thread-safe; the per-patient memory is an {@link AlertState}.
 *
 * <p><b>Candidates.</b>
 *
 * <ul>
 *   <li>Model: risk ≥ {@code enter} gives MEDIUM, risk ≥ {@code high} gives HIGH.
 *   <li>NEWS2 as the clinical fallback: when the model's score is missing (null or NaN), the RCP chart 2 response
 *       raises LOW_MEDIUM, MEDIUM or HIGH on its own. When the model has a score, NEWS2 adds a candidate only when its
 *       response is HIGH (an emergency response is never left to the model), unless that safety net is switched off
 *       ({@code vigil.icu.alert.news2-high-always}).
 * </ul>
 *
 * The alert's level is the highest candidate's. Its trigger is {@code MODEL_AND_NEWS2} when the model is at or above
 * {@code enter} and NEWS2 calls for any response beyond routine (LOW_MEDIUM or more), {@code MODEL} when only the
 * model fires, {@code NEWS2} otherwise.
 *
 * <p><b>Hysteresis.</b> After the model reaches {@code enter} its episode stays active until the risk falls below
 * {@code exit} ({@code exit < enter}); while active, the model raises nothing new unless the level escalates. A
 * missing score leaves the episode as it was.
 *
 * <p><b>Suppression.</b> Within {@code suppression} event time of the last alert nothing is raised for the patient
 * unless the level escalates above the last alert's.
 *
 * <p>An alert raised inside the suppression window or the model's active episode, at a level above the last one, is
 * flagged as an escalation.
 *
 * <p><b>Defaults</b> ({@link AlertOptions}): enter 0.30, exit 0.20, high 0.60, suppression 4 h. They assume a
 * calibrated probability of deterioration within the model's horizon; tune them against the alert burden (alerts per
 * 100 patient-days, see {@code reference/clinical.md}), not AUROC alone.
 */
public final class AlertPolicy implements Serializable {

    private static final long serialVersionUID = 1L;

    private final double enter;
    private final double exit;
    private final double high;
    private final long suppressionMillis;
    private final boolean news2HighAlways;

    /**
     * @param enter risk at which the model raises a MEDIUM alert, in (0, 1]
     * @param exit risk below which the model re-arms, in (0, enter)
     * @param high risk at which the model's alert is HIGH, in [enter, 1]
     * @param suppression no repeat alert within this event time unless the level escalates; not negative
     */
    public AlertPolicy(double enter, double exit, double high, Duration suppression) {
        this(enter, exit, high, suppression, true);
    }

    /**
     * @param news2HighAlways whether a HIGH NEWS2 response raises an alert even when the model scored the patient
     *     below {@code enter} (the emergency-response safety net); when false, NEWS2 raises alerts only while the
     *     model is unavailable
     */
    public AlertPolicy(double enter, double exit, double high, Duration suppression, boolean news2HighAlways) {
        Objects.requireNonNull(suppression, "suppression");
        if (!(enter > 0 && enter <= 1)) {
            throw new IllegalArgumentException("enter must be in (0, 1]: " + enter);
        }
        if (!(exit > 0 && exit < enter)) {
            throw new IllegalArgumentException("exit must be in (0, enter): exit " + exit + ", enter " + enter);
        }
        if (!(high >= enter && high <= 1)) {
            throw new IllegalArgumentException("high must be in [enter, 1]: high " + high + ", enter " + enter);
        }
        if (suppression.isNegative()) {
            throw new IllegalArgumentException("suppression must not be negative: " + suppression);
        }
        this.enter = enter;
        this.exit = exit;
        this.high = high;
        this.suppressionMillis = suppression.toMillis();
        this.news2HighAlways = news2HighAlways;
    }

    /**
     * Evaluates one scored observation of the patient and updates {@code state}.
     *
     * @param eventTime the snapshot's event time, epoch ms
     * @param risk the model's probability, or null (or NaN) when the model was unavailable
     * @param news2 the NEWS2 clinical response (null is read as LOW)
     * @return the alert to raise, if any
     */
    public Optional<AlertDecision> evaluate(AlertState state, long eventTime, Double risk, News2Response news2) {
        News2Response response = news2 == null ? News2Response.LOW : news2;
        boolean scored = risk != null && !risk.isNaN();

        AlertLevel modelLevel = null;
        AlertLevel newsLevel = null;
        if (scored) {
            double r = risk;
            if (r >= enter) {
                modelLevel = r >= high ? AlertLevel.HIGH : AlertLevel.MEDIUM;
            }
            if (news2HighAlways && response == News2Response.HIGH) {
                newsLevel = AlertLevel.HIGH;
            }
        } else {
            newsLevel = levelOf(response);
        }

        boolean wasActive = state.modelActive;
        if (scored) {
            if (risk >= enter) {
                state.modelActive = true;
            } else if (risk < exit) {
                state.modelActive = false;
            }
        }

        AlertLevel level = max(modelLevel, newsLevel);
        if (level == null) {
            return Optional.empty();
        }
        boolean hasLast = state.lastLevel != null;
        boolean withinWindow = hasLast && eventTime - state.lastAlertTime < suppressionMillis;
        boolean escalation = hasLast && level.compareTo(state.lastLevel) > 0 && (withinWindow || wasActive);
        boolean freshModel = modelLevel != null && !wasActive && !withinWindow;
        boolean freshNews = newsLevel != null && !withinWindow;
        if (!(escalation || freshModel || freshNews)) {
            return Optional.empty();
        }

        AlertTrigger trigger;
        if (modelLevel != null) {
            trigger = response.atLeast(News2Response.LOW_MEDIUM) ? AlertTrigger.MODEL_AND_NEWS2 : AlertTrigger.MODEL;
        } else {
            trigger = AlertTrigger.NEWS2;
        }
        state.lastAlertTime = eventTime;
        state.lastLevel = level;
        return Optional.of(new AlertDecision(level, trigger, escalation));
    }

    public double enter() {
        return enter;
    }

    public double exit() {
        return exit;
    }

    public double high() {
        return high;
    }

    public Duration suppression() {
        return Duration.ofMillis(suppressionMillis);
    }

    private static AlertLevel levelOf(News2Response response) {
        switch (response) {
            case HIGH:
                return AlertLevel.HIGH;
            case MEDIUM:
                return AlertLevel.MEDIUM;
            case LOW_MEDIUM:
                return AlertLevel.LOW_MEDIUM;
            case LOW:
            default:
                return null;
        }
    }

    private static AlertLevel max(AlertLevel a, AlertLevel b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "AlertPolicy[enter=" + enter + ", exit=" + exit + ", high=" + high + ", suppression="
                + suppression() + "]";
    }
}
