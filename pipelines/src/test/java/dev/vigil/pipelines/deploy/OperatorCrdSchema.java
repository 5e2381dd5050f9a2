package dev.vigil.pipelines.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Flink Kubernetes Operator's own schema for one of its custom resources: the {@code openAPIV3Schema} of the
 * {@code v1beta1} version of its CustomResourceDefinition, validated with networknt's JSON Schema validator in the
 * OpenAPI 3.0 dialect.
 *
 * <p>Two Kubernetes rules are applied on top of plain JSON Schema so that validation here rejects what the API server
 * rejects:
 *
 * <ul>
 *   <li>structural schemas are closed: an object schema with {@code properties} accepts no other field unless it says
 *       {@code x-kubernetes-preserve-unknown-fields: true} (the API server prunes such fields, and {@code kubectl
 *       apply} with its default strict field validation refuses them), so {@code additionalProperties: false} is
 *       added to every such object;
 *   <li>{@code apiVersion}, {@code kind} and {@code metadata} are implicit at the root; {@code apiVersion} and
 *       {@code kind} must name this CRD's group, version and kind.
 * </ul>
 *
 * The {@code x-kubernetes-*} extensions are annotations for the validator ({@code x-kubernetes-int-or-string} comes
 * with its own {@code anyOf}); other unknown keywords are ignored, as JSON Schema prescribes.
 */
final class OperatorCrdSchema {

    static final String FLINK_DEPLOYMENT_CRD = "flinkdeployments.flink.apache.org-v1.yml";
    static final String FLINK_SESSION_JOB_CRD = "flinksessionjobs.flink.apache.org-v1.yml";

    /** The served version whose schema Vigil's manifests are written against. */
    static final String VERSION = "v1beta1";

    private static final String[] KUBERNETES_EXTENSIONS = {
        "x-kubernetes-int-or-string",
        "x-kubernetes-preserve-unknown-fields",
        "x-kubernetes-embedded-resource",
        "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys",
        "x-kubernetes-map-type",
        "x-kubernetes-validations"
    };

    private final String apiVersion;
    private final String kind;
    private final Schema schema;

    private OperatorCrdSchema(String apiVersion, String kind, Schema schema) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.schema = schema;
    }

    static OperatorCrdSchema load(Path crdFile) {
        JsonNode crd = KubernetesManifest.load(crdFile.getParent(), crdFile).get(0).node();
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        JsonNode openApi = null;
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (VERSION.equals(version.path("name").asText())) {
                openApi = version.path("schema").path("openAPIV3Schema");
            }
        }
        if (openApi == null || !openApi.isObject()) {
            throw new IllegalArgumentException(crdFile + " has no " + VERSION + " openAPIV3Schema");
        }
        ObjectNode root = openApi.deepCopy();
        ObjectNode properties = root.withObjectProperty("properties");
        properties.set("apiVersion", JsonNodeFactory.instance.objectNode().put("type", "string"));
        properties.set("kind", JsonNodeFactory.instance.objectNode().put("type", "string"));
        properties.set("metadata", JsonNodeFactory.instance.objectNode().put("type", "object"));
        closeObjects(root);

        Dialect.Builder dialect =
                Dialect.builder("https://vigil.dev/schema/kubernetes-structural", Dialects.getOpenApi30());
        for (String extension : KUBERNETES_EXTENSIONS) {
            dialect.keyword(new AnnotationKeyword(extension));
        }
        Schema schema = SchemaRegistry.withDefaultDialect(dialect.build()).getSchema(root);
        return new OperatorCrdSchema(group + "/" + VERSION, kind, schema);
    }

    String apiVersion() {
        return apiVersion;
    }

    String kind() {
        return kind;
    }

    /** The schema violations of {@code resource}; empty when it is valid. */
    List<String> validate(JsonNode resource) {
        List<String> problems = new ArrayList<>();
        if (!apiVersion.equals(resource.path("apiVersion").asText())) {
            problems.add("apiVersion must be " + apiVersion + ", got " + resource.path("apiVersion"));
        }
        if (!kind.equals(resource.path("kind").asText())) {
            problems.add("kind must be " + kind + ", got " + resource.path("kind"));
        }
        if (resource.path("metadata").path("name").asText("").isEmpty()) {
            problems.add("metadata.name is required");
        }
        for (Error error : schema.validate(resource)) {
            problems.add(error.getInstanceLocation() + ": " + error.getMessage());
        }
        return problems;
    }

    /**
     * Adds {@code additionalProperties: false} to every object schema with properties that does not keep unknown
     * fields, walking the schema keywords only (a field may well be called "properties").
     */
    private static void closeObjects(JsonNode schema) {
        if (!schema.isObject()) {
            return;
        }
        ObjectNode object = (ObjectNode) schema;
        JsonNode properties = object.path("properties");
        if (properties.isObject()) {
            if (!object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            properties.forEach(OperatorCrdSchema::closeObjects);
        }
        closeObjects(object.path("additionalProperties"));
        closeObjects(object.path("not"));
        JsonNode items = object.path("items");
        if (items.isArray()) {
            items.forEach(OperatorCrdSchema::closeObjects);
        } else {
            closeObjects(items);
        }
        for (String combinator : new String[] {"allOf", "anyOf", "oneOf"}) {
            object.path(combinator).forEach(OperatorCrdSchema::closeObjects);
        }
    }
}
