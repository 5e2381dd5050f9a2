package dev.vigil.pipelines.icu;

import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.loss.ClassWeighting;
import dev.vigil.models.loss.ClassWeights;
import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.models.onnx.LogisticRegressionOnnxExporter;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.train.LogisticRegressionTrainer;
import dev.vigil.models.train.TrainingResult;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.icu.IcuFeatures;
import dev.vigil.pipelines.sim.icu.IcuSimulationConfig;
import dev.vigil.pipelines.sim.icu.IcuSimulator;
import dev.vigil.pipelines.sim.icu.PatientTruth;
import dev.vigil.pipelines.sim.icu.SimEvent;
import dev.vigil.pipelines.train.TrainingRows;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains the ICU deterioration model on a simulated cohort and exports it to ONNX, deterministically: the same
 * {@link Config} gives byte-identical model files (no wall-clock time goes into the model).
 *
 * <p>Rows are the feature snapshots the streaming job computes (one per accepted observation, replayed in delivery
 * order through {@link IcuReplay}), sampled at {@link Config#sampleRate}. The label of a snapshot at time t is an
 * adverse outcome (ICU transfer, rapid-response call, cardiac arrest, death) in (t, t + horizon]. Patients are split
 * 70/15/15 into train, validation (early stopping) and test sets by a hash of the patient id, so the reported test
 * figures are on patients the model never saw. NEWS2 (the {@code news2_total} feature) is evaluated on the same test
 * rows as the clinical baseline.
 */
public final class IcuModelTraining {

    public static final String MODEL_NAME = "icu-deterioration";

    /** Where the bundled model lives in the models module (and on the classpath). */
    public static final String RESOURCE_DIR = "models/src/main/resources/dev/vigil/models/icu";

    public static final String RESOURCE_FILE = "icu-deterioration.onnx";

    /** Training configuration; {@link #defaults()} is what the committed model was built with. */
    public record Config(
            long seed, int patients, Duration duration, Duration horizon, double sampleRate, String version) {

        // Strings so that the CLI can use them as option defaults; defaults() parses the same values.
        public static final String DEFAULT_SEED = "20261125";
        public static final String DEFAULT_PATIENTS = "1500";
        public static final String DEFAULT_HOURS = "72";
        public static final String DEFAULT_HORIZON_HOURS = "12";
        public static final String DEFAULT_SAMPLE_RATE = "0.08";
        public static final String DEFAULT_VERSION = "1";

        public static Config defaults() {
            return new Config(
                    Long.parseLong(DEFAULT_SEED),
                    Integer.parseInt(DEFAULT_PATIENTS),
                    Duration.ofHours(Long.parseLong(DEFAULT_HOURS)),
                    Duration.ofHours(Long.parseLong(DEFAULT_HORIZON_HOURS)),
                    Double.parseDouble(DEFAULT_SAMPLE_RATE),
                    DEFAULT_VERSION);
        }
    }

    /** Test-set figures of the model and of NEWS2 on the same held-out patients. */
    public record Evaluation(
            long rows,
            long positives,
            double modelAuroc,
            double modelPrAuc,
            double news2Auroc,
            double news2PrAuc,
            double meanRisk,
            double brier) {}

    /** The exported model, its sha-256 and how it did. */
    public record Result(byte[] onnx, String sha256, Evaluation test, TrainingResult training, long trainRows) {}

    private IcuModelTraining() {}

    public static Result train(Config config) {
        IcuSimulationConfig simulation = IcuSimulationConfig.builder()
                .seed(config.seed())
                .patients(config.patients())
                .duration(config.duration())
                .build();
        IcuSimulator simulator = new IcuSimulator(simulation);
        Map<String, PatientTruth> truths = simulator.truths();

        TrainingRows train = new TrainingRows();
        TrainingRows validation = new TrainingRows();
        TrainingRows test = new TrainingRows();
        SplittableRandom sampler = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        IcuReplay replay = new IcuReplay(Duration.ofMillis(IcuFeatures.LONG_WINDOW_MILLIS));
        Duration horizon = config.horizon();
        IcuReplay.SnapshotSink sink = (patientId, asOf, features) -> {
            if (sampler.nextDouble() >= config.sampleRate()) {
                return;
            }
            PatientTruth truth = truths.get(patientId);
            int label = truth != null && truth.adverseOutcomeWithin(Instant.ofEpochMilli(asOf), horizon) ? 1 : 0;
            split(patientId, train, validation, test).add(features, label);
        };
        for (SimEvent event : simulator) {
            replay.apply(event, sink);
        }

        TrainingResult weighted = LogisticRegressionTrainer.builder()
                .optimizer(() -> new Adam(0.002))
                .classWeighting(ClassWeighting.balanced())
                .l2(1e-4)
                .batchSize(256)
                .maxEpochs(40)
                .patience(4)
                .seed(config.seed())
                .build()
                .fit(train.x(), train.y(), validation.x(), validation.y());
        TrainingResult result = priorCorrected(weighted);

        Evaluation evaluation = evaluate(result, test);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("test.auroc", evaluation.modelAuroc());
        metrics.put("test.pr_auc", evaluation.modelPrAuc());
        metrics.put("test.news2_auroc", evaluation.news2Auroc());
        metrics.put("test.news2_pr_auc", evaluation.news2PrAuc());
        metrics.put("test.brier", evaluation.brier());
        metrics.put("test.mean_risk", evaluation.meanRisk());
        metrics.put("test.rows", (double) evaluation.rows());
        metrics.put("test.positives", (double) evaluation.positives());
        metrics.put("horizon.hours", (double) horizon.toHours());

        ModelProvenance provenance = ModelProvenance.builder()
                .modelName(MODEL_NAME)
                .modelVersion(config.version())
                .featureNames(IcuFeatures.NAMES)
                .trainingWindow(simulation.start(), simulation.end())
                .seed(config.seed())
                .trainingCounts(train.size(), train.positives())
                .validationCounts(validation.size(), validation.positives())
                .metrics(metrics)
                .codeVersion(codeVersion())
                .build();
        byte[] onnx = LogisticRegressionOnnxExporter.export(result.model(), result.standardizer(), provenance);
        return new Result(onnx, Sha256.hex(onnx), evaluation, result, train.size());
    }

    /** Writes {@code <dir>/icu-deterioration.onnx} and its {@code .sha256} sidecar. */
    public static Path write(Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve(RESOURCE_FILE);
        Path tmp = Files.createTempFile(dir, RESOURCE_FILE, ".tmp");
        Files.write(tmp, result.onnx());
        Files.move(tmp, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(RESOURCE_FILE + ".sha256"), result.sha256() + "\n", StandardCharsets.UTF_8);
        return model;
    }

    /**
     * Undoes the class weighting in the intercept so the exported probability is calibrated to the real event rate
     * (prior correction, G. King and L. Zeng, "Logistic Regression in Rare Events Data", Political Analysis 9(2),
     * 2001): weighting positives by w1 and negatives by w0 shifts the fitted logit by ln(w1 / w0). Alert thresholds are
     * then risks, not ranks.
     */
    static TrainingResult priorCorrected(TrainingResult weighted) {
        ClassWeights w = weighted.report().classWeights();
        double shift = Math.log(w.positive() / w.negative());
        LogisticRegression m = weighted.model();
        LogisticRegression corrected = LogisticRegression.of(m.weights(), m.bias() - shift);
        return new TrainingResult(corrected, weighted.standardizer(), weighted.report());
    }

    private static Evaluation evaluate(TrainingResult model, TrainingRows test) {
        double[][] x = test.x();
        int[] y = test.y();
        double[] risk = model.predictAll(x);
        double[] news2 = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            news2[i] = x[i][IcuFeatures.NEWS2_TOTAL];
        }
        double meanRisk = 0;
        for (double r : risk) {
            meanRisk += r / risk.length;
        }
        return new Evaluation(
                x.length,
                test.positives(),
                BinaryClassificationMetrics.auroc(risk, y),
                BinaryClassificationMetrics.averagePrecision(risk, y),
                BinaryClassificationMetrics.auroc(news2, y),
                BinaryClassificationMetrics.averagePrecision(news2, y),
                meanRisk,
                BinaryClassificationMetrics.brierScore(risk, y));
    }

    private static TrainingRows split(String patientId, TrainingRows train, TrainingRows validation, TrainingRows test) {
        int bucket = Math.floorMod(patientId.hashCode() * 0x9E3779B1, 100);
        return bucket < 70 ? train : bucket < 85 ? validation : test;
    }

    private static String codeVersion() {
        String v = IcuModelTraining.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
