package dev.vigil.pipelines.fraud;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.loss.ClassWeighting;
import dev.vigil.models.loss.ClassWeights;
import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.models.nn.Autoencoder;
import dev.vigil.models.nn.AutoencoderTrainer;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.onnx.AutoencoderOnnxExporter;
import dev.vigil.models.onnx.LogisticRegressionOnnxExporter;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.GradientClipping;
import dev.vigil.models.train.LogisticRegressionTrainer;
import dev.vigil.models.train.TrainingResult;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.fraud.FraudFeatureSettings;
import dev.vigil.operators.fraud.FraudFeatures;
import dev.vigil.pipelines.sim.fraud.FraudEvent;
import dev.vigil.pipelines.sim.fraud.FraudPattern;
import dev.vigil.pipelines.sim.fraud.FraudSimulationConfig;
import dev.vigil.pipelines.sim.fraud.FraudSimulator;
import dev.vigil.pipelines.train.TrainingRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains Vigil's two fraud models on simulated card traffic and exports them to ONNX, deterministically (the same
 * {@link Config} gives byte-identical files; no wall-clock time goes into a model):
 *
 * <ul>
 *   <li>{@value #CLASSIFIER_NAME}: a class-weighted {@link LogisticRegression} on the 20 {@link FraudFeatures}, with
 *       the class weighting undone in the intercept (prior correction) so its {@code probability} is calibrated to
 *       the real fraud rate; its {@code contributions} are the decision's reasons, and the online learner and the
 *       closed-form explainer both support it.
 *   <li>{@value #MLP_NAME}: a class-weighted {@link Mlp} trained on the same split, prior-corrected the same way;
 *       it ranks better, but its ONNX has no {@code contributions} (reasons need the model-agnostic explainer). The
 *       online learner supports it too.
 *   <li>{@value #AUTOENCODER_NAME}: an {@link Autoencoder} trained on the training accounts' transactions WITHOUT
 *       labels (so with the fraud in them, as in production); its {@code anomaly_score} is the reconstruction error.
 * </ul>
 *
 * <p>Rows are the feature vectors the streaming job computes, replayed in event-time order through {@link
 * FraudReplay}; the label is the simulator's truth ({@code TransactionTruth.fraud()}). Rows of the first {@link
 * Config#warmup} are dropped (accounts have no history yet; production accounts do). Accounts are split 70/15/15 into
 * train, validation (early stopping) and test by a hash of the account id, so the reported test figures are on
 * customers no model saw.
 *
 * <p>Test metrics for each model and for the combination of the two ({@link #combine}): PR-AUC (average precision),
 * ROC-AUC, precision among the {@code k = 0.5%} highest-scored rows (a fixed review capacity), recall at a 1% false
 * positive rate, and, among those {@code k} rows, the recall of each fraud pattern.
 */
public final class FraudModelTraining {

    private static final Logger LOG = LoggerFactory.getLogger(FraudModelTraining.class);

    public static final String CLASSIFIER_NAME = "fraud-classifier";
    public static final String AUTOENCODER_NAME = "fraud-autoencoder";
    public static final String MLP_NAME = "fraud-classifier-mlp";

    /** Where the bundled models live in the models module (and on the classpath, under dev/vigil/models/fraud). */
    public static final String RESOURCE_DIR = "models/src/main/resources/dev/vigil/models/fraud";

    public static final String CLASSIFIER_FILE = CLASSIFIER_NAME + ".onnx";
    public static final String AUTOENCODER_FILE = AUTOENCODER_NAME + ".onnx";
    public static final String MLP_FILE = MLP_NAME + ".onnx";

    /** Classpath locations of the bundled models. */
    public static final String CLASSIFIER_RESOURCE = "/dev/vigil/models/fraud/" + CLASSIFIER_FILE;

    public static final String AUTOENCODER_RESOURCE = "/dev/vigil/models/fraud/" + AUTOENCODER_FILE;

    public static final String MLP_RESOURCE = "/dev/vigil/models/fraud/" + MLP_FILE;

    /** Share of the test rows a fixed review capacity can look at: precision@k and per-pattern recall use it. */
    public static final double REVIEW_SHARE = 0.005;

    /** False positive rate at which recall is reported. */
    public static final double FPR = 0.01;

    /** The fraud patterns of the default simulation, in report order. */
    public static final List<FraudPattern> PATTERNS = List.of(
            FraudPattern.CARD_TESTING, FraudPattern.ACCOUNT_TAKEOVER, FraudPattern.MERCHANT_COMPROMISE);

    /** Training configuration; {@link #defaults()} is what the committed models were built with. */
    public record Config(long seed, int accounts, Duration duration, Duration warmup, String version) {

        // Strings so that the CLI can use them as option defaults; defaults() parses the same values.
        public static final String DEFAULT_SEED = "20261125";
        public static final String DEFAULT_ACCOUNTS = "12000";
        public static final String DEFAULT_DAYS = "28";
        public static final String DEFAULT_WARMUP_DAYS = "7";
        public static final String DEFAULT_VERSION = "1";

        public Config {
            if (accounts < 10) {
                throw new IllegalArgumentException("accounts must be at least 10, got " + accounts);
            }
            if (warmup.isNegative() || warmup.compareTo(duration) >= 0) {
                throw new IllegalArgumentException("warmup must be in [0, duration), got " + warmup);
            }
        }

        public static Config defaults() {
            return new Config(
                    Long.parseLong(DEFAULT_SEED),
                    Integer.parseInt(DEFAULT_ACCOUNTS),
                    Duration.ofDays(Long.parseLong(DEFAULT_DAYS)),
                    Duration.ofDays(Long.parseLong(DEFAULT_WARMUP_DAYS)),
                    DEFAULT_VERSION);
        }
    }

    /**
     * One model's test figures.
     *
     * @param model {@code logistic}, {@code mlp}, {@code autoencoder} or {@code combined}
     * @param prAuc average precision
     * @param rocAuc area under the ROC curve
     * @param precisionAtK fraud share among the {@code k} highest-scored rows
     * @param thresholdAtK the {@code k}-th highest score: flagging scores at or above it fills the review capacity
     * @param recallAtFpr share of the frauds scored above the threshold that flags {@link #FPR} of the legitimate rows
     * @param recallByPattern per fraud pattern, the share of its fraud rows among the {@code k} highest-scored rows
     */
    public record Scores(
            String model,
            double prAuc,
            double rocAuc,
            double precisionAtK,
            double thresholdAtK,
            double recallAtFpr,
            Map<FraudPattern, Double> recallByPattern) {}

    /** Test-set figures of every model on the same held-out accounts. */
    public record Evaluation(
            long rows, long positives, int k, Map<FraudPattern, Long> positivesByPattern, List<Scores> models) {

        /** The figures of one model by name. */
        public Scores of(String model) {
            for (Scores s : models) {
                if (s.model().equals(model)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("no model " + model);
        }
    }

    /** The exported models, their sha-256, how they did, and how training went. */
    public record Result(
            byte[] classifier,
            String classifierSha256,
            byte[] autoencoder,
            String autoencoderSha256,
            byte[] mlp,
            String mlpSha256,
            Evaluation test,
            long trainRows,
            long trainPositives,
            int logisticEpochs,
            int mlpEpochs,
            int autoencoderEpochs) {}

    private FraudModelTraining() {}

    public static Result train(Config config) {
        long started = System.nanoTime();
        FraudSimulationConfig simulation = FraudSimulationConfig.builder()
                .seed(config.seed())
                .accounts(config.accounts())
                .duration(config.duration())
                .build();
        Instant rowsFrom = simulation.start().plus(config.warmup());
        long rowsFromMillis = rowsFrom.toEpochMilli();

        Rows train = new Rows();
        Rows validation = new Rows();
        Rows test = new Rows();
        FraudReplay replay = new FraudReplay(FraudFeatureSettings.defaults());
        FraudReplay.RowSink sink = (tx, truth, features) -> {
            if (tx.eventTimeMillis() >= rowsFromMillis) {
                split(tx.accountId(), train, validation, test).add(features, truth.fraud(), truth.pattern());
            }
        };
        for (FraudEvent event : new FraudSimulator(simulation)) {
            replay.apply(event, sink);
        }
        replay.flush(sink);
        LOG.info("Replayed {} transactions through the feature extractor ({} rows after the warm-up) in {} s",
                replay.accepted(), train.size() + validation.size() + test.size(), seconds(started));

        double[][] xTrain = train.x();
        int[] yTrain = train.y();
        double[][] xValidation = validation.x();
        int[] yValidation = validation.y();
        double[][] xTest = test.x();

        // (a) The supervised model, and an MLP on the same split for comparison.
        TrainingResult weighted = LogisticRegressionTrainer.builder()
                .optimizer(() -> new Adam(0.01))
                .classWeighting(ClassWeighting.balanced())
                .l2(1e-4)
                .batchSize(256)
                .maxEpochs(30)
                .patience(4)
                .seed(config.seed())
                .build()
                .fit(xTrain, yTrain, xValidation, yValidation);
        TrainingResult logistic = priorCorrected(weighted);
        LOG.info("Trained the logistic regression ({} epochs) at {} s", weighted.report().epochsRun(), seconds(started));
        MlpFit mlp = trainMlp(xTrain, yTrain, xValidation, yValidation, logistic.standardizer(), config.seed());
        LOG.info("Trained the MLP ({} epochs) at {} s", mlp.epochs(), seconds(started));

        // (b) The autoencoder, on the training rows without their labels.
        Autoencoder ae = Autoencoder.builder()
                .numFeatures(FraudFeatures.SIZE)
                .encoderLayers(12, 6)
                .activation(Autoencoder.Activation.TANH)
                .seed(config.seed())
                .build();
        AutoencoderTrainer.Result autoencoder = AutoencoderTrainer.builder()
                .batchSize(256)
                .maxEpochs(10)
                .patience(2)
                .l2(1e-5)
                .clipNorm(5.0)
                .seed(config.seed())
                .build()
                .fit(ae, xTrain, xValidation);
        LOG.info("Trained the autoencoder ({} epochs) at {} s", autoencoder.epochsRun(), seconds(started));

        double[] trainProbability = logistic.predictAll(xTrain);
        double[] trainAnomaly = autoencoder.anomalyScores(xTrain);
        double[] probability = logistic.predictAll(xTest);
        double[] anomaly = autoencoder.anomalyScores(xTest);
        double[] combined = combine(trainProbability, trainAnomaly, probability, anomaly);
        double[] mlpScores = mlp.predictAll(xTest);

        int[] y = test.y();
        FraudPattern[] patterns = test.patterns();
        int k = Math.max(1, (int) Math.round(REVIEW_SHARE * y.length));
        List<Scores> scores = List.of(
                score("logistic", probability, y, patterns, k),
                score("mlp", mlpScores, y, patterns, k),
                score("autoencoder", anomaly, y, patterns, k),
                score("combined", combined, y, patterns, k));
        Map<FraudPattern, Long> positivesByPattern = new EnumMap<>(FraudPattern.class);
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1) {
                positivesByPattern.merge(patterns[i], 1L, Long::sum);
            }
        }
        Evaluation evaluation = new Evaluation(y.length, test.positives(), k, positivesByPattern, scores);

        String code = codeVersion();
        ModelProvenance classifierProvenance = provenance(
                CLASSIFIER_NAME, config, rowsFrom, simulation.end(), train, validation,
                metrics(evaluation, "logistic"), code);
        byte[] classifierOnnx =
                LogisticRegressionOnnxExporter.export(logistic.model(), logistic.standardizer(), classifierProvenance);
        ModelProvenance autoencoderProvenance = provenance(
                AUTOENCODER_NAME, config, rowsFrom, simulation.end(), train, validation,
                metrics(evaluation, "autoencoder"), code);
        byte[] autoencoderOnnx = AutoencoderOnnxExporter.export(
                autoencoder.model(), autoencoder.standardizer(), autoencoderProvenance, trainAnomaly);
        ModelProvenance mlpProvenance = provenance(
                MLP_NAME, config, rowsFrom, simulation.end(), train, validation, metrics(evaluation, "mlp"), code);
        byte[] mlpOnnx = OnnxExport.export(mlp.model(), mlp.standardizer(), mlpProvenance);

        return new Result(
                classifierOnnx,
                Sha256.hex(classifierOnnx),
                autoencoderOnnx,
                Sha256.hex(autoencoderOnnx),
                mlpOnnx,
                Sha256.hex(mlpOnnx),
                evaluation,
                train.size(),
                train.positives(),
                weighted.report().epochsRun(),
                mlp.epochs(),
                autoencoder.epochsRun());
    }

    /** Writes the three models and their {@code .sha256} sidecars into {@code dir}; returns the model paths. */
    public static List<Path> write(Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        return List.of(
                write(dir, CLASSIFIER_FILE, result.classifier(), result.classifierSha256()),
                write(dir, AUTOENCODER_FILE, result.autoencoder(), result.autoencoderSha256()),
                write(dir, MLP_FILE, result.mlp(), result.mlpSha256()));
    }

    private static Path write(Path dir, String file, byte[] bytes, String sha256) throws IOException {
        Path model = dir.resolve(file);
        Path tmp = Files.createTempFile(dir, file, ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(file + ".sha256"), sha256 + "\n", StandardCharsets.UTF_8);
        return model;
    }

    /**
     * The combination of the two models that a decision stage with one threshold per model implements ("review if
     * either score is high"): each score is mapped to its quantile level among the training rows' scores of the same
     * model, and the row gets the larger level (the smaller breaks ties). Flagging {@code combined >= 1 - q} flags the
     * rows above either model's training {@code (1 - q)}-quantile.
     */
    static double[] combine(double[] trainA, double[] trainB, double[] a, double[] b) {
        double[] sortedA = trainA.clone();
        double[] sortedB = trainB.clone();
        Arrays.sort(sortedA);
        Arrays.sort(sortedB);
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double la = level(sortedA, a[i]);
            double lb = level(sortedB, b[i]);
            out[i] = Math.max(la, lb) + 1e-6 * Math.min(la, lb);
        }
        return out;
    }

    /** The share of {@code sorted} at or below {@code x}. */
    private static double level(double[] sorted, double x) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / sorted.length;
    }

    static Scores score(String model, double[] s, int[] y, FraudPattern[] patterns, int k) {
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(s[j], s[i])); // stable: ties keep row order
        int hits = 0;
        Map<FraudPattern, Long> found = new EnumMap<>(FraudPattern.class);
        for (int r = 0; r < k && r < order.length; r++) {
            int i = order[r];
            if (y[i] == 1) {
                hits++;
                found.merge(patterns[i], 1L, Long::sum);
            }
        }
        Map<FraudPattern, Long> total = new EnumMap<>(FraudPattern.class);
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1) {
                total.merge(patterns[i], 1L, Long::sum);
            }
        }
        Map<FraudPattern, Double> recall = new LinkedHashMap<>();
        for (FraudPattern p : total.keySet()) {
            recall.put(p, (double) found.getOrDefault(p, 0L) / total.get(p));
        }
        return new Scores(
                model,
                BinaryClassificationMetrics.averagePrecision(s, y),
                BinaryClassificationMetrics.auroc(s, y),
                (double) hits / k,
                s[order[Math.min(k, order.length) - 1]],
                recallAtFpr(s, y, FPR),
                recall);
    }

    /**
     * Recall at the lowest threshold that flags at most {@code fpr} of the negatives: positives scored strictly above
     * the {@code floor(fpr * negatives) + 1}-th highest negative score.
     */
    static double recallAtFpr(double[] s, int[] y, double fpr) {
        int negatives = 0;
        int positives = 0;
        for (int label : y) {
            if (label == 1) {
                positives++;
            } else {
                negatives++;
            }
        }
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] negative = new double[negatives];
        int n = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 0) {
                negative[n++] = s[i];
            }
        }
        Arrays.sort(negative);
        int allowed = (int) Math.floor(fpr * negatives);
        double threshold = negative[negatives - 1 - allowed];
        int caught = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1 && s[i] > threshold) {
                caught++;
            }
        }
        return (double) caught / positives;
    }

    private static Map<String, Double> metrics(Evaluation evaluation, String model) {
        Scores s = evaluation.of(model);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("test.pr_auc", s.prAuc());
        m.put("test.roc_auc", s.rocAuc());
        m.put("test.precision_at_0.5pct", s.precisionAtK());
        m.put("test.threshold_at_0.5pct", s.thresholdAtK());
        m.put("test.recall_at_1pct_fpr", s.recallAtFpr());
        m.put("test.combined_pr_auc", evaluation.of("combined").prAuc());
        m.put("test.rows", (double) evaluation.rows());
        m.put("test.positives", (double) evaluation.positives());
        return m;
    }

    private static ModelProvenance provenance(
            String name,
            Config config,
            Instant from,
            Instant to,
            Rows train,
            Rows validation,
            Map<String, Double> metrics,
            String code) {
        return ModelProvenance.builder()
                .modelName(name)
                .modelVersion(config.version())
                .featureNames(FraudFeatures.NAMES)
                .trainingWindow(from, to)
                .seed(config.seed())
                .trainingCounts(train.size(), train.positives())
                .validationCounts(validation.size(), validation.positives())
                .metrics(metrics)
                .codeVersion(code)
                .build();
    }

    /**
     * Undoes the class weighting in the intercept so the exported probability is calibrated to the real fraud rate
     * (prior correction, G. King and L. Zeng, "Logistic Regression in Rare Events Data", Political Analysis 9(2),
     * 2001): weighting positives by w1 and negatives by w0 shifts the fitted logit by ln(w1 / w0).
     */
    static TrainingResult priorCorrected(TrainingResult weighted) {
        ClassWeights w = weighted.report().classWeights();
        double shift = Math.log(w.positive() / w.negative());
        LogisticRegression m = weighted.model();
        return new TrainingResult(
                LogisticRegression.of(m.weights(), m.bias() - shift), weighted.standardizer(), weighted.report());
    }

    /** A trained MLP with its standardizer. */
    private record MlpFit(Mlp model, Standardizer standardizer, int epochs) {
        double[] predictAll(double[][] x) {
            double[] out = new double[1];
            double[] z = new double[model.numFeatures()];
            double[] p = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                standardizer.transform(x[i], z);
                model.predict(z, out);
                p[i] = out[0];
            }
            return p;
        }
    }

    /**
     * A class-weighted (balanced) MLP {@code 20 -> 24 -> 12 -> 1}, minibatch Adam with gradient clipping and early
     * stopping on the validation rows' weighted log loss; the best epoch's parameters are kept, then the output bias
     * is prior-corrected like {@link #priorCorrected}.
     */
    private static MlpFit trainMlp(
            double[][] x, int[] y, double[][] xValidation, int[] yValidation, Standardizer standardizer, long seed) {
        Mlp mlp = Mlp.builder().numFeatures(FraudFeatures.SIZE).hiddenLayers(24, 12).numClasses(2).seed(seed).build();
        ClassWeights weights = ClassWeights.balanced(y);
        double[][] z = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            z[i] = standardizer.transform(x[i]);
        }
        double[][] zValidation = new double[xValidation.length][];
        for (int i = 0; i < xValidation.length; i++) {
            zValidation[i] = standardizer.transform(xValidation[i]);
        }
        double[] params = mlp.parameters();
        double[] grad = new double[params.length];
        double[] best = params.clone();
        Adam adam = new Adam(1e-3);
        SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int[] order = new int[z.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        int batch = 256;
        while (epoch < 10 && epoch - bestEpoch < 3) {
            epoch++;
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < order.length; from += batch) {
                int to = Math.min(order.length, from + batch);
                Arrays.fill(grad, 0.0);
                double scale = 1.0 / (to - from);
                for (int b = from; b < to; b++) {
                    int i = order[b];
                    mlp.lossAndGradient(z[i], y[i], scale * weights.of(y[i]), grad, null);
                }
                GradientClipping.clipByNorm(grad, 5.0);
                adam.step(params, grad);
            }
            double loss = 0;
            double[] out = new double[1];
            for (int i = 0; i < zValidation.length; i++) {
                mlp.predict(zValidation[i], out);
                double p = Math.min(Math.max(out[0], 1e-15), 1 - 1e-15);
                loss -= weights.of(yValidation[i]) * (yValidation[i] == 1 ? Math.log(p) : Math.log(1 - p));
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                bestEpoch = epoch;
                System.arraycopy(params, 0, best, 0, params.length);
            }
        }
        System.arraycopy(best, 0, params, 0, params.length);
        // Prior correction of the output logit, as for the logistic regression.
        params[mlp.biasOffset(mlp.numLayers() - 1)] -= Math.log(weights.positive() / weights.negative());
        return new MlpFit(mlp, standardizer, epoch);
    }

    private static Rows split(String accountId, Rows train, Rows validation, Rows test) {
        int bucket = Math.floorMod(accountId.hashCode() * 0x9E3779B1, 100);
        return bucket < 70 ? train : bucket < 85 ? validation : test;
    }

    private static String seconds(long since) {
        return String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - since) / 1e9);
    }

    private static String codeVersion() {
        String v = FraudModelTraining.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Labelled rows ({@link TrainingRows}) with the fraud pattern of each, for recall per pattern. */
    private static final class Rows {
        private final TrainingRows rows = new TrainingRows();
        private final List<FraudPattern> patterns = new ArrayList<>();

        void add(float[] features, boolean fraud, FraudPattern pattern) {
            rows.add(features, fraud ? 1 : 0);
            patterns.add(fraud ? pattern : FraudPattern.NONE);
        }

        int size() {
            return rows.size();
        }

        long positives() {
            return rows.positives();
        }

        double[][] x() {
            return rows.x();
        }

        int[] y() {
            return rows.y();
        }

        FraudPattern[] patterns() {
            return patterns.toArray(new FraudPattern[0]);
        }
    }
}
