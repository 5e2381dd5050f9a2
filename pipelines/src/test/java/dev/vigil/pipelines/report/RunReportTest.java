package dev.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.learn.VersionedLearner;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import dev.vigil.schema.monitor.FairnessGap;
import dev.vigil.schema.monitor.FairnessGroup;
import dev.vigil.schema.monitor.FairnessRate;
import dev.vigil.schema.monitor.FairnessWindowReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunReportTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void builderRequiresPipelineAndStartAndFillsDefaults() {
        assertThatThrownBy(() -> RunReport.builder().createdAt(T0).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pipeline");
        assertThatThrownBy(() -> RunReport.builder().pipeline("icu").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("createdAt");

        RunReport report = RunReport.builder().pipeline("fraud").createdAt(T0).build();

        assertThat(report.metadata().title()).isEqualTo("Vigil run report: fraud");
        assertThat(report.metadata().machine()).isEqualTo(RunMetadata.thisMachine());
        assertThat(report.metadata().wallTime()).isNull();
        assertThat(report.patients()).isEmpty();
    }

    @Test
    void builderSortsWhatArrivesOutOfOrder() {
        RunReport report = RunReport.builder().pipeline("icu").createdAt(T0).machine("m")
                .throughput(List.of(new ThroughputBucket(T0.plusSeconds(1), Duration.ofSeconds(1), 1, 1, 1),
                        new ThroughputBucket(T0, Duration.ofSeconds(1), 1, 1, 1)))
                .modelVersion(new ModelVersionPoint("2", T0.plusSeconds(20), "1", 0.8, 0.3))
                .modelVersion(new ModelVersionPoint("1", T0.plusSeconds(10), null, 0.7, 0.4))
                .driftEvent(new DriftMark(T0.plusSeconds(5), "s", "adwin", DriftMark.DRIFT, Double.NaN))
                .driftEvent(new DriftMark(T0, "s", "adwin", DriftMark.WARNING, Double.NaN))
                .fairnessWindow(window("sexAtBirth", T0.plusSeconds(60)))
                .fairnessWindow(window("ageBand", T0.plusSeconds(120)))
                .fairnessWindow(window("ageBand", T0.plusSeconds(60)))
                .build();

        assertThat(report.throughput()).extracting(ThroughputBucket::start).containsExactly(T0, T0.plusSeconds(1));
        assertThat(report.modelVersions()).extracting(ModelVersionPoint::version).containsExactly("1", "2");
        assertThat(report.driftEvents()).extracting(DriftMark::kind).containsExactly("WARNING", "DRIFT");
        assertThat(report.fairness()).extracting(w -> w.attribute() + "@" + w.windowEnd().getEpochSecond() % 1000)
                .containsExactly("ageBand@" + (T0.getEpochSecond() + 60) % 1000,
                        "ageBand@" + (T0.getEpochSecond() + 120) % 1000,
                        "sexAtBirth@" + (T0.getEpochSecond() + 60) % 1000);
    }

    @Test
    void rejectsMoreThanAHandfulOfPatientsAndDuplicateLabels() {
        Pseudonyms names = new Pseudonyms();
        RunReport.Builder many = RunReport.builder().pipeline("icu").createdAt(T0).machine("m");
        for (int i = 0; i <= RunReport.MAX_PATIENTS; i++) {
            many.patient(PatientTimeline.builder(names.labelFor("p" + i)).build());
        }
        assertThatThrownBy(many::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(RunReport.MAX_PATIENTS));

        RunReport.Builder twice = RunReport.builder().pipeline("icu").createdAt(T0).machine("m")
                .patient(PatientTimeline.builder("patient A").build())
                .patient(PatientTimeline.builder("patient A").build());
        assertThatThrownBy(twice::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void valuesOutsideTheirRangeAreRejected() {
        assertThatThrownBy(() -> PatientTimeline.builder("patient A").score(T0, 1.5, 3.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PatientTimeline.builder("patient A").score(T0, 0.5, 21.0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThroughputBucket(T0, Duration.ofSeconds(1), 3, 50, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelVersionPoint("1", T0, null, 1.2, 0.1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DriftMark(T0, "s", "adwin", "MAYBE", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FairnessWindow.Rate(0.5, 0.6, 0.7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FairnessWindow.Gap(-0.1, false, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modelVersionFromAControlTopicUpdate() {
        ModelUpdate update = ModelUpdate.newBuilder()
                .setName("icu-deterioration").setVersion("7").setUri("file:///r/7.onnx").setSha256("ab")
                .setCreatedAt(T0).setParentVersion("6")
                .setMetrics(Map.of(VersionedLearner.METRIC_WINDOW_AUROC, 0.81,
                        VersionedLearner.METRIC_WINDOW_LOG_LOSS, 0.33))
                .build();

        assertThat(ModelVersionPoint.of(update)).isEqualTo(new ModelVersionPoint("7", T0, "6", 0.81, 0.33));

        update.setMetrics(Map.of());
        update.setParentVersion(null);
        ModelVersionPoint bare = ModelVersionPoint.of(update);
        assertThat(bare.parentVersion()).isNull();
        assertThat(bare.auroc()).isNaN();
        assertThat(bare.logLoss()).isNaN();
    }

    @Test
    void driftMarkFromAMonitorEvent() {
        DriftEvent event = DriftEvent.newBuilder()
                .setEventId("e").setPipeline("icu").setSignal("feature/heart_rate").setDetector("psi")
                .setKind(DriftKind.WARNING).setEventTime(T0).setWindowStartTime(T0.minusSeconds(60))
                .setObservationIndex(12).setValue(88).setModelName("m").setModelVersion("3")
                .setStatistic(0.21).setEmittedAt(T0.plusSeconds(1))
                .build();

        assertThat(DriftMark.of(event)).isEqualTo(new DriftMark(T0, "feature/heart_rate", "psi", "WARNING", 0.21));
        event.setStatistic(null);
        assertThat(DriftMark.of(event).statistic()).isNaN();
    }

    @Test
    void fairnessWindowFromAMonitorReport() {
        FairnessGroup female = group("F", new FairnessRate(0.6, 0.5, 0.7), new FairnessRate(0.1, 0.08, 0.12));
        FairnessGroup male = group("M", null, new FairnessRate(0.2, 0.17, 0.23));
        FairnessWindowReport report = FairnessWindowReport.newBuilder()
                .setReportId("r").setPipeline("icu").setModelName("m").setAttribute("sexAtBirth")
                .setWindowStart(T0.minusSeconds(3600)).setWindowEnd(T0).setThreshold(0.3).setZ(1.96)
                .setMinGroupCount(30).setGroups(List.of(female, male))
                .setDemographicParity(gap(0.1, true, "F", "M"))
                .setEqualOpportunity(gap(null, false, null, null))
                .setFalsePositiveRateGap(gap(null, false, null, null))
                .setAlert(true).setEmittedAt(T0)
                .build();

        FairnessWindow window = FairnessWindow.of(report);

        assertThat(window.attribute()).isEqualTo("sexAtBirth");
        assertThat(window.windowEnd()).isEqualTo(T0);
        assertThat(window.alert()).isTrue();
        assertThat(window.groups()).containsExactly(
                new FairnessWindow.GroupRates("F", 100, true, new FairnessWindow.Rate(0.6, 0.5, 0.7),
                        new FairnessWindow.Rate(0.1, 0.08, 0.12)),
                new FairnessWindow.GroupRates("M", 100, true, null, new FairnessWindow.Rate(0.2, 0.17, 0.23)));
        assertThat(window.demographicParity()).isEqualTo(new FairnessWindow.Gap(0.1, true, "F", "M"));
        assertThat(window.equalOpportunity().difference()).isNaN();
        assertThat(window.equalOpportunity().significant()).isFalse();
    }

    private static FairnessWindow window(String attribute, Instant end) {
        return new FairnessWindow(attribute, end, List.of(), FairnessWindow.Gap.undefined(),
                FairnessWindow.Gap.undefined(), false);
    }

    private static FairnessGroup group(String name, FairnessRate tpr, FairnessRate selection) {
        return FairnessGroup.newBuilder()
                .setGroup(name).setCount(100).setPositives(10).setPredictedPositives(12).setTruePositives(6)
                .setFalsePositives(6).setEligible(true).setTruePositiveRate(tpr).setSelectionRate(selection)
                .build();
    }

    private static FairnessGap gap(Double difference, boolean significant, String low, String high) {
        return FairnessGap.newBuilder().setDifference(difference).setSignificant(significant).setLowGroup(low)
                .setHighGroup(high).setEligibleGroups(2).build();
    }
}
