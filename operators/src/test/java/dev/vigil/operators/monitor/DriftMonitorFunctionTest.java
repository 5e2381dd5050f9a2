package dev.vigil.operators.monitor;

import static dev.vigil.operators.monitor.TestingSignals.MINUTE;
import static dev.vigil.operators.monitor.TestingSignals.MODEL;
import static dev.vigil.operators.monitor.TestingSignals.PIPELINE;
import static dev.vigil.operators.monitor.TestingSignals.SECOND;
import static dev.vigil.operators.monitor.TestingSignals.T0;
import static dev.vigil.operators.monitor.TestingSignals.detections;
import static dev.vigil.operators.monitor.TestingSignals.harness;
import static dev.vigil.operators.monitor.TestingSignals.oracle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.operators.drift.DriftDetectors;
import dev.vigil.operators.monitor.TestingSignals.Detection;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DriftMonitorFunctionTest {

    private static final String ERROR = SignalKind.ERROR.signal(MODEL);
    private static final String SCORE = SignalKind.SCORE.signal(MODEL);
    private static final DetectorConfig ADWIN = DetectorConfig.of("adwin");
    private static final DetectorConfig KSWIN = DetectorConfig.of("kswin", "alpha=0.0001");

    private static DriftSettings errorAndScore(boolean warnings, DetectorConfig error) {
        Map<SignalKind, DetectorConfig> m = new EnumMap<>(SignalKind.class);
        m.put(SignalKind.ERROR, error);
        m.put(SignalKind.SCORE, KSWIN);
        return TestingSignals.settings(m, warnings);
    }

    /** Both streams merged in event-time order. */
    private static List<MonitorSignal> mixed() {
        List<MonitorSignal> all = new ArrayList<>(TestingSignals.errors(3000, 1500, 11));
        all.addAll(TestingSignals.river(SCORE, 12345));
        all.sort(DriftMonitorFunction.FEED_ORDER);
        return all;
    }

    /**
     * Pushes a time-sorted stream in blocks of {@code block}; within a block the arrival order is shuffled when
     * {@code seed >= 0}. After each block the watermark moves to just before the next block's first event time, so
     * nothing is late.
     */
    private static void play(KeyedOneInputStreamOperatorTestHarness<String, MonitorSignal, DriftEvent> h,
            List<MonitorSignal> sorted, int from, int to, int block, long seed) throws Exception {
        Random rng = new Random(seed);
        for (int start = from; start < to; start += block) {
            int end = Math.min(to, start + block);
            List<MonitorSignal> arrival = new ArrayList<>(sorted.subList(start, end));
            if (seed >= 0) {
                Collections.shuffle(arrival, rng);
            }
            for (MonitorSignal s : arrival) {
                h.processElement(s, s.eventTime);
            }
            long next = end < sorted.size() ? sorted.get(end).eventTime : Long.MAX_VALUE;
            if (next != Long.MAX_VALUE || end == sorted.size()) {
                h.processWatermark(new Watermark(next == Long.MAX_VALUE ? next : next - 1));
            }
        }
    }

    private static List<DriftEvent> run(DriftSettings settings, List<MonitorSignal> sorted, int block, long seed)
            throws Exception {
        try (var h = harness(new DriftMonitorFunction(settings))) {
            h.open();
            play(h, sorted, 0, sorted.size(), block, seed);
            return h.extractOutputValues();
        }
    }

    private static List<Detection> detectionsOf(List<Detection> ds, String signal) {
        return ds.stream().filter(d -> d.signal().equals(signal)).toList();
    }

    @Test
    void outOfOrderArrivalGivesTheDetectionsOfTheSortedStream() throws Exception {
        List<MonitorSignal> stream = mixed();
        DriftSettings settings = errorAndScore(false, ADWIN);

        List<DriftEvent> sorted = run(settings, stream, 100, -1);
        List<DriftEvent> shuffled = run(settings, stream, 100, 7);
        List<DriftEvent> bigBlocks = run(settings, stream, 1000, 8);

        assertThat(shuffled).isEqualTo(sorted);
        assertThat(detections(bigBlocks)).containsExactlyInAnyOrderElementsOf(detections(sorted));
        List<Detection> found = detections(sorted);
        List<Detection> errors = detectionsOf(found, ERROR);
        List<Detection> scores = detectionsOf(found, SCORE);
        assertThat(errors).isEqualTo(oracle(ADWIN, only(stream, ERROR), false)).isNotEmpty();
        assertThat(scores).isEqualTo(oracle(KSWIN, only(stream, SCORE), false)).isNotEmpty();
        // no detection before the change of either stream
        assertThat(errors.get(0).eventTime()).isGreaterThanOrEqualTo(T0 + 1500 * SECOND);
        assertThat(scores.get(0).eventTime()).isGreaterThanOrEqualTo(T0 + 1000 * SECOND);
    }

    private static List<MonitorSignal> only(List<MonitorSignal> stream, String signal) {
        return stream.stream().filter(s -> s.signal.equals(signal)).toList();
    }

    @Test
    void theFirstDetectionIsAtItsIndexInTheStreamAsInDriftEval() throws Exception {
        List<MonitorSignal> stream = TestingSignals.river(SignalKind.ERROR.signal(MODEL), 12345);
        DriftDetector direct = DriftDetectors.create("adwin");
        int first = -1;
        for (int i = 0; i < stream.size() && first < 0; i++) {
            if (direct.update(stream.get(i).value)) {
                first = i;
            }
        }
        List<DriftEvent> events = run(TestingSignals.settings(SignalKind.ERROR, ADWIN), stream, 250, 3);

        assertThat(first).isGreaterThanOrEqualTo(1000);
        assertThat(events.get(0).getObservationIndex()).isEqualTo(first);
        assertThat(events.get(0).getEventTime().toEpochMilli()).isEqualTo(T0 + first * SECOND);
        assertThat(events.get(0).getWindowStartTime().toEpochMilli()).isEqualTo(T0);
        // later detections count from the previous one
        for (int i = 1; i < events.size(); i++) {
            DriftEvent previous = events.get(i - 1);
            DriftEvent e = events.get(i);
            assertThat(e.getEventTime().toEpochMilli() - previous.getEventTime().toEpochMilli())
                    .isEqualTo((e.getObservationIndex() + 1) * SECOND);
            assertThat(e.getWindowStartTime().toEpochMilli())
                    .isEqualTo(previous.getEventTime().toEpochMilli() + SECOND);
        }
    }

    @Test
    void observationsWithTheSameEventTimeAreFedInADeterministicOrder() throws Exception {
        // 2000 values on 20 distinct timestamps: the order within a timestamp is all the detector sees of ties
        List<MonitorSignal> stream = new ArrayList<>();
        for (MonitorSignal s : TestingSignals.river(SCORE, 99)) {
            long i = (s.eventTime - T0) / SECOND;
            stream.add(new MonitorSignal(s.pipeline, s.signal, T0 + (i / 100) * MINUTE, s.value, MODEL,
                    i % 3 == 0 ? "v2" : "v1"));
        }
        stream.sort(DriftMonitorFunction.FEED_ORDER);
        DriftSettings settings = TestingSignals.settings(SignalKind.SCORE, KSWIN);

        List<DriftEvent> a = run(settings, stream, 2000, 1);
        List<DriftEvent> b = run(settings, stream, 2000, 2);

        assertThat(a).isEqualTo(b).isNotEmpty();
        assertThat(detections(a)).isEqualTo(oracle(KSWIN, stream, false));
    }

    @Test
    void aRestoreMidStreamContinuesIdentically() throws Exception {
        List<MonitorSignal> stream = mixed();
        DriftSettings settings = errorAndScore(true, DetectorConfig.of("ddm"));
        List<DriftEvent> uninterrupted = run(settings, stream, 100, 5);

        List<DriftEvent> out = new ArrayList<>();
        int cut = 2450; // mid-block: observations are buffered at the snapshot
        OperatorSubtaskState snapshot;
        try (var h = harness(new DriftMonitorFunction(settings))) {
            h.open();
            play(h, stream, 0, 2400, 100, 5);
            for (MonitorSignal s : stream.subList(2400, cut)) {
                h.processElement(s, s.eventTime);
            }
            snapshot = h.snapshot(1L, 0L);
            out.addAll(h.extractOutputValues());
        }
        try (var h = harness(new DriftMonitorFunction(settings))) {
            h.initializeState(snapshot);
            h.open();
            for (MonitorSignal s : stream.subList(cut, 2500)) {
                h.processElement(s, s.eventTime);
            }
            h.processWatermark(new Watermark(stream.get(2500).eventTime - 1));
            play(h, stream, 2500, stream.size(), 100, 6);
            out.addAll(h.extractOutputValues());
        }

        assertThat(out).isEqualTo(uninterrupted);
        assertThat(detections(out)).extracting(Detection::kind).contains(DriftKind.DRIFT, DriftKind.WARNING);
    }

    @Test
    void keysMoveToOtherSubtasksWhenTheJobRescales() throws Exception {
        List<MonitorSignal> stream = new ArrayList<>(mixed());
        for (MonitorSignal s : TestingSignals.errors(3000, 1000, 21)) {
            stream.add(new MonitorSignal(s.pipeline, SignalKind.BRIER.signal(MODEL), s.eventTime, s.value * 0.8,
                    s.modelName, s.modelVersion));
        }
        stream.sort(DriftMonitorFunction.FEED_ORDER);
        Map<SignalKind, DetectorConfig> m = new EnumMap<>(SignalKind.class);
        m.put(SignalKind.ERROR, ADWIN);
        m.put(SignalKind.BRIER, DetectorConfig.of("page-hinkley", "lambda=20"));
        m.put(SignalKind.SCORE, KSWIN);
        DriftSettings settings = TestingSignals.settings(m, false);
        List<DriftEvent> uninterrupted = run(settings, stream, 100, -1);

        int maxParallelism = 128;
        int cut = 4000;
        OperatorSubtaskState snapshot;
        List<DriftEvent> out = new ArrayList<>();
        try (var h = TestingSignals.harness(new DriftMonitorFunction(settings), maxParallelism, 1, 0)) {
            h.open();
            play(h, stream, 0, cut, 100, -1);
            snapshot = h.snapshot(1L, 0L);
            out.addAll(h.extractOutputValues());
        }
        List<List<MonitorSignal>> routed = List.of(new ArrayList<>(), new ArrayList<>());
        for (MonitorSignal s : stream.subList(cut, stream.size())) {
            routed.get(KeyGroupRangeAssignment.assignKeyToParallelOperator(MonitorSignal.key(s), maxParallelism, 2))
                    .add(s);
        }
        assertThat(routed).allSatisfy(r -> assertThat(r).isNotEmpty());
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(snapshot, maxParallelism, 1, 2, subtask);
            try (var h = TestingSignals.harness(new DriftMonitorFunction(settings), maxParallelism, 2, subtask)) {
                h.initializeState(part);
                h.open();
                List<MonitorSignal> mine = routed.get(subtask);
                play(h, mine, 0, mine.size(), 100, -1);
                out.addAll(h.extractOutputValues());
            }
        }

        Comparator<DriftEvent> byTime = Comparator.comparing((DriftEvent e) -> e.getEventTime())
                .thenComparing(DriftEvent::getSignal);
        out.sort(byTime);
        List<DriftEvent> expected = new ArrayList<>(uninterrupted);
        expected.sort(byTime);
        assertThat(out).isEqualTo(expected);
        assertThat(detections(out)).extracting(Detection::signal).contains(ERROR, SCORE,
                SignalKind.BRIER.signal(MODEL));
    }

    @Test
    void signalsBehindAReleasedBucketAreDroppedAndCounted() throws Exception {
        DriftMonitorFunction fn = new DriftMonitorFunction(TestingSignals.settings(SignalKind.ERROR, ADWIN));
        try (var h = harness(fn)) {
            h.open();
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + 30 * SECOND, 1, MODEL, "v1"), T0 + 30 * SECOND);
            h.processWatermark(new Watermark(T0 + MINUTE - 1)); // releases [T0, T0 + 1 min)
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + 10 * SECOND, 1, MODEL, "v1"), T0);
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + MINUTE, 0, MODEL, "v1"), T0 + MINUTE);

            assertThat(fn.counter(MonitorMetrics.DRIFT_LATE_SIGNALS)).isEqualTo(1);
            assertThat(fn.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isEqualTo(1);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(fn.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isEqualTo(2);
        }
    }

    @Test
    void afterARestoreSignalsBehindWhatTheDetectorSawAreDroppedBeforeTheFirstWatermark() throws Exception {
        DriftSettings settings = TestingSignals.settings(SignalKind.ERROR, ADWIN);
        OperatorSubtaskState snapshot;
        try (var h = harness(new DriftMonitorFunction(settings))) {
            h.open();
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + 30 * SECOND, 1, MODEL, "v1"), T0 + 30 * SECOND);
            h.processWatermark(new Watermark(T0 + MINUTE - 1));
            snapshot = h.snapshot(1L, 0L);
        }
        DriftMonitorFunction fn = new DriftMonitorFunction(settings);
        try (var h = harness(fn)) {
            h.initializeState(snapshot);
            h.open(); // the watermark starts over: the arrival check cannot tell that T0 + 10 s was released
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + 10 * SECOND, 1, MODEL, "v1"), T0);
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + MINUTE, 0, MODEL, "v1"), T0 + MINUTE);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(fn.counter(MonitorMetrics.DRIFT_LATE_SIGNALS)).isEqualTo(1);
            assertThat(fn.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isEqualTo(1);
        }
    }

    @Test
    void warmUpKeepsTheStartOfAStreamFromTheDetector() throws Exception {
        // The first 30 minutes of a score signal sit near 0.9 (features still filling), then it settles near 0.1 for
        // good: a reference taken during the first half hour would call the steady state a drift.
        DetectorConfig psi = DetectorConfig.of("psi", "reference-size=300", "window-size=300", "bins=5");
        List<MonitorSignal> stream = new ArrayList<>();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 1_200; i++) {
            long t = T0 + i * 6 * SECOND;
            double value = (i < 300 ? 0.9 : 0.1) + 0.05 * random.nextDouble();
            stream.add(new MonitorSignal(PIPELINE, SCORE, t, value, MODEL, "v1"));
        }
        Map<SignalKind, DetectorConfig> detectors = Map.of(SignalKind.SCORE, psi);
        DriftSettings cold = new DriftSettings(detectors, List.of(), 0.5, false, Duration.ZERO, Duration.ofMinutes(1));
        DriftSettings warm = new DriftSettings(detectors, List.of(), 0.5, false, Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofMinutes(30));

        assertThat(run(cold, stream, 50, 7)).isNotEmpty();
        DriftMonitorFunction fn = new DriftMonitorFunction(warm);
        try (var h = harness(fn)) {
            h.open();
            for (MonitorSignal s : stream) {
                h.processElement(s, s.eventTime);
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(fn.counter(MonitorMetrics.SIGNALS_SKIPPED)).isEqualTo(300);
            assertThat(fn.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isEqualTo(900);
        }
    }

    @Test
    void allowedLatenessHoldsEachBucketLonger() throws Exception {
        DriftSettings late = new DriftSettings(Map.of(SignalKind.ERROR, ADWIN), List.of(), 0.5, false,
                Duration.ofMinutes(5), Duration.ofMinutes(1));
        DriftMonitorFunction fn = new DriftMonitorFunction(late);
        try (var h = harness(fn)) {
            h.open();
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + 30 * SECOND, 1, MODEL, "v1"), T0 + 30 * SECOND);
            h.processWatermark(new Watermark(T0 + 3 * MINUTE));
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0 + 10 * SECOND, 1, MODEL, "v1"), T0);
            assertThat(fn.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isZero();
            h.processWatermark(new Watermark(T0 + 6 * MINUTE - 1));
            assertThat(fn.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isEqualTo(2);
            assertThat(fn.counter(MonitorMetrics.DRIFT_LATE_SIGNALS)).isZero();
        }
    }

    @Test
    void warningsAreEmittedWhenARunOfWarningsStartsAndOnlyWhenEnabled() throws Exception {
        DetectorConfig ddm = DetectorConfig.of("ddm");
        List<MonitorSignal> stream = TestingSignals.errors(4000, 1000, 5);

        List<DriftEvent> withWarnings =
                run(TestingSignals.settings(Map.of(SignalKind.ERROR, ddm), true), stream, 100, 4);
        List<DriftEvent> without =
                run(TestingSignals.settings(Map.of(SignalKind.ERROR, ddm), false), stream, 100, 4);

        assertThat(detections(withWarnings)).isEqualTo(oracle(ddm, stream, true));
        assertThat(withWarnings).extracting(DriftEvent::getKind).contains(DriftKind.WARNING);
        assertThat(detections(without)).isEqualTo(oracle(ddm, stream, false));
        assertThat(without).extracting(DriftEvent::getKind).containsOnly(DriftKind.DRIFT);
        // the direct feed warns on more observations than there are warning events: runs are collapsed
        DriftDetector direct = ddm.create();
        long warningObservations = 0;
        for (MonitorSignal s : stream) {
            direct.update(s.value);
            warningObservations += direct.warningDetected() ? 1 : 0;
        }
        assertThat(warningObservations).isGreaterThan(
                withWarnings.stream().filter(e -> e.getKind() == DriftKind.WARNING).count());
    }

    @Test
    void aDetectorWhoseStateNoLongerFitsStartsOver() throws Exception {
        List<MonitorSignal> stream = TestingSignals.river(SCORE, 12345);
        OperatorSubtaskState snapshot;
        try (var h = harness(new DriftMonitorFunction(
                TestingSignals.settings(SignalKind.SCORE, DetectorConfig.of("psi"))))) {
            h.open();
            play(h, stream, 0, 600, 100, -1);
            snapshot = h.snapshot(1L, 0L);
        }
        DriftMonitorFunction kswin = new DriftMonitorFunction(TestingSignals.settings(SignalKind.SCORE, KSWIN));
        try (var h = harness(kswin)) {
            h.initializeState(snapshot);
            h.open();
            play(h, stream, 600, stream.size(), 100, -1);
            assertThat(kswin.counter(MonitorMetrics.DRIFT_DETECTOR_RESTARTS)).isEqualTo(1);
            List<DriftEvent> events = h.extractOutputValues();
            assertThat(detections(events)).isEqualTo(oracle(KSWIN, stream.subList(600, stream.size()), false));
        }
    }

    @Test
    void signalsBufferedUnderAnotherBatchIntervalAreStillFedInOrder() throws Exception {
        List<MonitorSignal> stream = TestingSignals.errors(3000, 1500, 11);
        DriftSettings oneMinute = TestingSignals.settings(SignalKind.ERROR, ADWIN);
        DriftSettings sevenMinutes = new DriftSettings(Map.of(SignalKind.ERROR, ADWIN), List.of(), 0.5, false,
                Duration.ZERO, Duration.ofMinutes(7));
        OperatorSubtaskState snapshot;
        List<DriftEvent> out = new ArrayList<>();
        long fedBefore;
        DriftMonitorFunction before = new DriftMonitorFunction(oneMinute);
        try (var h = harness(before)) {
            h.open();
            play(h, stream, 0, 1000, 100, 1);
            for (MonitorSignal s : stream.subList(1000, 1500)) { // buffered in 1-minute buckets at the snapshot
                h.processElement(s, s.eventTime);
            }
            snapshot = h.snapshot(1L, 0L);
            fedBefore = before.counter(MonitorMetrics.DRIFT_OBSERVATIONS);
            out.addAll(h.extractOutputValues());
        }
        DriftMonitorFunction after = new DriftMonitorFunction(sevenMinutes);
        try (var h = harness(after)) {
            h.initializeState(snapshot);
            h.open();
            h.processWatermark(new Watermark(stream.get(1500).eventTime - 1));
            play(h, stream, 1500, stream.size(), 100, 2);
            out.addAll(h.extractOutputValues());
        }

        assertThat(fedBefore).isPositive();
        assertThat(fedBefore + after.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isEqualTo(stream.size());
        assertThat(after.counter(MonitorMetrics.DRIFT_LATE_SIGNALS)).isZero();
        // the detector saw the whole stream in order: the same detections as a direct feed
        assertThat(detections(out)).isEqualTo(oracle(ADWIN, stream, false)).isNotEmpty();
    }

    @Test
    void eventsCarryTheDetectorsReadingsAndParameters() throws Exception {
        List<MonitorSignal> stream = TestingSignals.river(SCORE, 12345);
        List<DriftEvent> events = run(TestingSignals.settings(SignalKind.SCORE, KSWIN), stream, 100, -1);
        List<DriftEvent> again = run(TestingSignals.settings(SignalKind.SCORE, KSWIN), stream, 100, -1);

        DriftEvent e = events.get(0);
        MonitorSignal trigger = stream.get((int) ((e.getEventTime().toEpochMilli() - T0) / SECOND));
        assertThat(e.getPipeline()).isEqualTo(PIPELINE);
        assertThat(e.getSignal()).isEqualTo(SCORE);
        assertThat(e.getDetector()).isEqualTo("kswin");
        assertThat(e.getValue()).isEqualTo(trigger.value);
        assertThat(e.getModelName()).isEqualTo(MODEL);
        assertThat(e.getModelVersion()).isEqualTo("v1");
        assertThat(e.getThreshold()).isEqualTo(1e-4);
        assertThat(e.getPValue()).isNotNull().isLessThanOrEqualTo(1e-4);
        assertThat(e.getStatistic()).isNotNull().isPositive();
        assertThat(e.getParameters()).isEqualTo(KSWIN.parameters()).containsEntry("alpha", "0.0001")
                .containsEntry("window-size", "100");
        assertThat(e.getEventId()).isEqualTo(again.get(0).getEventId());
        assertThat(events).extracting(DriftEvent::getEventId).doesNotHaveDuplicates();

        List<DriftEvent> adwin = run(TestingSignals.settings(SignalKind.SCORE, ADWIN), stream, 100, -1);
        assertThat(adwin.get(0).getStatistic()).isNull();
        assertThat(adwin.get(0).getPValue()).isNull();
        assertThat(adwin.get(0).getThreshold()).isNull();
    }

    @Test
    void nonFiniteAndUnmonitoredSignalsAreSkipped() throws Exception {
        DriftMonitorFunction fn = new DriftMonitorFunction(TestingSignals.settings(SignalKind.ERROR, ADWIN));
        try (var h = harness(fn)) {
            h.open();
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0, Double.NaN, MODEL, "v1"), T0);
            h.processElement(new MonitorSignal(PIPELINE, SCORE, T0, 0.3, MODEL, "v1"), T0);
            h.processElement(new MonitorSignal(PIPELINE, "no-kind", T0, 0.3, MODEL, "v1"), T0);
            h.processElement(new MonitorSignal(PIPELINE, ERROR, T0, 1, MODEL, "v1"), T0);
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertThat(fn.counter(MonitorMetrics.SIGNALS_SKIPPED)).isEqualTo(3);
            assertThat(fn.counter(MonitorMetrics.DRIFT_OBSERVATIONS)).isEqualTo(1);
        }
    }

    @Test
    void stateTypesAreNotGeneric() throws Exception {
        assertThat(DriftMonitorFunction.detectorStateType()).isInstanceOf(PojoTypeInfo.class);
        assertThat(MonitorSignal.typeInfo()).isInstanceOf(PojoTypeInfo.class);
        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false); // creating a Kryo serializer would now throw

        DriftDetector kswin = KSWIN.create();
        for (MonitorSignal s : TestingSignals.river(SCORE, 1).subList(0, 150)) {
            kswin.update(s.value);
        }
        DetectorSnapshot snapshot = DetectorSnapshot.of(kswin.snapshot(), 150, T0, T0 + 149 * SECOND, true);
        DetectorSnapshot copy =
                roundTrip(DriftMonitorFunction.detectorStateType().createSerializer(noGenerics), snapshot);
        assertThat(copy.toState()).isEqualTo(kswin.snapshot());
        assertThat(copy.observations).isEqualTo(150);
        assertThat(copy.windowStartTime).isEqualTo(T0);
        assertThat(copy.lastEventTime).isEqualTo(T0 + 149 * SECOND);
        assertThat(copy.warning).isTrue();

        List<MonitorSignal> bucket = TestingSignals.errors(3, 1, 1);
        assertThat(roundTrip(DriftMonitorFunction.pendingStateType().createSerializer(noGenerics), bucket))
                .isEqualTo(bucket);
    }

    static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
