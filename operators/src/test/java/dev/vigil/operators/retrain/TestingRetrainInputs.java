package dev.vigil.operators.retrain;

import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.monitor.DriftEvent;
import dev.vigil.schema.monitor.DriftKind;
import java.time.Instant;

/** Labelled examples and drift events for the retrain trigger's tests. */
final class TestingRetrainInputs {

    static final String MODEL = "fraud-classifier";
    static final long HOUR = 3_600_000L;

    private TestingRetrainInputs() {}

    /** An example of {@code version} scored {@code score}, labelled {@code label} at {@code labelTime}. */
    static LabeledExample example(long labelTime, String version, Double score, double label) {
        return LabeledExample.newBuilder()
                .setPipeline("fraud")
                .setEntityId("acct")
                .setPredictionTime(Instant.ofEpochMilli(labelTime - 60_000))
                .setScore(score)
                .setModelName(MODEL)
                .setModelVersion(version)
                .setLabel(label)
                .setLabelSource(LabelSource.CHARGEBACK)
                .setLabelTime(Instant.ofEpochMilli(labelTime))
                .setLabelDelayMillis(60_000)
                .build();
    }

    static DriftEvent drift(long eventTime, DriftKind kind, String detector, String signal) {
        return DriftEvent.newBuilder()
                .setEventId("drift-" + eventTime)
                .setPipeline("fraud")
                .setSignal(signal)
                .setDetector(detector)
                .setKind(kind)
                .setEventTime(Instant.ofEpochMilli(eventTime))
                .setWindowStartTime(Instant.ofEpochMilli(eventTime - HOUR))
                .setObservationIndex(0)
                .setValue(1.0)
                .setModelName(MODEL)
                .setModelVersion("1")
                .setEmittedAt(Instant.ofEpochMilli(0))
                .build();
    }

    static DriftEvent drift(long eventTime) {
        return drift(eventTime, DriftKind.DRIFT, "adwin", "error/" + MODEL);
    }
}
