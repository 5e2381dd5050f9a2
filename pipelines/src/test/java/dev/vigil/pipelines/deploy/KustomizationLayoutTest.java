package dev.vigil.pipelines.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code k8s/} holds only resources these tests know how to check, and {@code kubectl apply -k k8s} (and {@code
 * k8s/gpu}) deploys all of them: every kustomization's resources and generated files exist, and every manifest file
 * is reachable from a kustomization.
 */
class KustomizationLayoutTest {

    /** apiVersion/kind of every resource Vigil deploys; each has its own test class. */
    static final Map<String, String> KNOWN = Map.of(
            "FlinkDeployment", "flink.apache.org/v1beta1",
            "FlinkSessionJob", "flink.apache.org/v1beta1",
            "KafkaTopic", KafkaTopicManifestsTest.API_VERSION,
            "PodMonitor", "monitoring.coreos.com/v1",
            "Kustomization", "kustomize.config.k8s.io/v1beta1");

    @Test
    void everyManifestIsOfAKindThatIsChecked() {
        List<KubernetesManifest> manifests = KubernetesManifest.loadVigil();
        assertThat(manifests).isNotEmpty().allSatisfy(m -> {
            assertThat(KNOWN).as(m.toString()).containsEntry(m.kind(), m.apiVersion());
            if (!m.kind().equals("Kustomization")) {
                assertThat(m.name()).as(m.toString()).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            }
        });
    }

    @Test
    void kustomizationsReferToFilesThatExistAndReachEveryManifest() {
        Path k8s = RepositoryLayout.k8s();
        Set<Path> reached = new HashSet<>();
        for (KubernetesManifest kustomization : KubernetesManifest.loadVigil()) {
            if (!kustomization.kind().equals("Kustomization")) {
                continue;
            }
            Path dir = k8s.resolve(kustomization.file()).getParent();
            reached.add(k8s.resolve(kustomization.file()).normalize());
            for (JsonNode resource : kustomization.node().path("resources")) {
                Path target = dir.resolve(resource.asText()).normalize();
                assertThat(target).as("%s: resource %s", kustomization.file(), resource.asText()).exists();
                if (Files.isDirectory(target)) {
                    assertThat(target.resolve("kustomization.yaml")).exists();
                } else {
                    reached.add(target);
                }
            }
            for (JsonNode generator : kustomization.node().path("configMapGenerator")) {
                for (JsonNode file : generator.path("files")) {
                    assertThat(dir.resolve(file.asText())).as("%s: file %s", kustomization.file(), file.asText())
                            .isRegularFile();
                }
            }
        }
        Set<Path> manifestFiles = new HashSet<>();
        KubernetesManifest.loadVigil().forEach(m -> manifestFiles.add(k8s.resolve(m.file()).normalize()));
        assertThat(reached).containsAll(manifestFiles);
    }

    @Test
    void theGpuKustomizationDeploysTheSameResourcesWithTheGpuDeployment() {
        Path k8s = RepositoryLayout.k8s();
        assertThat(resources(k8s.resolve("kustomization.yaml"))).containsExactlyInAnyOrder(
                "vigil-icu.yaml", "kafka", "monitoring");
        assertThat(resources(k8s.resolve("gpu/kustomization.yaml"))).containsExactlyInAnyOrder(
                "vigil-icu.yaml", "../kafka", "../monitoring");
    }

    @Test
    void onlyVendoredCrdsAreSkipped() throws IOException {
        try (Stream<Path> files = Files.list(RepositoryLayout.crdsDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("flink-kubernetes-operator");
        }
    }

    private static List<String> resources(Path kustomization) {
        List<String> resources = new ArrayList<>();
        KubernetesManifest.load(RepositoryLayout.k8s(), kustomization).get(0).node().path("resources")
                .forEach(r -> resources.add(r.asText()));
        return resources;
    }
}
