package dev.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens written reports in real headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it) and checks
 * that every chart the data calls for drew, with data pixels in its plot area, without a console message or an
 * uncaught exception, and that hostile strings in the data stayed text.
 *
 * <p>Without {@code /usr/bin/chromium} these tests fail, so that CI cannot pass them silently; {@code
 * -Dvigil.skip-browser-tests=true} skips them on purpose. The screenshot is kept in {@code
 * target/report-it/report.png} for a human to look at.
 */
class HtmlReportChromiumITCase {

    /** Coloured pixels a chart's plot area needs to count as drawn: an empty plot area has none, one point ~20. */
    private static final int MIN_INK_PIXELS = 10;

    private static final Pattern START_TAG = Pattern.compile("<(html|figure)\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z-]+)=\"([^\"]*)\"");
    private static final Pattern SCRIPT = Pattern.compile("<script\\b[^>]*>.*?</script>", Pattern.DOTALL);

    private static HeadlessChromium chromium;

    @TempDir
    Path dir;

    @BeforeAll
    static void findChromium() {
        if (HeadlessChromium.skipRequested()) {
            Assumptions.abort("browser tests skipped: -D" + HeadlessChromium.SKIP_PROPERTY + "=true");
        }
        chromium = HeadlessChromium.find().orElseThrow(() -> new AssertionError(
                "No Chromium at " + HeadlessChromium.configuredBinary() + ": install Debian's package"
                        + " (apt-get install -y chromium, as .ci/run does), point -D" + HeadlessChromium.BINARY_PROPERTY
                        + " at a binary, or skip on purpose with -D" + HeadlessChromium.SKIP_PROPERTY + "=true"));
    }

    @Test
    void fullReportRendersEveryChartWithoutConsoleErrors() throws Exception {
        RunReport report = TestingRunReports.full(42);
        Path page = dir.resolve("report.html");
        HtmlReportWriter.write(report, page);
        Path keep = Paths.get("target", "report-it");
        Files.createDirectories(keep);
        Files.copy(page, keep.resolve("report.html"), StandardCopyOption.REPLACE_EXISTING);
        Path png = keep.resolve("report.png");
        Files.deleteIfExists(png);

        HeadlessChromium.Run run = chromium.dumpDomAndScreenshot(page, png, 1280, 5600, dir.resolve("profile"));

        assertThat(TestingRunReports.expectedCharts(report)).isEqualTo(2 + 3 + 1 + 1 + 2 * 3);
        assertRenderedCleanly(run, TestingRunReports.expectedCharts(report));
        assertThat(attributes(run.stdout(), "html").get(0)).as("hostile strings ran as script")
                .doesNotContainKey("data-pwned");
        assertThat(run.stdout()).contains("patient A", "patient B", "patient C").doesNotContain("synthetic-id-");
        assertColourful(png);
    }

    @Test
    void sparseReportRendersWhatItHasAndSaysWhatItLacks() throws Exception {
        RunReport report = TestingRunReports.sparse();
        Path page = dir.resolve("sparse.html");
        HtmlReportWriter.write(report, page);

        HeadlessChromium.Run run = chromium.dumpDom(page, dir.resolve("profile"));

        assertRenderedCleanly(run, TestingRunReports.expectedCharts(report));
        assertThat(run.stdout())
                .contains("No throughput was recorded for this run.")
                .contains("The published versions carry no prequential metrics.");
    }

    /** The harness itself: a page that logs an error and throws must be caught, or the checks above prove nothing. */
    @Test
    void consoleErrorsAndExceptionsAreSeen() throws Exception {
        Path page = dir.resolve("broken.html");
        Files.writeString(page, "<!DOCTYPE html><html><body><script>console.error('planted error');"
                + "undefinedFunction();</script></body></html>", StandardCharsets.UTF_8);

        HeadlessChromium.Run run = chromium.dumpDom(page, dir.resolve("profile"));

        assertThat(run.consoleLines()).anySatisfy(line -> assertThat(line).contains("planted error"));
        assertThat(run.consoleLines()).anySatisfy(line -> assertThat(line).contains("undefinedFunction"));
    }

    /** The screenshot shows charts: many coloured pixels in many colours, not a blank or grey page. */
    private static void assertColourful(Path png) throws Exception {
        assertThat(png).exists();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1280);
        long coloured = 0;
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                int r = rgb >> 16;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    coloured++;
                    colours.add(rgb);
                }
            }
        }
        assertThat(coloured).as("coloured pixels (sampled)").isGreaterThan(5_000);
        assertThat(colours.size()).as("distinct colours").isGreaterThan(50);
    }

    private static void assertRenderedCleanly(HeadlessChromium.Run run, int expectedCharts) {
        if (run.exitCode() != 0 || run.stdout().isBlank()) {
            fail("chromium exited with %d and printed no DOM:%n%s", run.exitCode(), run.stderr());
        }
        assertThat(run.consoleLines()).as("console messages and uncaught exceptions").isEmpty();

        Map<String, String> html = attributes(run.stdout(), "html").get(0);
        assertThat(html).as("root element").doesNotContainKey("data-report-errors");
        assertThat(html.get("data-report-state")).isEqualTo("rendered");
        assertThat(html.get("data-charts-expected")).isEqualTo(String.valueOf(expectedCharts));
        assertThat(html.get("data-charts-rendered")).isEqualTo(String.valueOf(expectedCharts));

        List<Map<String, String>> figures = attributes(run.stdout(), "figure");
        assertThat(figures).hasSize(expectedCharts);
        for (Map<String, String> figure : figures) {
            assertThat(figure.get("data-chart-state")).as("state of %s", figure.get("id")).isEqualTo("rendered");
            assertThat(Integer.parseInt(figure.get("data-ink")))
                    .as("coloured pixels in the plot area of %s", figure.get("id"))
                    .isGreaterThanOrEqualTo(MIN_INK_PIXELS);
        }
    }

    /** The attributes of every {@code <tag ...>} start tag in a serialized DOM, script text left out. */
    private static List<Map<String, String>> attributes(String dom, String tag) {
        List<Map<String, String>> found = new ArrayList<>();
        Matcher m = START_TAG.matcher(SCRIPT.matcher(dom).replaceAll("<script></script>"));
        while (m.find()) {
            if (!m.group(1).equals(tag)) {
                continue;
            }
            Map<String, String> attributes = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attributes.put(a.group(1), a.group(2));
            }
            found.add(attributes);
        }
        assertThat(found).as("<%s> elements", tag).isNotEmpty();
        return found;
    }
}
