package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;
import static org.apache.flink.util.Preconditions.checkState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a run's visual report shows, filled by the run and written by {@link HtmlReportWriter}.
 *
 * <pre>{@code
 * RunReport report = RunReport.builder()
 *         .pipeline("icu")
 *         .seed(42)
 *         .createdAt(startedAt)
 *         .wallTime(wallTime)
 *         .setting("patients", "500")
 *         .keyFigure("model AUROC", "0.842")
 *         .throughput(recorder.buckets())
 *         .patient(timeline)
 *         .modelVersion(ModelVersionPoint.of(update))
 *         .driftEvent(DriftMark.of(event))
 *         .fairnessWindow(FairnessWindow.of(fairnessReport))
 *         .build();
 * HtmlReportWriter.write(report, Path.of("vigil-report.html"));
 * }</pre>
 *
 * <p>Every section may be empty; the report then says so instead of drawing a chart.
 *
 * @param metadata what ran, where and when
 * @param keyFigures headline numbers, in order
 * @param throughput wall-clock buckets in time order
 * @param patients a handful of pseudonymous patient timelines (at most {@value #MAX_PATIENTS})
 * @param modelVersions published versions in publication order
 * @param driftEvents drift events in event-time order
 * @param fairness fairness windows, ordered by attribute then window end
 */
public record RunReport(
        RunMetadata metadata,
        List<KeyFigure> keyFigures,
        List<ThroughputBucket> throughput,
        List<PatientTimeline> patients,
        List<ModelVersionPoint> modelVersions,
        List<DriftMark> driftEvents,
        List<FairnessWindow> fairness) {

    /** Most patient timelines one report holds: it shows a handful of stays, never the cohort. */
    public static final int MAX_PATIENTS = 24;

    public RunReport {
        checkNotNull(metadata, "metadata");
        keyFigures = List.copyOf(keyFigures);
        throughput = List.copyOf(throughput);
        patients = List.copyOf(patients);
        modelVersions = List.copyOf(modelVersions);
        driftEvents = List.copyOf(driftEvents);
        fairness = List.copyOf(fairness);
        checkArgument(patients.size() <= MAX_PATIENTS, "at most %s patient timelines, got %s", MAX_PATIENTS,
                patients.size());
        Set<String> labels = new HashSet<>();
        for (PatientTimeline p : patients) {
            checkArgument(labels.add(p.label()), "patient label %s appears twice", p.label());
        }
        for (int i = 1; i < throughput.size(); i++) {
            checkArgument(throughput.get(i).start().isAfter(throughput.get(i - 1).start()),
                    "throughput buckets must be in strictly increasing time order");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link RunReport}; {@code pipeline} and {@code createdAt} are required. */
    public static final class Builder {
        private String title;
        private String pipeline;
        private long seed;
        private String machine;
        private Instant createdAt;
        private Duration wallTime;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<KeyFigure> keyFigures = new ArrayList<>();
        private final List<ThroughputBucket> throughput = new ArrayList<>();
        private final List<PatientTimeline> patients = new ArrayList<>();
        private final List<ModelVersionPoint> modelVersions = new ArrayList<>();
        private final List<DriftMark> driftEvents = new ArrayList<>();
        private final List<FairnessWindow> fairness = new ArrayList<>();

        private Builder() {}

        /** Title; defaults to {@code "Vigil run report: <pipeline>"}. */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder pipeline(String pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Machine description; defaults to {@link RunMetadata#thisMachine()}. */
        public Builder machine(String machine) {
            this.machine = machine;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder wallTime(Duration wallTime) {
            this.wallTime = wallTime;
            return this;
        }

        /** A setting shown in the report's header; a later value for the same name replaces the earlier one. */
        public Builder setting(String name, String value) {
            checkArgument(name != null && !name.isBlank(), "setting name must not be blank");
            settings.put(name, String.valueOf(value));
            return this;
        }

        public Builder keyFigure(String label, String value) {
            keyFigures.add(new KeyFigure(label, value));
            return this;
        }

        public Builder throughput(Collection<ThroughputBucket> buckets) {
            throughput.addAll(buckets);
            return this;
        }

        public Builder patient(PatientTimeline timeline) {
            patients.add(checkNotNull(timeline, "timeline"));
            return this;
        }

        public Builder modelVersion(ModelVersionPoint version) {
            modelVersions.add(checkNotNull(version, "version"));
            return this;
        }

        public Builder driftEvent(DriftMark event) {
            driftEvents.add(checkNotNull(event, "event"));
            return this;
        }

        public Builder fairnessWindow(FairnessWindow window) {
            fairness.add(checkNotNull(window, "window"));
            return this;
        }

        /**
         * The report. Buckets are sorted by start, versions by publication time, drift events by event time and
         * fairness windows by attribute then window end, so they may be added in any order.
         */
        public RunReport build() {
            checkState(pipeline != null && !pipeline.isBlank(), "pipeline is required");
            checkState(createdAt != null, "createdAt is required");
            RunMetadata metadata = new RunMetadata(
                    title == null ? "Vigil run report: " + pipeline : title,
                    pipeline,
                    seed,
                    machine == null ? RunMetadata.thisMachine() : machine,
                    createdAt,
                    wallTime,
                    settings);
            List<ThroughputBucket> buckets = new ArrayList<>(throughput);
            buckets.sort(Comparator.comparing(ThroughputBucket::start));
            List<ModelVersionPoint> versions = new ArrayList<>(modelVersions);
            versions.sort(Comparator.comparing(ModelVersionPoint::publishedAt));
            List<DriftMark> drifts = new ArrayList<>(driftEvents);
            drifts.sort(Comparator.comparing(DriftMark::eventTime));
            List<FairnessWindow> windows = new ArrayList<>(fairness);
            windows.sort(Comparator.comparing(FairnessWindow::attribute).thenComparing(FairnessWindow::windowEnd));
            return new RunReport(metadata, keyFigures, buckets, patients, versions, drifts, windows);
        }
    }
}
