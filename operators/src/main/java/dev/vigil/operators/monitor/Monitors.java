package dev.vigil.operators.monitor;

import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Attaches the drift and fairness monitors ({@link MonitorOptions}) to a pipeline's labelled examples and
 * predictions:
 *
 * <pre>
 *  labelled examples ─> error, Brier, log loss ─┐
 *  predictions ───────> score, features ────────┴─> keyBy(signal) ─> drift monitor ─> DriftEvent
 *  labelled examples ─> one per attribute ────────> keyBy(attribute) ─> fairness monitor ─> FairnessWindowReport
 * </pre>
 *
 * <pre>{@code
 * Monitors.Result monitors = Monitors.attach(labeled, predictions, config, "icu", IcuFeatures.NAMES);
 * monitors.driftEvents().sinkTo(...);      // vigil.monitor.drift
 * monitors.fairnessReports().sinkTo(...);  // vigil.monitor.fairness
 * }</pre>
 *
 * Both input streams must carry event-time timestamps and watermarks (the label join's output and the scorer's
 * predictions do). Operator uids are {@code <pipeline>-monitor-*} ({@link #uid}), stable across versions so
 * savepoints restore. Settings are read and validated here, at job construction.
 */
public final class Monitors {

    /** Uid suffix of the operator deriving signals from labelled examples. */
    public static final String LABELED_SIGNALS = "monitor-labeled-signals";
    /** Uid suffix of the operator deriving signals from predictions. */
    public static final String PREDICTION_SIGNALS = "monitor-prediction-signals";
    /** Uid suffix of the drift monitor. */
    public static final String DRIFT = "monitor-drift";
    /** Uid suffix of the fan-out of labelled examples into per-attribute observations. */
    public static final String FAIRNESS_OBSERVATIONS = "monitor-fairness-observations";
    /** Uid suffix of the fairness monitor. */
    public static final String FAIRNESS = "monitor-fairness";

    /**
     * The monitors' outputs.
     *
     * @param driftEvents drift (and warning) events, for {@code vigil.monitor.drift}
     * @param fairnessReports one report per attribute and window, for {@code vigil.monitor.fairness}
     */
    public record Result(DataStream<DriftEvent> driftEvents, DataStream<FairnessWindowReport> fairnessReports) {}

    private Monitors() {}

    /** {@link #attach(DataStream, DataStream, ReadableConfig, String, List)} for a job that watches no feature. */
    public static Result attach(DataStream<LabeledExample> labeled, DataStream<Prediction> predictions,
            ReadableConfig config, String pipeline) {
        return attach(labeled, predictions, config, pipeline, List.of());
    }

    /**
     * Attaches the monitors.
     *
     * @param labeled the label join's output
     * @param predictions the scorer's predictions (read only when the score or a feature is monitored)
     * @param config {@link MonitorOptions}
     * @param pipeline pipeline name, the prefix of the operators' uids
     * @param featureNames the model's feature names in the order of {@code Prediction.features}; every feature in
     *     {@link MonitorOptions#FEATURES} must be one of them
     */
    public static Result attach(DataStream<LabeledExample> labeled, DataStream<Prediction> predictions,
            ReadableConfig config, String pipeline, List<String> featureNames) {
        Objects.requireNonNull(labeled, "labeled");
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(pipeline, "pipeline");
        DriftSettings drift = MonitorOptions.drift(config);
        FairnessSettings fairness = MonitorOptions.fairness(config);

        DataStream<MonitorSignal> signals = labeled
                .process(MonitorSignals.fromLabeled(drift), MonitorSignal.typeInfo())
                .uid(uid(pipeline, LABELED_SIGNALS))
                .name("monitor signals (labelled)");
        if (drift.monitorsPredictions()) {
            signals = signals.union(predictions
                    .process(MonitorSignals.fromPredictions(drift, featureNames), MonitorSignal.typeInfo())
                    .uid(uid(pipeline, PREDICTION_SIGNALS))
                    .name("monitor signals (predictions)"));
        }
        DataStream<DriftEvent> driftEvents = signals
                .keyBy(MonitorSignal::key, Types.STRING)
                .process(new DriftMonitorFunction(drift), DriftMonitorFunction.outputType())
                .uid(uid(pipeline, DRIFT))
                .name("drift monitor");

        DataStream<FairnessWindowReport> reports = labeled
                .process(new FairnessObservations(fairness.attributes(), fairness.clusterByEntity()), FairnessObservation.typeInfo())
                .uid(uid(pipeline, FAIRNESS_OBSERVATIONS))
                .name("fairness observations")
                .keyBy(FairnessObservation::key, Types.STRING)
                .process(new FairnessMonitorFunction(fairness), FairnessMonitorFunction.outputType())
                .uid(uid(pipeline, FAIRNESS))
                .name("fairness monitor");
        return new Result(driftEvents, reports);
    }

    /** The uid of one of the monitors' operators, {@code <pipeline>-<suffix>}. */
    public static String uid(String pipeline, String suffix) {
        return pipeline + "-" + suffix;
    }
}
