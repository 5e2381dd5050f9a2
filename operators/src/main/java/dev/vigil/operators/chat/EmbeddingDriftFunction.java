package dev.vigil.operators.chat;

import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.Preconditions;

/**
 * The Flink shell of {@link EmbeddingDrift}: keyed by a constant (one detector per pipeline), it feeds every embedding
 * to the detector and emits a {@link DriftEvent} (signal {@code embedding/<encoder>}, detector {@value
 * EmbeddingDrift#NAME}, statistic = the largest KS D, pValue = the smallest p-value, threshold = alpha / projections)
 * for each window that drifted. The detector's windows are keyed state, so a restore continues where it stopped.
 * Prefer the heap state backend: the state is a few hundred KB that changes with every record.
 */
public final class EmbeddingDriftFunction extends KeyedProcessFunction<String, EmbeddedMessage, DriftEvent> {

    private static final long serialVersionUID = 1L;

    private final String pipeline;
    private final int projections;
    private final int window;
    private final double alpha;
    private final long seed;

    private transient EmbeddingDrift detector;
    private transient ValueState<EmbeddingDrift.State> state;

    public EmbeddingDriftFunction(String pipeline, int projections, int window, double alpha, long seed) {
        this.pipeline = Preconditions.checkNotNull(pipeline, "pipeline");
        this.projections = projections;
        this.window = window;
        this.alpha = alpha;
        this.seed = seed;
        new EmbeddingDrift(1, projections, window, alpha, seed); // validates the parameters now, not at run time
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("embedding-drift", TypeInformation.of(EmbeddingDrift.State.class)));
    }

    @Override
    public void processElement(EmbeddedMessage m, Context ctx, Collector<DriftEvent> out) throws Exception {
        if (detector == null) {
            detector = new EmbeddingDrift(m.embedding.length, projections, window, alpha, seed);
        }
        EmbeddingDrift.State s = state.value();
        if (s == null) {
            s = detector.newState();
        }
        if (s.size == 0) {
            s.windowStartMillis = m.sentAt;
        }
        long windowStart = s.windowStartMillis;
        EmbeddingDrift.Test test = detector.update(s, m.embedding);
        state.update(s);
        if (test != null && test.drift()) {
            out.collect(event(m, test, windowStart, System.currentTimeMillis()));
        }
    }

    private DriftEvent event(EmbeddedMessage m, EmbeddingDrift.Test test, long windowStart, long now) {
        String signal = "embedding/" + SentenceEncoder.MODEL_NAME;
        long index = (test.windowIndex() + 2) * window - 1; // the triggering embedding, counted from 0
        Map<String, String> parameters = new HashMap<>();
        parameters.put("projections", Integer.toString(projections));
        parameters.put("window", Integer.toString(window));
        parameters.put("alpha", Double.toString(alpha));
        parameters.put("seed", Long.toString(seed));
        String id = UUID.nameUUIDFromBytes((pipeline + "|" + signal + "|" + EmbeddingDrift.NAME + "|DRIFT|"
                + m.sentAt + "|" + index).getBytes(StandardCharsets.UTF_8)).toString();
        return DriftEvent.newBuilder()
                .setEventId(id)
                .setPipeline(pipeline)
                .setSignal(signal)
                .setDetector(EmbeddingDrift.NAME)
                .setKind(DriftKind.DRIFT)
                .setEventTime(Instant.ofEpochMilli(m.sentAt))
                .setWindowStartTime(Instant.ofEpochMilli(windowStart))
                .setObservationIndex(index)
                .setValue(test.maxStatistic())
                .setModelName(SentenceEncoder.MODEL_NAME)
                .setModelVersion(m.encoderVersion == null ? "" : m.encoderVersion)
                .setStatistic(test.maxStatistic())
                .setThreshold(test.threshold())
                .setPValue(test.minPValue())
                .setParameters(parameters)
                .setEmittedAt(Instant.ofEpochMilli(now))
                .build();
    }
}
