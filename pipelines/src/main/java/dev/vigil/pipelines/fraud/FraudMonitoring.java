package dev.vigil.pipelines.fraud;

import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.operators.fraud.decision.FraudDecisionOptions;
import dev.vigil.operators.kafka.AvroKafkaRecordSerializer;
import dev.vigil.operators.kafka.VigilKafka;
import dev.vigil.operators.monitor.MonitorOptions;
import dev.vigil.operators.monitor.Monitors;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The fraud job's monitors ({@link FraudPipelineOptions#MONITORING_ENABLED}): drift detectors on the joined error
 * stream, the classifier's scores and the watched features, and fairness reports by age band and region over sliding
 * event-time windows of the labelled examples (see {@code dev.vigil.operators.monitor}).
 *
 * <pre>
 *  label join ──> labelled examples ─┬─> drift monitor ────> vigil.monitor.drift
 *  predictions ──────────────────────┘   fairness monitor ─> vigil.monitor.fairness
 * </pre>
 *
 * <p>Fraud defaults, each applied only where the configuration leaves the option unset ({@link #withFraudDefaults}):
 * the decision threshold of the error stream and of the fairness rates is the review threshold ({@code
 * vigil.fraud.decision.review-threshold}: a "positive" is a transaction sent to a person or declined); the protected
 * attributes are age band and region; the watched features are {@link #DEFAULT_FEATURES}.
 */
final class FraudMonitoring {

    /** Protected attributes the fairness monitor reports on by default (keys of {@code LabeledExample.group}). */
    static final List<String> DEFAULT_ATTRIBUTES = List.of(FraudGroupJoin.AGE_BAND, FraudGroupJoin.REGION);

    /**
     * Features whose distribution the drift monitor watches by default: the amount, the short-window velocity, the
     * amount's deviation from the account's history, the share of card-not-present and the merchant risk; what moves
     * first when legitimate behaviour shifts (a holiday season) or a new fraud pattern appears.
     */
    static final List<String> DEFAULT_FEATURES = List.of(
            "log_amount", "count_1h", "count_24h", "amount_robust_z", "card_not_present", "mcc_risk");

    private FraudMonitoring() {}

    /** {@code config} with the fraud defaults filled in where it leaves the monitor options unset. */
    static Configuration withFraudDefaults(ReadableConfig config) {
        Configuration effective = Configuration.fromMap(config.toMap());
        if (config.getOptional(MonitorOptions.THRESHOLD).isEmpty()) {
            effective.set(MonitorOptions.THRESHOLD, config.get(FraudDecisionOptions.REVIEW_THRESHOLD));
        }
        if (config.getOptional(MonitorOptions.FAIRNESS_ATTRIBUTES).isEmpty()) {
            effective.set(MonitorOptions.FAIRNESS_ATTRIBUTES, DEFAULT_ATTRIBUTES);
        }
        if (config.getOptional(MonitorOptions.FEATURES).isEmpty()) {
            effective.set(MonitorOptions.FEATURES, DEFAULT_FEATURES);
        }
        return effective;
    }

    /** Attaches the monitors to the label join's output and writes their records to the monitor topics. */
    static Monitors.Result attach(ReadableConfig config, FraudLearningLoop.Labels labels) {
        Monitors.Result monitors = Monitors.attach(labels.examples(), labels.predictions(), withFraudDefaults(config),
                FraudJob.PIPELINE, FraudFeatures.NAMES);
        monitors.driftEvents()
                .sinkTo(VigilKafka.exactlyOnceSink(config, "fraud-monitor-drift",
                                new AvroKafkaRecordSerializer<>(config.get(FraudPipelineOptions.DRIFT_TOPIC),
                                        DriftEvent.class, DriftEvent::getSignal))
                        .build())
                .uid("fraud-monitor-drift-sink")
                .name("drift events sink");
        monitors.fairnessReports()
                .sinkTo(VigilKafka.exactlyOnceSink(config, "fraud-monitor-fairness",
                                new AvroKafkaRecordSerializer<>(config.get(FraudPipelineOptions.FAIRNESS_TOPIC),
                                        FairnessWindowReport.class, FairnessWindowReport::getAttribute))
                        .build())
                .uid("fraud-monitor-fairness-sink")
                .name("fairness reports sink");
        return monitors;
    }
}
