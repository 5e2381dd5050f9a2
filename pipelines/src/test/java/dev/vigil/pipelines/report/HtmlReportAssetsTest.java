package dev.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bundled library is the one its README records: same files, same checksums, same version. */
class HtmlReportAssetsTest {

    private static final Pattern CHECKSUM_ROW = Pattern.compile("^\\| `([^`]+)` \\| `([0-9a-f]{64})` \\|$",
            Pattern.MULTILINE);

    @Test
    void bundledFilesMatchTheChecksumsInTheReadme() throws Exception {
        String readme = new String(resource("README.md"), StandardCharsets.UTF_8);
        Map<String, String> recorded = new LinkedHashMap<>();
        Matcher m = CHECKSUM_ROW.matcher(readme);
        while (m.find()) {
            recorded.put(m.group(1), m.group(2));
        }

        assertThat(recorded).containsOnlyKeys("uPlot.iife.min.js", "uPlot.min.css", "uPlot-LICENSE");
        for (Map.Entry<String, String> e : recorded.entrySet()) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(resource(e.getKey()));
            String actual = HexFormat.of().formatHex(digest);
            assertThat(actual).as("sha-256 of %s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void versionConstantMatchesTheLibraryAndTheReadme() throws Exception {
        String library = new String(resource("uPlot.iife.min.js"), StandardCharsets.UTF_8);
        String readme = new String(resource("README.md"), StandardCharsets.UTF_8);

        assertThat(library)
                .startsWith("/*! https://github.com/leeoniya/uPlot (v" + HtmlReportWriter.UPLOT_VERSION + ")");
        assertThat(readme).contains("- version: " + HtmlReportWriter.UPLOT_VERSION);
        assertThat(new String(resource("uPlot-LICENSE"), StandardCharsets.UTF_8)).startsWith("The MIT License");
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream(HtmlReportWriter.RESOURCE_DIR + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
