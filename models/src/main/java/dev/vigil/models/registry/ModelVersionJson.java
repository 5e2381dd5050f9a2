package dev.vigil.models.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code metadata.json} a file-system registry keeps next to each model file. One JSON object, written with
 * sorted maps so equal versions give equal bytes:
 *
 * <pre>{@code
 * {
 *   "format" : 1,
 *   "name" : "icu-deterioration",
 *   "version" : 7,
 *   "sha256" : "9f2c...",
 *   "sizeBytes" : 1843,
 *   "createdAt" : "2026-11-25T10:15:30.123Z",
 *   "parentVersion" : "6",
 *   "metrics" : { "prequential.auroc" : 0.84 },
 *   "properties" : { "optimizer" : "adam" },
 *   "provenance" : { "vigil.code.version" : "afcdd12", "vigil.feature.fingerprint" : "5be1...",
 *                    "vigil.training.rows" : "1200", "vigil.training.window.start" : "2026-11-24T10:00:00Z", ... }
 * }
 * }</pre>
 *
 * <p>{@link #describe} adds the version's stage and stage history, as {@code vigil models show} prints it; the
 * stored file does not hold them (they change, the file does not: see {@link StageLedger}).
 *
 * <p>The URI is not stored: it is where the file is found, so a registry directory can be copied elsewhere. Readers
 * ignore fields they do not know, so later formats can add fields (e.g. stages) without breaking older scorers.
 */
public final class ModelVersionJson {

    /**
     * The {@code format} written: 2 added {@code provenance}. Readers accept every format and ignore fields they do
     * not know.
     */
    public static final int FORMAT = 2;

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelVersionJson() {}

    /** UTF-8 JSON of {@code version} (its uri left out). */
    public static byte[] write(ModelVersion version) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("format", FORMAT);
        json.put("name", version.name());
        json.put("version", version.version());
        json.put("sha256", version.sha256());
        json.put("sizeBytes", version.sizeBytes());
        json.put("createdAt", version.createdAt().toString());
        if (version.parentVersion() != null) {
            json.put("parentVersion", version.parentVersion());
        }
        ObjectNode metrics = json.putObject("metrics");
        version.metrics().forEach(metrics::put);
        ObjectNode properties = json.putObject("properties");
        version.properties().forEach(properties::put);
        ObjectNode provenance = json.putObject("provenance");
        version.provenance().forEach(provenance::put);
        return bytes(json, version);
    }

    /**
     * UTF-8 JSON of {@code version} as {@link #write} gives it, plus its {@code uri}, its {@code stage} and its
     * {@code stageHistory} from {@code ledger} (the ledger of its name).
     */
    public static byte[] describe(ModelVersion version, StageLedger ledger) {
        ObjectNode json;
        try {
            json = (ObjectNode) MAPPER.readTree(write(version));
        } catch (IOException e) {
            throw new IllegalStateException("cannot describe " + version.label(), e);
        }
        json.put("uri", version.uri());
        json.put("stage", ledger.stage(version.version()).name());
        ArrayNode history = json.putArray("stageHistory");
        for (StageChange c : ledger.history(version.version())) {
            history.add(StageLedgerJson.toJson(c));
        }
        return bytes(json, version);
    }

    private static byte[] bytes(ObjectNode json, ModelVersion version) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the metadata of " + version.label(), e);
        }
    }

    /**
     * The version described by {@code json}, located at {@code uri}.
     *
     * @throws IOException if {@code json} is not a valid description
     */
    public static ModelVersion read(byte[] json, String uri) throws IOException {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IOException("model metadata at " + uri + " is not a JSON object");
            }
            Map<String, Double> metrics = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : root.path("metrics").properties()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
            Map<String, String> properties = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : root.path("properties").properties()) {
                properties.put(e.getKey(), e.getValue().asText());
            }
            Map<String, String> provenance = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : root.path("provenance").properties()) {
                provenance.put(e.getKey(), e.getValue().asText());
            }
            JsonNode parent = root.get("parentVersion");
            return new ModelVersion(
                    required(root, "name", uri).asText(),
                    required(root, "version", uri).asLong(),
                    uri,
                    required(root, "sha256", uri).asText(),
                    required(root, "sizeBytes", uri).asLong(),
                    Instant.parse(required(root, "createdAt", uri).asText()),
                    parent == null || parent.isNull() ? null : parent.asText(),
                    metrics,
                    properties,
                    provenance);
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
            throw new IOException("model metadata at " + uri + " is invalid: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode root, String field, String uri) throws IOException {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw new IOException("model metadata at " + uri + " has no '" + field + "'");
        }
        return node;
    }
}
