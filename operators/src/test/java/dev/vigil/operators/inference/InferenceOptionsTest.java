package dev.vigil.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class InferenceOptionsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        Configuration empty = new Configuration();

        assertThat(empty.get(InferenceOptions.BATCH_MAX_SIZE)).isEqualTo(64);
        assertThat(empty.get(InferenceOptions.BATCH_MAX_WAIT)).isEqualTo(Duration.ofMillis(5));
        assertThat(empty.get(InferenceOptions.EXECUTION_PROVIDER)).isEqualTo(ExecutionProvider.CPU);
        assertThat(empty.get(InferenceOptions.INTRA_OP_THREADS)).isEqualTo(1);
        assertThat(empty.get(InferenceOptions.CUDA_DEVICE_ID)).isZero();
    }

    @Test
    void readsTheKeysAsConfigYamlWritesThem() {
        Configuration conf =
                Configuration.fromMap(
                        Map.of(
                                "vigil.inference.batch.max-size", "128",
                                "vigil.inference.batch.max-wait", "20 ms",
                                "vigil.inference.execution-provider", "AUTO",
                                "vigil.inference.intra-op-threads", "2",
                                "vigil.inference.cuda.device-id", "1"));

        assertThat(conf.get(InferenceOptions.BATCH_MAX_SIZE)).isEqualTo(128);
        assertThat(conf.get(InferenceOptions.BATCH_MAX_WAIT)).isEqualTo(Duration.ofMillis(20));
        assertThat(conf.get(InferenceOptions.EXECUTION_PROVIDER)).isEqualTo(ExecutionProvider.AUTO);
        assertThat(conf.get(InferenceOptions.INTRA_OP_THREADS)).isEqualTo(2);
        assertThat(conf.get(InferenceOptions.CUDA_DEVICE_ID)).isEqualTo(1);
    }
}
