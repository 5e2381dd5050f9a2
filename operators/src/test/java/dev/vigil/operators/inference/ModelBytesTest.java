package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.operators.inference.TestingOnnxModels.LinearModel;
import dev.vigil.schema.common.ModelUpdate;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBytesTest {

    private static final LinearModel MODEL = TestingOnnxModels.linear(4, 1L);

    @TempDir Path dir;

    @Test
    void readsAFileUriAndChecksItsSha256() throws Exception {
        byte[] onnx = MODEL.toOnnx("m", "1");
        ModelRef ref = TestingOnnxModels.write(dir, "m", "1", onnx);

        ModelBytes bytes = ModelBytes.load(ref);

        assertThat(ref.uri()).startsWith("file:");
        assertThat(bytes.ref()).isEqualTo(ref);
        assertThat(bytes.size()).isEqualTo(onnx.length);
        assertThat(bytes.bytes()).isEqualTo(onnx);
    }

    @Test
    void readsAClasspathResourceOfTheGivenClassLoader() throws Exception {
        byte[] onnx = MODEL.toOnnx("m", "1");
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/m-1.onnx"), onnx);

        try (URLClassLoader jobJar = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            ModelRef ref = TestingOnnxModels.ref("m", "1", "classpath:models/m-1.onnx", onnx);
            assertThat(ModelBytes.load(ref, jobJar).bytes()).isEqualTo(onnx);

            ModelRef missing = TestingOnnxModels.ref("m", "1", "classpath:/models/none.onnx", onnx);
            assertThatThrownBy(() -> ModelBytes.load(missing, jobJar))
                    .isInstanceOf(FileNotFoundException.class)
                    .hasMessageContaining("models/none.onnx");
        }
    }

    @Test
    void aSha256MismatchIsRefusedBeforeAnySessionIsCreated() throws Exception {
        byte[] onnx = MODEL.toOnnx("m", "1");
        ModelRef good = TestingOnnxModels.write(dir, "m", "1", onnx);
        String wrong = ModelBytes.sha256Hex("something else".getBytes());
        ModelRef tampered = new ModelRef("m", "1", good.uri(), wrong);
        int sessionsBefore = OnnxScorer.liveSessions();

        assertThatThrownBy(() -> OnnxScorer.load(tampered, new Configuration(), null))
                .isInstanceOfSatisfying(
                        ModelIntegrityException.class,
                        e -> {
                            assertThat(e.expectedSha256()).isEqualTo(wrong);
                            assertThat(e.actualSha256()).isEqualTo(good.sha256());
                            assertThat(e.model()).isEqualTo(tampered);
                        })
                .hasMessage(
                        "Model m:1 refused: sha-256 of %s is %s but %s was announced (%d bytes read)",
                        good.uri(),
                        good.sha256(),
                        wrong,
                        onnx.length);
        assertThat(OnnxScorer.liveSessions()).isEqualTo(sessionsBefore);
    }

    @Test
    void verifiesBytesHeldInMemory() throws Exception {
        byte[] onnx = MODEL.toOnnx("m", "1");
        ModelRef ref = TestingOnnxModels.ref("m", "1", "memory:m", onnx);

        assertThat(ModelBytes.verify(ref, onnx).size()).isEqualTo(onnx.length);
        byte[] flipped = onnx.clone();
        flipped[flipped.length / 2] ^= 1;
        assertThatThrownBy(() -> ModelBytes.verify(ref, flipped)).isInstanceOf(ModelIntegrityException.class);
    }

    @Test
    void aMissingFileIsAnIoError() {
        ModelRef ref = new ModelRef("m", "1", dir.resolve("absent.onnx").toUri().toString(), "0".repeat(64));

        assertThatThrownBy(() -> ModelBytes.load(ref))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(ModelIntegrityException.class);
    }

    @Test
    void modelRefNormalizesAndValidatesItsSha256() {
        String upper = "AB".repeat(32);
        assertThat(new ModelRef("m", "1", "file:///m", upper).sha256()).isEqualTo("ab".repeat(32));
        assertThatThrownBy(() -> new ModelRef("m", "1", "file:///m", "abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex characters");
        assertThatThrownBy(() -> new ModelRef("m", " ", "file:///m", upper))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modelRefOfAControlTopicUpdate() {
        ModelUpdate update =
                ModelUpdate.newBuilder()
                        .setName("icu-deterioration")
                        .setVersion("12")
                        .setUri("s3://models/icu-12.onnx")
                        .setSha256("cd".repeat(32))
                        .setCreatedAt(Instant.ofEpochMilli(0))
                        .build();

        assertThat(ModelRef.of(update))
                .isEqualTo(new ModelRef("icu-deterioration", "12", "s3://models/icu-12.onnx", "cd".repeat(32)));
    }
}
