package dev.vigil.pipelines.cli;

import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.registry.InMemoryModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.operators.learn.OnlineLearnerOperator;
import dev.vigil.operators.learn.RegistryFactory;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil bench ...}: measurements recorded in docs/BENCHMARKS.md (not timed tests). */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks recorded in docs/BENCHMARKS.md.",
        subcommands = {BenchCommand.Learner.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * Learner throughput inside a Flink job: a local MiniCluster runs {@code fromSequence -> synthetic LabeledExample
     * -> OnlineLearnerOperator -> checkpoint counter -> discard} with checkpointing on (hashmap backend), the learner
     * publishing to an in-memory registry every {@code --publish-every} updates.
     *
     * <p>Three rates are printed, all examples per second: {@code job} over the job's net runtime as Flink reports it
     * (deployment, the final checkpoint and shutdown included, MiniCluster start-up not); {@code learner} from the
     * first example generated to the version the learner publishes at the end of input (its {@code createdAt}, so
     * millisecond precision); {@code steady} from the first published version to that last one (warm-up and JIT
     * compilation excluded).
     */
    @Command(
            name = "learner",
            mixinStandardHelpOptions = true,
            description = "Online learner throughput in a local Flink job with checkpointing on; prints one summary"
                    + " line per run.")
    static final class Learner implements Callable<Integer> {

        @Option(names = "--examples", defaultValue = "2000000",
                description = "Synthetic labeled examples (default: ${DEFAULT-VALUE}).")
        long examples;

        @Option(names = "--features", defaultValue = "76", description = "Features per example (default: ${DEFAULT-VALUE}).")
        int features;

        @Option(names = "--model", defaultValue = "logistic",
                description = "Model: logistic or mlp (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--hidden", defaultValue = "32", split = ",",
                description = "MLP hidden layer widths, comma-separated (default: ${DEFAULT-VALUE}).")
        List<Integer> hidden;

        @Option(names = "--optimizer", defaultValue = "adam",
                description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw (needs --weight-decay) or ftrl"
                        + " (default: ${DEFAULT-VALUE}).")
        String optimizer;

        @Option(names = "--learning-rate", description = "Learning rate (default: the learner's, 0.001).")
        Double learningRate;

        @Option(names = "--weight-decay", description = "AdamW's weight decay (adamw only).")
        Double weightDecay;

        @Option(names = "--minibatch", defaultValue = "1", description = "Examples per update (default: ${DEFAULT-VALUE}).")
        int minibatch;

        @Option(names = "--publish-every", defaultValue = "10000",
                description = "Publish a version every this many updates (default: ${DEFAULT-VALUE}).")
        long publishEvery;

        @Option(names = "--checkpoint-interval", defaultValue = "PT1S",
                description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration checkpointInterval;

        @Option(names = "--chain", defaultValue = "false",
                description = "Chain the learner to the generator (one thread, no serialization between them)."
                        + " Default: the learner runs in its own task, as behind a keyed label join.")
        boolean chain;

        @Option(names = "--seed", defaultValue = "42", description = "Data and learner seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--runs", defaultValue = "1",
                description = "Runs, each on a fresh MiniCluster in this JVM (default: ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--verbose", defaultValue = "false",
                description = "Keep the learner's INFO line per published version.")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            if (!verbose) {
                Configurator.setLevel(OnlineLearnerOperator.class.getName(), Level.WARN);
            }
            for (int run = 1; run <= runs; run++) {
                System.out.println(runOnce(run));
            }
            return 0;
        }

        private String runOnce(int run) throws Exception {
            Probe.reset();
            InMemoryModelRegistry registry = new InMemoryModelRegistry();
            String modelName = "bench-learner";

            Configuration conf = new Configuration();
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
            conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
            conf.set(PipelineOptions.GENERIC_TYPES, false);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);

            Configuration learnerConf = new Configuration();
            learnerConf.set(LearnerOptions.MODEL, ModelType.parse(model));
            if (ModelType.parse(model) == ModelType.MLP) {
                learnerConf.set(LearnerOptions.HIDDEN_LAYERS, hidden);
            }
            learnerConf.set(LearnerOptions.OPTIMIZER, optimizer);
            if (learningRate != null) {
                learnerConf.set(LearnerOptions.LEARNING_RATE, learningRate);
            }
            if (weightDecay != null) {
                learnerConf.set(LearnerOptions.WEIGHT_DECAY, weightDecay);
            }
            learnerConf.set(LearnerOptions.MINIBATCH, minibatch);
            learnerConf.set(LearnerOptions.MODEL_NAME, modelName);
            learnerConf.set(LearnerOptions.FEATURE_NAMES, featureNames(features));
            learnerConf.set(LearnerOptions.SEED, seed);
            learnerConf.set(LearnerOptions.PUBLISH_EVERY_UPDATES, publishEvery);
            learnerConf.set(LearnerOptions.PUBLISH_INTERVAL, Duration.ZERO);
            OnlineLearnerOperator learner = OnlineLearnerOperator.builder()
                    .options(learnerConf)
                    .registry(RegistryFactory.of(registry))
                    .build();

            DataStream<LabeledExample> examplesStream = env.fromSequence(0, examples - 1)
                    .map(new Generator(seed, features))
                    .returns(new AvroTypeInfo<>(LabeledExample.class))
                    .name("synthetic examples");
            SingleOutputStreamOperator<ModelUpdate> updates = OnlineLearnerOperator.learn(examplesStream, learner);
            if (!chain) {
                updates.startNewChain();
            }
            updates.map(new CheckpointCounter())
                    .returns(new AvroTypeInfo<>(ModelUpdate.class))
                    .name("checkpoint counter")
                    .sinkTo(new DiscardingSink<>());

            JobExecutionResult result = env.execute("vigil-bench-learner");
            long jobMillis = result.getNetRuntime(TimeUnit.MILLISECONDS);

            List<ModelVersion> versions = registry.list(modelName);
            long firstExample = Probe.FIRST_EXAMPLE_MILLIS.get();
            Instant end = versions.isEmpty() ? null : versions.get(versions.size() - 1).createdAt();
            double learnerSeconds = end == null ? Double.NaN : (end.toEpochMilli() - firstExample) / 1e3;
            double steadySeconds = versions.size() < 2
                    ? Double.NaN
                    : Duration.between(versions.get(0).createdAt(), end).toMillis() / 1e3;
            long steadyExamples = examples - publishEvery * (long) minibatch;

            String modelLabel = ModelType.parse(model) == ModelType.MLP
                    ? "mlp" + hidden.toString().replace(" ", "")
                    : model;
            return String.format(Locale.ROOT,
                    "run %d: %s/%s minibatch %d, %,d examples x %d features, %s: job %.1f s = %,.0f ex/s;"
                            + " learner %.1f s = %,.0f ex/s; steady %,.0f ex/s; %d checkpoints completed (every %s);"
                            + " %d versions published",
                    run, modelLabel, optimizer, minibatch, examples, features, chain ? "chained" : "own task",
                    jobMillis / 1e3, examples / (jobMillis / 1e3),
                    learnerSeconds, examples / learnerSeconds,
                    steadyExamples / steadySeconds,
                    Probe.CHECKPOINTS.size(), checkpointInterval.toString().substring(2).toLowerCase(Locale.ROOT),
                    versions.size());
        }

        static List<String> featureNames(int n) {
            List<String> names = new ArrayList<>(n);
            for (int j = 0; j < n; j++) {
                names.add(String.format(Locale.ROOT, "f%02d", j));
            }
            return names;
        }
    }

    /** Measurements shared with the MiniCluster's tasks, which run in this JVM. */
    static final class Probe {
        static final AtomicLong FIRST_EXAMPLE_MILLIS = new AtomicLong();
        static final Set<Long> CHECKPOINTS = ConcurrentHashMap.newKeySet();

        static void reset() {
            FIRST_EXAMPLE_MILLIS.set(0);
            CHECKPOINTS.clear();
        }

        private Probe() {}
    }

    /**
     * Example {@code i} of a seeded, nearly linearly separable problem: features {@code x_j = mu_j + s_j z_j} with
     * {@code z} standard normal and per-feature offsets and scales (so the learner's standardizer has work to do);
     * label 1 iff {@code w . z + 0.5 e > 0} with fixed Gaussian weights {@code w} and noise {@code e}. Every example
     * is a function of the seed and {@code i} alone.
     */
    static final class Generator implements MapFunction<Long, LabeledExample> {
        private static final long serialVersionUID = 1L;
        private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

        private final long seed;
        private final double[] mean;
        private final double[] scale;
        private final double[] weight;

        Generator(long seed, int features) {
            this.seed = seed;
            SplittableRandom random = new SplittableRandom(seed);
            mean = new double[features];
            scale = new double[features];
            weight = new double[features];
            for (int j = 0; j < features; j++) {
                mean[j] = 10.0 * random.nextGaussian();
                scale[j] = 0.5 + 4.5 * random.nextDouble();
                weight[j] = random.nextGaussian();
            }
        }

        @Override
        public LabeledExample map(Long index) {
            if (Probe.FIRST_EXAMPLE_MILLIS.get() == 0) {
                Probe.FIRST_EXAMPLE_MILLIS.compareAndSet(0, System.currentTimeMillis());
            }
            long i = index;
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            int n = mean.length;
            List<Float> x = new ArrayList<>(n);
            double score = 0.0;
            for (int j = 0; j < n; j++) {
                double z = random.nextGaussian();
                score += weight[j] * z;
                x.add((float) (mean[j] + scale[j] * z));
            }
            double label = score + 0.5 * random.nextGaussian() > 0 ? 1.0 : 0.0;
            Instant predictionTime = START.plusMillis(i * 1_000L);
            Instant labelTime = predictionTime.plusSeconds(3_600);
            return new LabeledExample("bench", "entity-" + (i & 1023), null, predictionTime, x, null, null,
                    "bench-learner", "none", Map.of(), label, LabelSource.UNKNOWN, "", labelTime, 3_600_000L, null,
                    3_600_000L);
        }
    }

    /** Passes model updates through and records every completed checkpoint it is told about. */
    static final class CheckpointCounter implements MapFunction<ModelUpdate, ModelUpdate>, CheckpointListener {
        private static final long serialVersionUID = 1L;

        @Override
        public ModelUpdate map(ModelUpdate value) {
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            Probe.CHECKPOINTS.add(checkpointId);
        }
    }
}
