package dev.vigil.pipelines.cli;

import dev.vigil.models.continual.OnlineLearner;
import dev.vigil.models.onnx.ModelType;
import dev.vigil.operators.drift.DriftDetector;
import dev.vigil.operators.drift.DriftDetectors;
import dev.vigil.operators.learn.DriftAwareLearner;
import dev.vigil.operators.learn.LearnerOptions;
import dev.vigil.operators.learn.LearnerSettings;
import dev.vigil.pipelines.eval.EncodingOptions;
import dev.vigil.pipelines.eval.ExampleEncoder;
import dev.vigil.pipelines.eval.ExampleStream;
import dev.vigil.pipelines.eval.InputFormat;
import dev.vigil.pipelines.eval.PrequentialRun;
import dev.vigil.pipelines.eval.SyntheticStream;
import dev.vigil.pipelines.eval.TabularReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vigil prequential}: prequential (test-then-train) evaluation of Vigil's online learner over a recorded
 * labelled stream (CSV, TSV or ARFF, from a file or stdin), or over a generated one; MOA's {@code EvaluatePrequential}
 * and River's {@code progressive_val_score} for Vigil's own learners. The learner is built from the same {@link
 * LearnerOptions} (same validation, same defaults) as the learner operator, via {@link LearnerSettings}, so an offline
 * run predicts what the pipeline will do with the same settings.
 *
 * <p>Output: one tab-separated line ({@link PrequentialRun.Line#format()}) every {@code --every} examples and at the
 * end on stdout; the last line covers the whole stream. Drift detections ({@link #DRIFT_LINE}), a one-line
 * description of the encoding and a summary go to stderr. Exit code 0; 2 for bad input or options (with the line
 * number of a bad record); 1 when the input cannot be read.
 */
@Command(
        name = "prequential",
        mixinStandardHelpOptions = true,
        usageHelpWidth = 120,
        sortOptions = false,
        abbreviateSynopsis = true,
        optionListHeading = "%nOptions:%n",
        description = {
            "Prequential (test-then-train) evaluation of an online learner over a labelled stream: each example is"
                    + " predicted, then learnt from. Reads CSV (header row), TSV or ARFF (Weka/MOA) from a file"
                    + " (.gz too) or stdin, or generates a stream with --generate.",
            "",
            "Prints to stdout, every --every examples and at the end, one tab-separated line:",
            "  examples<TAB>accuracy<TAB>log_loss<TAB>auroc<TAB>examples_per_s",
            "with the metrics of all examples so far (accuracy as a fraction; AUROC for a binary label, NaN"
                    + " otherwise). The last line is the whole-stream result. Same input, options and seed: same"
                    + " output (except the rate).",
            "With --drift, each detection goes to stderr as",
            "  drift<TAB>index<TAB>retrained|optimizer-reset<TAB>warning_index|-<TAB>examples_retrained_on",
            "",
            "Categorical columns are one-hot encoded online (first --max-categories values by appearance, then an"
                    + " overflow slot); missing numbers take the column's running mean. Learner options mean what"
                    + " the vigil.learner.* settings of config.yaml mean, with the same defaults."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  vigil prequential stream.csv --label y --optimizer adam --learning-rate 0.01 --every 1000",
            "  vigil prequential elec.arff --model mlp --hidden-layers 32 --drift ddm",
            "  zcat data.csv.gz | vigil prequential - --label fraud --ignore id --time ts --every-time 1d",
            "  vigil prequential --generate 1000000 --generate-changes 500000 --drift adwin",
            "  vigil prequential --generate 10000 --emit > stream.csv",
            "Label-based drift detectors for --drift: adwin, ddm, eddm, page-hinkley, hddm-a, hddm-w; their"
                    + " parameters: vigil drift-eval --help."
        })
final class PrequentialCommand implements Callable<Integer> {

    /** Exit code for bad input or options. */
    static final int EXIT_BAD_INPUT = TableInput.EXIT_BAD_INPUT;

    /** Exit code when the input cannot be read (an I/O error, not a malformed record). */
    static final int EXIT_IO = TableInput.EXIT_IO;

    /** Stderr line of a drift the learner adapted to: index, adaptation, warning index or {@code -}, examples. */
    static final String DRIFT_LINE = "drift\t%d\t%s\t%s\t%d";

    // ---- input -----------------------------------------------------------------------------------------------------

    @Parameters(index = "0", arity = "0..1", paramLabel = "INPUT", defaultValue = InputFormat.STDIN,
            description = "File to read (.csv, .tsv, .arff, optionally .gz), or - for stdin (default).")
    String input;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "FORMAT",
            description = "auto (by file name; on stdin ARFF if it starts with @relation), csv, tsv or arff."
                    + " Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "The label column. Default: ARFF's last attribute; in CSV a column named label or class.")
    String label;

    @Option(names = "--time", paramLabel = "COLUMN",
            description = "The event-time column (epoch milliseconds or ISO-8601); never a feature.")
    String time;

    @Option(names = "--ignore", split = ",", paramLabel = "COLUMN",
            description = "Columns that are not features (ids, free text); comma-separated or repeated.")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--categorical", split = ",", paramLabel = "COLUMN",
            description = "CSV columns to one-hot encode although they look numeric (codes).")
    List<String> categorical = new ArrayList<>();

    @Option(names = "--numeric", split = ",", paramLabel = "COLUMN",
            description = "CSV columns to read as numbers whatever the first rows hold.")
    List<String> numeric = new ArrayList<>();

    @Option(names = "--classes", split = ",", paramLabel = "LABEL",
            description = "Class labels in class-index order (also vigil.learner.classes). Default: ARFF's declared"
                    + " label values, else a binary label written 0/1 or false/true.")
    List<String> classes = new ArrayList<>();

    @Option(names = "--max-categories", defaultValue = "" + EncodingOptions.DEFAULT_MAX_CATEGORIES,
            paramLabel = "K", description = "One-hot slots per categorical column before the overflow slot."
                    + " Default: ${DEFAULT-VALUE}.")
    int maxCategories;

    @Option(names = "--infer-rows", defaultValue = "" + EncodingOptions.DEFAULT_INFER_ROWS, paramLabel = "N",
            description = "CSV rows read ahead to decide which columns are numeric. Default: ${DEFAULT-VALUE}.")
    int inferRows;

    @Option(names = "--missing", split = ",", paramLabel = "VALUE",
            description = "CSV values that mean missing, besides the empty value. Default: ?.")
    List<String> missing = new ArrayList<>(List.of("?"));

    // ---- generated stream ------------------------------------------------------------------------------------------

    @Option(names = "--generate", paramLabel = "ROWS",
            description = "Instead of reading INPUT, generate ROWS examples: Gaussian features, label 1[w.x > 0]"
                    + " with --generate-noise flipped, a new random w at each change point.")
    Long generate;

    @Option(names = "--generate-features", defaultValue = "10", paramLabel = "N",
            description = "Features of the generated stream. Default: ${DEFAULT-VALUE}.")
    int generateFeatures;

    @Option(names = "--generate-noise", defaultValue = "0.05", paramLabel = "P",
            description = "Share of generated labels flipped. Default: ${DEFAULT-VALUE}.")
    double generateNoise;

    @Option(names = "--generate-changes", split = ",", paramLabel = "ROW",
            description = "Rows (from 0) where the generated concept changes abruptly.")
    List<Long> generateChanges = new ArrayList<>();

    @Option(names = "--emit", description = "With --generate: write the generated stream as CSV to stdout"
            + " (label column 'label') instead of evaluating.")
    boolean emit;

    // ---- learner ---------------------------------------------------------------------------------------------------

    @Mixin
    LearnerFlags learner = new LearnerFlags();

    // ---- drift -----------------------------------------------------------------------------------------------------

    @Option(names = "--drift", paramLabel = "DETECTOR",
            description = "Watch the learner's 0/1 errors with this label-based drift detector and adapt on drift:"
                    + " retrain a fresh learner on the examples since the warning (DDM, Gama et al. 2004), or reset"
                    + " the optimizer's state when there was no warning.")
    String drift;

    @Option(names = "--drift-param", paramLabel = "KEY=VALUE",
            description = "A detector parameter, repeatable (see vigil drift-eval --help).")
    List<String> driftParams = new ArrayList<>();

    @Option(names = "--warning-buffer", defaultValue = "" + DriftAwareLearner.DEFAULT_WARNING_BUFFER_CAPACITY,
            paramLabel = "N",
            description = "Most examples kept from a warning to the drift. Default: ${DEFAULT-VALUE}.")
    int warningBuffer;

    // ---- output ----------------------------------------------------------------------------------------------------

    @Option(names = "--every", defaultValue = "10000", paramLabel = "N",
            description = "Print a line every N examples (0: only the final line). Default: ${DEFAULT-VALUE}.")
    long every;

    @Option(names = "--every-time", paramLabel = "DURATION",
            description = "Also print a line whenever the event time (--time) enters a new period, e.g. 1h, 1d.")
    String everyTime;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N examples.")
    Long limit;

    @Option(names = "--header", description = "Print the column names first (examples, accuracy, log_loss, auroc,"
            + " examples_per_s, tab-separated).")
    boolean header;

    private final InputStream stdin;
    private final LongSupplier nanoClock;

    @CommandLine.Spec CommandSpec spec;

    PrequentialCommand() {
        this(null, System::nanoTime);
    }

    /** Reads {@code stdin} instead of {@code System.in} and takes the rate's time from {@code nanoClock} (tests). */
    PrequentialCommand(InputStream stdin, LongSupplier nanoClock) {
        this.stdin = stdin;
        this.nanoClock = nanoClock;
    }

    @Override
    public Integer call() {
        return TableInput.call("prequential", spec.commandLine().getOut(), spec.commandLine().getErr(),
                e -> TableInput.isBadInput(e) || e instanceof IllegalStateException, PrequentialCommand::flagNames,
                this::run);
    }

    private int run(PrintWriter out, PrintWriter err) throws IOException {
        if (emit) {
            if (generate == null) {
                throw new IllegalArgumentException("--emit needs --generate");
            }
            BufferedWriter w = new BufferedWriter(out, 1 << 16);
            generated().writeCsv(w);
            return 0;
        }
        Duration period = everyTime == null ? null : TimeUtils.parseDuration(everyTime);
        if (period != null && time == null) {
            throw new IllegalArgumentException("--every-time needs --time");
        }
        if (every < 0) {
            throw new IllegalArgumentException("--every must be >= 0, got " + every);
        }
        try (ExampleStream stream = open()) {
            LearnerSettings settings = learner.settings(stream.classes());
            if (stream instanceof ExampleEncoder e) {
                err.println("prequential: " + e.describe());
            }
            int numFeatures = stream.numFeatures();
            DriftAwareLearner.LearnerFactory factory =
                    () -> settings.newLearner(settings.newModel(numFeatures), null);
            PrequentialRun.Builder run;
            DriftAwareLearner aware = null;
            if (drift != null) {
                DriftDetector detector = DriftDetectors.create(drift, driftParams);
                aware = DriftAwareLearner.builder(factory, detector).warningBufferCapacity(warningBuffer).build();
                run = PrequentialRun.builder(stream, aware);
            } else {
                if (!driftParams.isEmpty()) {
                    throw new IllegalArgumentException("--drift-param needs --drift");
                }
                OnlineLearner plain = factory.newLearner();
                run = PrequentialRun.builder(stream, plain);
            }
            if (every > 0) {
                run.every(every);
            }
            if (period != null) {
                run.everyPeriod(period);
            }
            if (limit != null) {
                run.limit(limit);
            }
            if (header) {
                out.println(PrequentialRun.COLUMNS);
            }
            run.nanoClock(nanoClock).listener(new PrequentialRun.Listener() {
                @Override
                public void line(PrequentialRun.Line line) {
                    out.println(line.format());
                    out.flush();
                }

                @Override
                public void drift(DriftAwareLearner.Detection d) {
                    err.println(String.format(Locale.ROOT, DRIFT_LINE, d.index(),
                            d.adaptation().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                            d.warningIndex() < 0 ? "-" : Long.toString(d.warningIndex()), d.retrainedOn()));
                    err.flush();
                }
            });
            PrequentialRun.Line total = run.build().run();
            if (aware != null) {
                err.println(String.format(Locale.ROOT, "prequential: %s: %d drifts, %d warnings in %d examples",
                        aware.detectorName(), aware.drifts(), aware.warnings(), total.examples()));
            }
            if (stream instanceof ExampleEncoder e && e.overflowed() > 0) {
                err.println("prequential: " + e.overflowed() + " categorical values went to overflow slots"
                        + " (raise --max-categories to give them their own)");
            }
            err.flush();
            return 0;
        }
    }

    private ExampleStream open() throws IOException {
        if (generate != null) {
            return generated();
        }
        EncodingOptions options = new EncodingOptions(label, time, new LinkedHashSet<>(ignore),
                new LinkedHashSet<>(categorical), new LinkedHashSet<>(numeric), classes, maxCategories, inferRows);
        TabularReader reader = TableInput.open(input, format, missing, stdin);
        try {
            return ExampleEncoder.open(reader, options);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    private SyntheticStream generated() {
        if (time != null || label != null || !classes.isEmpty()) {
            throw new IllegalArgumentException("--generate makes its own columns: drop --time, --label and --classes");
        }
        if (!generateChanges.isEmpty() && generateChanges.get(generateChanges.size() - 1) >= generate) {
            throw new IllegalArgumentException("--generate-changes must be below --generate");
        }
        return new SyntheticStream(generate, generateFeatures, generateNoise,
                generateChanges.stream().mapToLong(Long::longValue).toArray(), learner.seed == null ? 0 : learner.seed);
    }

    /** Rewrites {@code vigil.learner.foo.bar} in a validation message to the flag {@code --foo-bar}. */
    static String flagNames(String message) {
        if (message == null) {
            return "invalid input";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        String prefix = LearnerFlags.PREFIX;
        int at;
        while ((at = message.indexOf(prefix, i)) >= 0) {
            sb.append(message, i, at).append("--");
            int end = at + prefix.length();
            while (end < message.length() && (Character.isLetterOrDigit(message.charAt(end))
                    || message.charAt(end) == '-' || message.charAt(end) == '.')) {
                end++;
            }
            String key = message.substring(at + prefix.length(), end);
            while (key.endsWith(".")) {
                key = key.substring(0, key.length() - 1);
                end--;
            }
            sb.append(key.replace('.', '-'));
            i = end;
        }
        return sb.append(message.substring(i)).toString();
    }

    /**
     * The learner's flags: each is the {@code vigil.learner.*} key with dots as dashes ({@code --replay-size} is
     * {@code vigil.learner.replay.size}); an unset flag leaves the option at its {@link LearnerOptions} default.
     */
    static final class LearnerFlags {

        static final String PREFIX = "vigil.learner.";

        @Option(names = "--model", paramLabel = "MODEL",
                description = "logistic (binary), softmax (3+ classes) or mlp. Default: logistic.")
        String model;

        @Option(names = "--hidden-layers", split = ",", paramLabel = "WIDTH",
                description = "The MLP's 1 or 2 hidden widths, e.g. 64,32. Default: 32.")
        List<Integer> hiddenLayers;

        @Option(names = "--dropout", paramLabel = "P", description = "The MLP's dropout probability. Default: 0.")
        Double dropout;

        @Option(names = "--optimizer", paramLabel = "NAME",
                description = "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or ftrl. Default: adam.")
        String optimizer;

        @Option(names = "--learning-rate", paramLabel = "ETA",
                description = "Learning rate (ftrl: alpha). Default: 0.001 (suits fine-tuning; from scratch try"
                        + " 0.01 to 0.1).")
        Double learningRate;

        @Option(names = "--momentum", paramLabel = "MU", description = "momentum, nesterov. Default: 0.9.")
        Double momentum;

        @Option(names = "--beta1", paramLabel = "B1", description = "adam, adamw. Default: 0.9.")
        Double beta1;

        @Option(names = "--beta2", paramLabel = "B2", description = "adam, adamw. Default: 0.999.")
        Double beta2;

        @Option(names = "--epsilon", paramLabel = "EPS", description = "adagrad, rmsprop, adam, adamw.")
        Double epsilon;

        @Option(names = "--rho", paramLabel = "RHO", description = "rmsprop's decay. Default: 0.9.")
        Double rho;

        @Option(names = "--rmsprop-centered", description = "Centered rmsprop.")
        Boolean rmspropCentered;

        @Option(names = "--initial-accumulator", paramLabel = "G0", description = "adagrad's G_0. Default: 0.")
        Double initialAccumulator;

        @Option(names = "--weight-decay", paramLabel = "LAMBDA", description = "adamw's decoupled decay (required).")
        Double weightDecay;

        @Option(names = "--ftrl-beta", paramLabel = "BETA", description = "ftrl's beta. Default: 1.")
        Double ftrlBeta;

        @Option(names = "--l1", paramLabel = "L1", description = "L1 strength on the weights. Default: 0.")
        Double l1;

        @Option(names = "--l2", paramLabel = "L2", description = "L2 strength on the weights. Default: 0.")
        Double l2;

        @Option(names = "--clip-norm", paramLabel = "NORM", description = "Clip each update's gradient to this norm.")
        Double clipNorm;

        @Option(names = "--minibatch", paramLabel = "K", description = "Examples per update. Default: 1.")
        Integer minibatch;

        @Option(names = "--standardizer-freeze-after", paramLabel = "N",
                description = "Stop updating the feature statistics after N examples. Default: never.")
        Long standardizerFreezeAfter;

        @Option(names = {"--replay", "--replay-enabled"}, description = "Experience replay from a reservoir.")
        Boolean replay;

        @Option(names = "--replay-size", paramLabel = "N", description = "Reservoir capacity. Default: 1000.")
        Integer replaySize;

        @Option(names = "--replay-per-update", paramLabel = "N", description = "Replayed examples per update."
                + " Default: 8.")
        Integer replayPerUpdate;

        @Option(names = {"--ewc", "--ewc-enabled"}, description = "Elastic weight consolidation.")
        Boolean ewc;

        @Option(names = "--ewc-lambda", paramLabel = "LAMBDA", description = "EWC strength. Default: 20.")
        Double ewcLambda;

        @Option(names = "--ewc-consolidate-every", paramLabel = "N",
                description = "Updates between EWC consolidations. Default: 1000.")
        Long ewcConsolidateEvery;

        @Option(names = "--ewc-decay", paramLabel = "GAMMA", description = "Online EWC's gamma. Default: 0.")
        Double ewcDecay;

        @Option(names = "--seed", paramLabel = "SEED",
                description = "Seed of the learner (MLP initialization, replay, dropout) and of --generate."
                        + " Default: 0.")
        Long seed;

        /** The validated settings, as {@link LearnerOptions#settings} reads them from a config with these flags. */
        LearnerSettings settings(List<String> classLabels) {
            Configuration conf = new Configuration();
            if (model != null) {
                conf.set(LearnerOptions.MODEL, ModelType.parse(model));
            }
            set(conf, LearnerOptions.HIDDEN_LAYERS, hiddenLayers);
            set(conf, LearnerOptions.DROPOUT, dropout);
            if (!classLabels.isEmpty()) {
                conf.set(LearnerOptions.CLASSES, classLabels);
            }
            set(conf, LearnerOptions.OPTIMIZER, optimizer);
            set(conf, LearnerOptions.LEARNING_RATE, learningRate);
            set(conf, LearnerOptions.MOMENTUM, momentum);
            set(conf, LearnerOptions.BETA1, beta1);
            set(conf, LearnerOptions.BETA2, beta2);
            set(conf, LearnerOptions.EPSILON, epsilon);
            set(conf, LearnerOptions.RHO, rho);
            set(conf, LearnerOptions.RMSPROP_CENTERED, rmspropCentered);
            set(conf, LearnerOptions.INITIAL_ACCUMULATOR, initialAccumulator);
            set(conf, LearnerOptions.WEIGHT_DECAY, weightDecay);
            set(conf, LearnerOptions.FTRL_BETA, ftrlBeta);
            set(conf, LearnerOptions.L1, l1);
            set(conf, LearnerOptions.L2, l2);
            set(conf, LearnerOptions.CLIP_NORM, clipNorm);
            set(conf, LearnerOptions.MINIBATCH, minibatch);
            set(conf, LearnerOptions.STANDARDIZER_FREEZE_AFTER, standardizerFreezeAfter);
            set(conf, LearnerOptions.REPLAY_ENABLED, replay);
            set(conf, LearnerOptions.REPLAY_SIZE, replaySize);
            set(conf, LearnerOptions.REPLAY_PER_UPDATE, replayPerUpdate);
            set(conf, LearnerOptions.EWC_ENABLED, ewc);
            set(conf, LearnerOptions.EWC_LAMBDA, ewcLambda);
            set(conf, LearnerOptions.EWC_CONSOLIDATE_EVERY, ewcConsolidateEvery);
            set(conf, LearnerOptions.EWC_DECAY, ewcDecay);
            set(conf, LearnerOptions.SEED, seed);
            return LearnerOptions.settings(conf);
        }

        private static <T> void set(Configuration conf, ConfigOption<T> option, T value) {
            if (value != null) {
                conf.set(option, value);
            }
        }
    }
}
