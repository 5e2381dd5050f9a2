package dev.vigil.pipelines.cli;

import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.registry.InMemoryModelRegistry;
import dev.vigil.models.registry.ModelVersion;
import dev.vigil.operators.alert.AlertOptions;
import dev.vigil.operators.explain.BackgroundSample;
import dev.vigil.operators.explain.Explainer;
import dev.vigil.operators.explain.Explanation;
import dev.vigil.operators.explain.FeatureGroups;
import dev.vigil.operators.explain.IcuFeatureGroups;
import dev.vigil.operators.explain.KernelShap;
import dev.vigil.operators.explain.LinearShapley;
import dev.vigil.operators.explain.OnnxBatchPredictor;
import dev.vigil.operators.explain.OutputSpace;
import dev.vigil.operators.explain.SamplingShapley;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.operators.inference.InferenceOptions;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.operators.inference.OnnxScorer;
import dev.vigil.operators.inference.ScoreBatch;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.operators.learn.OnlineLearnerOperator;
import dev.vigil.operators.learn.RegistryFactory;
import dev.vigil.pipelines.fraud.FraudBench;
import dev.vigil.pipelines.icu.IcuModelTraining;
import dev.vigil.pipelines.icu.IcuPipelineOptions;
import dev.vigil.pipelines.icu.IcuReplay;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.SimEvent;
import dev.vigil.schema.common.LabelSource;
import dev.vigil.schema.common.LabeledExample;
import dev.vigil.schema.common.ModelUpdate;
import dev.vigil.schema.common.Reason;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
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
        subcommands = {BenchCommand.Learner.class, BenchCommand.Explain.class, BenchCommand.Fraud.class,
                dev.vigil.pipelines.chat.ChatBenchmark.class})
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

    /**
     * The cost of a Shapley explanation of one ICU alert with the bundled deterioration model, on the model's own ONNX
     * Runtime session (one intra-op thread unless {@code --threads}), against the hot path it sits beside.
     *
     * <p>Feature rows come from a simulated cohort replayed through the job's feature computation ({@link IcuReplay}):
     * a seeded reservoir of them is the background, and the explained rows are those the model scores at or above the
     * alert threshold (the highest-risk rows if there are too few). For each grouping (the ten clinical groups of
     * {@link IcuFeatureGroups}, then all 76 features), background size and budget, it explains {@code --explanations}
     * rows after {@code --warmup} and prints: wall-clock latency percentiles (HdrHistogram); the mean CPU time of the
     * explaining thread, which ONNX Runtime computes on with one intra-op thread (the figure to trust on a shared
     * machine); model rows and calls per explanation; and the error against the exact values. The bundled model is
     * logistic, so {@link LinearShapley}'s closed form in logit space is the truth; {@code top3} is the share of
     * explanations whose three reasons (names and order) equal the exact ones. The background is fixed, so its own
     * {@code B} rows are paid once per explainer, in the warm-up.
     */
    @Command(
            name = "explain",
            mixinStandardHelpOptions = true,
            description = "Latency and model rows per Shapley explanation of an ICU alert (bundled model), by grouping,"
                    + " estimator, budget and background size; error against the exact values.")
    static final class Explain implements Callable<Integer> {

        @Option(names = "--explanations", defaultValue = "200",
                description = "Timed explanations per configuration (default: ${DEFAULT-VALUE}).")
        int explanations;

        @Option(names = "--warmup", defaultValue = "30",
                description = "Untimed explanations per configuration first (default: ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--background", defaultValue = "16,32,64", split = ",",
                description = "Background sizes (default: ${DEFAULT-VALUE}).")
        List<Integer> backgrounds;

        @Option(names = "--coalitions", defaultValue = "128,512,1024", split = ",",
                description = "Kernel SHAP budgets, most coalitions (default: ${DEFAULT-VALUE}).")
        List<Integer> coalitions;

        @Option(names = "--permutations", defaultValue = "32,128,512", split = ",",
                description = "Sampling Shapley budgets, permutations; those below twice the background size are"
                        + " skipped (default: ${DEFAULT-VALUE}).")
        List<Integer> permutations;

        @Option(names = "--groupings", defaultValue = "clinical,features", split = ",",
                description = "clinical (10 groups) and/or features (76 players) (default: ${DEFAULT-VALUE}).")
        List<String> groupings;

        @Option(names = "--patients", defaultValue = "300",
                description = "Simulated patients the rows come from (default: ${DEFAULT-VALUE}).")
        int patients;

        @Option(names = "--hours", defaultValue = "24", description = "Simulated hours (default: ${DEFAULT-VALUE}).")
        int hours;

        @Option(names = "--threads", defaultValue = "1",
                description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
        int threads;

        @Option(names = "--seed", defaultValue = "42",
                description = "Simulation, sampling and explainer seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            String uri = IcuPipelineOptions.MODEL_URI.defaultValue();
            byte[] onnx = ModelBytes.read(uri, BenchCommand.class.getClassLoader());
            ModelRef ref = new ModelRef(IcuModelTraining.MODEL_NAME, "bundled", uri, ModelBytes.sha256Hex(onnx));
            Configuration conf = new Configuration();
            conf.set(InferenceOptions.INTRA_OP_THREADS, threads);
            double threshold = AlertOptions.RISK_ENTER.defaultValue();
            try (OnnxScorer scorer = new OnnxScorer(ModelBytes.verify(ref, onnx), conf)) {
                int maxBackground = backgrounds.stream().mapToInt(Integer::intValue).max().orElse(32);
                Rows rows = simulate(scorer, maxBackground, threshold);
                System.out.printf(Locale.ROOT,
                        "ICU model %s (%d features), %d intra-op thread(s), %d cores visible to the JVM; %,d snapshots"
                                + " from %d patients x %d h; %d rows at risk >= %.2f; explaining %d distinct %s%n",
                        ref.sha256().substring(0, 12), IcuFeatures.SIZE, threads,
                        Runtime.getRuntime().availableProcessors(), rows.snapshots, patients, hours,
                        rows.alertCount, threshold,
                        rows.explained.length,
                        rows.alertCount >= rows.explained.length ? "alert rows" : "alert rows and the next highest risks");
                System.out.println(hotPath(scorer, rows.explained));
                System.out.printf(Locale.ROOT, "%-9s %-9s %7s %4s %-5s %8s %8s %8s %8s %10s %6s %11s %6s%n",
                        "players", "estimator", "budget", "bg", "exact", "p50 ms", "p99 ms", "max ms", "cpu ms",
                        "rows/expl", "calls", "rmse logit", "top3");
                for (String grouping : groupings) {
                    FeatureGroups groups = groups(grouping);
                    for (int b : backgrounds) {
                        LinearShapley truth = LinearShapley.fromOnnx(onnx, groups, b, seed);
                        for (int budget : coalitions) {
                            Explainer kernel = KernelShap.builder(new OnnxBatchPredictor(scorer))
                                    .groups(groups).outputSpace(OutputSpace.LOGIT).maxCoalitions(budget)
                                    .backgroundSize(b).seed(seed).build();
                            System.out.println(measure(kernel, truth, rows, grouping, "kernel", budget, b));
                        }
                        for (int p : permutations) {
                            if (p < 2 * b) {
                                continue; // SamplingShapley needs a pair of walks per background row
                            }
                            Explainer sampling = SamplingShapley.builder(new OnnxBatchPredictor(scorer))
                                    .groups(groups).outputSpace(OutputSpace.LOGIT).permutations(p)
                                    .backgroundSize(b).seed(seed).build();
                            System.out.println(measure(sampling, truth, rows, grouping, "sampling", p, b));
                        }
                    }
                }
            }
            return 0;
        }

        private static FeatureGroups groups(String grouping) {
            switch (grouping.trim().toLowerCase(Locale.ROOT)) {
                case "clinical":
                    return IcuFeatureGroups.clinical();
                case "features":
                    return FeatureGroups.singletons(IcuFeatures.NAMES);
                default:
                    throw new IllegalArgumentException("Unknown grouping '" + grouping + "': clinical or features");
            }
        }

        private String measure(Explainer explainer, LinearShapley truth, Rows rows, String grouping,
                String estimator, int budget, int background) throws Exception {
            Histogram nanos = new Histogram(3_600_000_000_000L, 3);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuNanos = 0;
            long modelRows = 0;
            long calls = 0;
            double squaredError = 0;
            long errorTerms = 0;
            int top3 = 0;
            boolean exact = true;
            for (int i = 0; i < warmup + explanations; i++) {
                float[] x = rows.explained[i % rows.explained.length];
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                Explanation e = explainer.explain(x, rows.background);
                long elapsed = System.nanoTime() - start;
                long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
                if (i < warmup) {
                    continue;
                }
                nanos.recordValue(elapsed);
                cpuNanos += cpu;
                modelRows += e.modelRows();
                calls += e.modelCalls();
                exact &= e.exact();
                Explanation expected = truth.explain(x, rows.background);
                for (int g = 0; g < e.size(); g++) {
                    double d = e.attribution(g) - expected.attribution(g);
                    squaredError += d * d;
                    errorTerms++;
                }
                if (names(e.topReasons(3)).equals(names(expected.topReasons(3)))) {
                    top3++;
                }
            }
            return String.format(Locale.ROOT,
                    "%-9s %-9s %7d %4d %-5s %8.3f %8.3f %8.3f %8.3f %,10d %6.1f %11.5f %5.0f%%",
                    grouping.equals("clinical") ? "10 groups" : "76 feat", estimator, budget, background,
                    exact ? "yes" : "no",
                    nanos.getValueAtPercentile(50) / 1e6, nanos.getValueAtPercentile(99) / 1e6,
                    nanos.getMaxValue() / 1e6, cpuNanos / 1e6 / explanations, modelRows / explanations,
                    calls / (double) explanations,
                    Math.sqrt(squaredError / errorTerms), 100.0 * top3 / explanations);
        }

        private static List<String> names(List<Reason> reasons) {
            List<String> names = new ArrayList<>(reasons.size());
            for (Reason r : reasons) {
                names.add(r.getFeature().toString());
            }
            return names;
        }

        /** Scoring latency of the hot path on the same session: one row, and a micro-batch of 64. */
        private String hotPath(OnnxScorer scorer, float[][] explained) throws Exception {
            Histogram single = new Histogram(3_600_000_000_000L, 3);
            Histogram batch = new Histogram(3_600_000_000_000L, 3);
            float[][] one = new float[1][];
            float[][] rows64 = new float[64][];
            for (int i = 0; i < 64; i++) {
                rows64[i] = explained[i % explained.length];
            }
            for (int i = 0; i < 2_000 + 10_000; i++) {
                one[0] = explained[i % explained.length];
                long start = System.nanoTime();
                scorer.score(one, 1);
                long elapsed = System.nanoTime() - start;
                if (i >= 2_000) {
                    single.recordValue(elapsed);
                }
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuNanos = 0;
            for (int i = 0; i < 200 + 2_000; i++) {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                scorer.score(rows64, 64);
                long elapsed = System.nanoTime() - start;
                if (i >= 200) {
                    batch.recordValue(elapsed);
                    cpuNanos += threads.getCurrentThreadCpuTime() - cpuStart;
                }
            }
            return String.format(Locale.ROOT,
                    "hot path on this session: score 1 row p50 %.3f ms p99 %.3f ms; a batch of 64 p50 %.3f ms p99 %.3f"
                            + " ms, cpu %.3f ms (%.2f us/row)",
                    single.getValueAtPercentile(50) / 1e6, single.getValueAtPercentile(99) / 1e6,
                    batch.getValueAtPercentile(50) / 1e6, batch.getValueAtPercentile(99) / 1e6,
                    cpuNanos / 2_000 / 1e6, cpuNanos / 2_000 / 64e3);
        }

        /**
         * Replays a simulated cohort: every snapshot is offered to the background reservoir and to a reservoir of
         * candidates, which are scored; those at or above the threshold are explained.
         */
        private Rows simulate(OnnxScorer scorer, int backgroundSize, double threshold) throws Exception {
            IcuSimulator simulator = new IcuSimulator(IcuSimulationConfig.builder()
                    .seed(seed)
                    .patients(patients)
                    .duration(Duration.ofHours(hours))
                    .build());
            BackgroundSample background = new BackgroundSample(backgroundSize, IcuFeatures.SIZE, seed);
            BackgroundSample candidates = new BackgroundSample(20_000, IcuFeatures.SIZE, seed + 1);
            IcuReplay replay = new IcuReplay(Duration.ofMillis(IcuFeatures.LONG_WINDOW_MILLIS));
            long[] snapshots = {0};
            IcuReplay.SnapshotSink sink = (patientId, asOf, features) -> {
                snapshots[0]++;
                background.offer(features);
                candidates.offer(features);
            };
            for (SimEvent event : simulator) {
                replay.apply(event, sink);
            }
            int n = candidates.size();
            float[][] all = new float[n][];
            double[] risk = new double[n];
            float[][] batch = new float[256][];
            for (int start = 0; start < n; start += batch.length) {
                int count = Math.min(batch.length, n - start);
                for (int j = 0; j < count; j++) {
                    all[start + j] = candidates.row(start + j);
                    batch[j] = all[start + j];
                }
                ScoreBatch scores = scorer.score(batch, count);
                for (int j = 0; j < count; j++) {
                    risk[start + j] = scores.probability(j);
                }
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(risk[b], risk[a]));
            int alerts = 0;
            while (alerts < n && risk[order[alerts]] >= threshold) {
                alerts++;
            }
            // The alert rows (at most 1000), topped up with the next highest risks to --explanations distinct rows,
            // in a seeded random order so that the timed loop does not walk them by risk.
            int count = Math.max(1, Math.min(n, Math.min(1_000, Math.max(alerts, explanations))));
            float[][] explained = new float[count][];
            for (int i = 0; i < count; i++) {
                explained[i] = all[order[i]];
            }
            Collections.shuffle(Arrays.asList(explained), new Random(seed));
            return new Rows(background, explained, alerts, snapshots[0]);
        }

        /** The background and the rows to explain. */
        private record Rows(BackgroundSample background, float[][] explained, int alertCount, long snapshots) {}
    }

    /**
     * The fraud job's throughput against the same job with features and scoring replaced by identity, latency at 70%
     * of its maximum rate, and raw ONNX Runtime rows/s of its models ({@link FraudBench}).
     */
    @Command(
            name = "fraud",
            mixinStandardHelpOptions = true,
            description = "Fraud pipeline: Kafka -> Flink -> features -> ONNX (classifier + autoencoder) -> Kafka,"
                    + " exactly-once, against the same job with identity scoring; p99 latency at 70%% of the max rate;"
                    + " raw ONNX Runtime rows/s.")
    static final class Fraud implements Callable<Integer> {

        @Option(names = "--transactions", defaultValue = "200000",
                description = "Transactions per throughput run (default: ${DEFAULT-VALUE}).")
        int transactions;

        @Option(names = "--accounts", defaultValue = "20000",
                description = "Simulated accounts (default: ${DEFAULT-VALUE}).")
        int accounts;

        @Option(names = "--seed", defaultValue = "42", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--parallelism", defaultValue = "2", description = "Job parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism;

        @Option(names = "--checkpoint-interval", defaultValue = "PT1S",
                description = "Checkpoint interval, ISO-8601 (default: ${DEFAULT-VALUE}).")
        Duration checkpointInterval;

        @Option(names = "--runs", defaultValue = "1",
                description = "Throughput runs per variant, interleaved; the best is reported (default:"
                        + " ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--load-factor", defaultValue = "0.7",
                description = "Share of the full job's max rate at which latency is measured (default:"
                        + " ${DEFAULT-VALUE}).")
        double loadFactor;

        @Option(names = "--latency-run", defaultValue = "PT30S",
                description = "How long the latency run sends (default: ${DEFAULT-VALUE}).")
        Duration latencyRun;

        @Option(names = "--onnx-rows", defaultValue = "20000",
                description = "Feature rows for the raw ONNX Runtime measurement (default: ${DEFAULT-VALUE}).")
        int onnxRows;

        @Override
        public Integer call() throws Exception {
            System.out.printf(Locale.ROOT, "%d cores visible to the JVM, load average %.1f, %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Instant.now());
            FraudBench.run(new FraudBench.Config(seed, accounts, transactions, parallelism, checkpointInterval, runs,
                    loadFactor, latencyRun, onnxRows), System.out);
            return 0;
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
