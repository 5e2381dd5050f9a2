package dev.vigil.pipelines.sim.icu;

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
 * SHA-256 of a simulation: every patient's truth, then every event in delivery order (kind, key, event and delivery
 * time, and the record as Avro binary, exactly the bytes a producer would send). Equal digests mean bit-for-bit equal
 * output.
 */
final class SimDigest {
    private SimDigest() {}

    static String of(IcuSimulator simulator) {
        MessageDigest sha = sha256();
        for (PatientTruth truth : simulator.truths().values()) {
            sha.update(truth.toString().getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = null;
        ByteBuffer header = ByteBuffer.allocate(Integer.BYTES + 2 * Long.BYTES);
        for (SimEvent event : simulator) {
            header.clear();
            header.putInt(event.kind().ordinal()).putLong(event.eventTimeMillis()).putLong(event.deliveryTimeMillis());
            sha.update(header.array());
            sha.update(event.key().getBytes(StandardCharsets.UTF_8));
            bytes.reset();
            encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
            write(event.record(), encoder);
            sha.update(bytes.toByteArray());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void write(SpecificRecord record, BinaryEncoder encoder) {
        try {
            new SpecificDatumWriter(record.getSchema()).write(record, encoder);
            encoder.flush();
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
