package dev.vigil.pipelines.chat;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.loss.MulticlassWeights;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.onnx.ModelProvenance;
import dev.vigil.models.onnx.OnnxExport;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.util.Sha256;
import dev.vigil.operators.chat.LanguageHeuristic;
import dev.vigil.operators.chat.SentenceEncoder;
import dev.vigil.operators.chat.TriageClass;
import dev.vigil.pipelines.sim.chat.ChatCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;

/**
 * Trains the chat triage head: an {@link Mlp} on frozen sentence embeddings (transfer learning: the pretrained encoder
 * is not updated, only the small head is learned on the task), class-weighted with {@link MulticlassWeights#balanced},
 * optimized with Adam (D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015) on shuffled
 * minibatches, and exported to ONNX ({@code features float [N, 384] -> probabilities float [N, 4]}, classes in
 * {@link TriageClass} order).
 *
 * <p>The training data is the {@link ChatCorpus} (templates + EDA); evaluation is on the held-out templates.
 * Deterministic: the same config gives the same ONNX bytes (CPU encoder with one thread, seeded initialization,
 * shuffling and dropout, fixed training window).
 */
public final class ChatHeadTraining {

    public static final String MODEL_NAME = "chat-triage-head";
    public static final String RESOURCE_DIR = "models/src/main/resources/dev/vigil/models/chat";
    public static final String RESOURCE_FILE = "chat-triage-head.onnx";
    public static final String RESOURCE_URI = "classpath:/dev/vigil/models/chat/" + RESOURCE_FILE;
    /** Names of the head's input features: the embedding dimensions {@code e000 .. e383}. */
    public static final List<String> FEATURE_NAMES = featureNames(384);

    /** Training hyper-parameters. */
    public record Config(ChatCorpus.Config corpus, int hidden, double dropout, double learningRate, int epochs,
            int minibatch, String version) {

        public static final String DEFAULT_VERSION = "1";

        public static Config defaults() {
            return new Config(ChatCorpus.Config.defaults(), 64, 0.1, 1e-3, 25, 32, DEFAULT_VERSION);
        }
    }

    /** The evaluation of a head on labelled messages. */
    public record Evaluation(int n, double accuracy, double macroF1, long[][] confusion, double[] f1) {

