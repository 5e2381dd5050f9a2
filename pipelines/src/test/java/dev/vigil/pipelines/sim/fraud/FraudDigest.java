package dev.vigil.pipelines.sim.fraud;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * SHA-256 of a simulation: the episodes, then every event in delivery order (kind, key, event and delivery time, the
 * record as Avro binary, exactly the bytes a producer would send, and the truth). Equal digests mean bit-for-bit equal
 * output.
 */
final class FraudDigest {
    private FraudDigest() {}

    static String of(FraudSimulator simulator) {
        MessageDigest sha = sha256();
        for (FraudEpisode episode : simulator.episodes()) {
            sha.update(episode.toString().getBytes(StandardCharsets.UTF_8));
        }
        ByteBuffer header = ByteBuffer.allocate(Integer.BYTES + 2 * Long.BYTES);
        for (FraudEvent event : simulator) {
            header.clear();
            header.putInt(event.kind().ordinal()).putLong(event.eventTimeMillis()).putLong(event.deliveryTimeMillis());
            sha.update(header.array());
            sha.update(event.key().getBytes(StandardCharsets.UTF_8));
            sha.update(avro(event.record()));
            sha.update(event.truth().toString().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** Avro binary of a record, as the producer sends it. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static byte[] avro(SpecificRecord record) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter(record.getSchema()).write(record, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
