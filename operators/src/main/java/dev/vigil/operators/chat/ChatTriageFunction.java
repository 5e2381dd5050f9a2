package dev.vigil.operators.chat;

import dev.vigil.models.registry.ModelVersionOrder;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.label.LabelJoin;
import dev.vigil.schema.chat.TriageDecision;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.flink.util.Preconditions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triage head step of the chat pipeline with hot-swapped versions: input 1 is the encoder's {@link
 * EmbeddedMessage}s, input 2 (broadcast) the {@link ModelUpdate}s of the control topic. Each message gets one {@link
 * TriageDecision} (class, probabilities, encoder and head versions) and, on {@link #PREDICTIONS}, the {@link
 * Prediction} the agent-feedback label join waits for (features = the embedding, score = the top probability).
 *
 * <p><b>Class.</b> The head's most probable class, except that a message {@link LanguageHeuristic} finds foreign is
 * {@link TriageClass#OUT_OF_SCOPE} whatever the head says ({@code languageFlagged} is then true).
 *
 * <p><b>Hot swap.</b> An update for this head's name that is newer than the one served ({@link ModelVersionOrder})
 * goes into broadcast state (so every subtask, and a restore, agree on the version), and the head is reloaded from
 * it, sha-256 checked, before the next message; the old session is closed after the new one opened. A version that
 * cannot be loaded is logged once and counted ({@code headSwapFailures}); the previous head keeps serving. Until an
 * update arrives, the bootstrap head (bundled) serves. Gauges: {@code headVersion}; counters {@code headSwaps},
 * {@code headSwapFailures}.
 */
public final class ChatTriageFunction extends BroadcastProcessFunction<EmbeddedMessage, ModelUpdate, TriageDecision> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ChatTriageFunction.class);

    public static final String PIPELINE = "chat";

    /** The predictions the label join consumes. */
    public static final OutputTag<Prediction> PREDICTIONS =
            new OutputTag<>("chat-predictions", new AvroTypeInfo<>(Prediction.class));

    /** Broadcast state: the latest announced version of each head name. */
    public static final MapStateDescriptor<String, ModelUpdate> HEAD_STATE =
            new MapStateDescriptor<>("chat-head-version", Types.STRING, new AvroTypeInfo<>(ModelUpdate.class));

    private final ModelRef bootstrap;
    private final Configuration options;

    private transient TriageHead head;
    private transient String failedVersion;
    private transient float[][] row;
    private transient volatile String servedVersion;
    private transient Counter swaps;
    private transient Counter swapFailures;

    /**
     * @param bootstrap the head served until a newer version of its name arrives
     * @param options {@link dev.vigil.operators.inference.InferenceOptions} for the head's session
     */
    public ChatTriageFunction(ModelRef bootstrap, ReadableConfig options) {
        this.bootstrap = Preconditions.checkNotNull(bootstrap, "bootstrap");
        this.options = Configuration.fromMap(Preconditions.checkNotNull(options, "options").toMap());
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        row = new float[1][];
        swaps = getRuntimeContext().getMetricGroup().counter("headSwaps");
        swapFailures = getRuntimeContext().getMetricGroup().counter("headSwapFailures");
        getRuntimeContext().getMetricGroup().gauge("headVersion", () -> servedVersion == null ? "none" : servedVersion);
    }

    @Override
    public void processElement(EmbeddedMessage m, ReadOnlyContext ctx, Collector<TriageDecision> out)
            throws Exception {
        ReadOnlyBroadcastState<String, ModelUpdate> state = ctx.getBroadcastState(HEAD_STATE);
        ensureHead(state.get(bootstrap.name()));
        row[0] = m.embedding;
        float[] p = head.probabilities(row, 1);
        int k = TriageHead.argmax(p, 0, head.numClasses());
        TriageClass decided = m.foreign ? TriageClass.OUT_OF_SCOPE : TriageClass.values()[k];
        ModelRef served = head.modelRef();
        long now = System.currentTimeMillis();
        Map<String, Double> probabilities = new HashMap<>();
        for (int c = 0; c < p.length; c++) {
            probabilities.put(TriageClass.LABELS.get(c), (double) p[c]);
        }
        String predictionId = LabelJoin.predictionId(PIPELINE, m.messageId, m.sentAt, served.name(), served.version());
        out.collect(TriageDecision.newBuilder()
                .setPredictionId(predictionId)
                .setMessageId(m.messageId)
                .setConversationId(m.conversationId)
                .setSentAt(Instant.ofEpochMilli(m.sentAt))
                .setTriageClass(decided.label())
                .setProbabilities(probabilities)
                .setLanguageFlagged(m.foreign)
                .setEncoderVersion(m.encoderVersion)
                .setHeadName(served.name())
                .setHeadVersion(served.version())
                .setScoredAt(Instant.ofEpochMilli(now))
                .build());
        List<Float> features = new ArrayList<>(m.embedding.length);
        for (float v : m.embedding) {
            features.add(v);
        }
        ctx.output(PREDICTIONS, Prediction.newBuilder()
                .setPipeline(PIPELINE)
                .setEntityId(m.messageId)
                .setEventTime(Instant.ofEpochMilli(m.sentAt))
                .setIngestTime(Instant.ofEpochMilli(m.ingestTime))
                .setScoredAt(Instant.ofEpochMilli(now))
                .setModelName(served.name())
                .setModelVersion(served.version())
                .setScore((double) p[k])
                .setFeatures(features)
                .setGroup(new HashMap<>())
                .build());
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<TriageDecision> out)
            throws Exception {
        if (!bootstrap.name().equals(update.getName())) {
            return; // another pipeline's model on the shared control topic
        }
        ModelUpdate current = ctx.getBroadcastState(HEAD_STATE).get(bootstrap.name());
        String currentVersion = current == null ? bootstrap.version() : current.getVersion();
        if (ModelVersionOrder.isNewer(update.getVersion(), currentVersion)) {
            ctx.getBroadcastState(HEAD_STATE).put(bootstrap.name(), update);
            ensureHead(update);
        }
    }

    @Override
    public void close() throws Exception {
        if (head != null) {
            head.close();
            head = null;
        }
    }

    /** Makes {@link #head} serve {@code announced} (or the bootstrap when null), loading it if needed. */
    private void ensureHead(ModelUpdate announced) throws Exception {
        ModelRef wanted = announced == null ? bootstrap : ModelRef.of(announced);
        if (head != null && head.modelRef().equals(wanted)) {
            return;
        }
        if (head != null && wanted.version().equals(failedVersion)) {
            return; // logged already; keep serving the previous version
        }
        ClassLoader loader = getRuntimeContext().getUserCodeClassLoader();
        TriageHead next;
        try {
            next = TriageHead.load(wanted, options, loader);
        } catch (Exception e) {
            if (head == null) {
                throw e; // nothing to serve: the bootstrap head must load
            }
            failedVersion = wanted.version();
            swapFailures.inc();
            LOG.warn("Could not load {} ({}); {} keeps serving", wanted.label(), e.toString(),
                    head.modelRef().label());
            return;
        }
        TriageHead previous = head;
        head = next;
        servedVersion = next.modelRef().version();
        if (previous != null) {
            previous.close();
            swaps.inc();
            LOG.info("Swapped chat triage head {} -> {}", previous.modelRef().label(), next.modelRef().label());
        }
    }
}
