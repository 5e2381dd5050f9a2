package dev.vigil.pipelines.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.models.metrics.BinaryClassificationMetrics;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamingAurocTest {

    @Test
    void matchesTheExactAurocOnContinuousAndConfidentScores() {
        SplittableRandom r = new SplittableRandom(3);
        for (double separation : new double[] {0.0, 0.5, 2.0, 8.0}) {
            int n = 20_000;
            double[] scores = new double[n];
            int[] labels = new int[n];
            StreamingAuroc streaming = new StreamingAuroc();
            for (int i = 0; i < n; i++) {
                labels[i] = r.nextDouble() < 0.3 ? 1 : 0;
                double logit = r.nextGaussian() * 3 + (labels[i] == 1 ? separation : 0) - 4;
                scores[i] = 1 / (1 + Math.exp(-logit));
                streaming.add(scores[i], labels[i]);
            }
            assertThat(streaming.auroc()).as("separation %s", separation)
                    .isCloseTo(BinaryClassificationMetrics.auroc(scores, labels), within(1e-4));
        }
    }

    @Test
    void tiesCountHalfAndExtremesAreBinned() {
        StreamingAuroc a = new StreamingAuroc();
        a.add(0.0, 0);
        a.add(1.0, 1);
        assertThat(a.auroc()).isEqualTo(1.0);
        a.add(0.5, 1);
        a.add(0.5, 0);
        // pairs (pos, neg): (1.0, 0.0) 1, (1.0, 0.5) 1, (0.5, 0.0) 1, (0.5, 0.5) 0.5 -> 3.5 / 4
        assertThat(a.auroc()).isEqualTo(0.875);
        assertThat(new StreamingAuroc().auroc()).isNaN();
        StreamingAuroc onlyPositives = new StreamingAuroc();
        onlyPositives.add(0.3, 1);
        assertThat(onlyPositives.auroc()).isNaN();
    }
}
