package dev.vigil.operators.icu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.validation.ReasonCodes;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.Sex;
import dev.vigil.operators.ingest.Ingested;
import dev.vigil.schema.icu.VitalObservation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class PatientFeatureFunctionTest {

    private static final long T0 = Instant.parse("2026-02-01T08:00:00Z").toEpochMilli();
    private static final long MIN = 60_000L;
    private static final long HOUR = 60 * MIN;
    private static final String P1 = "patient-001";
    private static final int MAX_PARALLELISM = 128;

    private static VitalObservation vital(String patient, VitalSign v, double value, long time) {
        return new VitalObservation(
                patient, "enc-" + patient, v.loinc(), value, v.unit(), Instant.ofEpochMilli(time), "monitor");
    }

    private static PatientContext context(String patient, int age, Sex sex, String ward, boolean scale2, long at) {
        return new PatientContext(
                patient,
                "enc-" + patient,
                Instant.ofEpochMilli(T0 - 24 * HOUR),
                age,
                sex,
                ward,
                scale2,
                Instant.ofEpochMilli(at));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Ingested<VitalObservation>, PatientContext, PatientSnapshot>
            harness(int parallelism, int subtask) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(
                        new PatientFeatureFunction(Duration.ofHours(4), Duration.ofHours(24))),
                (Ingested<VitalObservation> r) -> r.value.getPatientId(),
                PatientContext::getPatientId,
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                subtask);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Ingested<VitalObservation>, PatientContext, PatientSnapshot>
            opened() throws Exception {
        var h = harness(1, 0);
        h.open();
        return h;
    }

    private static void push(
            KeyedTwoInputStreamOperatorTestHarness<String, Ingested<VitalObservation>, PatientContext, PatientSnapshot> h,
            VitalObservation obs)
            throws Exception {
        h.processElement1(ingested(obs), obs.getEffectiveTime().toEpochMilli());
    }

    /** Wraps an observation as the ingest stage emits it; ingest time = effective time + 1 s. */
    static Ingested<VitalObservation> ingested(VitalObservation obs) {
        return new Ingested<>(obs, "vigil.icu.vitals", 0, 7L, obs.getEffectiveTime().toEpochMilli() + 1_000);
    }

    private static PatientSnapshot last(
            KeyedTwoInputStreamOperatorTestHarness<String, Ingested<VitalObservation>, PatientContext, PatientSnapshot> h) {
        List<PatientSnapshot> out = h.extractOutputValues();
        return out.get(out.size() - 1);
    }

    @Test
    void emitsASnapshotPerAcceptedVital() throws Exception {
        try (var h = opened()) {
            h.setProcessingTime(T0 + 5_000);
            push(h, vital(P1, VitalSign.HEART_RATE, 118, T0 - 10 * MIN));
            push(h, vital(P1, VitalSign.RESPIRATORY_RATE, 26, T0 - 5 * MIN));
            push(h, vital(P1, VitalSign.SPO2, 92, T0));

            List<PatientSnapshot> out = h.extractOutputValues();
            assertThat(out).hasSize(3);
            PatientSnapshot s = out.get(2);
            assertThat(s.patientId).isEqualTo(P1);
            assertThat(s.encounterId).isEqualTo("enc-" + P1);
            assertThat(s.eventTime).isEqualTo(T0);
            // The Kafka timestamp of the triggering observation, not the stage's clock.
            assertThat(s.ingestTime).isEqualTo(T0 + 1_000);
            assertThat(s.features).hasSize(IcuFeatures.SIZE);
            assertThat(s.features[IcuFeatures.indexOf("heart_rate_last")]).isEqualTo(118f);
            assertThat(s.features[IcuFeatures.indexOf("spo2_last")]).isEqualTo(92f);
            // pulse 118 -> 2, RR 26 -> 3, SpO2 92 -> 2; four parameters missing
            assertThat(s.news2Total).isEqualTo(7);
            assertThat(s.features[IcuFeatures.NEWS2_TOTAL]).isEqualTo(7f);
            assertThat(s.news2Response).isEqualTo(News2Response.HIGH);
            assertThat(s.news2AnySingleThree).isTrue();
            assertThat(s.news2MissingParameters).isEqualTo(3);
            assertThat(s.news2Scale).isEqualTo(1);
            assertThat(s.ageYears).isEqualTo(PatientSnapshot.UNKNOWN_AGE);
            assertThat(s.features[IcuFeatures.AGE_YEARS]).isEqualTo(65f);
            assertThat(s.sex).isEqualTo("UNKNOWN");
            assertThat(s.ward).isEqualTo("UNKNOWN");
            assertThat(h.getSideOutput(PatientFeatureFunction.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void countsObservedPatientTimeForTheAlertBurden() throws Exception {
        PatientFeatureFunction fn = new PatientFeatureFunction(Duration.ofHours(4), Duration.ofHours(24));
        try (var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(fn),
                (Ingested<VitalObservation> r) -> r.value.getPatientId(),
                PatientContext::getPatientId,
                Types.STRING)) {
            h.open();
            push(h, vital(P1, VitalSign.HEART_RATE, 80, T0));
            assertThat(fn.observedPatientMillis()).isZero(); // a first vital starts the observation
            push(h, vital(P1, VitalSign.HEART_RATE, 82, T0 + 10 * MIN));
            push(h, vital(P1, VitalSign.SPO2, 97, T0 + 5 * MIN)); // out of order: the newest time does not move
            assertThat(fn.observedPatientMillis()).isEqualTo(10 * MIN);
            push(h, vital(P1, VitalSign.HEART_RATE, 84, T0 + 10 * MIN + 6 * 60 * MIN)); // 6 h of silence: capped
            assertThat(fn.observedPatientMillis()).isEqualTo(10 * MIN + PatientFeatureFunction.MAX_OBSERVED_GAP_MILLIS);
            push(h, vital("P-2", VitalSign.HEART_RATE, 70, T0 + 20 * MIN)); // another patient's first vital
            push(h, vital("P-2", VitalSign.HEART_RATE, 72, T0 + 35 * MIN));
            assertThat(fn.observedPatientMillis())
                    .isEqualTo(25 * MIN + PatientFeatureFunction.MAX_OBSERVED_GAP_MILLIS);
        }
    }

    @Test
    void outOfOrderObservationsGoInPlace() throws Exception {
        List<VitalObservation> inOrder =
                List.of(
                        vital(P1, VitalSign.HEART_RATE, 80, T0 - 30 * MIN),
                        vital(P1, VitalSign.HEART_RATE, 90, T0 - 20 * MIN),
                        vital(P1, VitalSign.SYSTOLIC_BP, 105, T0 - 15 * MIN),
                        vital(P1, VitalSign.HEART_RATE, 100, T0 - 10 * MIN));
        List<VitalObservation> shuffled = List.of(inOrder.get(3), inOrder.get(0), inOrder.get(2), inOrder.get(1));
        PatientSnapshot a;
        PatientSnapshot b;
        try (var h = opened()) {
            for (VitalObservation o : inOrder) {
                push(h, o);
            }
            a = last(h);
        }
        try (var h = opened()) {
            for (VitalObservation o : shuffled) {
                push(h, o);
            }
            b = last(h);
            assertThat(h.extractOutputValues()).extracting(s -> s.eventTime).containsOnly(T0 - 10 * MIN);
        }
        assertThat(b.features).containsExactly(a.features);
        assertThat(b.features[IcuFeatures.indexOf("heart_rate_slope_1h")]).isEqualTo(60f);
        assertThat(b.news2Total).isEqualTo(a.news2Total).isEqualTo(2); // pulse 100 -> 1, SBP 105 -> 1
    }

    @Test
    void lateObservationGoesToDeadLettersWithItsBytes() throws Exception {
        try (var h = opened()) {
            h.setProcessingTime(T0 + 7);
            push(h, vital(P1, VitalSign.HEART_RATE, 80, T0));
            VitalObservation late = vital(P1, VitalSign.HEART_RATE, 150, T0 - 4 * HOUR - 1);
            push(h, late);
            push(h, vital(P1, VitalSign.HEART_RATE, 81, T0 - 4 * HOUR)); // exactly on the horizon: accepted

            assertThat(h.extractOutputValues()).hasSize(2);
            List<DeadLetter> dlq = new ArrayList<>();
            for (StreamRecord<DeadLetter> r : h.getSideOutput(PatientFeatureFunction.DEAD_LETTERS)) {
                dlq.add(r.getValue());
            }
            assertThat(dlq).hasSize(1);
            DeadLetter dl = dlq.get(0);
            assertThat(dl.getPipeline()).isEqualTo("icu");
            assertThat(dl.getStage()).isEqualTo("features");
            assertThat(dl.getReason()).isEqualTo(ReasonCodes.LATE_BEYOND_RETENTION);
            assertThat(dl.getDetail()).doesNotContain(P1).doesNotContain("150");
            assertThat(dl.getRejectedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 7));
            assertThat(StandardCharsets.UTF_8.decode(dl.getOriginalKey()).toString()).isEqualTo(P1);
            byte[] value = new byte[dl.getOriginalValue().remaining()];
            dl.getOriginalValue().get(value);
            VitalObservation decoded =
                    new SpecificDatumReader<>(VitalObservation.class)
                            .read(null, DecoderFactory.get().binaryDecoder(value, null));
            assertThat(decoded).isEqualTo(late);
        }
    }

    @Test
    void exactDuplicateEmitsNothing() throws Exception {
        try (var h = opened()) {
            push(h, vital(P1, VitalSign.HEART_RATE, 80, T0));
            push(h, vital(P1, VitalSign.HEART_RATE, 80, T0));
            assertThat(h.extractOutputValues()).hasSize(1);
            assertThat(h.getSideOutput(PatientFeatureFunction.DEAD_LETTERS)).isNull();
        }
    }

    @Test
    void contextArrivingAfterVitalsAppliesToTheNextSnapshot() throws Exception {
        try (var h = opened()) {
            push(h, vital(P1, VitalSign.SPO2, 89, T0));
            push(h, vital(P1, VitalSign.OXYGEN_FLOW, 2, T0));
            PatientSnapshot before = last(h);
            assertThat(before.news2Scale).isEqualTo(1);
            assertThat(before.news2Total).isEqualTo(5); // scale 1: SpO2 89 -> 3, oxygen 2

            h.processElement2(context(P1, 78, Sex.FEMALE, "MED", true, T0), T0);
            assertThat(h.extractOutputValues()).hasSize(2); // context alone emits nothing

            push(h, vital(P1, VitalSign.HEART_RATE, 72, T0 + MIN));
            PatientSnapshot after = last(h);
            assertThat(after.ageYears).isEqualTo(78);
            assertThat(after.features[IcuFeatures.AGE_YEARS]).isEqualTo(78f);
            assertThat(after.sex).isEqualTo("FEMALE");
            assertThat(after.ward).isEqualTo("MED");
            assertThat(after.spo2Scale2).isTrue();
            assertThat(after.news2Scale).isEqualTo(2);
            assertThat(after.features[IcuFeatures.NEWS2_SCALE]).isEqualTo(2f);
            assertThat(after.news2Total).isEqualTo(2); // scale 2: SpO2 89 -> 0, oxygen 2
        }
    }

    @Test
    void contextBeforeVitalsAndOlderContextIsIgnored() throws Exception {
        try (var h = opened()) {
            h.processElement2(context(P1, 50, Sex.MALE, "ICU", false, T0), T0);
            h.processElement2(context(P1, 99, Sex.FEMALE, "SURG", true, T0 - HOUR), T0); // older update
            push(h, vital(P1, VitalSign.HEART_RATE, 72, T0 + MIN));
            PatientSnapshot s = last(h);
            assertThat(s.ageYears).isEqualTo(50);
            assertThat(s.features[IcuFeatures.AGE_YEARS]).isEqualTo(50f);
            assertThat(s.sex).isEqualTo("MALE");
            assertThat(s.ward).isEqualTo("ICU");
            assertThat(s.news2Scale).isEqualTo(1);
        }
    }

    @Test
    void snapshotAndRestoreKeepTheStateAndGiveIdenticalFeatures() throws Exception {
        List<VitalObservation> first = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            first.add(vital(P1, VitalSign.HEART_RATE, 70 + i % 13, T0 + i * 5 * MIN));
            first.add(vital(P1, VitalSign.SYSTOLIC_BP, 130 - i, T0 + i * 5 * MIN + 1000));
        }
        List<VitalObservation> next =
                List.of(
                        vital(P1, VitalSign.TEMPERATURE, 38.4, T0 + 200 * MIN),
                        vital(P1, VitalSign.HEART_RATE, 121, T0 + 150 * MIN), // out of order
                        vital(P1, VitalSign.HEART_RATE, 50, T0 - 10 * HOUR)); // late

        OperatorSubtaskState snapshot;
        List<PatientSnapshot> expected;
        try (var original = opened()) {
            original.processElement2(context(P1, 67, Sex.MALE, "HDU", false, T0), T0);
            for (VitalObservation o : first) {
                push(original, o);
            }
            snapshot = original.snapshot(1L, T0);
            int before = original.extractOutputValues().size();
            for (VitalObservation o : next) {
                push(original, o);
            }
            List<PatientSnapshot> all = original.extractOutputValues();
            expected = new ArrayList<>(all.subList(before, all.size()));
        }
        try (var restored = harness(1, 0)) {
            restored.initializeState(snapshot);
            restored.open();
            for (VitalObservation o : next) {
                push(restored, o);
            }
            assertThat(restored.extractOutputValues()).isEqualTo(expected).hasSize(2);
            assertThat(restored.extractOutputValues().get(0).ageYears).isEqualTo(67);
            assertThat(restored.getSideOutput(PatientFeatureFunction.DEAD_LETTERS)).hasSize(1);
        }
    }

    @Test
    void stateRescalesByKeyGroup() throws Exception {
        String[] keys = keysOnDifferentSubtasks();
        OperatorSubtaskState snapshot;
        try (var h = opened()) {
            for (String key : keys) {
                push(h, vital(key, VitalSign.HEART_RATE, 100, T0));
            }
            snapshot = h.snapshot(1L, T0);
        }
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, MAX_PARALLELISM, 1, 2, subtask);
            try (var h = harness(2, subtask)) {
                h.initializeState(part);
                h.open();
                assertThat(h.numKeyedStateEntries()).isEqualTo(1); // feature state only (no context sent)
                String key = keys[subtask];
                push(h, vital(key, VitalSign.HEART_RATE, 110, T0 + 30 * MIN));
                PatientSnapshot s = last(h);
                assertThat(s.patientId).isEqualTo(key);
                assertThat(s.features[IcuFeatures.indexOf("heart_rate_mean_1h")]).isEqualTo(105f);
            }
        }
    }

    @Test
    void stateAndOutputTypesAreNotGeneric() throws Exception {
        TypeInformation<PatientFeatureState> stateType = PatientFeatureFunction.featureStateType();
        assertThat(stateType).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(VitalSeries.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(PatientSnapshot.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(TypeInformation.of(ScoredSnapshot.class)).isInstanceOf(PojoTypeInfo.class);
        assertThat(PatientFeatureFunction.contextStateType()).isInstanceOf(AvroTypeInfo.class);

        SerializerConfigImpl noGenerics = new SerializerConfigImpl();
        noGenerics.setGenericTypes(false); // creating a Kryo serializer would now throw

        PatientFeatureState state = new PatientFeatureState();
        state.setPatientContext(70, true);
        state.add(VitalSign.HEART_RATE, T0, 88, 4 * HOUR);
        state.add(VitalSign.SPO2, T0 - MIN, 91, 4 * HOUR);
        assertThat(roundTrip(stateType.createSerializer(noGenerics), state)).isEqualTo(state);

        PatientSnapshot snapshot = new PatientSnapshot();
        snapshot.patientId = P1;
        snapshot.features = state.features(T0);
        snapshot.setNews2(state.news2(T0));
        ScoredSnapshot scored = ScoredSnapshot.of(snapshot, null, "icu", "none", null);
        assertThat(roundTrip(TypeInformation.of(PatientSnapshot.class).createSerializer(noGenerics), snapshot))
                .isEqualTo(snapshot);
        assertThat(roundTrip(TypeInformation.of(ScoredSnapshot.class).createSerializer(noGenerics), scored))
                .isEqualTo(scored);
        ScoredSnapshot withScore = ScoredSnapshot.of(snapshot, 0.42, "icu", "v3", new float[IcuFeatures.SIZE]);
        assertThat(roundTrip(TypeInformation.of(ScoredSnapshot.class).createSerializer(noGenerics), withScore))
                .isEqualTo(withScore);
    }

    @Test
    void optionsAreValidated() {
        Configuration config = new Configuration();
        assertThat(IcuOptions.retention(config)).isEqualTo(Duration.ofHours(4));
        assertThat(IcuOptions.stateTtl(config)).isEqualTo(Duration.ofHours(24));
        assertThat(PatientFeatureFunction.fromConfig(config)).isNotNull();
        config.set(IcuOptions.FEATURES_RETENTION, Duration.ofHours(2));
        assertThatThrownBy(() -> IcuOptions.retention(config)).hasMessageContaining("vigil.icu.features.retention");
        config.set(IcuOptions.FEATURES_RETENTION, Duration.ofHours(6));
        config.set(IcuOptions.STATE_TTL, Duration.ofHours(5));
        assertThatThrownBy(() -> IcuOptions.stateTtl(config)).hasMessageContaining("vigil.icu.state.ttl");
        assertThatThrownBy(() -> new PatientFeatureFunction(Duration.ofHours(1), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static String[] keysOnDifferentSubtasks() {
        String[] keys = new String[2];
        for (int i = 0; keys[0] == null || keys[1] == null; i++) {
            String key = "patient-" + i;
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, 2);
            if (keys[subtask] == null) {
                keys[subtask] = key;
            }
        }
        return keys;
    }
}
