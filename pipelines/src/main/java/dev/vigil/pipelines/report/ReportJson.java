package dev.vigil.pipelines.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON a report page draws from. Numbers that are not finite become {@code null}; instants are epoch
 * milliseconds; time series are written as columns ({@code "t": [...], "rate": [...]}) the way uPlot takes them.
 *
 * <p>The text is safe to embed in an HTML {@code <script>} element: {@code <}, {@code >}, {@code &} and the line
 * separators U+2028/U+2029 are written as {@code \}{@code uXXXX} escapes, so no string in the data can close the
 * element ({@code </script>}) or open an HTML comment ({@code <!--}), and {@code JSON.parse} gives the original
 * strings back.
 */
final class ReportJson {

    /** Version of the JSON layout. */
    static final int FORMAT = 1;

    private static final JsonFactory FACTORY = new JsonFactory();

    private ReportJson() {}

    static String write(RunReport report) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setCharacterEscapes(ScriptSafeEscapes.INSTANCE);
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            meta(g, report.metadata());
            keyFigures(g, report);
            throughput(g, report);
            patients(g, report);
            modelVersions(g, report);
            drift(g, report);
            fairness(g, report);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void meta(JsonGenerator g, RunMetadata m) throws IOException {
        g.writeObjectFieldStart("meta");
        g.writeStringField("title", m.title());
        g.writeStringField("pipeline", m.pipeline());
        g.writeNumberField("seed", m.seed());
        g.writeStringField("machine", m.machine());
        g.writeNumberField("createdAt", m.createdAt().toEpochMilli());
        if (m.wallTime() == null) {
            g.writeNullField("wallTimeMs");
        } else {
            g.writeNumberField("wallTimeMs", m.wallTime().toMillis());
        }
        g.writeObjectFieldStart("settings");
        for (Map.Entry<String, String> e : m.settings().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void keyFigures(JsonGenerator g, RunReport report) throws IOException {
        g.writeArrayFieldStart("keyFigures");
        for (KeyFigure f : report.keyFigures()) {
            g.writeStartObject();
            g.writeStringField("label", f.label());
            g.writeStringField("value", f.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void throughput(JsonGenerator g, RunReport report) throws IOException {
        g.writeObjectFieldStart("throughput");
        if (report.throughput().isEmpty()) {
            g.writeNullField("bucketMs");
        } else {
            g.writeNumberField("bucketMs", report.throughput().get(0).width().toMillis());
        }
        g.writeArrayFieldStart("t");
        for (ThroughputBucket b : report.throughput()) {
            g.writeNumber(b.start().toEpochMilli());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("rate");
        for (ThroughputBucket b : report.throughput()) {
            number(g, b.recordsPerSecond());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("p50");
        for (ThroughputBucket b : report.throughput()) {
            number(g, b.latencyP50Ms());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("p99");
        for (ThroughputBucket b : report.throughput()) {
            number(g, b.latencyP99Ms());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void patients(JsonGenerator g, RunReport report) throws IOException {
        g.writeArrayFieldStart("patients");
        for (PatientTimeline p : report.patients()) {
            g.writeStartObject();
            g.writeStringField("label", p.label());
            g.writeArrayFieldStart("t");
            for (PatientTimeline.ScorePoint s : p.scores()) {
                g.writeNumber(s.eventTime().toEpochMilli());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("score");
            for (PatientTimeline.ScorePoint s : p.scores()) {
                number(g, s.modelScore());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("news2");
            for (PatientTimeline.ScorePoint s : p.scores()) {
                number(g, s.news2());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("alerts");
            for (PatientTimeline.AlertMark a : p.alerts()) {
                g.writeStartObject();
                g.writeNumberField("t", a.eventTime().toEpochMilli());
                g.writeStringField("level", a.level());
                g.writeStringField("trigger", a.trigger());
                g.writeBooleanField("escalation", a.escalation());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (p.outcome() == null) {
                g.writeNullField("outcome");
            } else {
                g.writeObjectFieldStart("outcome");
                g.writeNumberField("t", p.outcome().eventTime().toEpochMilli());
                g.writeStringField("kind", p.outcome().kind());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void modelVersions(JsonGenerator g, RunReport report) throws IOException {
        g.writeArrayFieldStart("modelVersions");
        for (ModelVersionPoint v : report.modelVersions()) {
            g.writeStartObject();
            g.writeStringField("version", v.version());
            g.writeStringField("parent", v.parentVersion());
            g.writeNumberField("publishedAt", v.publishedAt().toEpochMilli());
            g.writeFieldName("auroc");
            number(g, v.auroc());
            g.writeFieldName("logLoss");
            number(g, v.logLoss());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void drift(JsonGenerator g, RunReport report) throws IOException {
        g.writeArrayFieldStart("drift");
        for (DriftMark d : report.driftEvents()) {
            g.writeStartObject();
            g.writeNumberField("t", d.eventTime().toEpochMilli());
            g.writeStringField("signal", d.signal());
            g.writeStringField("detector", d.detector());
            g.writeStringField("kind", d.kind());
            g.writeFieldName("statistic");
            number(g, d.statistic());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void fairness(JsonGenerator g, RunReport report) throws IOException {
        g.writeArrayFieldStart("fairness");
        for (FairnessWindow w : report.fairness()) {
            g.writeStartObject();
            g.writeStringField("attribute", w.attribute());
            g.writeNumberField("windowEnd", w.windowEnd().toEpochMilli());
            g.writeBooleanField("alert", w.alert());
            g.writeArrayFieldStart("groups");
            for (FairnessWindow.GroupRates r : w.groups()) {
                g.writeStartObject();
                g.writeStringField("group", r.group());
                g.writeNumberField("count", r.count());
                g.writeBooleanField("eligible", r.eligible());
                rate(g, "tpr", r.truePositiveRate());
                rate(g, "selectionRate", r.selectionRate());
                g.writeEndObject();
            }
            g.writeEndArray();
            gap(g, "equalOpportunity", w.equalOpportunity());
            gap(g, "demographicParity", w.demographicParity());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void rate(JsonGenerator g, String field, FairnessWindow.Rate rate) throws IOException {
        if (rate == null) {
            g.writeNullField(field);
            return;
        }
        g.writeObjectFieldStart(field);
        g.writeFieldName("estimate");
        number(g, rate.estimate());
        g.writeFieldName("lower");
        number(g, rate.lower());
        g.writeFieldName("upper");
        number(g, rate.upper());
        g.writeEndObject();
    }

    private static void gap(JsonGenerator g, String field, FairnessWindow.Gap gap) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeFieldName("difference");
        number(g, gap.difference());
        g.writeBooleanField("significant", gap.significant());
        g.writeStringField("lowGroup", gap.lowGroup());
        g.writeStringField("highGroup", gap.highGroup());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, double value) throws IOException {
        if (Double.isFinite(value)) {
            g.writeNumber(value);
        } else {
            g.writeNull();
        }
    }

    /** JSON escapes that keep the text inert inside an HTML script element (see the class comment). */
    static final class ScriptSafeEscapes extends CharacterEscapes {
        static final ScriptSafeEscapes INSTANCE = new ScriptSafeEscapes();
        private static final long serialVersionUID = 1L;
        private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
        private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

        private final int[] asciiEscapes;

        private ScriptSafeEscapes() {
            asciiEscapes = CharacterEscapes.standardAsciiEscapesForJSON();
            asciiEscapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
            asciiEscapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
            asciiEscapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return asciiEscapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028) {
                return LINE_SEPARATOR;
            }
            if (ch == 0x2029) {
                return PARAGRAPH_SEPARATOR;
            }
            return null;
        }
    }
}
