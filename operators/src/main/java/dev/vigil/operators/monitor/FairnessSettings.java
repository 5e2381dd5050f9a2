package dev.vigil.operators.monitor;

import dev.vigil.operators.fairness.FairnessCriterion;
import dev.vigil.operators.fairness.FairnessReport;
import java.io.Serializable;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The validated fairness-monitor settings ({@link MonitorOptions#fairness}).
 *
 * @param attributes protected attributes (keys of {@code LabeledExample.group}, without {@code ':'}); empty: no
 *     fairness monitoring
 * @param threshold decision threshold: predicted positive when {@code score >= threshold}
 * @param window event-time window length, a multiple of {@code slide}
 * @param slide event-time distance between window starts
 * @param minGroupCount examples a group needs to enter the gaps
 * @param minPositives positives a group needs to enter the TPR gap
 * @param minNegatives negatives a group needs to enter the FPR gap
 * @param z normal quantile of the Wilson intervals
 * @param fourFifths ratio below which the four-fifths rule is violated
 * @param consecutiveWindows consecutive windows with a significant gap before an alert
 * @param allowedLateness how long after its end a window waits for late examples
 * @param minGap smallest gap that can be significant
 * @param clusterByEntity treat the examples of one entity (patient, account) as a cluster: intervals use the
 *     cluster-robust effective sample size ({@link dev.vigil.operators.fairness.GroupFairness#effectiveTrials})
 * @param alertOn the criteria whose significant gaps count towards an alert (others are still reported)
 */
public record FairnessSettings(
        List<String> attributes,
        double threshold,
        Duration window,
        Duration slide,
        int minGroupCount,
        int minPositives,
        int minNegatives,
        double z,
        double fourFifths,
        int consecutiveWindows,
        Duration allowedLateness,
        double minGap,
        boolean clusterByEntity,
        Set<FairnessCriterion> alertOn)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Settings without a minimum practical gap (statistical significance alone). */
    public FairnessSettings(List<String> attributes, double threshold, Duration window, Duration slide,
            int minGroupCount, int minPositives, int minNegatives, double z, double fourFifths,
            int consecutiveWindows, Duration allowedLateness) {
        this(attributes, threshold, window, slide, minGroupCount, minPositives, minNegatives, z, fourFifths,
                consecutiveWindows, allowedLateness, 0.0);
    }

    /** Settings of independent examples (no clustering). */
    public FairnessSettings(List<String> attributes, double threshold, Duration window, Duration slide,
            int minGroupCount, int minPositives, int minNegatives, double z, double fourFifths,
            int consecutiveWindows, Duration allowedLateness, double minGap) {
        this(attributes, threshold, window, slide, minGroupCount, minPositives, minNegatives, z, fourFifths,
                consecutiveWindows, allowedLateness, minGap, false);
    }

    /** Settings that alert on every criterion. */
    public FairnessSettings(List<String> attributes, double threshold, Duration window, Duration slide,
            int minGroupCount, int minPositives, int minNegatives, double z, double fourFifths,
            int consecutiveWindows, Duration allowedLateness, double minGap, boolean clusterByEntity) {
        this(attributes, threshold, window, slide, minGroupCount, minPositives, minNegatives, z, fourFifths,
                consecutiveWindows, allowedLateness, minGap, clusterByEntity, EnumSet.allOf(FairnessCriterion.class));
    }

    public FairnessSettings {
        attributes = List.copyOf(attributes);
        Objects.requireNonNull(alertOn, "alertOn");
        if (alertOn.isEmpty()) {
            throw new IllegalArgumentException("alert-on needs at least one criterion");
        }
        alertOn = Collections.unmodifiableSet(EnumSet.copyOf(alertOn));
        for (String a : attributes) {
            if (a == null || a.isBlank() || a.indexOf(':') >= 0) {
                throw new IllegalArgumentException("attribute names must be non-blank without ':', got '" + a + "'");
            }
        }
        if (attributes.size() != attributes.stream().distinct().count()) {
            throw new IllegalArgumentException("attributes listed twice: " + attributes);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(slide, "slide");
        Objects.requireNonNull(allowedLateness, "allowedLateness");
        if (slide.toMillis() < 1) {
            throw new IllegalArgumentException("slide must be at least 1 ms: " + slide);
        }
        if (window.toMillis() < slide.toMillis() || window.toMillis() % slide.toMillis() != 0) {
            throw new IllegalArgumentException(
                    "window must be a positive multiple of the slide: window " + window + ", slide " + slide);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException("allowed lateness must not be negative: " + allowedLateness);
        }
        if (consecutiveWindows < 1) {
            throw new IllegalArgumentException("consecutive windows must be at least 1, got " + consecutiveWindows);
        }
        reportOptions(minGroupCount, minPositives, minNegatives, z, fourFifths, minGap); // validates
    }

    /** The options of each window's {@link FairnessReport}. */
    public FairnessReport.Options reportOptions() {
        return reportOptions(minGroupCount, minPositives, minNegatives, z, fourFifths, minGap);
    }

    private static FairnessReport.Options reportOptions(
            int minGroupCount, int minPositives, int minNegatives, double z, double fourFifths, double minGap) {
        return new FairnessReport.Options(minGroupCount, minPositives, minNegatives, z, fourFifths, minGap);
    }

    public long windowMillis() {
        return window.toMillis();
    }

    public long slideMillis() {
        return slide.toMillis();
    }
}
