package dev.vigil.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.models.registry.ModelStage;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.models.registry.StageChange;
import dev.vigil.models.registry.VersionMetadata;
import dev.vigil.operators.inference.TestingOnnxModels;
import dev.vigil.operators.registry.FileSystemModelRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vigil models list|show|promote|rollback|verify} in-process, on a registry in a temporary directory. */
class ModelsCommandTest {

    private static final String FRAUD = "fraud-classifier";
    private static final String ICU = "icu-deterioration";

    @TempDir Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private FileSystemModelRegistry registry;
    private ModelVersion fraud1;
    private ModelVersion fraud2;

    @BeforeEach
    void publish() throws Exception {
        registry = new FileSystemModelRegistry(dir.toUri().toString());
        fraud1 = registry.publish(FRAUD, TestingOnnxModels.linear(3, 1L).toOnnx(FRAUD, "x"),
                VersionMetadata.builder().metric("auroc", 0.81).build());
        fraud2 = registry.publish(FRAUD, TestingOnnxModels.linear(3, 2L).toOnnx(FRAUD, "x"),
                VersionMetadata.builder().parentVersion("1").metric("auroc", 0.84).build());
        registry.publish(ICU, TestingOnnxModels.linear(4, 3L).toOnnx(ICU, "x"), VersionMetadata.empty());
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cmd = new CommandLine(new ModelsCommand());
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        String[] withRegistry = new String[args.length + 2];
        System.arraycopy(args, 0, withRegistry, 0, args.length);
        withRegistry[args.length] = "--registry";
        withRegistry[args.length + 1] = dir.toString();
        return cmd.execute(withRegistry);
    }

    private List<String> lines() {
        return out.toString().lines().toList();
    }

    @Test
    void listShowsEveryVersionWithItsStage() {
        assertThat(run("list")).isZero();
        assertThat(lines()).hasSize(4);
        assertThat(lines().get(0)).isEqualTo(ModelsCommand.ListVersions.HEADER);
        assertThat(lines().get(1).split("\\s+")).startsWith(FRAUD, "1", "CANDIDATE").endsWith("auroc=0.8100");
        assertThat(lines().get(2)).contains(fraud2.sha256().substring(0, 12)).contains("  1  ");
        assertThat(lines().get(3)).startsWith(ICU);

        assertThat(run("list", "--name", ICU)).isZero();
        assertThat(lines()).hasSize(2);
    }

    @Test
    void promoteThenRollbackRecordWhoAndWhyAndKeepOneChampion() throws Exception {
        assertThat(run("promote", FRAUD + ":1", "--reason", "bootstrap", "--actor", "alice")).isZero();
        assertThat(out.toString().trim()).isEqualTo(FRAUD + ":1 is CHAMPION");
        assertThat(run("promote", FRAUD + ":2", "--reason", "better auroc", "--actor", "bob")).isZero();
        assertThat(out.toString().trim()).isEqualTo(FRAUD + ":2 is CHAMPION (" + FRAUD + ":1 RETIRED)");
        assertThat(registry.stages(FRAUD).stages())
                .containsEntry(1L, ModelStage.RETIRED).containsEntry(2L, ModelStage.CHAMPION);

        assertThat(run("list", "--name", FRAUD)).isZero();
        assertThat(lines().get(1)).contains("RETIRED");
        assertThat(lines().get(2)).contains("CHAMPION");

        assertThat(run("rollback", FRAUD, "--reason", "recall dropped", "--actor", "carol")).isZero();
        assertThat(out.toString().trim()).isEqualTo(FRAUD + ":1 is CHAMPION (" + FRAUD + ":2 RETIRED)");
        StageChange last = registry.stages(FRAUD).history().get(registry.stages(FRAUD).history().size() - 1);
        assertThat(last.actor()).isEqualTo("carol");
        assertThat(last.reason()).isEqualTo("recall dropped");
        assertThat(last.action()).isEqualTo(StageChange.Action.ROLLBACK);
    }

