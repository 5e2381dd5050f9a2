package dev.vigil.operators.monitor;

import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drift monitor: keyed by signal ({@link MonitorSignal#key}), one detector of the {@link
 * dev.vigil.operators.drift.DriftDetectors} registry per key, chosen by the signal's {@link SignalKind}; emits a
 * {@link DriftEvent} on each drift (and, with {@link DriftSettings#warnings()}, when a run of warnings starts).
 *
 * <p><b>Event-time order.</b> Detectors are order-sensitive, and signals reach this operator in an order that depends
 * on the interleaving of parallel upstream tasks. So observations wait in keyed state, bucketed by event time
 * ({@link DriftSettings#batchInterval()}), and an event-time timer feeds each bucket once the watermark passes its end
 * plus the allowed lateness, sorted by event time and then by value, model version and model name. The detector
 * therefore sees the same sequence whatever the arrival order, and a replay gives the same detections at the same
 * indices. An observation whose bucket was already fed, or (after a restore, before the first watermark) whose event
 * time is not after the last one the detector took, is dropped and counted ({@link
 * MonitorMetrics#DRIFT_LATE_SIGNALS}); NaN and infinite values are dropped and counted too.
 *
 * <p><b>Events.</b> A {@link DriftEvent} names the observation that triggered it: its event time, value and model
 * version, and its index among the observations since the detector's last drift (for a first drift its index in
 * the signal's stream, as {@code vigil drift-eval} prints it), with the detector's statistic, p-value and threshold
 * where it has them, and every parameter it ran with. Its id is a name-based UUID of the detection, the same on every
 * replay.
 *
 * <p><b>State</b> (keyed, rescalable, no Kryo): the detector's {@link dev.vigil.operators.drift.DetectorState} with
 * the observation count and window start ({@link DetectorSnapshot}, a POJO), and the buffered observations by bucket
 * ({@code MapState<Long, List<MonitorSignal>>}). Each release restores the detector from state, feeds it and writes it
 * back, so the state is the only copy and every checkpoint holds the detector as of its last release. A detector
 * whose restored state does not fit the configured one (the detector or a size parameter changed between runs) starts
 * over, logged and counted ({@link MonitorMetrics#DRIFT_DETECTOR_RESTARTS}).
 *
 * <p><b>Metrics</b> ({@link MonitorMetrics}): counters of observations, drifts, warnings, late signals and restarts;
 * per signal a gauge of the observations since its last drift.
 */
public class DriftMonitorFunction extends KeyedProcessFunction<String, MonitorSignal, DriftEvent> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DriftMonitorFunction.class);

    /** The order observations of one bucket are fed in: event time, then a total order on the rest. */
    static final Comparator<MonitorSignal> FEED_ORDER = Comparator.<MonitorSignal>comparingLong(s -> s.eventTime)
            .thenComparingDouble(s -> s.value)
            .thenComparing(s -> s.modelVersion, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(s -> s.modelName, Comparator.nullsFirst(Comparator.naturalOrder()));

    private final EnumMap<SignalKind, DetectorConfig> detectors;
    private final boolean warnings;
    private final long latenessMillis;
    private final long batchMillis;
    private final long warmUpMillis;

    private transient ValueState<DetectorSnapshot> detectorState;
    private transient MapState<Long, List<MonitorSignal>> pending;
    private transient ValueState<Long> firstEventTime;
    private transient Map<SignalKind, Map<String, String>> parameters;
    private transient Map<String, long[]> sinceDrift;
    private transient Counter observationsCount;
    private transient Counter driftCount;
    private transient Counter warningCount;
    private transient Counter lateCount;
    private transient Counter skippedCount;
    private transient Counter restartCount;

    public DriftMonitorFunction(DriftSettings settings) {
        this.detectors = new EnumMap<>(SignalKind.class);
        this.detectors.putAll(settings.detectors());
        this.warnings = settings.warnings();
        this.latenessMillis = settings.allowedLateness().toMillis();
        this.batchMillis = settings.batchInterval().toMillis();
        this.warmUpMillis = settings.warmUp().toMillis();
    }

    /** Type of the detector state: a {@code PojoTypeInfo}. */
    public static TypeInformation<DetectorSnapshot> detectorStateType() {
        return Types.POJO(DetectorSnapshot.class);
    }

    /** Type of a bucket of buffered observations: a list of {@code PojoTypeInfo}. */
    public static TypeInformation<List<MonitorSignal>> pendingStateType() {
        return Types.LIST(MonitorSignal.typeInfo());
    }

    /** Type of the output: an {@code AvroTypeInfo}. */
    public static TypeInformation<DriftEvent> outputType() {
        return new AvroTypeInfo<>(DriftEvent.class);
    }

    @Override
    public void open(OpenContext openContext) {
        detectorState = getRuntimeContext().getState(
                new ValueStateDescriptor<>("monitor-drift-detector", detectorStateType()));
        pending = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("monitor-drift-pending", Types.LONG, pendingStateType()));
        firstEventTime = getRuntimeContext().getState(
                new ValueStateDescriptor<>("monitor-drift-first-event-time", Types.LONG));
        parameters = new EnumMap<>(SignalKind.class);
        detectors.forEach((kind, config) -> parameters.put(kind, config.parameters()));
        sinceDrift = new HashMap<>();
        var metrics = getRuntimeContext().getMetricGroup();
        observationsCount = metrics.counter(MonitorMetrics.DRIFT_OBSERVATIONS);
        driftCount = metrics.counter(MonitorMetrics.DRIFT_EVENTS);
        warningCount = metrics.counter(MonitorMetrics.DRIFT_WARNINGS);
        lateCount = metrics.counter(MonitorMetrics.DRIFT_LATE_SIGNALS);
        skippedCount = metrics.counter(MonitorMetrics.SIGNALS_SKIPPED);
        restartCount = metrics.counter(MonitorMetrics.DRIFT_DETECTOR_RESTARTS);
    }

    @Override
    public void processElement(MonitorSignal s, Context ctx, Collector<DriftEvent> out) throws Exception {
        SignalKind kind = SignalKind.lookup(s.signal);
        if (kind == null || !Double.isFinite(s.value) || !detectors.containsKey(kind)) {
            skippedCount.inc();
            return;
        }
        long bucket = Math.floorDiv(s.eventTime, batchMillis) * batchMillis;
        long release = releaseTime(bucket);
        if (release <= ctx.timerService().currentWatermark()) {
            lateCount.inc();
            return;
        }
        List<MonitorSignal> batch = pending.get(bucket);
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(s);
        pending.put(bucket, batch);
        ctx.timerService().registerEventTimeTimer(release);
    }

    private long releaseTime(long bucket) {
        return bucket + batchMillis - 1 + latenessMillis;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DriftEvent> out) throws Exception {
        // Everything at or before the horizon is due, not only the timer's own bucket: after a restart with another
        // batch interval the buckets of the old one are released by the same rule, and a bucket that reaches past
        // the horizon gives up only its due part.
        long horizon = timestamp - latenessMillis;
        List<Long> due = new ArrayList<>(2);
        for (Long bucket : pending.keys()) {
            if (bucket <= horizon) {
                due.add(bucket);
            }
        }
        if (due.isEmpty()) {
            return;
        }
        List<MonitorSignal> batch = new ArrayList<>();
        for (Long bucket : due) {
            List<MonitorSignal> kept = null;
            long keptFrom = Long.MAX_VALUE;
            for (MonitorSignal s : pending.get(bucket)) {
                if (s.eventTime <= horizon) {
                    batch.add(s);
                } else {
                    if (kept == null) {
                        kept = new ArrayList<>();
                    }
                    kept.add(s);
                    keptFrom = Math.min(keptFrom, s.eventTime);
                }
            }
            if (kept == null) {
                pending.remove(bucket);
            } else {
                pending.put(bucket, kept);
                ctx.timerService().registerEventTimeTimer(
                        releaseTime(Math.floorDiv(keptFrom, batchMillis) * batchMillis));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        batch.sort(FEED_ORDER);
        String key = ctx.getCurrentKey();
        SignalKind kind = SignalKind.of(batch.get(0).signal);
        DetectorConfig config = detectors.get(kind);
        if (config == null) { // the signal was switched off since these were buffered (a restart with new settings)
            skippedCount.inc(batch.size());
            detectorState.clear();
            return;
        }
        Map<String, String> params = parameters.get(kind);

        DriftDetector detector = config.create();
        long observations = 0;
        long windowStart = Long.MIN_VALUE;
        long lastFed = Long.MIN_VALUE;
        boolean warning = false;
        DetectorSnapshot snapshot = detectorState.value();
        if (snapshot != null) {
            lastFed = snapshot.lastEventTime;
            try {
                detector.restore(snapshot.toState());
                observations = snapshot.observations;
                windowStart = snapshot.windowStartTime;
                warning = snapshot.warning;
            } catch (IllegalArgumentException e) {
                restartCount.inc();
                LOG.warn("Drift detector of signal {} starts over: its state does not fit {} ({})",
                        key, config, e.getMessage());
                detector = config.create();
            }
        }

        long now = ctx.timerService().currentProcessingTime();
        long warmUpEnd = Long.MIN_VALUE;
        if (warmUpMillis > 0) {
            Long first = firstEventTime.value();
            if (first == null) {
                first = batch.get(0).eventTime;
                firstEventTime.update(first);
            }
            warmUpEnd = first + warmUpMillis;
        }
        int fed = 0;
        for (MonitorSignal s : batch) {
            if (s.eventTime < warmUpEnd) {
                skippedCount.inc();
                continue;
            }
            if (s.eventTime <= lastFed) {
                // behind what the detector has seen: only possible for signals that arrived after a restore and
                // before the first watermark, which the check on arrival cannot judge
                lateCount.inc();
                continue;
            }
            fed++;
            if (observations == 0) {
                windowStart = s.eventTime;
            }
            long index = observations++;
            detector.update(s.value);
            if (detector.driftDetected()) {
                out.collect(event(s, DriftKind.DRIFT, detector, params, index, windowStart, now));
                driftCount.inc();
                observations = 0;
                warning = false;
            } else {
                boolean w = detector.warningDetected();
                if (w && !warning && warnings) {
                    out.collect(event(s, DriftKind.WARNING, detector, params, index, windowStart, now));
                    warningCount.inc();
                }
                warning = w;
            }
        }
        observationsCount.inc(fed);
        detectorState.update(DetectorSnapshot.of(detector.snapshot(), observations, windowStart,
                Math.max(lastFed, batch.get(batch.size() - 1).eventTime), warning));
        gauge(key)[0] = observations;
    }

    private static DriftEvent event(MonitorSignal s, DriftKind kind, DriftDetector detector,
            Map<String, String> params, long index, long windowStart, long now) {
        return DriftEvent.newBuilder()
                .setEventId(eventId(s.pipeline, s.signal, detector.name(), kind, s.eventTime, index))
                .setPipeline(s.pipeline)
                .setSignal(s.signal)
                .setDetector(detector.name())
                .setKind(kind)
                .setEventTime(Instant.ofEpochMilli(s.eventTime))
                .setWindowStartTime(Instant.ofEpochMilli(windowStart))
                .setObservationIndex(index)
                .setValue(s.value)
                .setModelName(s.modelName == null ? "" : s.modelName)
                .setModelVersion(s.modelVersion == null ? "" : s.modelVersion)
                .setStatistic(DetectorReadings.statistic(detector))
                .setThreshold(DetectorReadings.threshold(detector, params, kind == DriftKind.WARNING))
                .setPValue(DetectorReadings.pValue(detector))
                .setParameters(new HashMap<>(params))
                .setEmittedAt(Instant.ofEpochMilli(now))
                .build();
    }

    /** A name-based UUID of the detection, the same on every replay. */
    static String eventId(String pipeline, String signal, String detector, DriftKind kind, long eventTime,
            long index) {
        String name = "vigil.drift|" + pipeline + "|" + signal + "|" + detector + "|" + kind + "|" + eventTime + "|"
                + index;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private long[] gauge(String key) {
        long[] holder = sinceDrift.get(key);
        if (holder == null) {
            long[] value = new long[1];
            getRuntimeContext().getMetricGroup().addGroup("signal", key)
                    .gauge(MonitorMetrics.OBSERVATIONS_SINCE_DRIFT, (Gauge<Long>) () -> value[0]);
            sinceDrift.put(key, value);
            holder = value;
        }
        return holder;
    }

    @VisibleForTesting
    long counter(String name) {
        switch (name) {
            case MonitorMetrics.DRIFT_OBSERVATIONS:
                return observationsCount.getCount();
            case MonitorMetrics.DRIFT_EVENTS:
                return driftCount.getCount();
            case MonitorMetrics.DRIFT_WARNINGS:
                return warningCount.getCount();
            case MonitorMetrics.DRIFT_LATE_SIGNALS:
                return lateCount.getCount();
            case MonitorMetrics.SIGNALS_SKIPPED:
                return skippedCount.getCount();
            case MonitorMetrics.DRIFT_DETECTOR_RESTARTS:
                return restartCount.getCount();
            default:
                throw new IllegalArgumentException("no drift monitor counter " + name);
        }
    }
}
