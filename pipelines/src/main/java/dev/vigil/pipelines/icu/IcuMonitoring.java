package dev.vigil.pipelines.icu;

import dev.vigil.operators.alert.AlertOptions;
import dev.vigil.operators.fairness.FairnessCriterion;
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
 * band, alerting on calibration and equal-opportunity gaps ({@link #ALERT_ON}); the watched features are the 1-hour means of the six trended vitals ({@link #DEFAULT_FEATURES}); the drift
 * monitor warms up for {@link #WARM_UP}, samples {@link #SAMPLE_RATE} of the predictions, and its PSI on the score and
 * features compares windows of {@link #PSI_WINDOWS}: about a day each, so the ward's circadian rhythm is inside every
 * window rather than read as drift.
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
     * Share of predictions (and of their labelled examples) the drift monitor samples: about one prediction per
     * patient-hour at the simulator's charting rate (a snapshot every 3 minutes or so). Consecutive snapshots of a
     * patient are nearly identical and one outcome labels a whole run of them; the sample keeps the distribution and
     * breaks the runs, which otherwise read as changes to ADWIN and make a PSI window short in time.
     */
    static final double SAMPLE_RATE = 0.05;

    /**
     * PSI reference and window of the score and the features: 12,000 sampled predictions, about 24 hours of a
     * 500-bed cohort at {@link #SAMPLE_RATE}. Shorter windows compare one time of day with another: the vitals'
     * circadian rhythm (temperature, heart rate, blood pressure) then raises a PSI alarm every day on a stable ward,
     * as 40-minute windows did. A day-long window delays detection: a shift of the whole ward crosses the threshold
     * when a quarter to a third of the window has shifted (docs/DRIFT.md).
     */
    static final List<String> PSI_WINDOWS = List.of("reference-size=12000", "window-size=12000");

    /**
     * The fairness criteria that alert by default: calibration within groups and equal opportunity. Older patients
     * deteriorate more often, so an accurate risk score selects them more often and, being calibrated, also has a
     * higher false-positive rate for them (Kleinberg et al. 2017): selection-rate and FPR gaps are reported but are
     * no evidence of unfairness here. A score that understates one group's risk (Sjoding et al. 2020: pulse oximeters
     * over-read oxygen saturation in Black patients, hiding hypoxaemia) shows as a calibration gap, and as missed
     * deteriorations, a TPR gap.
     */
    static final List<FairnessCriterion> ALERT_ON =
            List.of(FairnessCriterion.CALIBRATION, FairnessCriterion.EQUAL_OPPORTUNITY);

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
        if (config.getOptional(MonitorOptions.FAIRNESS_ALERT_ON).isEmpty()) {
            effective.set(MonitorOptions.FAIRNESS_ALERT_ON, ALERT_ON);
        }
        if (config.getOptional(MonitorOptions.SAMPLE_RATE).isEmpty()) {
            effective.set(MonitorOptions.SAMPLE_RATE, SAMPLE_RATE);
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