        /** The confusion matrix as text: rows are true classes, columns predicted. */
        public String confusionTable() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-15s", "true \\ pred"));
            for (String l : TriageClass.LABELS) {
                s.append(String.format(Locale.ROOT, "%15s", l));
            }
            s.append('\n');
            for (int i = 0; i < confusion.length; i++) {
                s.append(String.format(Locale.ROOT, "%-15s", TriageClass.LABELS.get(i)));
                for (long c : confusion[i]) {
                    s.append(String.format(Locale.ROOT, "%15d", c));
                }
                s.append('\n');
            }
            return s.toString();
        }
    }

    /**
     * Out-of-scope detection on the held-out messages: recall and precision of the head's class alone, of {@link
     * LanguageHeuristic} alone, and of the two combined (out-of-scope when either says so).
     */
    public record LanguageDetection(double headRecall, double headPrecision, double heuristicRecall,
            double heuristicPrecision, double combinedRecall, double combinedPrecision) {}

    /** What training produced. */
    public record Result(byte[] onnx, String sha256, Mlp model, Standardizer standardizer, Evaluation train,
            Evaluation heldOut, Evaluation heldOutCombined, LanguageDetection language, int trainRows,
            int heldOutRows) {}

    private ChatHeadTraining() {}

    /** Generates the corpus, embeds it with the bundled encoder, trains, evaluates and exports the head. */
    public static Result train(Config config) throws Exception {
        ChatCorpus corpus = ChatCorpus.generate(config.corpus());
        try (SentenceEncoder encoder = SentenceEncoder.load(new Configuration(),
                ChatHeadTraining.class.getClassLoader())) {
            double[][] xTrain = embed(encoder, ChatCorpus.texts(corpus.train()));
            double[][] xTest = embed(encoder, ChatCorpus.texts(corpus.heldOut()));
            return train(config, corpus, xTrain, xTest);
        }
    }

    /** Trains on precomputed embeddings of {@code corpus.train()} and evaluates on those of {@code heldOut()}. */
    static Result train(Config config, ChatCorpus corpus, double[][] xTrain, double[][] xTest) {
        int[] yTrain = ChatCorpus.labels(corpus.train());
        int[] yTest = ChatCorpus.labels(corpus.heldOut());
        int k = TriageClass.values().length;
        Standardizer standardizer = Standardizer.fit(xTrain);
        double[][] sTrain = standardize(standardizer, xTrain);
        Mlp mlp = Mlp.builder()
                .numFeatures(xTrain[0].length)
                .hiddenLayers(config.hidden())
                .numClasses(k)
                .dropout(config.dropout())
                .seed(config.corpus().seed())
                .build();
        MulticlassWeights weights = MulticlassWeights.balanced(yTrain, k);
        Adam adam = new Adam(config.learningRate());
        SplittableRandom rng = new SplittableRandom(config.corpus().seed() ^ 0x5DEECE66DL);
        int[] order = new int[xTrain.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[] grad = new double[mlp.numParameters()];
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < order.length; start += config.minibatch()) {
                int end = Math.min(order.length, start + config.minibatch());
                java.util.Arrays.fill(grad, 0.0);
                for (int b = start; b < end; b++) {
                    int i = order[b];
                    mlp.lossAndGradient(sTrain[i], yTrain[i], weights.of(yTrain[i]), grad, rng);
                }
                double scale = 1.0 / (end - start);
                for (int p = 0; p < grad.length; p++) {
                    grad[p] *= scale;
                }
                adam.step(mlp.parameters(), grad);
            }
        }
        int[] predTrain = predict(mlp, standardizer, xTrain);
        int[] predTest = predict(mlp, standardizer, xTest);
        int[] combined = predTest.clone();
        boolean[] heuristic = new boolean[yTest.length];
        for (int i = 0; i < combined.length; i++) {
            heuristic[i] = LanguageHeuristic.isForeign(corpus.heldOut().get(i).text());
            if (heuristic[i]) {
                combined[i] = TriageClass.OUT_OF_SCOPE.ordinal();
            }
        }
        Evaluation trainEval = evaluate(yTrain, predTrain, k);
        Evaluation testEval = evaluate(yTest, predTest, k);
        Evaluation combinedEval = evaluate(yTest, combined, k);
        LanguageDetection language = language(yTest, predTest, heuristic, combined);

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("heldout.accuracy", round(testEval.accuracy()));
        metrics.put("heldout.macro-f1", round(testEval.macroF1()));
        metrics.put("train.accuracy", round(trainEval.accuracy()));
        ModelProvenance provenance = ModelProvenance.builder()
                .modelName(MODEL_NAME)
                .modelVersion(config.version())
                .featureNames(FEATURE_NAMES)
                .classLabels(TriageClass.LABELS)
                .trainingWindow(Instant.EPOCH, Instant.EPOCH)
                .seed(config.corpus().seed())
                .trainingCounts(xTrain.length, count(yTrain, TriageClass.URGENT_SAFETY.ordinal()))
                .validationCounts(xTest.length, count(yTest, TriageClass.URGENT_SAFETY.ordinal()))
                .metrics(metrics)
                .codeVersion("chat-head-training/1")
                .build();
        byte[] onnx = OnnxExport.export(mlp, standardizer, provenance);
        return new Result(onnx, Sha256.hex(onnx), mlp, standardizer, trainEval, testEval, combinedEval, language,
                xTrain.length, xTest.length);
    }

    /** Writes {@code <dir>/chat-triage-head.onnx} (atomically) and its {@code .sha256} sidecar. */
    public static Path write(Result result, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path model = dir.resolve(RESOURCE_FILE);
        Path tmp = Files.createTempFile(dir, RESOURCE_FILE, ".tmp");
        Files.write(tmp, result.onnx());
        Files.move(tmp, model, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(dir.resolve(RESOURCE_FILE + ".sha256"), result.sha256() + "\n", StandardCharsets.UTF_8);
        return model;
    }

    /** Embeddings of {@code texts}, encoded in batches of 32, widened to double. */
    static double[][] embed(SentenceEncoder encoder, List<String> texts) throws Exception {
        double[][] rows = new double[texts.size()][];
        float[][] out = new float[32][encoder.dimension()];
        for (int start = 0; start < texts.size(); start += 32) {
            List<String> batch = texts.subList(start, Math.min(texts.size(), start + 32));
            encoder.encode(batch, out);
            for (int i = 0; i < batch.size(); i++) {
                double[] row = new double[out[i].length];
                for (int j = 0; j < row.length; j++) {
                    row[j] = out[i][j];
                }
                rows[start + i] = row;
            }
        }
        return rows;
    }

    /** Argmax class of each row. */
    static int[] predict(Mlp mlp, Standardizer standardizer, double[][] x) {
        int[] pred = new int[x.length];
        double[] s = new double[x[0].length];
        double[] p = new double[mlp.outputSize()];
        for (int i = 0; i < x.length; i++) {
            standardizer.transform(x[i], s);
            mlp.predict(s, p);
            pred[i] = argmax(p);
        }
        return pred;
    }

    /** Accuracy, per-class and macro F1, and the confusion matrix of {@code pred} against {@code y}. */
    public static Evaluation evaluate(int[] y, int[] pred, int k) {
        long[][] confusion = new long[k][k];
        long correct = 0;
        for (int i = 0; i < y.length; i++) {
            confusion[y[i]][pred[i]]++;
            if (y[i] == pred[i]) {
                correct++;
            }
        }
        double[] f1 = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            long fp = 0;
            long fn = 0;
            for (int o = 0; o < k; o++) {
                if (o != c) {
                    fp += confusion[o][c];
                    fn += confusion[c][o];
                }
            }
            f1[c] = tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
            sum += f1[c];
        }
        return new Evaluation(y.length, y.length == 0 ? 0 : (double) correct / y.length, sum / k, confusion, f1);
    }

    private static LanguageDetection language(int[] y, int[] head, boolean[] heuristic, int[] combined) {
        int oos = TriageClass.OUT_OF_SCOPE.ordinal();
        double[] h = recallPrecision(y, i -> head[i] == oos, oos);
        double[] r = recallPrecision(y, i -> heuristic[i], oos);
        double[] c = recallPrecision(y, i -> combined[i] == oos, oos);
        return new LanguageDetection(h[0], h[1], r[0], r[1], c[0], c[1]);
    }

    private static double[] recallPrecision(int[] y, java.util.function.IntPredicate flagged, int positive) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < y.length; i++) {
            boolean f = flagged.test(i);
            boolean p = y[i] == positive;
            tp += f && p ? 1 : 0;
            fp += f && !p ? 1 : 0;
            fn += !f && p ? 1 : 0;
        }
        return new double[] {tp + fn == 0 ? 0 : (double) tp / (tp + fn), tp + fp == 0 ? 0 : (double) tp / (tp + fp)};
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[][] standardize(Standardizer standardizer, double[][] x) {
        double[][] s = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            s[i] = standardizer.transform(x[i]);
        }
        return s;
    }

    private static long count(int[] y, int c) {
        long n = 0;
        for (int v : y) {
            n += v == c ? 1 : 0;
        }
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static List<String> featureNames(int d) {
        List<String> names = new ArrayList<>(d);
        for (int i = 0; i < d; i++) {
            names.add(String.format(Locale.ROOT, "e%03d", i));
        }
        return List.copyOf(names);
    }
}
