package dev.vigil.pipelines.sim.icu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.icu.VitalSign;
import dev.vigil.pipelines.sim.BadRecord;
import dev.vigil.pipelines.sim.icu.BadRecords.Defect;
import dev.vigil.schema.icu.VitalObservation;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

class BadRecordsTest {

    private static VitalObservation decode(byte[] bytes) throws IOException {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        return new SpecificDatumReader<>(VitalObservation.class).read(null, decoder);
    }

    /** The defects a decoded observation has, judged independently of the generator with {@link VitalSign}. */
    private static EnumSet<Defect> defectsOf(VitalObservation o) {
        EnumSet<Defect> defects = EnumSet.noneOf(Defect.class);
        if (o.getPatientId().isBlank()) {
            defects.add(Defect.MISSING_FIELD);
        }
        Optional<VitalSign> sign = VitalSign.fromLoinc(o.getLoincCode());
        if (sign.isEmpty()) {
            defects.add(Defect.UNKNOWN_CODE);
            return defects;
        }
        if (!Double.isFinite(o.getValue())) {
            defects.add(Defect.NOT_FINITE);
            return defects;
        }
        double canonical = sign.get().toCanonical(o.getValue(), o.getUnit());
        if (Double.isNaN(canonical)) {
            defects.add(Defect.UNIT_MISMATCH);
        } else if (!sign.get().isPossible(canonical)) {
            defects.add(Defect.OUT_OF_RANGE);
        }
        return defects;
    }

    @Test
    void everyRecordCarriesExactlyItsStatedDefect() throws IOException {
        List<BadRecord<Defect>> records = BadRecords.generate(17, 6);
        assertThat(records).hasSize(6 * Defect.values().length);
        assertThat(records).extracting(BadRecord::defect).containsOnly(Defect.values());
        for (BadRecord<Defect> bad : records) {
            if (bad.defect() == Defect.DECODE_ERROR) {
                assertThatThrownBy(() -> decode(bad.value()))
                        .as("%s", bad)
                        .isInstanceOfAny(IOException.class, RuntimeException.class);
            } else {
                VitalObservation o = decode(bad.value());
                assertThat(defectsOf(o)).as("%s: %s", bad, o).containsExactly(bad.defect());
                assertThat(bad.key()).isEqualTo(o.getPatientId());
            }
        }
    }

    @Test
    void outOfRangeIncludesTheClassicImpossibleValues() throws IOException {
        List<Double> values = new java.util.ArrayList<>();
        for (BadRecord<Defect> bad : BadRecords.generate(1, 5)) {
            if (bad.defect() == Defect.OUT_OF_RANGE) {
                values.add(decode(bad.value()).getValue());
            }
        }
        assertThat(values).contains(130.0, 900.0);
    }

    @Test
    void sameSeedSameBytesAndDifferentSeedDifferentBytes() {
        assertThat(BadRecords.generate(5, 3)).isEqualTo(BadRecords.generate(5, 3));
        assertThat(BadRecords.generate(5, 3)).isNotEqualTo(BadRecords.generate(6, 3));
    }

    @Test
    void simulatedObservationsEncodeAndDecodeCleanly() throws IOException {
        for (SimEvent e : new IcuSimulator(IcuSimulationConfig.builder().seed(2).patients(5).build())
                .stream()
                .limit(2_000)
                .toList()) {
            if (e.kind() == SimEvent.Kind.VITAL) {
                VitalObservation o = decode(BadRecords.encode(e.vital()));
                assertThat(o).isEqualTo(e.vital());
                assertThat(defectsOf(o)).isEmpty();
            }
        }
    }
}
