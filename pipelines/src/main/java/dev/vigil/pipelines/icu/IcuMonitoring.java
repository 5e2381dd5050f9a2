package dev.vigil.pipelines.icu;

import dev.vigil.operators.alert.AlertOptions;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.icu.VitalSign;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.operators.monitor.MonitorOptions;
import dev.vigil.operators.monitor.Monitors;
import dev.vigil.operators.monitor.SignalKind;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The ICU job's monitors ({@link IcuPipelineOptions#MONITORING_ENABLED}): drift detectors on the joined error stream,
 * the scores and the watched features, fairness reports per protected attribute (sex at birth, age band) over sliding
 * event-time windows of the predictions joined with their outcomes (see {@code dev.vigil.operators.monitor}).
 *
 * <pre>
 *  label join ──> labelled examples ─┬─> drift monitor ────> vigil.monitor.drift
 *  predictions ──────────────────────┘   fairness monitor ─> vigil.monitor.fairness
 * </pre>
 *
 * Both sinks are exactly-once like every other output of the job, so a restore never repeats a drift event or a
 * fairness report in {@code read_committed} output.
 *
 * <p>ICU defaults, each applied only where the configuration leaves the option unset ({@link #withIcuDefaults}): the
 * decision threshold of the error stream and of the fairness rates is the alert policy's enter threshold ({@code
 * vigil.icu.alert.risk.enter}, a risk at which the ward is told); the protected attributes are sex at birth and age
 * band; the watched features are the 1-hour means of the six trended vitals ({@link #DEFAULT_FEATURES}); the drift
 * monitor warms up for {@link #WARM_UP}; PSI on the score and features compares windows of {@link #PSI_WINDOWS}.
 */
final class IcuMonitoring {

    /** Protected attributes the fairness monitor reports on by default (keys of {@code LabeledExample.group}). */
    static final List<String> DEFAULT_ATTRIBUTES = List.of("sexAtBirth", "ageBand");

    /** Features whose distribution the drift monitor watches by default: the 1 h mean of each trended vital. */
    static final List<String> DEFAULT_FEATURES = defaultFeatures();

    /**
     * The drift monitor's warm-up: the 4 h look-back of the longest features. Until then a patient cohort that started
     * with the stream still has features filling in, and a reference taken then would not describe the ward.
     */
    static final java.time.Duration WARM_UP = java.time.Duration.ofHours(4);

    /**
     * PSI reference and window of the score and the features: 10,000 predictions, about 40 minutes of a 500-bed
     * cohort. PSI's published defaults (500 + 500) hold a few minutes of a few patients here, whose consecutive
     * predictions are correlated, and false-alarm every few hours on a stable ward.
     */
    static final List<String> PSI_WINDOWS = List.of("reference-size=10000", "window-size=10000");

    private IcuMonitoring() {}

    /** {@code config} with the ICU defaults filled in where it leaves the monitor options unset. */
    static Configuration withIcuDefaults(ReadableConfig config) {
        Configuration effective = Configuration.fromMap(config.toMap());
        if (config.getOptional(MonitorOptions.THRESHOLD).isEmpty()) {
            effective.set(MonitorOptions.THRESHOLD, config.get(AlertOptions.RISK_ENTER));
        }
        if (config.getOptional(MonitorOptions.FAIRNESS_ATTRIBUTES).isEmpty()) {
            effective.set(MonitorOptions.FAIRNESS_ATTRIBUTES, DEFAULT_ATTRIBUTES);
        }
        if (config.getOptional(MonitorOptions.FEATURES).isEmpty()) {
            effective.set(MonitorOptions.FEATURES, DEFAULT_FEATURES);
        }
        if (config.getOptional(MonitorOptions.WARM_UP).isEmpty()) {
            effective.set(MonitorOptions.WARM_UP, WARM_UP);
        }
        for (SignalKind kind : new SignalKind[] {SignalKind.SCORE, SignalKind.FEATURE}) {
            if (config.getOptional(MonitorOptions.detectorOption(kind)).isEmpty()
                    && config.getOptional(MonitorOptions.paramsOption(kind)).isEmpty()) {
                effective.set(MonitorOptions.paramsOption(kind), PSI_WINDOWS);
            }
        }
        return effective;
    }

    private static List<String> defaultFeatures() {
        List<String> features = new ArrayList<>();
        for (VitalSign v : IcuFeatures.TREND_VITALS) {
            features.add(v.featureName() + "_mean_1h");
        }
        return List.copyOf(features);
    }

    /** Attaches the monitors to the label join's output and writes their records to the monitor topics. */
    static Monitors.Result attach(ReadableConfig config, IcuLearningLoop.Labels labels) {
        Monitors.Result monitors = Monitors.attach(
                labels.examples(), labels.predictions(), withIcuDefaults(config), IcuJob.PIPELINE, IcuFeatures.NAMES);
        monitors.driftEvents()
                .sinkTo(VigilKafka.exactlyOnceSink(config, "icu-monitor-drift",
                                new AvroKafkaRecordSerializer<>(config.get(IcuPipelineOptions.DRIFT_TOPIC),
                                        DriftEvent.class, DriftEvent::getSignal))
                        .build())
                .uid("icu-monitor-drift-sink")
                .name("drift events sink");
        monitors.fairnessReports()
                .sinkTo(VigilKafka.exactlyOnceSink(config, "icu-monitor-fairness",
                                new AvroKafkaRecordSerializer<>(config.get(IcuPipelineOptions.FAIRNESS_TOPIC),
                                        FairnessWindowReport.class, FairnessWindowReport::getAttribute))
                        .build())
                .uid("icu-monitor-fairness-sink")
                .name("fairness reports sink");
        return monitors;
    }
}
