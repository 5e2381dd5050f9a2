package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a {@link RunReport} as one self-contained HTML file: the report's data embedded as JSON, the page's script
 * and style, and the charting library (uPlot, MIT; see {@code dev/vigil/report/README.md}) inlined. The file needs
 * no network at view time, and says so to the browser (a {@code Content-Security-Policy} of {@code default-src
 * 'none'}).
 *
 * <pre>{@code
 * HtmlReportWriter.write(report, Path.of("vigil-report.html"));
 * }</pre>
 *
 * <p>The header (title, run metadata, key figures) is rendered here as escaped static HTML, readable without
 * JavaScript; the charts are drawn in the browser from the embedded JSON, and text from the data is inserted with
 * {@code textContent} only. When all charts have drawn, the page's root element carries {@code
 * data-report-state="rendered"} (see {@code report.js}), which the headless-browser test reads.
 */
public final class HtmlReportWriter {

    /** Where the page's assets live on the classpath. */
    static final String RESOURCE_DIR = "/dev/vigil/report/";

    /** The bundled uPlot release; its README records the npm tarball and the file checksums. */
    static final String UPLOT_VERSION = "1.6.32";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z-]+)}}");
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HtmlReportWriter() {}

    /**
     * Writes the report to {@code file} (UTF-8), replacing it if it exists. The file appears whole or not at all:
     * the page is written beside it first and then moved into place.
     */
    public static void write(RunReport report, Path file) throws IOException {
        checkNotNull(file, "file");
        String html = render(report);
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, absolute.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The report as one HTML document. */
    public static String render(RunReport report) {
        checkNotNull(report, "report");
        Assets assets = Assets.INSTANCE;
        Map<String, String> values = new HashMap<>();
        values.put("title", escape(report.metadata().title()));
        values.put("generator", escape("Written by Vigil's HtmlReportWriter"));
        values.put("uplot-version", UPLOT_VERSION);
        values.put("uplot-css", assets.uplotCss);
        values.put("report-css", assets.reportCss);
        values.put("header", header(report));
        values.put("data", ReportJson.write(report));
        values.put("uplot-license", assets.uplotLicenseComment);
        values.put("uplot-js", assets.uplotJs);
        values.put("report-js", assets.reportJs);
        return fill(assets.template, values);
    }

    /** Replaces each {@code {{name}}} in one pass: inserted text is never scanned for placeholders. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 128 * 1024);
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("report template has no value for {{" + m.group(1) + "}}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Title, run metadata, key figures and the table of contents, as escaped static HTML. */
    static String header(RunReport report) {
        RunMetadata m = report.metadata();
        StringBuilder h = new StringBuilder(2048);
        h.append("<header>\n<h1>").append(escape(m.title())).append("</h1>\n");
        h.append("<p class=\"subtitle\">Pipeline <b>").append(escape(m.pipeline())).append("</b> · seed ")
                .append(m.seed()).append(" · started ").append(UTC.format(m.createdAt()));
        if (m.wallTime() != null) {
            h.append(" · wall time ").append(escape(formatDuration(m.wallTime())));
        }
        h.append("</p>\n<dl class=\"meta\">\n");
        definition(h, "machine", m.machine());
        for (Map.Entry<String, String> e : m.settings().entrySet()) {
            definition(h, e.getKey(), e.getValue());
        }
        h.append("</dl>\n");
        if (!report.keyFigures().isEmpty()) {
            h.append("<ul class=\"figures\" aria-label=\"Key figures\">\n");
            for (KeyFigure f : report.keyFigures()) {
                h.append("<li><span class=\"figure-value\">").append(escape(f.value()))
                        .append("</span><span class=\"figure-label\">").append(escape(f.label()))
                        .append("</span></li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<nav class=\"toc\" aria-label=\"Sections\"><ul>")
                .append("<li><a href=\"#throughput\">Throughput and latency</a></li>")
                .append("<li><a href=\"#patients\">Patient timelines (").append(report.patients().size())
                .append(")</a></li>")
                .append("<li><a href=\"#models\">Model versions (").append(report.modelVersions().size())
                .append(")</a></li>")
                .append("<li><a href=\"#drift\">Drift events (").append(report.driftEvents().size())
                .append(")</a></li>")
                .append("<li><a href=\"#fairness\">Fairness</a></li>")
                .append("</ul></nav>\n</header>");
        return h.toString();
    }

    private static void definition(StringBuilder h, String term, String description) {
        h.append("<dt>").append(escape(term)).append("</dt><dd>").append(escape(description)).append("</dd>\n");
    }

    static String formatDuration(Duration d) {
        long seconds = d.getSeconds();
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%d min %d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %d min", seconds / 3600, (seconds % 3600) / 60);
    }

    /** Escapes text for HTML element content and double- or single-quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement;
            switch (c) {
                case '&':
                    replacement = "&amp;";
                    break;
                case '<':
                    replacement = "&lt;";
                    break;
                case '>':
                    replacement = "&gt;";
                    break;
                case '"':
                    replacement = "&quot;";
                    break;
                case '\'':
                    replacement = "&#39;";
                    break;
                default:
                    replacement = null;
            }
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /** The page's static parts, read once from the classpath and checked to be safe to inline. */
    static final class Assets {
        static final Assets INSTANCE = new Assets();

        final String template = read("report.html");
        final String reportCss = inlineStyle("report.css");
        final String uplotCss = inlineStyle("uPlot.min.css");
        final String reportJs = inlineScript("report.js");
        final String uplotJs = inlineScript("uPlot.iife.min.js");
        final String uplotLicenseComment = "/*! uPlot " + UPLOT_VERSION + "\n" + inlineScript("uPlot-LICENSE")
                .replace("*/", "* /") + "\n*/";

        private Assets() {}

        private static String inlineScript(String name) {
            String text = read(name);
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.contains("</script") || lower.contains("<!--") || lower.contains("<script")) {
                throw new IllegalStateException(name + " cannot be inlined in a script element");
            }
            return text;
        }

        private static String inlineStyle(String name) {
            String text = read(name);
            if (text.toLowerCase(Locale.ROOT).contains("</style")) {
                throw new IllegalStateException(name + " cannot be inlined in a style element");
            }
            return text;
        }

        private static String read(String name) {
            try (InputStream in = HtmlReportWriter.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing report asset " + RESOURCE_DIR + name);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
