package dev.vigil.pipelines.report;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What ran, where and when.
 *
 * @param title the report's title
 * @param pipeline pipeline name, e.g. {@code icu}
 * @param seed simulation seed
 * @param machine a description of the machine, e.g. from {@link #thisMachine()}
 * @param createdAt when the run started
 * @param wallTime how long it ran, or {@code null} when unknown
 * @param settings the run's settings as shown to the reader, in insertion order
 */
public record RunMetadata(
        String title,
        String pipeline,
        long seed,
        String machine,
        Instant createdAt,
        Duration wallTime,
        Map<String, String> settings) {

    public RunMetadata {
        checkArgument(title != null && !title.isBlank(), "title must not be blank");
        checkArgument(pipeline != null && !pipeline.isBlank(), "pipeline must not be blank");
        checkArgument(machine != null && !machine.isBlank(), "machine must not be blank");
        checkNotNull(createdAt, "createdAt");
        checkArgument(wallTime == null || !wallTime.isNegative(), "wallTime must not be negative, got %s", wallTime);
        checkNotNull(settings, "settings");
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** This JVM's machine: OS, architecture, processors and Java version (no host name). */
    public static String thisMachine() {
        return String.format(Locale.ROOT, "%s %s, %d CPUs, Java %s", System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
    }
}
