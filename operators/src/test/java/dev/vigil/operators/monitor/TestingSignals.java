package dev.vigil.operators.monitor;

import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Signal streams, drift-monitor harnesses and a direct-feed oracle for the drift monitor's tests. */
final class TestingSignals {

    static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    static final long SECOND = 1_000L;
    static final long MINUTE = 60 * SECOND;
    static final String PIPELINE = "icu";
    static final String MODEL = "icu-deterioration";

    private TestingSignals() {}

    /** 0/1 errors one second apart: rate 0.1 for {@code change} values, then 0.5; version v1, then v2. */
    static List<MonitorSignal> errors(int n, int change, long seed) {
        Random rng = new Random(seed);
        List<MonitorSignal> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double rate = i < change ? 0.1 : 0.5;
            out.add(new MonitorSignal(PIPELINE, SignalKind.ERROR.signal(MODEL), T0 + i * SECOND,
                    rng.nextDouble() < rate ? 1 : 0, MODEL, i < change ? "v1" : "v2"));
        }
        return out;
    }

    /** River's stream, one second apart: values in {0,1} for 1000 values, then in {4..7}. */
    static List<MonitorSignal> river(String signal, long seed) {
        Random rng = new Random(seed);
        List<MonitorSignal> out = new ArrayList<>(2000);
        for (int i = 0; i < 2000; i++) {
            double v = i < 1000 ? rng.nextInt(2) : 4 + rng.nextInt(4);
            out.add(new MonitorSignal(PIPELINE, signal, T0 + i * SECOND, v, MODEL, "v1"));
        }
        return out;
    }

    /** A labelled example whose label became known at {@code labelTime}, predicted an hour earlier. */
    static LabeledExample labeled(long labelTime, Double score, double label, Map<String, String> group,
            String version) {
        return LabeledExample.newBuilder()
                .setPipeline(PIPELINE)
                .setEntityId("patient-" + (labelTime % 97))
                .setPredictionTime(Instant.ofEpochMilli(labelTime - 3_600_000L))
                .setFeatures(List.of(1f, 2f, 3f))
                .setScore(score)
                .setModelName(MODEL)
                .setModelVersion(version)
                .setGroup(group)
                .setLabel(label)
                .setLabelSource(LabelSource.ICU_OUTCOME)
                .setLabelTime(Instant.ofEpochMilli(labelTime))
                .setLabelDelayMillis(3_600_000L)
                .build();
    }

    /** A prediction with the given score and features. */
    static Prediction prediction(long time, Double score, List<Float> features, String version) {
        return Prediction.newBuilder()
                .setPipeline(PIPELINE)
                .setEntityId("patient-" + (time % 97))
                .setEventTime(Instant.ofEpochMilli(time))
                .setIngestTime(Instant.ofEpochMilli(time + 100))
                .setScoredAt(Instant.ofEpochMilli(time + 200))
                .setModelName(MODEL)
                .setModelVersion(version)
                .setScore(score)
                .setFeatures(features)
                .setGroup(Map.of("sexAtBirth", "F"))
                .build();
    }

    static DriftSettings settings(Map<SignalKind, DetectorConfig> detectors, boolean warnings) {
        return new DriftSettings(detectors, List.of(), 0.5, warnings, Duration.ZERO, Duration.ofMinutes(1));
    }

    static DriftSettings settings(SignalKind kind, DetectorConfig detector) {
        Map<SignalKind, DetectorConfig> m = new EnumMap<>(SignalKind.class);
        m.put(kind, detector);
        return settings(m, false);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, MonitorSignal, DriftEvent> harness(
            DriftMonitorFunction fn) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), MonitorSignal::key, Types.STRING);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, MonitorSignal, DriftEvent> harness(
            DriftMonitorFunction fn, int maxParallelism, int parallelism, int subtask) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(fn), MonitorSignal::key, Types.STRING, maxParallelism, parallelism,
                subtask);
    }

    /** What the monitor must report, feeding the values in event-time order straight into a fresh detector. */
    static List<Detection> oracle(DetectorConfig config, List<MonitorSignal> stream, boolean warnings) {
        List<MonitorSignal> sorted = new ArrayList<>(stream);
        sorted.sort(DriftMonitorFunction.FEED_ORDER);
        DriftDetector d = config.create();
        List<Detection> out = new ArrayList<>();
        long since = 0;
        long start = 0;
        boolean warning = false;
        for (MonitorSignal s : sorted) {
            if (since == 0) {
                start = s.eventTime;
            }
            long index = since++;
            d.update(s.value);
            if (d.driftDetected()) {
                out.add(new Detection(s.signal, DriftKind.DRIFT, s.eventTime, index, start));
                since = 0;
                warning = false;
            } else {
                if (d.warningDetected() && !warning && warnings) {
                    out.add(new Detection(s.signal, DriftKind.WARNING, s.eventTime, index, start));
                }
                warning = d.warningDetected();
            }
        }
        return out;
    }

    /** The identifying part of a drift event. */
    record Detection(String signal, DriftKind kind, long eventTime, long index, long windowStartTime) {
        static Detection of(DriftEvent e) {
            return new Detection(e.getSignal(), e.getKind(), e.getEventTime().toEpochMilli(),
                    e.getObservationIndex(), e.getWindowStartTime().toEpochMilli());
        }
    }

    static List<Detection> detections(List<DriftEvent> events) {
        List<Detection> out = new ArrayList<>();
        for (DriftEvent e : events) {
            out.add(Detection.of(e));
        }
        return out;
    }
}
