package dev.vigil.operators.monitor;

/**
 * Stable reason codes of a {@link dev.vigil.schema.monitor.FairnessWindowReport} ({@code reasons}): what its window
 * shows, in this order. Constants so that alert routing, dashboards and tests use the same strings.
 */
public final class MonitorReasons {

    /** The selection-rate (demographic parity) gap is significant. */
    public static final String DEMOGRAPHIC_PARITY_GAP = "DEMOGRAPHIC_PARITY_GAP";
    /** The selection-rate ratio is below the four-fifths threshold (reported, not alerted on by itself). */
    public static final String FOUR_FIFTHS_RULE = "FOUR_FIFTHS_RULE";
    /** The true-positive-rate (equal opportunity) gap is significant. */
    public static final String EQUAL_OPPORTUNITY_GAP = "EQUAL_OPPORTUNITY_GAP";
    /** The false-positive-rate gap (the other half of equalized odds) is significant. */
    public static final String FALSE_POSITIVE_RATE_GAP = "FALSE_POSITIVE_RATE_GAP";
    /** An eligible group's mean score lies outside its event rate's Wilson interval (reported, not alerted on). */
    public static final String CALIBRATION_GAP = "CALIBRATION_GAP";
    public static final String MISCALIBRATED_GROUP = "MISCALIBRATED_GROUP";
    /** Fewer than two groups met the minimum count: no gap could be measured. */
    public static final String TOO_FEW_GROUPS = "TOO_FEW_GROUPS";
    /** A gap has been significant for the configured number of consecutive windows: the report's alert is raised. */
    public static final String PERSISTENT_GAP = "PERSISTENT_GAP";

    private MonitorReasons() {}
}
