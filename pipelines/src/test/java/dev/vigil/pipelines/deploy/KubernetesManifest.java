package dev.vigil.pipelines.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One document of a (multi-document) YAML file under {@code k8s/}: a Kubernetes resource or a kustomization.
 *
 * @param file the file, relative to {@code k8s/}
 * @param index the document's position in the file, from 0
 * @param node the parsed document
 */
record KubernetesManifest(Path file, int index, ObjectNode node) {

    static final YAMLMapper YAML = new YAMLMapper();

    String apiVersion() {
        return node.path("apiVersion").asText("");
    }

    String kind() {
        return node.path("kind").asText("");
    }

    String name() {
        return node.path("metadata").path("name").asText("");
    }

    String namespace() {
        return node.path("metadata").path("namespace").asText("");
    }

    boolean is(String apiVersion, String kind) {
        return apiVersion().equals(apiVersion) && kind().equals(kind);
    }

    @Override
    public String toString() {
        return file + "#" + index + " " + kind() + (name().isEmpty() ? "" : " " + name());
    }

    /**
     * Vigil's manifests: every document of every {@code .yaml}/{@code .yml} file under {@code k8s/} but its CRDs,
     * parsed once per test JVM. The nodes are shared: copy ({@code deepCopy()}) before changing one.
     */
    static List<KubernetesManifest> loadVigil() {
        return VigilManifests.ALL;
    }

    /** Lazy holder of {@link #loadVigil()}. */
    private static final class VigilManifests {
        static final List<KubernetesManifest> ALL =
                List.copyOf(loadAll(RepositoryLayout.k8s(), RepositoryLayout.crdsDir()));
    }

    /** Every document of every {@code .yaml}/{@code .yml} file below {@code dir}, but {@code excluded}, in order. */
    static List<KubernetesManifest> loadAll(Path dir, Path excluded) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> !p.startsWith(excluded))
                    .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<KubernetesManifest> manifests = new ArrayList<>();
        for (Path file : files) {
            manifests.addAll(load(dir, file));
        }
        return manifests;
    }

    static List<KubernetesManifest> load(Path base, Path file) {
        List<KubernetesManifest> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue; // an empty document (a trailing '---')
                }
                if (!doc.isObject()) {
                    throw new IllegalArgumentException(file + "#" + index + " is not a mapping");
                }
                docs.add(new KubernetesManifest(base.relativize(file), index++, (ObjectNode) doc));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
        return docs;
    }

    /** A single-document YAML text as a manifest (for the negative tests). */
    static KubernetesManifest parse(String name, String yaml) {
        try {
            return new KubernetesManifest(Path.of(name), 0, (ObjectNode) YAML.readTree(yaml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A YAML mapping as Flink reads it: nested mappings become dot-joined keys ({@code a: {b: 1}} is {@code a.b}),
     * scalars their text.
     */
    static Map<String, String> flatten(JsonNode mapping) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", mapping, flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asText()));
            out.put(prefix, String.join(";", items));
        } else {
            out.put(prefix, node.asText());
        }
    }
}
