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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code _STAGES.json} a file-system registry keeps per model name: the {@link StageLedger}'s history, plus the
 * stages and champion it implies (written for people and shell tools; readers recompute them from the history and
 * refuse a file where they disagree):
 *
 * <pre>{@code
 * {
 *   "format" : 1,
 *   "name" : "fraud",
 *   "champion" : 2,
 *   "stages" : { "1" : "RETIRED", "2" : "CHAMPION" },
 *   "history" : [
 *     { "sequence" : 1, "at" : "2026-11-25T10:00:00Z", "action" : "PROMOTE", "version" : 1,
 *       "from" : "CANDIDATE", "to" : "CHAMPION", "actor" : "alice", "reason" : "bootstrap" },
 *     { "sequence" : 2, ..., "version" : 1, "from" : "CHAMPION", "to" : "RETIRED", ... },
 *     { "sequence" : 2, ..., "version" : 2, "from" : "SHADOW", "to" : "CHAMPION", ... } ]
 * }
 * }</pre>
 */
public final class StageLedgerJson {

    /** The {@code format} written. */
    public static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StageLedgerJson() {}

    /** UTF-8 JSON of {@code ledger}. */
    public static byte[] write(StageLedger ledger) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("format", FORMAT);
        json.put("name", ledger.name());
        if (ledger.champion().isPresent()) {
            json.put("champion", ledger.champion().getAsLong());
        } else {
            json.putNull("champion");
        }
        ObjectNode stages = json.putObject("stages");
        ledger.stages().forEach((v, s) -> stages.put(Long.toString(v), s.name()));
        ArrayNode history = json.putArray("history");
        for (StageChange c : ledger.history()) {
            history.add(toJson(c));
        }
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the stages of " + ledger.name(), e);
        }
    }

    /**
     * The ledger stored at {@code location} for model {@code name}.
     *
     * @throws IOException if {@code json} is not a valid ledger of {@code name}
     */
    public static StageLedger read(byte[] json, String name, String location) throws IOException {
        try {
            JsonNode root = MAPPER.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IOException("stage ledger at " + location + " is not a JSON object");
            }
            String declared = root.path("name").asText();
            if (!declared.equals(name)) {
                throw new IOException("stage ledger at " + location + " is of '" + declared + "', not '" + name + "'");
            }
            List<StageChange> history = new ArrayList<>();
            for (JsonNode e : root.path("history")) {
                history.add(new StageChange(
                        e.path("sequence").asLong(),
                        Instant.parse(e.path("at").asText()),
                        StageChange.Action.valueOf(e.path("action").asText()),
                        e.path("version").asLong(),
                        ModelStage.valueOf(e.path("from").asText()),
                        ModelStage.valueOf(e.path("to").asText()),
                        e.path("actor").asText(),
                        e.path("reason").asText()));
            }
            StageLedger ledger = StageLedger.of(name, history);
            for (Map.Entry<String, JsonNode> e : root.path("stages").properties()) {
                ModelStage stated = ModelStage.valueOf(e.getValue().asText());
                if (ledger.stage(Long.parseLong(e.getKey())) != stated) {
                    throw new IOException("stage ledger at " + location + " states " + name + ':' + e.getKey() + " is "
                            + stated + " but its history makes it " + ledger.stage(Long.parseLong(e.getKey())));
                }
            }
            return ledger;
        } catch (JsonProcessingException | DateTimeParseException | IllegalArgumentException e) {
            throw new IOException("stage ledger at " + location + " is invalid: " + e.getMessage(), e);
        }
    }

    static ObjectNode toJson(StageChange c) {
        ObjectNode e = MAPPER.createObjectNode();
        e.put("sequence", c.sequence());
        e.put("at", c.at().toString());
        e.put("action", c.action().name());
        e.put("version", c.version());
        e.put("from", c.from().name());
        e.put("to", c.to().name());
        e.put("actor", c.actor());
        e.put("reason", c.reason());
        return e;
    }
}
