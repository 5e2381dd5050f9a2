package dev.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

    @Test
    void hostileStringsAreEscapedAndParseBackUnchanged() throws Exception {
        String hostile = "a</script><script>x()</SCRIPT><!--c-->&amp;\u2028\u2029\"'\\\n\té✓";
        RunReport report = RunReport.builder()
                .pipeline("icu")
                .createdAt(T0)
                .machine("m")
                .title(hostile)
                .setting(hostile, hostile)
                .keyFigure(hostile, hostile)
                .driftEvent(new DriftMark(T0, hostile, hostile, DriftMark.DRIFT, Double.NaN))
                .build();

        String json = ReportJson.write(report);

        assertThat(json).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        assertThat(json).contains("\\u003C/script\\u003E", "\\u2028", "\\u2029");
        JsonNode root = MAPPER.readTree(json);
        assertThat(root.at("/meta/title").asText()).isEqualTo(hostile);
        assertThat(root.at("/meta/settings").get(hostile).asText()).isEqualTo(hostile);
        assertThat(root.at("/keyFigures/0/label").asText()).isEqualTo(hostile);
        assertThat(root.at("/drift/0/signal").asText()).isEqualTo(hostile);
        assertThat(root.at("/drift/0/detector").asText()).isEqualTo(hostile);
    }

    @Test
    void nonFiniteNumbersBecomeNullAndInstantsEpochMillis() throws Exception {
        RunReport report = RunReport.builder()
                .pipeline("icu")
                .createdAt(T0)
                .machine("m")
                .throughput(List.of(
                        new ThroughputBucket(T0, Duration.ofSeconds(2), 50, 12, 40),
                        new ThroughputBucket(T0.plusSeconds(2), Duration.ofSeconds(2), 0, Double.NaN, Double.NaN)))
                .patient(PatientTimeline.builder("patient A")
                        .score(T0.plusSeconds(60), null, 3.0)
                        .score(T0, 0.25, null)
                        .alert(T0.plusSeconds(60), "HIGH", "NEWS2", false)
                        .build())
                .modelVersion(new ModelVersionPoint("2", T0.plusSeconds(9), "1", 0.8, Double.NaN))
                .build();

        JsonNode root = MAPPER.readTree(ReportJson.write(report));

        assertThat(root.get("format").asInt()).isEqualTo(ReportJson.FORMAT);
        assertThat(root.at("/meta/createdAt").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(root.at("/meta/wallTimeMs").isNull()).isTrue();
        assertThat(root.at("/throughput/bucketMs").asLong()).isEqualTo(2000);
        assertThat(root.at("/throughput/t/1").asLong()).isEqualTo(T0.plusSeconds(2).toEpochMilli());
        assertThat(root.at("/throughput/rate/0").asDouble()).isEqualTo(25.0);
        assertThat(root.at("/throughput/p50/1").isNull()).isTrue();
        assertThat(root.at("/throughput/p99/1").isNull()).isTrue();
        // the builder sorted the points by event time; a missing score or NEWS2 is null
        assertThat(root.at("/patients/0/t/0").asLong()).isEqualTo(T0.toEpochMilli());
        assertThat(root.at("/patients/0/score/0").asDouble()).isEqualTo(0.25);
        assertThat(root.at("/patients/0/news2/0").isNull()).isTrue();
        assertThat(root.at("/patients/0/score/1").isNull()).isTrue();
        assertThat(root.at("/patients/0/news2/1").asDouble()).isEqualTo(3.0);
        assertThat(root.at("/patients/0/alerts/0/level").asText()).isEqualTo("HIGH");
        assertThat(root.at("/patients/0/outcome").isNull()).isTrue();
        assertThat(root.at("/modelVersions/0/parent").asText()).isEqualTo("1");
        assertThat(root.at("/modelVersions/0/logLoss").isNull()).isTrue();
    }

    @Test
    void everySectionOfTheSyntheticReportIsWritten() throws Exception {
        RunReport report = TestingRunReports.full(1);

        JsonNode root = MAPPER.readTree(ReportJson.write(report));

        assertThat(root.at("/throughput/t").size()).isEqualTo(report.throughput().size());
        assertThat(root.at("/throughput/rate").size()).isEqualTo(report.throughput().size());
        assertThat(root.get("patients").size()).isEqualTo(report.patients().size());
        for (int i = 0; i < report.patients().size(); i++) {
            int points = report.patients().get(i).scores().size();
            assertThat(root.get("patients").get(i).get("score").size()).isEqualTo(points);
            assertThat(root.get("patients").get(i).get("news2").size()).isEqualTo(points);
        }
        assertThat(root.get("modelVersions").size()).isEqualTo(report.modelVersions().size());
        assertThat(root.get("drift").size()).isEqualTo(report.driftEvents().size());
        assertThat(root.get("fairness").size()).isEqualTo(report.fairness().size());
        FairnessWindow first = report.fairness().get(0);
        JsonNode window = root.get("fairness").get(0);
        assertThat(window.get("attribute").asText()).isEqualTo(first.attribute());
        assertThat(window.at("/groups/0/tpr/lower").asDouble())
                .isEqualTo(first.groups().get(0).truePositiveRate().lower());
        assertThat(window.at("/equalOpportunity/difference").asDouble())
                .isEqualTo(first.equalOpportunity().difference());
    }
}