    @Test
    void refusedChangesExitWithOneAndChangeNothing() throws Exception {
        assertThat(run("rollback", FRAUD)).isEqualTo(ModelsCommand.EXIT_REFUSED);
        assertThat(err.toString()).isEqualTo("refused: cannot roll back " + FRAUD + ": it has no champion"
                + System.lineSeparator());
        assertThat(run("promote", FRAUD + ":9")).isEqualTo(1);
        assertThat(err.toString()).contains(FRAUD + ":9 is not published");
        assertThat(run("promote", FRAUD)).isEqualTo(1);
        assertThat(err.toString()).contains("expected NAME:VERSION");
        assertThat(run("promote", FRAUD + ":1")).isZero();
        assertThat(run("promote", FRAUD + ":1")).isEqualTo(1);
        assertThat(err.toString()).contains("it is CHAMPION");
        assertThat(registry.stages(FRAUD).lastSequence()).isEqualTo(1);
        assertThat(run("promote")).isEqualTo(2); // usage error
    }

    @Test
    void showPrintsTheMetadataJsonWithStageAndHistory() throws Exception {
        run("promote", FRAUD + ":1");
        run("promote", FRAUD + ":2", "--reason", "why not", "--actor", "alice");

        assertThat(run("show", FRAUD)).isZero(); // no version: the champion
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("version").asLong()).isEqualTo(2);
        assertThat(json.get("parentVersion").asText()).isEqualTo("1");
        assertThat(json.get("stage").asText()).isEqualTo("CHAMPION");
        assertThat(json.get("stageHistory")).hasSize(1);
        assertThat(json.get("stageHistory").get(0).get("reason").asText()).isEqualTo("why not");
        assertThat(json.get("metrics").get("auroc").asDouble()).isEqualTo(0.84);
        assertThat(json.get("provenance").has("vigil.feature.fingerprint")).isTrue();
        assertThat(json.get("sha256").asText()).isEqualTo(fraud2.sha256());

        assertThat(run("show", FRAUD + ":1")).isZero();
        assertThat(new ObjectMapper().readTree(out.toString()).get("stage").asText()).isEqualTo("RETIRED");
        assertThat(run("show", ICU)).isZero(); // no champion: the latest
        assertThat(new ObjectMapper().readTree(out.toString()).get("stage").asText()).isEqualTo("CANDIDATE");
        assertThat(run("show", "nope")).isEqualTo(1);
    }

    @Test
    void verifyPassesOnAnIntactRegistryAndFailsOnAChangedFile() throws Exception {
        run("promote", FRAUD + ":1");
        assertThat(run("verify")).isZero();
        assertThat(lines()).contains("ok      " + FRAUD + ":1 (5 checks)", "ok      " + FRAUD + " (stages) (1 checks)")
                .last().isEqualTo("5 checked, 0 failed");

        Path model = Paths.get(URI.create(fraud2.uri()));
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length - 1] ^= 1;
        Files.write(model, bytes);

        assertThat(run("verify")).isEqualTo(ModelsCommand.EXIT_REFUSED);
        assertThat(lines()).anyMatch(l -> l.startsWith("FAILED  " + FRAUD + ":2: model.onnx has sha-256"))
                .last().isEqualTo("5 checked, 1 failed");
        assertThat(run("verify", ICU)).isZero();
        assertThat(run("verify", FRAUD + ":1")).isZero();
        assertThat(run("verify", FRAUD + ":2")).isEqualTo(1);

        Files.writeString(dir.resolve(FRAUD).resolve("_STAGES.json"), "{\"name\":\"" + FRAUD + "\",\"history\":[1]}");
        assertThat(run("verify", FRAUD)).isEqualTo(1);
        assertThat(lines()).anyMatch(l -> l.startsWith("FAILED  " + FRAUD + " (stages): stage ledger at"));
    }
}
