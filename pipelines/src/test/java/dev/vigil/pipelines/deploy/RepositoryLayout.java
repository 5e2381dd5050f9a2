package dev.vigil.pipelines.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the deployment files live, found from the test's working directory (Maven runs a module's tests in the
 * module directory): the repository root is the nearest ancestor holding {@code k8s/}, {@code flink-conf/} and a
 * {@code pom.xml}.
 *
 * <p>The Flink Kubernetes Operator's CRDs, copied from its Helm chart, are vendored in {@code
 * k8s/crds/flink-kubernetes-operator/} (the system property {@value #CRD_DIR_PROPERTY} points elsewhere, e.g. to a
 * newer chart); the manifest scan skips {@code k8s/crds/}.
 */
final class RepositoryLayout {

    static final String CRD_DIR_PROPERTY = "vigil.k8s.crd-dir";

    private RepositoryLayout() {}

    static Path root() {
        Path dir = Paths.get("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("k8s"))
                    && Files.isDirectory(p.resolve("flink-conf"))
                    && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("No repository root (with k8s/, flink-conf/ and pom.xml) above " + dir);
    }

    static Path k8s() {
        return root().resolve("k8s");
    }

    static Path flinkConfYaml() {
        return root().resolve("flink-conf").resolve("config.yaml");
    }

    static Path log4jConsoleProperties() {
        return root().resolve("flink-conf").resolve("log4j-console.properties");
    }

    /** Main Java sources of the modules that register metrics. */
    static Path[] metricSourceRoots() {
        Path root = root();
        return new Path[] {
            root.resolve("operators/src/main/java"), root.resolve("pipelines/src/main/java")
        };
    }

    /** The directory with the operator's CRD files; fails with a hint when they are missing. */
    static Path operatorCrds() {
        String configured = System.getProperty(CRD_DIR_PROPERTY);
        Path dir = configured != null ? Paths.get(configured) : crdsDir().resolve("flink-kubernetes-operator");
        if (!Files.isRegularFile(dir.resolve(OperatorCrdSchema.FLINK_DEPLOYMENT_CRD))) {
            throw new IllegalStateException("The Flink Kubernetes Operator CRDs are not in " + dir
                    + ": copy helm/flink-kubernetes-operator/crds/ of the operator there, or set -D"
                    + CRD_DIR_PROPERTY + "=<dir>");
        }
        return dir;
    }

    /** Vendored third-party CRDs: reference data for the tests, not manifests of Vigil. */
    static Path crdsDir() {
        return k8s().resolve("crds");
    }
}
