package dev.vigil.operators.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.OnnxImport;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.registry.FileSystemModelRegistry;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link OnlineLearnerOperator} in a real job: serialized into the job graph, fed by a parallel stream. */
class OnlineLearnerOperatorITCase {

    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(PARALLELISM)
                    .build());

    @TempDir
    Path dir;

    @Test
    void aParallelStreamTrainsOneLearnerThatPublishesToTheFileSystemRegistry() throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(100);

        Configuration options = TestingExamples.config();
        options.set(LearnerOptions.PUBLISH_EVERY_UPDATES, 200L);
        options.set(LearnerOptions.REGISTRY_ROOT, dir.toUri().toString());
        options.set(LearnerOptions.REPLAY_ENABLED, true);
        List<LabeledExample> examples = TestingExamples.stream(1_000, 21, 0);

        DataStream<LabeledExample> input =
                env.fromData(examples, new AvroTypeInfo<>(LabeledExample.class)).rebalance();
        OnlineLearnerOperator learner = OnlineLearnerOperator.builder()
                .options(options)
                .bootstrap(TestingExamples.bootstrap("7"))
                .build();
        SingleOutputStreamOperator<ModelUpdate> updates = OnlineLearnerOperator.learn(input, learner);
        assertThat(updates.getParallelism()).isEqualTo(1);

        List<ModelUpdate> seen = new ArrayList<>();
        try (CloseableIterator<ModelUpdate> it = updates.executeAndCollect()) {
            it.forEachRemaining(seen::add);
        }

        assertThat(seen).extracting(ModelUpdate::getVersion).containsExactly("1", "2", "3", "4", "5");
        assertThat(seen).extracting(ModelUpdate::getParentVersion).containsExactly("7", "1", "2", "3", "4");
        long rows = 0;
        for (ModelUpdate update : seen) {
            byte[] file = Files.readAllBytes(Paths.get(URI.create(update.getUri())));
            assertThat(Sha256.hex(file)).isEqualTo(update.getSha256());
            ModelProvenance provenance = OnnxImport.logistic(file).provenance();
            assertThat(provenance.modelVersion()).isEqualTo(update.getVersion());
            rows += provenance.trainingRows();
        }
        assertThat(rows).isEqualTo(examples.size());
        assertThat(new FileSystemModelRegistry(dir.toUri().toString()).list(TestingExamples.MODEL)).hasSize(5);
    }
}
