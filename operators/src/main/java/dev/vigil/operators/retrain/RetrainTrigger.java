package dev.vigil.operators.retrain;

import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.operators.retrain.RetrainState.DriftStats;
import dev.vigil.operators.retrain.RetrainState.WindowStats;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import dev.vigil.schema.monitor.RetrainReason;
import dev.vigil.schema.monitor.RetrainRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Decides when a model should be retrained, and on which window of labelled examples. Plain Java: the Flink operator
 * ({@link RetrainTriggerFunction}) keeps a {@link RetrainState} per model name and calls this class.
 *
 * <p>Labelled examples are counted in tumbling event-time windows of their label time (when each became a labelled
 * example), aligned to the epoch. When a window closes (the watermark passed its end), a {@link RetrainRequest} naming
 * that window is made if
 *
 * <ol>
 *   <li>at least one reason holds: <b>DRIFT</b>, a {@link DriftEvent} of kind DRIFT for the model with an event time
 *       before the window's end, not yet consumed; <b>METRIC_DROP</b>, the window's prequential metric (log loss or
 *       error rate of the examples scored by the newest version) exceeds that version's baseline by more than the
 *       allowed relative increase, the baseline being the metric of the first window with enough examples after the
 *       version started scoring (a promotion starts a new baseline); <b>SCHEDULE</b>, the configured number of windows
 *       was closed since the last request (windows without any input are not closed, so not counted);
 *   <li>the last request's window ended at least {@code cooldown} before this one's end; otherwise the reasons are
 *       dropped ({@link Outcome#SUPPRESSED}), so a lasting problem asks again once the cooldown is over, and a burst
 *       of detections asks once;
 *   <li>the window has at least {@code min-labelled} labelled examples; otherwise pending drift waits for a window
 *       that has (the outcome is {@link Outcome#DEFERRED}).
 * </ol>
 *
 * <p>Every decision depends on event time only, so a replay makes the same requests with the same ids. Examples whose
 * window was already closed are late: they are dropped and {@link #addExample} says so.
 *
 * <p>The metric-drop test follows the prequential evaluation of Gama, Sebastião and Rodrigues, "On evaluating stream
 * learning algorithms", Machine Learning 90(3), 2013: each example is scored before its label is known, and the loss
 * is averaged over a window; the drift reasons come from the detectors of {@code dev.vigil.operators.drift}.
 *
 * <pre>{@code
 * RetrainTrigger trigger = new RetrainTrigger(settings);
 * RetrainState state = new RetrainState();
 * long end = trigger.addExample(state, example);      // the window end to set a timer for
 * RetrainTrigger.Decision d = trigger.closeWindow(state, "fraud", end);
 * d.request();                                        // a RetrainRequest when d.outcome() == REQUESTED
 * }</pre>
 */
public final class RetrainTrigger {

    /** The clipping of scores in the log loss. */
    static final double EPSILON = 1e-7;

    /** Baseline floor of the relative test, so a baseline of 0 (e.g. no errors) does not make any error a drop. */
    static final double BASELINE_FLOOR = 1e-3;

    /** Model version of a request when no example of the window was scored by a model. */
    public static final String NO_VERSION = "none";

    private final RetrainSettings settings;

    /** What closing a window did. */
    public enum Outcome {
        /** No reason held. */
        NONE,
        /** A request was made. */
        REQUESTED,
        /** A reason held but the window had too few labelled examples; pending drift stays pending. */
        DEFERRED,
        /** A reason held but the cooldown since the last request was not over; the reasons were dropped. */
        SUPPRESSED
    }

    /**
     * The result of {@link #closeWindow}.
     *
     * @param outcome what happened
     * @param request the request when {@code outcome} is {@link Outcome#REQUESTED}, else {@code null}
     */
    public record Decision(Outcome outcome, RetrainRequest request) {}

    public RetrainTrigger(RetrainSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public RetrainSettings settings() {
        return settings;
    }

    /** Start of the window holding event time {@code t}. */
    public long windowStart(long t) {
        return Math.floorDiv(t, settings.windowMillis()) * settings.windowMillis();
    }

    /** End (exclusive) of the window holding event time {@code t}. */
    public long windowEnd(long t) {
        return windowStart(t) + settings.windowMillis();
    }

    /**
     * Counts {@code example} in the window of its label time.
     *
     * @return the end of that window, to close it when the watermark passes; {@link RetrainState#NEVER} when the
     *     example is late (its window was closed) and was dropped
     */
    public long addExample(RetrainState state, LabeledExample example) {
        long t = example.getLabelTime().toEpochMilli();
        if (state.closedUpTo != RetrainState.NEVER && t < state.closedUpTo) {
            return RetrainState.NEVER;
        }
        state.pipeline = example.getPipeline();
        long start = windowStart(t);
        WindowStats w = state.windows.get(start);
        if (w == null) {
            w = new WindowStats();
            state.windows.put(start, w);
        }
        w.labelled++;
        boolean positive = example.getLabel() >= 0.5;
        if (positive) {
            w.positives++;
        }
        String version = example.getModelVersion();
        Double score = example.getScore();
        if (score == null || NO_VERSION.equals(version) || Double.isNaN(score)) {
            return start + settings.windowMillis();
        }
        if (w.version == null || ModelVersionOrder.isNewer(version, w.version)) {
            w.version = version;
            w.scored = 0;
            w.lossSum = 0;
            w.errors = 0;
        } else if (!version.equals(w.version)) {
            return start + settings.windowMillis(); // an older version's late examples: not part of the metric
        }
        w.scored++;
        double p = Math.min(1 - EPSILON, Math.max(EPSILON, score));
        w.lossSum -= positive ? Math.log(p) : Math.log1p(-p);
        if ((score >= settings.threshold()) != positive) {
            w.errors++;
        }
        return start + settings.windowMillis();
    }

    /**
     * Records a drift event of the model. Warnings, and every event when drift is not a reason, are ignored. A drift
     * whose window was already closed counts in the next window to close.
     *
     * @return the end of the window it counts in, or {@link RetrainState#NEVER} when it was ignored
     */
    public long addDrift(RetrainState state, DriftEvent drift) {
        if (!settings.onDrift() || drift.getKind() != DriftKind.DRIFT) {
            return RetrainState.NEVER;
        }
        long t = drift.getEventTime().toEpochMilli();
        if (state.closedUpTo != RetrainState.NEVER && t < state.closedUpTo) {
            t = state.closedUpTo;
        }
        long start = windowStart(t);
        DriftStats d = state.drifts.get(start);
        if (d == null) {
            d = new DriftStats();
            state.drifts.put(start, d);
        }
        d.add(drift.getEventTime().toEpochMilli(), drift.getDetector() + ' ' + drift.getSignal());
        return start + settings.windowMillis();
    }

    /**
     * Closes the window that ends at {@code windowEnd} (the watermark passed it) and decides whether to request a
     * retrain of {@code modelName}. Closing a window that was already closed, or is older, does nothing.
     */
    public Decision closeWindow(RetrainState state, String modelName, long windowEnd) {
        if (state.closedUpTo != RetrainState.NEVER && windowEnd <= state.closedUpTo) {
            return new Decision(Outcome.NONE, null);
        }
        long start = windowEnd - settings.windowMillis();
        WindowStats w = state.windows.remove(start);
        if (w == null) {
            w = new WindowStats();
        }
        // Windows older than this one cannot receive anything once it is closed.
        state.windows.headMap(start).clear();
        state.closedUpTo = windowEnd;
        state.windowsSinceRequest++;

        // (c) the metric against the watched version's baseline
        boolean metricDrop = false;
        Double metricValue = null;
        if (w.version != null && (state.watchedVersion == null
                || ModelVersionOrder.isNewer(w.version, state.watchedVersion))) {
            state.watchedVersion = w.version; // a new version scores: its baseline is measured afresh
            state.baseline = Double.NaN;
            state.baselineWindowEnd = RetrainState.NEVER;
        }
        if (settings.metric() != RetrainSettings.Metric.NONE && w.version != null
                && w.version.equals(state.watchedVersion) && w.scored >= settings.minLabelled()) {
            double value = settings.metric() == RetrainSettings.Metric.LOG_LOSS
                    ? w.lossSum / w.scored : (double) w.errors / w.scored;
            metricValue = value;
            if (Double.isNaN(state.baseline)) {
                state.baseline = value;
                state.baselineWindowEnd = windowEnd;
            } else {
                metricDrop = value > state.baseline + settings.maxIncrease()
                        * Math.max(state.baseline, BASELINE_FLOOR);
            }
        }

        // (b) drift up to this window's end
        DriftStats drift = new DriftStats();
        Map<Long, DriftStats> due = state.drifts.headMap(windowEnd - settings.windowMillis(), true);
        for (DriftStats d : due.values()) {
            drift.addAll(d);
        }

        // (a) the schedule
        boolean scheduled = settings.scheduleEveryWindows() > 0
                && state.windowsSinceRequest >= settings.scheduleEveryWindows();

        List<RetrainReason> reasons = new ArrayList<>(3);
        if (scheduled) {
            reasons.add(RetrainReason.SCHEDULE);
        }
        if (drift.count > 0) {
            reasons.add(RetrainReason.DRIFT);
        }
        if (metricDrop) {
            reasons.add(RetrainReason.METRIC_DROP);
        }
        if (reasons.isEmpty()) {
            return new Decision(Outcome.NONE, null);
        }
        if (state.lastRequestWindowEnd != RetrainState.NEVER
                && windowEnd - state.lastRequestWindowEnd < settings.cooldownMillis()) {
            due.clear();
            return new Decision(Outcome.SUPPRESSED, null);
        }
        if (w.labelled < settings.minLabelled()) {
            // Keep pending drift, as one entry, for the next window with enough examples.
            due.clear();
            if (drift.count > 0) {
                state.drifts.put(start, drift);
            }
            return new Decision(Outcome.DEFERRED, null);
        }
        due.clear();
        state.lastRequestWindowEnd = windowEnd;
        state.windowsSinceRequest = 0;
        RetrainRequest request = RetrainRequest.newBuilder()
                .setRequestId(requestId(modelName, start, windowEnd))
                .setPipeline(state.pipeline)
                .setModelName(modelName)
                .setModelVersion(w.version != null ? w.version
                        : state.watchedVersion != null ? state.watchedVersion : NO_VERSION)
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setReasons(reasons)
                .setLabelledExamples(w.labelled)
                .setPositives(w.positives)
                .setMetric(settings.metric().key())
                .setMetricValue(metricValue)
                .setMetricExamples(w.version != null && w.version.equals(state.watchedVersion) ? w.scored : 0)
                .setBaselineValue(Double.isNaN(state.baseline) ? null : state.baseline)
                .setBaselineWindowEnd(state.baselineWindowEnd == RetrainState.NEVER ? null
                        : Instant.ofEpochMilli(state.baselineWindowEnd))
                .setDriftEvents(drift.count)
                .setDriftSignals(new ArrayList<>(drift.signals))
                .setFirstDriftTime(drift.count > 0 ? Instant.ofEpochMilli(drift.firstTime) : null)
                .build();
        return new Decision(Outcome.REQUESTED, request);
    }

    /** The deterministic id of the request of {@code modelName} for window {@code [start, end)}. */
    public static String requestId(String modelName, long start, long end) {
        return UUID.nameUUIDFromBytes((modelName + '/' + start + '/' + end).getBytes(StandardCharsets.UTF_8))
                .toString();
    }
}
