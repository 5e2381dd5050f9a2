package dev.vigil.operators.monitor;

import dev.vigil.operators.fairness.FairnessReport;
import dev.vigil.operators.fairness.WilsonInterval;
import dev.vigil.schema.monitor.FairnessGap;
import dev.vigil.schema.monitor.FairnessGroup;
import dev.vigil.schema.monitor.FairnessRate;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Turns a window's {@link FairnessReport} into its Avro {@link FairnessWindowReport}: undefined rates and gaps
 * ({@code NaN}) become nulls, and the {@link MonitorReasons} codes are derived. Plain Java.
 */
public final class FairnessReports {

    private FairnessReports() {}

    /**
     * The Avro report of one window.
     *
     * @param consecutive consecutive windows with a significant gap, this one included (0 when it has none)
     * @param alert whether {@code consecutive} reached the configured count
     */
    public static FairnessWindowReport toAvro(
            FairnessReport report,
            String pipeline,
            String attribute,
            String modelName,
            Collection<String> modelVersions,
            long windowStart,
            long windowEnd,
            int consecutive,
            boolean alert,
            long emittedAt) {
        List<FairnessGroup> groups = new ArrayList<>(report.groups().size());
        boolean miscalibrated = false;
        for (FairnessReport.GroupStats g : report.groups()) {
            miscalibrated |= g.miscalibrated();
            groups.add(FairnessGroup.newBuilder()
                    .setGroup(g.group())
                    .setCount(g.counts().count())
                    .setPositives(g.counts().positives())
                    .setPredictedPositives(g.counts().predictedPositives())
                    .setTruePositives(g.counts().truePositives())
                    .setFalsePositives(g.counts().falsePositives())
                    .setSelectionRate(rate(g.selectionRate()))
                    .setTruePositiveRate(rate(g.truePositiveRate()))
                    .setFalsePositiveRate(rate(g.falsePositiveRate()))
                    .setPrecision(rate(g.precision()))
                    .setEventRate(rate(g.eventRate()))
                    .setMeanScore(orNull(g.meanScore()))
                    .setCalibrationInTheLarge(orNull(g.calibrationInTheLarge()))
                    .setMiscalibrated(g.miscalibrated())
                    .setEligible(g.inSelectionGap())
                    .setInTprGap(g.inTprGap())
                    .setInFprGap(g.inFprGap())
                    .build());
        }
        return FairnessWindowReport.newBuilder()
                .setReportId(reportId(pipeline, attribute, windowStart, windowEnd))
                .setPipeline(pipeline)
                .setModelName(modelName)
                .setModelVersions(new ArrayList<>(modelVersions))
                .setAttribute(attribute)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setThreshold(report.threshold())
                .setZ(report.options().z())
                .setMinGroupCount(report.options().minGroupCount())
                .setGroups(groups)
                .setDemographicParity(gap(report.demographicParity()))
                .setDemographicParityRatio(orNull(report.demographicParityRatio()))
                .setFourFifthsViolated(report.fourFifthsViolated())
                .setEqualOpportunity(gap(report.equalOpportunity()))
                .setFalsePositiveRateGap(gap(report.falsePositiveRateGap()))
                .setEqualizedOddsDifference(orNull(report.equalizedOddsDifference()))
                .setEqualizedOddsSignificant(report.equalizedOddsSignificant())
                .setCalibrationGap(gap(report.calibrationGap()))
                .setConsecutiveSignificantWindows(consecutive)
                .setAlert(alert)
                .setReasons(reasons(report, miscalibrated, alert))
                .setEmittedAt(Instant.ofEpochMilli(emittedAt))
                .build();
    }

    /** The reason codes of a window, in {@link MonitorReasons}' order. */
    static List<String> reasons(FairnessReport report, boolean miscalibrated, boolean alert) {
        List<String> out = new ArrayList<>(4);
        if (report.demographicParity().significant()) {
            out.add(MonitorReasons.DEMOGRAPHIC_PARITY_GAP);
        }
        if (report.fourFifthsViolated()) {
            out.add(MonitorReasons.FOUR_FIFTHS_RULE);
        }
        if (report.equalOpportunity().significant()) {
            out.add(MonitorReasons.EQUAL_OPPORTUNITY_GAP);
        }
        if (report.falsePositiveRateGap().significant()) {
            out.add(MonitorReasons.FALSE_POSITIVE_RATE_GAP);
        }
        if (report.calibrationGap().significant()) {
            out.add(MonitorReasons.CALIBRATION_GAP);
        }
        if (miscalibrated) {
            out.add(MonitorReasons.MISCALIBRATED_GROUP);
        }
        if (report.demographicParity().eligibleGroups() < 2) {
            out.add(MonitorReasons.TOO_FEW_GROUPS);
        }
        if (alert) {
            out.add(MonitorReasons.PERSISTENT_GAP);
        }
        return out;
    }

    /** A name-based UUID of the window, the same on every replay. */
    static String reportId(String pipeline, String attribute, long windowStart, long windowEnd) {
        String name = "vigil.fairness|" + pipeline + "|" + attribute + "|" + windowStart + "|" + windowEnd;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static FairnessRate rate(WilsonInterval w) {
        return w.defined() ? new FairnessRate(w.estimate(), w.lower(), w.upper()) : null;
    }

    private static FairnessGap gap(FairnessReport.Gap g) {
        return new FairnessGap(orNull(g.difference()), g.lowGroup(), g.highGroup(), g.significant(),
                g.eligibleGroups());
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
