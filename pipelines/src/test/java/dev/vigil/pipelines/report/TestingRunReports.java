package dev.vigil.pipelines.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic {@link RunReport}s for the report tests: plausible shapes (a throughput ramp, risk rising before a
 * deterioration, versions improving, a fairness gap opening), seeded so every run draws the same page. Some strings
 * are hostile on purpose ({@link #HOSTILE}): they must come out as text, never as markup or script.
 */
final class TestingRunReports {

    /** Markup that would run script, close the data element, or open a comment if it were not escaped. */
    static final String HOSTILE = "</script><script>document.documentElement.dataset.pwned='1'</script>"
            + "<!-- &amp; \u2028<img src=x onerror=\"document.documentElement.dataset.pwned='2'\">";

    static final Instant RUN_START = Instant.parse("2026-11-25T10:00:00Z");
    static final Instant SIM_START = Instant.parse("2026-01-05T00:00:00Z");

    private TestingRunReports() {}

    /** Every section filled: 3 patients, 6 versions, drift on 3 signals, 2 fairness attributes. */
    static RunReport full(long seed) {
        Random random = new Random(seed);
        RunReport.Builder b = RunReport.builder()
                .title("Vigil ICU demo " + HOSTILE)
                .pipeline("icu")
                .seed(seed)
                .machine("test machine, 2 CPUs")
                .createdAt(RUN_START)
                .wallTime(Duration.ofSeconds(93, 400_000_000))
                .setting("patients", "500")
                .setting("note", HOSTILE)
                .keyFigure("model AUROC", "0.842")
                .keyFigure("alerts per 100 patient-days", "31.5")
                .keyFigure(HOSTILE, HOSTILE);

        ThroughputRecorder recorder = new ThroughputRecorder(Duration.ofSeconds(1), 600);
        long start = RUN_START.plusSeconds(5).toEpochMilli();
        for (int second = 0; second < 90; second++) {
            int records = second < 10 ? 300 * second : 3000 + random.nextInt(800) - (second > 80 ? 2500 : 0);
            for (int i = 0; i < records; i++) {
                long latency = (long) (20 + 15 * Math.abs(random.nextGaussian()))
                        + (random.nextDouble() < 0.01 ? 400 : 0);
                recorder.record(start + second * 1000L + random.nextInt(1000), latency);
            }
        }
        b.throughput(recorder.buckets());

        Pseudonyms names = new Pseudonyms();
        for (int p = 0; p < 3; p++) {
            b.patient(patient(names.labelFor("synthetic-id-" + p), random, p != 1));
        }

        String parent = null;
        for (int v = 1; v <= 6; v++) {
            b.modelVersion(new ModelVersionPoint(String.valueOf(v), RUN_START.plusSeconds(20L + 12L * v), parent,
                    0.74 + 0.02 * v + 0.01 * random.nextGaussian(), 0.42 - 0.02 * v + 0.005 * random.nextGaussian()));
            parent = String.valueOf(v);
        }

        String[] signals = {"error/icu-deterioration", "feature/heart_rate", "score/icu-deterioration"};
        String[] detectors = {"adwin", "psi", "page-hinkley"};
        for (int d = 0; d < 8; d++) {
            int s = d % signals.length;
            b.driftEvent(new DriftMark(SIM_START.plus(Duration.ofMinutes(180L * d + random.nextInt(60))), signals[s],
                    detectors[s], d % 3 == 2 ? DriftMark.WARNING : DriftMark.DRIFT,
                    s == 1 ? 0.2 + random.nextDouble() / 10 : Double.NaN));
        }
        b.driftEvent(new DriftMark(SIM_START.plus(Duration.ofHours(30)), "feature/" + HOSTILE, "ks",
                DriftMark.DRIFT, 0.31));

        fairness(b, "sexAtBirth", new String[] {"F", "M"}, random, 0.0);
        fairness(b, "ageBand", new String[] {"18-44", "45-64", "65-79", "80+"}, random, 0.6);
        return b.build();
    }

    /** The edge cases a short run gives: one version without metrics, one drift event, empty sections. */
    static RunReport sparse() {
        return RunReport.builder()
                .pipeline("icu")
                .seed(7)
                .machine("test machine")
                .createdAt(RUN_START)
                .modelVersion(new ModelVersionPoint("1", RUN_START.plusSeconds(30), null, Double.NaN, Double.NaN))
                .driftEvent(new DriftMark(SIM_START.plusSeconds(3600), "error/icu-deterioration", "ddm",
                        DriftMark.WARNING, Double.NaN))
                .fairnessWindow(new FairnessWindow("sexAtBirth", SIM_START.plus(Duration.ofHours(6)),
                        List.of(new FairnessWindow.GroupRates("F", 12, false, null,
                                new FairnessWindow.Rate(0.25, 0.09, 0.53))),
                        FairnessWindow.Gap.undefined(), FairnessWindow.Gap.undefined(), false))
                .patient(PatientTimeline.builder("patient A")
                        .score(SIM_START.plusSeconds(600), 0.12, 2.0)
                        .build())
                .build();
    }

    /** Charts the page should draw for {@code report} (see report.js): an independent count, not the page's. */
    static int expectedCharts(RunReport report) {
        int charts = report.throughput().isEmpty() ? 0 : 2;
        charts += report.patients().size();
        boolean metrics = report.modelVersions().stream()
                .anyMatch(v -> Double.isFinite(v.auroc()) || Double.isFinite(v.logLoss()));
        charts += metrics ? 1 : 0;
        charts += report.driftEvents().isEmpty() ? 0 : 1;
        for (String attribute : report.fairness().stream().map(FairnessWindow::attribute).distinct().toList()) {
            List<FairnessWindow> windows =
                    report.fairness().stream().filter(w -> w.attribute().equals(attribute)).toList();
            charts += windows.stream().anyMatch(w -> w.groups().stream().anyMatch(g -> g.truePositiveRate() != null))
                    ? 1 : 0;
            charts += windows.stream().anyMatch(w -> w.groups().stream().anyMatch(g -> g.selectionRate() != null))
                    ? 1 : 0;
            charts += windows.stream().anyMatch(w -> Double.isFinite(w.equalOpportunity().difference())
                    || Double.isFinite(w.demographicParity().difference())) ? 1 : 0;
        }
        return charts;
    }

    private static PatientTimeline patient(String label, Random random, boolean deteriorates) {
        PatientTimeline.Builder p = PatientTimeline.builder(label);
        Instant admitted = SIM_START.plus(Duration.ofMinutes(random.nextInt(120)));
        int snapshots = 160;
        Instant outcome = admitted.plus(Duration.ofMinutes(15L * 130));
        double news2 = 1;
        String lastLevel = null;
        for (int i = 0; i < snapshots; i++) {
            Instant t = admitted.plus(Duration.ofMinutes(15L * i));
            double progress = deteriorates ? Math.max(0, (i - 90) / 40.0) : 0;
            double score = clamp(0.05 + 0.8 * progress * progress + 0.03 * random.nextGaussian(), 0, 1);
            if (random.nextDouble() < 0.2) {
                news2 = clamp(Math.round(1 + 8 * progress + random.nextGaussian()), 0, 20);
            }
            p.score(t, i == 40 ? null : score, news2);
            String level = score > 0.6 ? "HIGH" : score > 0.35 ? "MEDIUM" : score > 0.2 ? "LOW_MEDIUM" : null;
            if (level != null && !level.equals(lastLevel) && (!deteriorates || t.isBefore(outcome))) {
                p.alert(t, level, news2 >= 5 ? "MODEL_AND_NEWS2" : "MODEL", lastLevel != null);
                lastLevel = level;
            }
        }
        if (deteriorates) {
            p.outcome(outcome, "deterioration");
        }
        return p.build();
    }

    private static void fairness(RunReport.Builder b, String attribute, String[] groups, Random random,
            double gapGrowth) {
        for (int w = 0; w < 12; w++) {
            List<FairnessWindow.GroupRates> rates = new ArrayList<>();
            double lowTpr = Double.MAX_VALUE;
            double highTpr = -1;
            double lowSel = Double.MAX_VALUE;
            double highSel = -1;
            String lowGroup = null;
            String highGroup = null;
            for (int g = 0; g < groups.length; g++) {
                double tpr = clamp(0.7 - gapGrowth * g * w / 11.0 / groups.length + 0.03 * random.nextGaussian(),
                        0.02, 0.98);
                double sel = clamp(0.12 + 0.01 * g + 0.01 * random.nextGaussian(), 0.01, 0.9);
                long count = 300 + random.nextInt(200);
                rates.add(new FairnessWindow.GroupRates(groups[g], count, true, wilsonish(tpr, 60),
                        wilsonish(sel, count)));
                if (tpr < lowTpr) {
                    lowTpr = tpr;
                    lowGroup = groups[g];
                }
                if (tpr > highTpr) {
                    highTpr = tpr;
                    highGroup = groups[g];
                }
                lowSel = Math.min(lowSel, sel);
                highSel = Math.max(highSel, sel);
            }
            double eoGap = highTpr - lowTpr;
            b.fairnessWindow(new FairnessWindow(attribute, SIM_START.plus(Duration.ofHours(4L * (w + 1))), rates,
                    new FairnessWindow.Gap(eoGap, eoGap > 0.3, lowGroup, highGroup),
                    new FairnessWindow.Gap(highSel - lowSel, false, null, null), eoGap > 0.3 && w > 8));
        }
    }

    /** A symmetric normal-approximation interval clipped to [0, 1], enough for drawing. */
    private static FairnessWindow.Rate wilsonish(double p, long n) {
        double half = 1.96 * Math.sqrt(p * (1 - p) / n);
        return new FairnessWindow.Rate(p, Math.max(0, p - half), Math.min(1, p + half));
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
