package dev.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportWriterTest {

    /** Script elements the template has: error capture, data, library, report. */
    private static final int SCRIPT_ELEMENTS = 4;

    private static final Pattern DATA = Pattern.compile(
            "<script type=\"application/json\" id=\"vigil-report-data\">(.*?)</script>", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void hostileStringsCannotOpenOrCloseElements() {
        String html = HtmlReportWriter.render(TestingRunReports.full(3));
        String lower = html.toLowerCase(Locale.ROOT);

        assertThat(count(lower, "<script")).isEqualTo(SCRIPT_ELEMENTS);
        assertThat(count(lower, "</script")).isEqualTo(SCRIPT_ELEMENTS);
        assertThat(count(lower, "<!--")).isZero();
        assertThat(lower).doesNotContain("<img");
        // the header shows the hostile text as text
        assertThat(html).contains("&lt;/script&gt;&lt;script&gt;document.documentElement.dataset.pwned=&#39;1&#39;");
    }

    @Test
    void embeddedDataParsesBackToTheReportsStrings() throws Exception {
        RunReport report = TestingRunReports.full(3);
        Matcher m = DATA.matcher(HtmlReportWriter.render(report));
        assertThat(m.find()).isTrue();

        var root = new ObjectMapper().readTree(m.group(1));

        assertThat(root.at("/meta/title").asText()).isEqualTo(report.metadata().title());
        assertThat(root.at("/meta/settings/note").asText()).isEqualTo(TestingRunReports.HOSTILE);
    }

    @Test
    void pageIsSelfContained() {
        String html = HtmlReportWriter.render(TestingRunReports.full(3));

        assertThat(html).doesNotContainPattern("\\{\\{[a-z-]+}}");
        assertThat(html).doesNotContainPattern("<[a-zA-Z]+[^>]*\\ssrc\\s*=");
        assertThat(html).doesNotContainPattern("<link\\b");
        assertThat(html).doesNotContain("@import", "url(http");
        assertThat(html).contains("default-src 'none'");
        assertThat(html).contains("var uPlot=function()", "Copyright (c) 2022 Leon Sorokin");
    }

    @Test
    void headerShowsMetadataAndKeyFigures() {
        RunReport report = RunReport.builder()
                .pipeline("icu")
                .seed(99)
                .machine("Linux amd64, 2 CPUs")
                .createdAt(Instant.parse("2026-02-03T04:05:06.789Z"))
                .wallTime(Duration.ofSeconds(125))
                .setting("patients", "500")
                .keyFigure("model AUROC", "0.842")
                .build();

        String header = HtmlReportWriter.header(report);

        assertThat(header).contains("<h1>Vigil run report: icu</h1>", "seed 99", "started 2026-02-03 04:05:06 UTC",
                "wall time 2 min 5 s", "<dt>machine</dt><dd>Linux amd64, 2 CPUs</dd>",
                "<dt>patients</dt><dd>500</dd>",
                "<span class=\"figure-value\">0.842</span><span class=\"figure-label\">model AUROC</span>");
    }

    @Test
    void patientIdentifiersNeverReachThePage() {
        Pseudonyms names = new Pseudonyms();
        RunReport.Builder b = RunReport.builder().pipeline("icu").createdAt(TestingRunReports.RUN_START).machine("m");
        for (String id : new String[] {"MRN-000123", "MRN-000456"}) {
            b.patient(PatientTimeline.builder(names.labelFor(id))
                    .score(TestingRunReports.SIM_START, 0.1, 1.0)
                    .build());
        }

        String html = HtmlReportWriter.render(b.build());

        assertThat(html).contains("patient A", "patient B").doesNotContain("MRN-");
        assertThatThrownBy(() -> PatientTimeline.builder("MRN-000123").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pseudonym")
                .hasMessageNotContaining("MRN");
    }

    @Test
    void writeReplacesTheFileWholeAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("nested").resolve("report.html");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "old");

        HtmlReportWriter.write(TestingRunReports.sparse(), file);

        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .startsWith("<!DOCTYPE html>")
                .isEqualTo(HtmlReportWriter.render(TestingRunReports.sparse()));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void placeholdersAreFilledInOnePass() {
        String filled = HtmlReportWriter.fill("<p>{{a}}|{{b}}</p>", Map.of("a", "{{b}}$1\\", "b", "x"));

        assertThat(filled).isEqualTo("<p>{{b}}$1\\|x</p>");
        assertThatThrownBy(() -> HtmlReportWriter.fill("{{missing}}", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void escapeCoversTextAndAttributes() {
        assertThat(HtmlReportWriter.escape("plain")).isEqualTo("plain");
        assertThat(HtmlReportWriter.escape("a<b>&\"c'")).isEqualTo("a&lt;b&gt;&amp;&quot;c&#39;");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
