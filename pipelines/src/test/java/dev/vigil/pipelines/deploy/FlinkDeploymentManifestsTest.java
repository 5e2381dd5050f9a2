package dev.vigil.pipelines.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.operators.inference.ExecutionProvider;
import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.kafka.KafkaOptions;
import dev.vigil.pipelines.cli.VigilCli;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalResourceOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every {@code FlinkDeployment} and {@code FlinkSessionJob} under {@code k8s/} is valid for the Flink Kubernetes
 * Operator (its CRD schema, see {@link OperatorCrdSchema}), targets the Flink version Vigil is built with, uses only
 * Flink 2.x configuration keys ({@link Flink2ConfigKeys}) and only Vigil options that exist in code ({@link
 * VigilConfigOptions}), as must {@code flink-conf/config.yaml}; and it is deployed the way Vigil needs (stateful
 * upgrades, durable checkpoints, HA, Vigil's logging rules). The negative tests show that each check rejects what it
 * should.
 */
class FlinkDeploymentManifestsTest {

    private static OperatorCrdSchema deploymentSchema;
    private static OperatorCrdSchema sessionJobSchema;
    private static Flink2ConfigKeys flinkKeys;
    private static VigilConfigOptions vigilOptions;

    @BeforeAll
    static void loadSchemasAndOptions() {
        deploymentSchema =
                OperatorCrdSchema.load(RepositoryLayout.operatorCrds().resolve(OperatorCrdSchema.FLINK_DEPLOYMENT_CRD));
        sessionJobSchema = OperatorCrdSchema.load(
                RepositoryLayout.operatorCrds().resolve(OperatorCrdSchema.FLINK_SESSION_JOB_CRD));
        flinkKeys = Flink2ConfigKeys.load();
        vigilOptions = VigilConfigOptions.load();
    }

    static Stream<KubernetesManifest> flinkResources() {
        return KubernetesManifest.loadVigil().stream()
                .filter(m -> m.apiVersion().startsWith("flink.apache.org/"));
    }

    static Stream<KubernetesManifest> deployments() {
        return flinkResources().filter(m -> m.kind().equals("FlinkDeployment"));
    }

    @Test
    void thereIsADeploymentForTheIcuPipeline() {
        assertThat(deployments()).extracting(KubernetesManifest::name).contains("vigil-icu");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flinkResources")
    void matchesTheOperatorsCrdSchema(KubernetesManifest manifest) {
        assertThat(manifest.kind()).isIn(deploymentSchema.kind(), sessionJobSchema.kind());
        OperatorCrdSchema schema =
                manifest.kind().equals(sessionJobSchema.kind()) ? sessionJobSchema : deploymentSchema;
        assertThat(schema.validate(manifest.node())).as(manifest.toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void runsTheFlinkVersionVigilIsBuiltWith(KubernetesManifest manifest) {
        String[] version = EnvironmentInformation.getVersion().split("\\.");
        assertThat(version).as("Flink version on the class path").hasSizeGreaterThanOrEqualTo(2);
        assertThat(manifest.node().path("spec").path("flinkVersion").asText())
                .isEqualTo("v" + version[0] + "_" + version[1]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flinkResources")
    void usesOnlyFlink2AndVigilConfigurationKeys(KubernetesManifest manifest) {
        assertThat(problems(flinkConfiguration(manifest))).as(manifest.toString()).isEmpty();
    }

    @Test
    void vigilKeysOfFlinkConfYamlExistInCode() throws IOException {
        Map<String, String> config = flinkConfYaml();
        List<String> problems = new ArrayList<>();
        config.forEach((key, value) -> {
            if (key.startsWith(VigilConfigOptions.PREFIX)) {
                vigilOptions.problem(key, value).ifPresent(problems::add);
            }
        });
        assertThat(config).containsKey("vigil.kafka.bootstrap-servers");
        assertThat(problems).isEmpty();
    }

    @Test
    void flinkKeysOfFlinkConfYamlAreFlink2Keys() throws IOException {
        assertThat(problems(flinkConfYaml())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void keepsStateAcrossUpgradesAndFailures(KubernetesManifest manifest) {
        JsonNode job = manifest.node().path("spec").path("job");
        assertThat(job.path("upgradeMode").asText()).isIn("last-state", "savepoint");
        assertThat(job.path("jarURI").asText()).endsWith(".jar");
        assertThat(job.path("entryClass").asText()).isEqualTo(VigilCli.class.getName());

        Configuration config = Configuration.fromMap(flinkConfiguration(manifest));
        assertThat(config.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(config.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isNotNull().isPositive();
        assertThat(config.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE).name()).isEqualTo("EXACTLY_ONCE");
        assertThat(config.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).matches("(s3|gs|abfss|hdfs)://.+");
        assertThat(config.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).matches("(s3|gs|abfss|hdfs)://.+");
        assertThat(config.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
        assertThat(config.get(HighAvailabilityOptions.HA_STORAGE_PATH)).isNotBlank();
        // The Kafka transactions of the exactly-once sinks must outlive a checkpoint (they commit on completion).
        assertThat(config.get(KafkaOptions.TRANSACTION_TIMEOUT))
                .isGreaterThan(config.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void shipsVigilsLoggingConfiguration(KubernetesManifest manifest) throws IOException {
        String logConfig = manifest.node().path("spec").path("logConfiguration").path("log4j-console.properties")
                .asText();
        assertThat(logConfig.strip()).isEqualTo(Files.readString(RepositoryLayout.log4jConsoleProperties()).strip());
    }

    @Test
    void gpuVariantRequestsOneGpuPerTaskManagerAndUsesCuda() {
        KubernetesManifest gpu = deployments()
                .filter(d -> flinkConfiguration(d).containsKey(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST.key()))
                .findFirst()
                .orElseThrow();
        Map<String, String> flink = flinkConfiguration(gpu);
        Configuration config = Configuration.fromMap(flink);
        assertThat(config.get(ExternalResourceOptions.EXTERNAL_RESOURCE_LIST)).containsExactly("gpu");
        assertThat(flink)
                .containsEntry("external-resource.gpu.driver-factory.class",
                        "org.apache.flink.externalresource.gpu.GPUDriverFactory")
                .containsEntry("external-resource.gpu.kubernetes.config-key", "nvidia.com/gpu")
                .containsKey("external-resource.gpu.param.discovery-script.path");
        assertThat(Long.parseLong(flink.get("external-resource.gpu.amount"))).isPositive();
        assertThat(config.get(InferenceOptions.EXECUTION_PROVIDER))
                .isIn(ExecutionProvider.CUDA, ExecutionProvider.AUTO);
        // The same deployment as a CPU one, so that applying it is an upgrade that keeps the state.
        assertThat(deployments().filter(d -> d != gpu && d.name().equals(gpu.name()))).isNotEmpty();
    }

    // ---- the checks reject what they should -------------------------------------------------------------------

    @Test
    void schemaRejectsAWrongTypeAndAnUnknownField() {
        KubernetesManifest icu = deployments().filter(d -> d.name().equals("vigil-icu")).findFirst().orElseThrow();

        JsonNode wrongType = icu.node().deepCopy();
        ((ObjectNode) wrongType.path("spec").path("job")).put("parallelism", "four");
        assertThat(deploymentSchema.validate(wrongType)).anyMatch(p -> p.contains("parallelism"));

        JsonNode typo = icu.node().deepCopy();
        ((ObjectNode) typo.path("spec").path("job")).put("upgradMode", "savepoint");
        assertThat(deploymentSchema.validate(typo)).anyMatch(p -> p.contains("upgradMode"));

        JsonNode badEnum = icu.node().deepCopy();
        ((ObjectNode) badEnum.path("spec")).put("flinkVersion", "v2_99");
        assertThat(deploymentSchema.validate(badEnum)).anyMatch(p -> p.contains("flinkVersion"));

        assertThat(deploymentSchema.validate(icu.node())).isEmpty();
    }

    @Test
    void schemaRejectsAManifestOfAnotherKind() {
        KubernetesManifest sessionJob = KubernetesManifest.parse("job.yaml", """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkSessionJob
                metadata:
                  name: vigil-icu-session
                spec:
                  deploymentName: vigil-session
                  job:
                    jarURI: local:///opt/flink/usrlib/vigil-pipelines-job.jar
                    upgradeMode: last-state
                """);
        assertThat(sessionJobSchema.validate(sessionJob.node())).isEmpty();
        assertThat(deploymentSchema.validate(sessionJob.node())).anyMatch(p -> p.startsWith("kind must be"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "state.backend", "state.checkpoints.dir", "state.savepoints.dir", "state.backend.incremental",
        "metrics.reporter.prom.class", "containerized.jobmanager.env.ORT_DISABLE_TELEMETRY", "taskmanager.slots"
    })
    void rejectsKeysFlink2DoesNotRead(String key) {
        assertThat(flinkKeys.problem(key, "x")).isPresent();
    }

    @Test
    void acceptsFlink2KeysAndChecksTheirValues() {
        assertThat(flinkKeys.size()).isGreaterThan(500);
        assertThat(flinkKeys.problem("execution.checkpointing.dir", "s3://b/c")).isEmpty();
        assertThat(flinkKeys.problem("execution.checkpointing.interval", "10 s")).isEmpty();
        assertThat(flinkKeys.problem("execution.checkpointing.interval", "often")).isPresent();
        assertThat(flinkKeys.problem("external-resource.gpu.param.discovery-script.args", "--x")).isEmpty();
        assertThat(flinkKeys.problem("metrics.reporter.prom.factory.class", "x.Y")).isEmpty();
        assertThat(flinkKeys.problem("containerized.master.env.FOO", "1")).isEmpty();
    }

    @Test
    void rejectsVigilKeysThatDoNotExistOrDoNotParse() {
        assertThat(vigilOptions.options()).containsKey(InferenceOptions.EXECUTION_PROVIDER.key());
        assertThat(vigilOptions.problem("vigil.inference.execution-provider", "CUDA")).isEmpty();
        assertThat(vigilOptions.problem("vigil.inference.execution-provider", "TPU")).isPresent();
        assertThat(vigilOptions.problem("vigil.inference.batch.size", "64")).isPresent();
        assertThat(vigilOptions.problem("vigil.kafka.client-properties.security.protocol", "SSL")).isEmpty();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static Map<String, String> flinkConfiguration(KubernetesManifest manifest) {
        return KubernetesManifest.flatten(manifest.node().path("spec").path("flinkConfiguration"));
    }

    private static Map<String, String> flinkConfYaml() throws IOException {
        return KubernetesManifest.flatten(KubernetesManifest.YAML.readTree(RepositoryLayout.flinkConfYaml().toFile()));
    }

    private static List<String> problems(Map<String, String> configuration) {
        List<String> problems = new ArrayList<>();
        configuration.forEach((key, value) -> {
            Optional<String> problem = key.startsWith(VigilConfigOptions.PREFIX)
                    ? vigilOptions.problem(key, value)
                    : flinkKeys.problem(key, value);
            problem.ifPresent(problems::add);
        });
        return problems;
    }
}
