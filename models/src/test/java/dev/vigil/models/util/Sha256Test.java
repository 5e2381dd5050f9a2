package dev.vigil.models.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

    @Test
    void matchesFips180TestVectors() {
        assertThat(Sha256.hex(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Sha256.hexUtf8("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        byte[] twoBlocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII);
        assertThat(Sha256.hex(twoBlocks))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    }

    @Test
    void fileAndStreamDigestsEqualTheInMemoryDigest(@TempDir Path dir) throws Exception {
        byte[] bytes = new byte[200_003]; // several 64 KiB chunks and a partial one
        new Random(7).nextBytes(bytes);
        Path file = dir.resolve("model.onnx");
        Files.write(file, bytes);

        String expected = Sha256.hex(bytes);
        assertThat(Sha256.hex(file)).isEqualTo(expected);
        assertThat(Sha256.hex(new ByteArrayInputStream(bytes))).isEqualTo(expected);
        assertThat(expected).hasSize(64).matches("[0-9a-f]+");
    }
}
