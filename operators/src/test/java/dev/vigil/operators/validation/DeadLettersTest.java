package dev.vigil.operators.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.schema.common.DeadLetter;
import dev.vigil.schema.icu.VitalObservation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void buildsAFullDeadLetter() {
        DeadLetter dl =
                DeadLetters.builder("icu", DeadLetters.STAGE_VALIDATE)
                        .rejection(new Rejection(ReasonCodes.OUT_OF_RANGE, "value of 8867-4 outside range"))
                        .source("vigil.icu.vitals", 3, 42L, 1_700_000_000_000L)
                        .original("p1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3})
                        .rejectedAt(1_700_000_000_500L)
                        .build();
        assertThat(dl.getPipeline()).isEqualTo("icu");
        assertThat(dl.getStage()).isEqualTo("validate");
        assertThat(dl.getReason()).isEqualTo("OUT_OF_RANGE");
        assertThat(dl.getDetail()).isEqualTo("value of 8867-4 outside range");
        assertThat(dl.getSourceTopic()).isEqualTo("vigil.icu.vitals");
        assertThat(dl.getSourcePartition()).isEqualTo(3);
        assertThat(dl.getSourceOffset()).isEqualTo(42L);
        assertThat(dl.getSourceTimestamp()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(dl.getRejectedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_500L));
        assertThat(dl.getOriginalKey()).isEqualTo(ByteBuffer.wrap("p1".getBytes(StandardCharsets.UTF_8)));
        assertThat(dl.getOriginalValue()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }

    @Test
    void optionalFieldsStayNull() {
        DeadLetter dl =
                DeadLetters.builder("icu", DeadLetters.STAGE_DECODE)
                        .reason(ReasonCodes.DECODE_ERROR)
                        .source("t", -1, -1, -1)
                        .rejectedAt(5)
                        .build();
        assertThat(dl.getDetail()).isEmpty();
        assertThat(dl.getSourcePartition()).isNull();
        assertThat(dl.getSourceOffset()).isNull();
        assertThat(dl.getSourceTimestamp()).isNull();
        assertThat(dl.getOriginalKey()).isNull();
        assertThat(dl.getOriginalValue()).isNull();
    }

    @Test
    void requiredFieldsAreChecked() {
        assertThatThrownBy(() -> DeadLetters.builder("icu", "validate").rejectedAt(1).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("reason");
        assertThatThrownBy(() -> DeadLetters.builder("icu", "validate").reason("X").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rejectedAt");
        assertThatThrownBy(() -> DeadLetters.builder(" ", "validate").reason("X").rejectedAt(1).build())
                .hasMessageContaining("pipeline");
    }

    @Test
    void avroBytesRoundTripWithoutFraming() throws Exception {
        VitalObservation obs =
                new VitalObservation("p1", "e1", "8867-4", 80.0, "/min", Instant.ofEpochMilli(1_000), "monitor");
        byte[] bytes = DeadLetters.avroBytes(obs);
        VitalObservation back =
                new SpecificDatumReader<>(VitalObservation.class)
                        .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(back).isEqualTo(obs);
    }
}
