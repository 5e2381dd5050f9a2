package dev.vigil.operators.fairness;

import dev.vigil.operators.fairness.GroupFairness.Rate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Group fairness of a binary decision rule, computed from a {@link GroupFairness} accumulator.
 *
 * <p>Per group: selection rate {@code (TP+FP)/n}, true-positive rate {@code TP/(TP+FN)}, false-positive rate
 * {@code FP/(FP+TN)}, precision {@code TP/(TP+FP)} and event rate {@code (TP+FN)/n}, each with a Wilson score
 * interval (Wilson 1927, see {@link WilsonInterval}); and calibration-in-the-large, the mean score minus the event
 * rate, flagged when the mean score lies outside the event rate's interval. That flag is a plain per-group check at
 * the interval's level (about 5% false flags per well-calibrated group at 95%) and is not part of
 * {@link #anySignificant()}.
 *
 * <p>Across groups (as in Fairlearn): demographic parity difference (max − min selection rate) and ratio (min / max;
 * the four-fifths rule of the US EEOC Uniform Guidelines flags a ratio below 0.8), equal opportunity difference (TPR
 * gap), and equalized odds difference (the larger of the TPR and FPR gaps).
 *
 * <p>Minimum counts: every group is reported, but a group takes part in the selection-rate gap only with at least
 * {@link Options#minGroupCount()} examples, in the TPR gap only with additionally at least
 * {@link Options#minPositives()} positives, and in the FPR gap only with additionally at least
 * {@link Options#minNegatives()} negatives. A gap with fewer than two eligible groups is {@code NaN} and not
 * significant.
 *
 * <p>Significance: a gap is {@code significant} when the Wilson intervals of its two extreme groups (the groups with
 * the lowest and the highest rate) do not overlap. This is deliberately conservative: two non-overlapping 95%
 * intervals imply a difference significant well below the 5% level (roughly 0.6% for similar widths, cf. Schenker &
 * Gentleman 2001, "On judging the significance of differences by examining the overlap between confidence
 * intervals"), so some real gaps go unflagged, but an alert is rarely noise — the goal when alarm fatigue is the
 * main cost. No correction for the number of groups is applied beyond this conservatism. Examples are independent
 * unless the accumulator is {@link GroupFairness#clustered clustered}: then each interval uses the rate's
 * cluster-robust effective sample size ({@link GroupFairness#effectiveTrials}), so a group of a few patients with
 * thousands of predictions gets the wide interval its few patients warrant. {@link Options#minGap()} adds a
 * practical-significance floor: a gap smaller than it is never significant.
 *
 * @param threshold the decision threshold of the accumulator
 * @param options the options used
 * @param groups per-group statistics, in group-name order
 * @param demographicParity selection-rate gap
 * @param demographicParityRatio min / max selection rate over eligible groups ({@code NaN} when undefined)
 * @param fourFifthsViolated whether {@code demographicParityRatio < options.fourFifths()}
 * @param equalOpportunity TPR gap
 * @param falsePositiveRateGap FPR gap
 * @param calibrationGap gap of calibration-in-the-large between groups, on the ratio scale: each group's observed
 *     over expected events (event rate / mean score, 1 when calibrated), with the event rate's interval divided by the
 *     mean score; groups enter it like the TPR gap (enough examples and positives). A ratio, because events are rare:
 *     a score that understates a group's 3% risk by a third moves the difference by one point but the ratio by 0.5.
 *     The minimum gap applies in ratio units. A model can be calibrated within every group while the groups' TPR and FPR differ — they must,
 *     when base rates differ (Kleinberg, Mullainathan and Raghavan, "Inherent trade-offs in the fair determination of
 *     risk scores", ITCS 2017; Chouldechova 2017) — so for a risk score this is often the criterion that says whether
 *     the score means the same for every group.
 */
public record FairnessReport(
        double threshold,
        Options options,
        List<GroupStats> groups,
        Gap demographicParity,
        double demographicParityRatio,
        boolean fourFifthsViolated,
        Gap equalOpportunity,
        Gap falsePositiveRateGap,
        Gap calibrationGap) {

    public FairnessReport {
        Objects.requireNonNull(options, "options");
        groups = List.copyOf(groups);
        Objects.requireNonNull(demographicParity, "demographicParity");
        Objects.requireNonNull(equalOpportunity, "equalOpportunity");
        Objects.requireNonNull(falsePositiveRateGap, "falsePositiveRateGap");
        Objects.requireNonNull(calibrationGap, "calibrationGap");
    }

    /**
     * Report options.
     *
     * @param minGroupCount minimum examples for a group to enter any gap (default 30)
     * @param minPositives minimum positives for a group to enter the TPR gap (default 10)
     * @param minNegatives minimum negatives for a group to enter the FPR gap (default 10)
     * @param z normal quantile of the Wilson intervals (default {@link WilsonInterval#Z_95})
     * @param fourFifths ratio below which the four-fifths rule is violated (default 0.8)
     * @param minGap smallest difference a gap must reach to be significant, besides non-overlapping intervals
     *     (practical significance; default 0: statistical significance alone)
     */
    public record Options(
            int minGroupCount, int minPositives, int minNegatives, double z, double fourFifths, double minGap) {

        public static final Options DEFAULTS = new Options(30, 10, 10, WilsonInterval.Z_95, 0.8);

        /** Options without a minimum practical gap. */
        public Options(int minGroupCount, int minPositives, int minNegatives, double z, double fourFifths) {
            this(minGroupCount, minPositives, minNegatives, z, fourFifths, 0.0);
        }

        public Options {
            if (!(minGap >= 0 && minGap < 1)) {
                throw new IllegalArgumentException("minGap must be in [0, 1), got " + minGap);
            }
            if (minGroupCount < 1 || minPositives < 1 || minNegatives < 1) {
                throw new IllegalArgumentException("minimum counts must be >= 1");
            }
            if (!(z > 0) || Double.isInfinite(z)) {
                throw new IllegalArgumentException("z must be positive and finite, got " + z);
            }
            if (!(fourFifths > 0 && fourFifths <= 1)) {
                throw new IllegalArgumentException("fourFifths must be in (0, 1], got " + fourFifths);
            }
        }
    }

    /**
     * Statistics of one group.
     *
     * @param group group name
     * @param counts raw counts
     * @param selectionRate predicted positives / count
     * @param truePositiveRate TP / positives
     * @param falsePositiveRate FP / negatives
     * @param precision TP / predicted positives
     * @param eventRate positives / count (the observed rate that the mean score should match)
     * @param meanScore mean score ({@code NaN} when empty)
     * @param calibrationInTheLarge mean score − event rate
     * @param miscalibrated mean score outside the event rate's Wilson interval (only for groups meeting the minimum
     *     count)
     * @param inSelectionGap meets the minimum count
     * @param inTprGap meets the minimum count and positives
     * @param inFprGap meets the minimum count and negatives
     */
    public record GroupStats(
            String group,
            GroupCounts counts,
            WilsonInterval selectionRate,
            WilsonInterval truePositiveRate,
            WilsonInterval falsePositiveRate,
            WilsonInterval precision,
            WilsonInterval eventRate,
            double meanScore,
            double calibrationInTheLarge,
            boolean miscalibrated,
            boolean inSelectionGap,
            boolean inTprGap,
            boolean inFprGap) {}

    /**
     * A gap between the extreme eligible groups of one rate.
     *
     * @param difference max − min rate ({@code NaN} with fewer than two eligible groups)
     * @param lowGroup group with the lowest rate (null when undefined)
     * @param highGroup group with the highest rate (null when undefined)
     * @param significant the two extreme groups' Wilson intervals do not overlap
     * @param eligibleGroups number of groups that entered the gap
     */
    public record Gap(double difference, String lowGroup, String highGroup, boolean significant, int eligibleGroups) {
        static final Gap UNDEFINED = new Gap(Double.NaN, null, null, false, 0);
    }

    /** The report with {@link Options#DEFAULTS}. */
    public static FairnessReport of(GroupFairness accumulator) {
        return of(accumulator, Options.DEFAULTS);
    }

    public static FairnessReport of(GroupFairness accumulator, Options options) {
        Objects.requireNonNull(accumulator, "accumulator");
        Objects.requireNonNull(options, "options");
        double z = options.z();
        List<GroupStats> stats = new ArrayList<>();
        for (Map.Entry<String, GroupCounts> e : accumulator.allCounts().entrySet()) {
            GroupCounts c = e.getValue();
            long n = c.count();
            String g = e.getKey();
            WilsonInterval eventRate = interval(accumulator, g, Rate.EVENT_RATE, c.positives(), n, z);
            double mean = c.meanScore();
            boolean inSelection = n >= options.minGroupCount();
            stats.add(new GroupStats(
                    g,
                    c,
                    interval(accumulator, g, Rate.SELECTION_RATE, c.predictedPositives(), n, z),
                    interval(accumulator, g, Rate.TRUE_POSITIVE_RATE, c.truePositives(), c.positives(), z),
                    interval(accumulator, g, Rate.FALSE_POSITIVE_RATE, c.falsePositives(), c.negatives(), z),
                    interval(accumulator, g, Rate.PRECISION, c.truePositives(), c.predictedPositives(), z),
                    eventRate,
                    mean,
                    mean - eventRate.estimate(),
                    inSelection && !eventRate.contains(mean),
                    inSelection,
                    inSelection && c.positives() >= options.minPositives(),
                    inSelection && c.negatives() >= options.minNegatives()));
        }
        Gap dp = gap(stats, GroupStats::inSelectionGap, GroupStats::selectionRate, options.minGap());
        double ratio = Double.NaN;
        if (dp.eligibleGroups() >= 2) {
            double min = rate(stats, dp.lowGroup(), GroupStats::selectionRate);
            double max = rate(stats, dp.highGroup(), GroupStats::selectionRate);
            ratio = max > 0 ? min / max : Double.NaN;
        }
        boolean fourFifths = !Double.isNaN(ratio) && ratio < options.fourFifths();
        Gap eo = gap(stats, GroupStats::inTprGap, GroupStats::truePositiveRate, options.minGap());
        Gap fpr = gap(stats, GroupStats::inFprGap, GroupStats::falsePositiveRate, options.minGap());
        Gap calibration = gap(stats, GroupStats::inTprGap, FairnessReport::calibrationResidual, options.minGap());
        return new FairnessReport(accumulator.threshold(), options, stats, dp, ratio, fourFifths, eo, fpr,
                calibration);
    }

    /** The Wilson interval of a rate, with the effective sample size when the accumulator is clustered. */
    private static WilsonInterval interval(
            GroupFairness accumulator, String group, Rate rate, long successes, long trials, double z) {
        if (!accumulator.isClustered() || trials == 0) {
            return WilsonInterval.of(successes, trials, z);
        }
        return WilsonInterval.of(successes, trials, accumulator.effectiveTrials(group, rate), z);
    }

    /** A group's observed over expected events (event rate / mean score), with the event rate's interval alike. */
    private static WilsonInterval calibrationResidual(GroupStats s) {
        WilsonInterval e = s.eventRate();
        double mean = s.meanScore();
        if (!(mean > 0)) { // every score 0: no expected events, the ratio is unbounded
            return new WilsonInterval(e.successes(), e.trials(), Double.POSITIVE_INFINITY, e.lower() > 0
                    ? Double.POSITIVE_INFINITY : 0, Double.POSITIVE_INFINITY);
        }
        return new WilsonInterval(e.successes(), e.trials(), e.estimate() / mean, e.lower() / mean, e.upper() / mean);
    }

    private static double rate(List<GroupStats> stats, String group, Function<GroupStats, WilsonInterval> metric) {
        for (GroupStats s : stats) {
            if (s.group().equals(group)) {
                return metric.apply(s).estimate();
            }
        }
        throw new IllegalStateException("no group " + group);
    }

    private static Gap gap(List<GroupStats> stats, Predicate<GroupStats> eligible,
            Function<GroupStats, WilsonInterval> metric, double minGap) {
        GroupStats low = null;
        GroupStats high = null;
        int n = 0;
        for (GroupStats s : stats) {
            if (!eligible.test(s)) {
                continue;
            }
            n++;
            double r = metric.apply(s).estimate();
            if (low == null || r < metric.apply(low).estimate()) {
                low = s;
            }
            if (high == null || r > metric.apply(high).estimate()) {
                high = s;
            }
        }
        if (n < 2) {
            return new Gap(Double.NaN, null, null, false, n);
        }
        WilsonInterval lo = metric.apply(low);
        WilsonInterval hi = metric.apply(high);
        double difference = hi.estimate() - lo.estimate();
        return new Gap(difference, low.group(), high.group(),
                !lo.overlaps(hi) && difference >= minGap, n);
    }

    /** Equalized odds difference: the larger of the TPR and FPR gaps ({@code NaN} if either is undefined). */
    public double equalizedOddsDifference() {
        return Math.max(equalOpportunity.difference(), falsePositiveRateGap.difference());
    }

    /** Whether the gap of any of {@code criteria} is significant. */
    public boolean anySignificant(java.util.Set<FairnessCriterion> criteria) {
        for (FairnessCriterion c : criteria) {
            if (c.significantIn(this)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the TPR or the FPR gap is significant. */
    public boolean equalizedOddsSignificant() {
        return equalOpportunity.significant() || falsePositiveRateGap.significant();
    }

    /** Whether any gap is significant: the condition for an alert. */
    public boolean anySignificant() {
        return demographicParity.significant() || equalizedOddsSignificant();
    }

    /** The statistics of {@code group}, or null when it was not seen. */
    public GroupStats group(String group) {
        for (GroupStats s : groups) {
            if (s.group().equals(group)) {
                return s;
            }
        }
        return null;
    }
}
