package dev.vigil.pipelines.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.models.util.Sha256;
import dev.vigil.operators.chat.LanguageHeuristic;
import dev.vigil.operators.chat.SentenceEncoder;
import dev.vigil.operators.chat.TriageClass;
import dev.vigil.operators.chat.TriageHead;
import dev.vigil.operators.inference.ModelBytes;
import dev.vigil.operators.inference.ModelRef;
import dev.vigil.pipelines.sim.chat.ChatCorpus;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class ChatHeadTrainingTest {

    @Test
    void theBundledHeadGeneralisesToHeldOutTemplates() throws Exception {
        ModelRef ref = ChatJob.headRef(new Configuration());
        assertThat(ref.version()).isEqualTo("1");
        byte[] onnx = ModelBytes.read(ref.uri(), getClass().getClassLoader());
        assertThat(Sha256.hex(onnx)).isEqualTo(ref.sha256());

        // Held-out templates, filled with another seed than the one the head was evaluated on when trained.
        ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults().withSeed(99).withPerTemplate(6));
        List<ChatCorpus.Example> test = corpus.heldOut();
        int[] y = ChatCorpus.labels(test);
        int[] pred = new int[y.length];
        try (SentenceEncoder encoder = SentenceEncoder.load(new Configuration(), getClass().getClassLoader());
                TriageHead head = TriageHead.load(ref, new Configuration(), getClass().getClassLoader())) {
            float[][] e = encoder.encode(ChatCorpus.texts(test));
            float[] p = head.probabilities(e, e.length);
            for (int i = 0; i < y.length; i++) {
                pred[i] = LanguageHeuristic.isForeign(test.get(i).text())
                        ? TriageClass.OUT_OF_SCOPE.ordinal()
                        : TriageHead.argmax(p, i, head.numClasses());
            }
        }
        ChatHeadTraining.Evaluation eval = ChatHeadTraining.evaluate(y, pred, 4);
        assertThat(eval.accuracy()).as(eval.confusionTable()).isGreaterThanOrEqualTo(0.75);
        assertThat(eval.macroF1()).as(eval.confusionTable()).isGreaterThanOrEqualTo(0.7);
        int urgent = TriageClass.URGENT_SAFETY.ordinal();
        long urgentTotal = 0;
        for (long c : eval.confusion()[urgent]) {
            urgentTotal += c;
        }
        assertThat((double) eval.confusion()[urgent][urgent] / urgentTotal).as("urgent-safety recall")
                .isGreaterThanOrEqualTo(0.95);
        int oos = TriageClass.OUT_OF_SCOPE.ordinal();
        assertThat(eval.confusion()[oos][oos]).as("out-of-scope recall").isEqualTo(4 * 6);
    }

    @Test
    void trainingIsDeterministicAndLearnsSeparableClasses() {
        ChatCorpus corpus = ChatCorpus.generate(ChatCorpus.Config.defaults().withPerTemplate(2));
        double[][] xTrain = synthetic(ChatCorpus.labels(corpus.train()), 1);
        double[][] xTest = synthetic(ChatCorpus.labels(corpus.heldOut()), 2);
        ChatHeadTraining.Config config = new ChatHeadTraining.Config(
                ChatCorpus.Config.defaults().withPerTemplate(2), 16, 0.1, 1e-3, 5, 32, "7");
        ChatHeadTraining.Result a = ChatHeadTraining.train(config, corpus, xTrain, xTest);
        ChatHeadTraining.Result b = ChatHeadTraining.train(config, corpus, xTrain, xTest);
        assertThat(a.sha256()).isEqualTo(b.sha256());
        assertThat(a.heldOut().accuracy()).isGreaterThanOrEqualTo(0.95);
        assertThat(a.trainRows()).isEqualTo(corpus.train().size());
    }

    @Test
    void evaluationCountsTheConfusionMatrixAndMacroF1() {
        int[] y = {0, 0, 1, 1, 2, 3};
        int[] p = {0, 1, 1, 1, 2, 2};
        ChatHeadTraining.Evaluation e = ChatHeadTraining.evaluate(y, p, 4);
        assertThat(e.accuracy()).isEqualTo(4.0 / 6);
        assertThat(e.confusion()[0]).containsExactly(1, 1, 0, 0);
        assertThat(e.confusion()[3]).containsExactly(0, 0, 1, 0);
        // F1: class 0 = 2/3, class 1 = 0.8, class 2 = 2/3, class 3 = 0.
        assertThat(e.macroF1()).isCloseTo((2.0 / 3 + 0.8 + 2.0 / 3) / 4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(e.confusionTable()).contains("urgent-safety", "out-of-scope");
    }

    /** 384-d rows: a fixed centroid per class plus noise. */
    private static double[][] synthetic(int[] labels, long seed) {
        SplittableRandom centroids = new SplittableRandom(42);
        double[][] c = new double[4][384];
        for (double[] row : c) {
            for (int j = 0; j < row.length; j++) {
                row[j] = centroids.nextDouble() - 0.5;
            }
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[labels.length][384];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < 384; j++) {
                x[i][j] = c[labels[i]][j] + 0.5 * (rng.nextDouble() - 0.5);
            }
        }
        return x;
    }
}
