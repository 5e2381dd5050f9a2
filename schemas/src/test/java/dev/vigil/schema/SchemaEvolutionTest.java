package dev.vigil.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema in {@code src/main/avro} must stay BACKWARD compatible with every version of it that was ever
 * committed: a consumer built from the working tree must read all data written by earlier producers. History comes
 * from git, so this checks the change under review against {@code HEAD} and all earlier commits.
 */
class SchemaEvolutionTest {

    private static final Path AVRO_DIR = Paths.get("src/main/avro");
    /** Named types other schemas refer to; parsed first, in this order. */
    private static final List<String> SHARED_TYPES = List.of("common/Reason.avsc");

    static Stream<String> schemaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(AVRO_DIR)) {
            return files.filter(p -> p.toString().endsWith(".avsc"))
                    .map(p -> AVRO_DIR.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaFiles")
    void isBackwardCompatibleWithEveryCommittedVersion(String file) throws Exception {
        assumeThat(gitAvailable()).as("git history is needed to find earlier versions").isTrue();
        Schema current = parse(file, this::readWorkingTree);
        List<String> commits = git("log", "--format=%H", "--", AVRO_DIR.resolve(file).toString());
        for (String commit : commits) {
            Schema previous = parse(file, f -> gitShow(commit, f));
            if (previous == null) {
                continue;
            }
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, previous);
            assertThat(result.getType())
                    .as("%s must read data written with its version at commit %s: %s",
                            file, commit.substring(0, 8), result.getResult().getIncompatibilities())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaFiles")
    void followsNamingConventions(String file) throws Exception {
        Schema schema = parse(file, this::readWorkingTree);
        assertThat(schema.getNamespace()).startsWith("dev.vigil.schema.");
        assertThat(schema.getDoc()).as("every record documents itself").isNotBlank();
        for (Schema.Field field : schema.getFields()) {
            String name = field.name();
            if (name.endsWith("At") || name.endsWith("Time")) {
                Schema type = nonNull(field.schema());
                assertThat(type.getLogicalType())
                        .as("%s.%s is a timestamp and must be timestamp-millis", schema.getName(), name)
                        .isEqualTo(LogicalTypes.timestampMillis());
            }
        }
    }

    @Test
    void theCheckRejectsABreakingChange() {
        Schema v1 = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"dev.vigil.schema.t\",\"fields\":["
                        + "{\"name\":\"a\",\"type\":\"string\"}]}");
        Schema v2NoDefault = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"dev.vigil.schema.t\",\"fields\":["
                        + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\"}]}");
        Schema v2WithDefault = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"dev.vigil.schema.t\",\"fields\":["
                        + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2NoDefault, v1).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2WithDefault, v1).getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch;
                }
            }
        }
        return schema;
    }

    @FunctionalInterface
    private interface Source {
        String read(String file) throws Exception;
    }

    /** Parses {@code file} with the shared named types of the same source; null when the file is absent there. */
    private static Schema parse(String file, Source source) throws Exception {
        Schema.Parser parser = new Schema.Parser();
        for (String shared : SHARED_TYPES) {
            if (!shared.equals(file)) {
                String text = source.read(shared);
                if (text != null) {
                    parser.parse(text);
                }
            }
        }
        String text = source.read(file);
        return text == null ? null : parser.parse(text);
    }

    private String readWorkingTree(String file) throws IOException {
        return Files.readString(AVRO_DIR.resolve(file), StandardCharsets.UTF_8);
    }

    private static String gitShow(String commit, String file) throws Exception {
        List<String> prefix = git("rev-parse", "--show-prefix");
        String repoPath = (prefix.isEmpty() ? "" : prefix.get(0)) + AVRO_DIR.resolve(file).toString().replace('\\', '/');
        Process p = new ProcessBuilder("git", "show", commit + ":" + repoPath).redirectErrorStream(false).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        p.getErrorStream().readAllBytes();
        return waitFor(p) == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    }

    private static boolean gitAvailable() {
        try {
            return !git("rev-parse", "--is-inside-work-tree").isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String> git(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.getErrorStream().readAllBytes();
        if (waitFor(p) != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed");
        }
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static int waitFor(Process p) throws InterruptedException {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
