package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import dev.vigil.schema.monitor.FairnessGap;
import dev.vigil.schema.monitor.FairnessGroup;
import dev.vigil.schema.monitor.FairnessRate;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Group fairness of the model's decisions over one event-time window, for one protected attribute: per-group
 * true-positive and selection rates with their Wilson intervals, and the gaps between groups.
 *
 * @param attribute protected attribute, e.g. {@code sexAtBirth}
 * @param windowEnd end of the event-time window (exclusive)
 * @param groups every group seen in the window
 * @param equalOpportunity the true-positive-rate gap
 * @param demographicParity the selection-rate gap
 * @param alert whether a significant gap has persisted long enough to raise an alert
 */
public record FairnessWindow(
        String attribute,
        Instant windowEnd,
        List<GroupRates> groups,
        Gap equalOpportunity,
        Gap demographicParity,
        boolean alert) {

    public FairnessWindow {
        checkArgument(attribute != null && !attribute.isBlank(), "attribute must not be blank");
        checkNotNull(windowEnd, "windowEnd");
        groups = List.copyOf(groups);
        checkNotNull(equalOpportunity, "equalOpportunity");
        checkNotNull(demographicParity, "demographicParity");
    }

    /** The window a fairness monitor reported. */
    public static FairnessWindow of(FairnessWindowReport report) {
        List<GroupRates> groups = new ArrayList<>(report.getGroups().size());
        for (FairnessGroup g : report.getGroups()) {
            groups.add(new GroupRates(g.getGroup(), g.getCount(), g.getEligible(), rate(g.getTruePositiveRate()),
                    rate(g.getSelectionRate())));
        }
        return new FairnessWindow(report.getAttribute(), report.getWindowEnd(), groups,
                gap(report.getEqualOpportunity()), gap(report.getDemographicParity()), report.getAlert());
    }

    private static Rate rate(FairnessRate rate) {
        return rate == null ? null : new Rate(rate.getEstimate(), rate.getLower(), rate.getUpper());
    }

    private static Gap gap(FairnessGap gap) {
        return new Gap(gap.getDifference() == null ? Double.NaN : gap.getDifference(), gap.getSignificant(),
                gap.getLowGroup(), gap.getHighGroup());
    }

    /**
     * One group's rates.
     *
     * @param group the attribute's value, e.g. {@code F}
     * @param count examples of the group in the window
     * @param eligible whether the group had enough examples to take part in the gaps
     * @param truePositiveRate TPR with its interval, or {@code null} without positives
     * @param selectionRate share predicted positive with its interval, or {@code null} without examples
     */
    public record GroupRates(String group, long count, boolean eligible, Rate truePositiveRate, Rate selectionRate) {
        public GroupRates {
            checkArgument(group != null && !group.isBlank(), "group must not be blank");
            checkArgument(count >= 0, "count must be >= 0, got %s", count);
        }
    }

    /**
     * A proportion with its confidence interval (Wilson score interval in Vigil's monitors).
     *
     * @param estimate the proportion
     * @param lower lower bound
     * @param upper upper bound
     */
    public record Rate(double estimate, double lower, double upper) {
        private static final double TOLERANCE = 1e-9;

        public Rate {
            checkArgument(0 <= lower && upper <= 1 && lower <= estimate + TOLERANCE && estimate <= upper + TOLERANCE,
                    "need 0 <= lower <= estimate <= upper <= 1, got %s in [%s, %s]", estimate, lower, upper);
        }
    }

    /**
     * The gap of one rate between the groups with the lowest and the highest rate.
     *
     * @param difference highest minus lowest rate; {@code NaN} with fewer than two eligible groups
     * @param significant whether the two groups' intervals do not overlap
     * @param lowGroup group with the lowest rate, or {@code null}
     * @param highGroup group with the highest rate, or {@code null}
     */
    public record Gap(double difference, boolean significant, String lowGroup, String highGroup) {
        public Gap {
            checkArgument(Double.isNaN(difference) || (difference >= 0 && difference <= 1),
                    "difference must be in [0, 1] or NaN, got %s", difference);
        }

        /** A gap that is not defined (fewer than two eligible groups). */
        public static Gap undefined() {
            return new Gap(Double.NaN, false, null, null);
        }
    }
}
