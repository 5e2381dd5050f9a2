package dev.vigil.operators.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.management.ThreadMXBean;
import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Prediction;
import dev.vigil.schema.common.Reason;
import dev.vigil.schema.icu.AlertLevel;
import dev.vigil.schema.icu.AlertTrigger;
import dev.vigil.schema.icu.ClinicalOutcome;
import dev.vigil.schema.icu.DeteriorationAlert;
import dev.vigil.schema.icu.OutcomeType;
import dev.vigil.schema.icu.PatientContext;
import dev.vigil.schema.icu.Sex;
import dev.vigil.schema.icu.VitalObservation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroCodecTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:15:30.123Z");

    /** One fully populated record of every schema class. */
    static Stream<SpecificRecord> everySchema() {
        Reason reason = Reason.newBuilder().setFeature("resp_rate").setValue(27.0).setContribution(0.81).build();
        return Stream.of(
                vital("p-0001", 92.0),
                PatientContext.newBuilder()
                        .setPatientId("p-0001")
                        .setEncounterId("e-17")
                        .setAdmittedAt(T0.minusSeconds(86_400))
                        .setAgeYears(71)
                        .setSexAtBirth(Sex.FEMALE)
                        .setWard("HDU")
                        .setSpo2Scale2(true)
                        .setUpdatedAt(T0)
                        .build(),
                ClinicalOutcome.newBuilder()
                        .setPatientId("p-0001")
                        .setEncounterId("e-17")
                        .setOutcome(OutcomeType.RAPID_RESPONSE)
                        .setOccurredAt(T0)
                        .setRecordedAt(T0.plusSeconds(3_600))
                        .build(),
                DeteriorationAlert.newBuilder()
                        .setAlertId("p-0001/2026-03-01T08:15:30.123Z/HIGH")
                        .setPatientId("p-0001")
                        .setEncounterId("e-17")
                        .setEventTime(T0)
                        .setRaisedAt(T0.plusMillis(40))
                        .setLevel(AlertLevel.HIGH)
                        .setTrigger(AlertTrigger.MODEL_AND_NEWS2)
                        .setEscalation(true)
                        .setRiskScore(0.83)
                        .setNews2Score(7)
                        .setNews2Response("HIGH")
                        .setModelName("icu-deterioration")
                        .setModelVersion("v3")
                        .setReasons(List.of(reason))
                        .build(),
                Prediction.newBuilder()
                        .setPipeline("icu")
                        .setEntityId("p-0001")
                        .setEventTime(T0)
                        .setIngestTime(T0.plusMillis(5))
                        .setScoredAt(T0.plusMillis(9))
                        .setModelName("icu-deterioration")
                        .setModelVersion("v3")
                        .setScore(0.83)
                        .setBaselineScore(7.0)
                        .setFeatures(List.of(92.0f, 27.0f, 36.4f))
                        .setGroup(Map.of("sexAtBirth", "FEMALE", "ageBand", "70-79"))
                        .build(),
                ModelUpdate.newBuilder()
                        .setName("icu-deterioration")
                        .setVersion("v3")
                        .setUri("file:///models/icu-deterioration/v3.onnx")
                        .setSha256("ab".repeat(32))
                        .setCreatedAt(T0)
                        .setParentVersion("v2")
                        .setMetrics(Map.of("auroc", 0.87))
                        .build(),
                reason,
                DeadLetter.newBuilder()
                        .setPipeline("icu")
                        .setStage("decode")
                        .setReason("MALFORMED_AVRO")
                        .setDetail("truncated")
                        .setSourceTopic("vigil.icu.vitals")
                        .setSourcePartition(3)
                        .setSourceOffset(42L)
                        .setSourceTimestamp(T0)
                        .setRejectedAt(T0.plusSeconds(1))
                        .setOriginalKey(ByteBuffer.wrap("p-0001".getBytes(StandardCharsets.UTF_8)))
                        .setOriginalValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .build());
    }

    @ParameterizedTest
    @MethodSource("everySchema")
    void roundTripsEverySchema(SpecificRecord record) throws Exception {
        AvroCodec<SpecificRecord> codec = codecFor(record);

        byte[] bytes = codec.encode(record);
        SpecificRecord decoded = codec.decode(bytes);

        assertThat(decoded).isEqualTo(record);
        // Buffers are reused: a second round trip gives the same bytes and an independent object.
        assertThat(codec.encode(record)).isEqualTo(bytes);
        assertThat(codec.decode(bytes)).isNotSameAs(decoded).isEqualTo(record);
    }

    @ParameterizedTest
    @MethodSource("everySchema")
    void rejectsEveryTruncation(SpecificRecord record) {
        AvroCodec<SpecificRecord> codec = codecFor(record);
        byte[] bytes = codec.encode(record);

        for (int length = 0; length < bytes.length; length++) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> codec.decode(truncated))
                    .as("prefix of %d of %d bytes", length, bytes.length)
                    .isInstanceOf(AvroDecodeException.class)
                    .hasMessageStartingWith("Cannot decode " + record.getSchema().getFullName() + " from " + length);
        }
    }

    @ParameterizedTest
    @MethodSource("everySchema")
    void rejectsTrailingBytes(SpecificRecord record) {
        AvroCodec<SpecificRecord> codec = codecFor(record);
        byte[] bytes = Arrays.copyOf(codec.encode(record), codec.encode(record).length + 2);

        assertThatThrownBy(() -> codec.decode(bytes))
                .isInstanceOf(AvroDecodeException.class)
                .hasMessageContaining("2 trailing bytes");
    }

    @Test
    void garbageNeverEscapesAsAnotherException() {
        AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
        Random random = new Random(7);
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            Throwable thrown = catchThrowable(() -> codec.decode(garbage));
            if (thrown == null) {
                decoded++;
            } else {
                assertThat(thrown).isInstanceOf(AvroDecodeException.class);
            }
        }
        assertThat(decoded).as("random bytes that happen to be a Prediction").isLessThan(100);
        assertThatThrownBy(() -> codec.decode("{\"patientId\":\"p-1\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(AvroDecodeException.class);
    }

    @Test
    void hugeStringLengthIsRejectedWithoutAllocating() throws Exception {
        AvroCodec<VitalObservation> codec = AvroCodec.of(VitalObservation.class);
        codec.decode(codec.encode(vital("p-1", 80.0))); // warm up: reader, decoder, classes
        byte[] bytes = avro(out -> out.writeLong(Integer.MAX_VALUE - 8)); // patientId "length"
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        AvroDecodeException e = catchDecode(() -> codec.decode(bytes));

        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated").isLessThan(1 << 20);
        assertThat(e.reason())
                .isEqualTo("truncated: Attempted to read 2147483639 bytes, but only 0 bytes are available");
        assertThat(e.schemaName()).isEqualTo("dev.vigil.schema.icu.VitalObservation");
        assertThat(e.inputLength()).isEqualTo(5);
    }

    @Test
    void hugeArrayAndMapCountsAreRejectedWithoutAllocating() {
        AvroCodec<Prediction> codec = AvroCodec.of(Prediction.class);
        byte[] hugeArray = avro(out -> {
            predictionUpToFeatures(out);
            out.writeLong(Integer.MAX_VALUE - 8); // features: one block of 2^31 floats
            out.writeFloat(1.0f);
        });
        byte[] hugeMap = avro(out -> {
            predictionUpToFeatures(out);
            out.writeLong(0); // no features
            out.writeLong(-(1L << 40)); // group: a block of 2^40 entries ...
            out.writeLong(3); // ... said to take 3 bytes
        });

        assertThat(catchDecode(() -> codec.decode(hugeArray)).reason())
                .isEqualTo("truncated: Collection claims 2147483639 elements with at least 4 bytes each,"
                        + " but only 4 bytes are available");
        assertThat(catchDecode(() -> codec.decode(hugeMap)).reason())
                .isEqualTo("UnsupportedOperationException: Cannot read collections larger than 2147483639 items in"
                        + " Java library");
    }

    @Test
    void outOfRangeEnumAndUnionIndexesAreRejected() {
        AvroCodec<ClinicalOutcome> outcomes = AvroCodec.of(ClinicalOutcome.class);
        byte[] badEnum = avro(out -> {
            out.writeString("p-1");
            out.writeString("e-1");
            out.writeInt(99);
            out.writeLong(0);
            out.writeLong(0);
        });
        AvroCodec<Prediction> predictions = AvroCodec.of(Prediction.class);
        byte[] badUnion = avro(out -> {
            predictionUpToScore(out);
            out.writeIndex(5);
        });

        assertThat(catchDecode(() -> outcomes.decode(badEnum)).reason())
                .isEqualTo("AvroTypeException: Enumeration out of range: must be in [0, 6), but received 99");
        assertThat(catchDecode(() -> predictions.decode(badUnion)).reason())
                .isEqualTo("AvroTypeException: Union branch index out of range: must be in [0, 2), but received 5");
    }

    @Test
    void nullValueIsRejected() {
        AvroCodec<VitalObservation> codec = AvroCodec.of(VitalObservation.class);

        assertThat(catchDecode(() -> codec.decode(null)).reason()).isEqualTo("no value (null or tombstone)");
    }

    @Test
    void encodingAnIncompleteRecordIsABug() {
        AvroCodec<VitalObservation> codec = AvroCodec.of(VitalObservation.class);

        assertThatThrownBy(() -> codec.encode(new VitalObservation()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot encode dev.vigil.schema.icu.VitalObservation");
    }

    @Test
    void survivesJavaSerializationAfterUse() throws Exception {
        AvroCodec<VitalObservation> codec = AvroCodec.of(VitalObservation.class);
        byte[] bytes = codec.encode(vital("p-0002", 101.0));

        AvroCodec<VitalObservation> copy = InstantiationUtil.clone(codec);

        assertThat(copy.decode(bytes)).isEqualTo(vital("p-0002", 101.0));
        assertThat(copy.type()).isEqualTo(VitalObservation.class);
    }

    static VitalObservation vital(String patientId, double heartRate) {
        return VitalObservation.newBuilder()
                .setPatientId(patientId)
                .setEncounterId("e-17")
                .setLoincCode("8867-4")
                .setValue(heartRate)
                .setUnit("/min")
                .setEffectiveTime(T0)
                .build();
    }

    @SuppressWarnings("unchecked")
    private static AvroCodec<SpecificRecord> codecFor(SpecificRecord record) {
        return AvroCodec.of((Class<SpecificRecord>) record.getClass());
    }

    private static void predictionUpToScore(BinaryEncoder out) throws IOException {
        out.writeString("icu");
        out.writeString("p-1");
        out.writeLong(1L);
        out.writeLong(2L);
        out.writeLong(3L);
        out.writeString("m");
        out.writeString("v1");
    }

    private static void predictionUpToFeatures(BinaryEncoder out) throws IOException {
        predictionUpToScore(out);
        out.writeIndex(0); // score: null
        out.writeIndex(0); // baselineScore: null
    }

    private interface EncoderWrites {
        void write(BinaryEncoder out) throws IOException;
    }

    private static byte[] avro(EncoderWrites writes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            writes.write(out);
            out.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    private interface Decoding {
        void run() throws Exception;
    }

    private static AvroDecodeException catchDecode(Decoding decoding) {
        Throwable thrown = catchThrowable(decoding::run);
        assertThat(thrown).isInstanceOf(AvroDecodeException.class);
        return (AvroDecodeException) thrown;
    }
}
