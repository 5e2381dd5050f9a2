package dev.vigil.operators.monitor;

/**
 * Names of the monitors' metrics (constants so that dashboards and tests use the same strings). Counters are per
 * subtask; the per-signal and per-attribute gauges sit in key-value metric groups ({@code signal}, {@code pipeline},
 * {@code attribute}) that reporters such as Prometheus turn into labels.
 */
public final class MonitorMetrics {

    /** Counter: examples, predictions or feature values that gave no signal (no score, a label not 0/1, NaN). */
    public static final String SIGNALS_SKIPPED = "monitorSignalsSkipped";

    /** Counter: observations fed to a drift detector. */
    public static final String DRIFT_OBSERVATIONS = "driftObservations";
    /** Counter: predictions and labelled examples left out of the drift signals by the sample rate. */
    public static final String NOT_SAMPLED = "monitorNotSampled";
    /** Counter: DRIFT events emitted. */
    public static final String DRIFT_EVENTS = "driftEvents";
    /** Counter: WARNING events emitted. */
    public static final String DRIFT_WARNINGS = "driftWarnings";
    /** Counter: signals dropped because they arrived after their event time had been released. */
    public static final String DRIFT_LATE_SIGNALS = "driftLateSignals";
    /** Counter: detectors started over because their restored state did not fit the configured detector. */
    public static final String DRIFT_DETECTOR_RESTARTS = "driftDetectorRestarts";
    /** Gauge in group {@code signal=<pipeline>:<signal>}: observations since the detector's last drift. */
    public static final String OBSERVATIONS_SINCE_DRIFT = "observationsSinceDrift";

    /** Counter: fairness window reports emitted. */
    public static final String FAIRNESS_REPORTS = "fairnessReports";
    /** Counter: fairness reports with the alert flag raised. */
    public static final String FAIRNESS_ALERTS = "fairnessAlerts";
    /** Counter: examples dropped because every window they belong to had closed. */
    public static final String FAIRNESS_LATE_EXAMPLES = "fairnessLateExamples";

    /** Gauge in group {@code pipeline=..., attribute=...}: demographic parity difference of the latest window. */
    public static final String DEMOGRAPHIC_PARITY_DIFFERENCE = "demographicParityDifference";
    /** Gauge: demographic parity ratio of the latest window. */
    public static final String DEMOGRAPHIC_PARITY_RATIO = "demographicParityRatio";
    /** Gauge: equal opportunity (TPR) difference of the latest window. */
    public static final String EQUAL_OPPORTUNITY_DIFFERENCE = "equalOpportunityDifference";
    /** Gauge: equalized odds difference of the latest window. */
    public static final String EQUALIZED_ODDS_DIFFERENCE = "equalizedOddsDifference";
    /** Gauge: consecutive windows with a significant gap, up to the latest. */
    public static final String CONSECUTIVE_SIGNIFICANT_WINDOWS = "consecutiveSignificantWindows";

    private MonitorMetrics() {}
}
