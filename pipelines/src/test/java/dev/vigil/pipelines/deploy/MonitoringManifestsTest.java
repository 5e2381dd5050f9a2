package dev.vigil.pipelines.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prometheus can scrape what the Flink deployments expose, and the Grafana dashboard only queries metrics that exist:
 * every {@code flink_*} name in it maps back (scope and name, see {@link RegisteredMetricNames}) to a metric
 * registered in Vigil's code or by Flink itself, so renaming a metric without the dashboard fails here.
 */
class MonitoringManifestsTest {

    static final Path DASHBOARD = Path.of("monitoring", "grafana-dashboard-vigil.json");

    private static final Pattern PROMETHEUS_NAME = Pattern.compile("\\bflink_[A-Za-z0-9_:]+");

    private static JsonNode dashboard;
    private static String dashboardText;
    private static RegisteredMetricNames metrics;

    @BeforeAll
    static void load() throws IOException {
        dashboardText = Files.readString(RepositoryLayout.k8s().resolve(DASHBOARD));
        dashboard = new ObjectMapper().readTree(dashboardText);
        metrics = RegisteredMetricNames.load(RepositoryLayout.metricSourceRoots());
    }

    @Test
    void dashboardQueriesOnlyRegisteredMetrics() {
        Set<String> queried = prometheusNames(dashboardText);
        assertThat(queried).hasSizeGreaterThan(30);
        List<String> problems = new ArrayList<>();
        for (String name : queried) {
            metrics.problem(name).ifPresent(problems::add);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void dashboardCoversTheStagesOperatorsWatch() {
        Set<String> queried = prometheusNames(dashboardText);
        String op = RegisteredMetricNames.OPERATOR_SCOPE;
        assertThat(queried).contains(
                op + "numRecordsInPerSecond", // records in/out per stage
                op + "ingestRejected", // dead letters per stage
                op + "batchSize", // micro-batch size
                op + "unscoredRecords", // scoring failures (NEWS2 fallback)
                op + "updates", // learner updates/s
                op + "prequentialAuroc", // prequential metric
                op + "labelsPositive", // label join
                op + "icuAlertsRaised", // alert rate
                op + "driftEvents", // drift events
                op + "signal_observationsSinceDrift", // drift statistic per signal
                op + "pipeline_attribute_equalOpportunityDifference"); // fairness gaps
    }

    @Test
    void recognizesMetricsThatDoNotExist() {
        String op = RegisteredMetricNames.OPERATOR_SCOPE;
        assertThat(metrics.problem(op + "batchSize")).isEmpty();
        assertThat(metrics.problem(op + "batchSize_count")).isEmpty();
        assertThat(metrics.problem("flink_jobmanager_job_lastCheckpointDuration")).isEmpty();
        assertThat(metrics.problem(op + "inferenceLatencyMillis")).isPresent();
        assertThat(metrics.problem(op + "modelSwaps_count")).as("a counter has no _count").isPresent();
        assertThat(metrics.problem("flink_jobmanager_job_icuAlertsRaised")).as("wrong scope").isPresent();
        assertThat(metrics.problem("flink_nowhere_numRecordsIn")).isPresent();
        // User groups: addGroup("signal", key) puts "signal_" before the name (and the key in a label).
        assertThat(metrics.problem(op + "signal_observationsSinceDrift")).isEmpty();
        assertThat(metrics.problem(op + "nosuchgroup_observationsSinceDrift")).isPresent();
    }

    @Test
    void dashboardIsWellFormedForGrafana() {
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        assertThat(dashboard.path("title").asText()).isNotBlank();
        Set<String> variables = new HashSet<>();
        dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        assertThat(variables).contains("datasource", "job");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id %s", panel.path("id")).isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as(panel.path("title").asText()).contains("job_name=~\"$job\"");
                assertThat(balanced(expr)).as(expr).isTrue();
            }
        }
    }

    @Test
    void podMonitorScrapesTheReporterPortOfEveryDeployment() {
        List<KubernetesManifest> manifests = KubernetesManifest.loadVigil();
        List<KubernetesManifest> podMonitors = manifests.stream()
                .filter(m -> m.kind().equals("PodMonitor"))
                .toList();
        assertThat(podMonitors).hasSize(1);
        KubernetesManifest podMonitor = podMonitors.get(0);
        assertThat(podMonitor.apiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(podMonitor.name()).isNotBlank();
        JsonNode spec = podMonitor.node().path("spec");
        // Flink's native Kubernetes integration labels its JobManager and TaskManager pods so.
        assertThat(spec.path("selector").path("matchLabels").path("type").asText())
                .isEqualTo("flink-native-kubernetes");
        assertThat(spec.path("podMetricsEndpoints")).isNotEmpty();
        String port = spec.path("podMetricsEndpoints").get(0).path("port").asText();
        assertThat(port).isNotBlank();

        manifests.stream().filter(m -> m.kind().equals("FlinkDeployment")).forEach(deployment -> {
            assertThat(deployment.namespace()).as(deployment.toString()).isEqualTo(podMonitor.namespace());
            String reporterPort = KubernetesManifest.flatten(deployment.node().path("spec").path("flinkConfiguration"))
                    .get("metrics.reporter.prom.port");
            assertThat(reporterPort).as("%s: a single port per pod", deployment).matches("[0-9]+");
            List<Integer> exposed = new ArrayList<>();
            for (JsonNode container : deployment.node().path("spec").path("podTemplate").path("spec")
                    .path("containers")) {
                if (container.path("name").asText().equals("flink-main-container")) {
                    for (JsonNode p : container.path("ports")) {
                        if (p.path("name").asText().equals(port)) {
                            exposed.add(p.path("containerPort").asInt());
                        }
                    }
                }
            }
            assertThat(exposed).as("%s exposes port '%s'", deployment, port)
                    .containsExactly(Integer.parseInt(reporterPort));
        });
    }

    @Test
    void dashboardIsShippedToTheGrafanaSidecar() {
        KubernetesManifest kustomization = KubernetesManifest.load(RepositoryLayout.k8s(),
                        RepositoryLayout.k8s().resolve("monitoring/kustomization.yaml"))
                .get(0);
        List<String> files = new ArrayList<>();
        for (JsonNode generator : kustomization.node().path("configMapGenerator")) {
            if (generator.path("options").path("labels").path("grafana_dashboard").asText().equals("1")) {
                generator.path("files").forEach(f -> files.add(f.asText()));
            }
        }
        assertThat(files).containsExactly(DASHBOARD.getFileName().toString());
    }

    static Set<String> prometheusNames(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = PROMETHEUS_NAME.matcher(text);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }

    private static boolean balanced(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                if (--depth < 0) {
                    return false;
                }
            }
        }
        return depth == 0;
    }
}
