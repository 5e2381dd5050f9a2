package dev.vigil.operators.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EmbeddingDriftTest {

    private static final int D = 32;

    @Test
    void aStationaryStreamRaisesNoDriftAndAShiftIsFoundInTheFirstWindowAfterIt() {
        EmbeddingDrift detector = new EmbeddingDrift(D, 8, 100, 0.01, 7);
        EmbeddingDrift.State state = detector.newState();
        SplittableRandom rng = new SplittableRandom(42);
        List<EmbeddingDrift.Test> tests = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            EmbeddingDrift.Test t = detector.update(state, embedding(rng, 0.0));
            if (t != null) {
                tests.add(t);
            }
        }
        // 1 reference + 9 test windows, none drifting.
        assertThat(tests).hasSize(9).noneMatch(EmbeddingDrift.Test::drift);
        List<Integer> driftAt = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            EmbeddingDrift.Test t = detector.update(state, embedding(rng, 0.6));
            if (t != null && t.drift()) {
                driftAt.add(i);
            }
        }
        // Found at the end of the first shifted window, once: the shifted window became the reference.
        assertThat(driftAt).containsExactly(99);
    }

    @Test
    void detectsATopicShiftOnUnitEmbeddings() {
        EmbeddingDrift detector = new EmbeddingDrift(D, 8, 50, 0.01, 7);
        EmbeddingDrift.State state = detector.newState();
        SplittableRandom rng = new SplittableRandom(1);
        float[] topicA = unit(embedding(rng, 0.0));
        float[] topicB = unit(embedding(rng, 0.0));
        int drifts = 0;
        for (int i = 0; i < 100; i++) {
            EmbeddingDrift.Test t = detector.update(state, unit(mix(topicA, embedding(rng, 0.0), 0.3f)));
            drifts += t != null && t.drift() ? 1 : 0;
        }
        assertThat(drifts).isZero();
        EmbeddingDrift.Test last = null;
        for (int i = 0; i < 50; i++) {
            last = detector.update(state, unit(mix(topicB, embedding(rng, 0.0), 0.3f)));
        }
        assertThat(last).isNotNull();
        assertThat(last.drift()).isTrue();
        assertThat(last.minPValue()).isLessThanOrEqualTo(last.threshold());
        assertThat(last.threshold()).isEqualTo(0.01 / 8);
    }

    @Test
    void validatesItsParameters() {
        assertThatThrownBy(() -> new EmbeddingDrift(D, 0, 100, 0.01, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddingDrift(D, 4, 5, 0.01, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EmbeddingDrift(D, 4, 100, 1.0, 1)).isInstanceOf(IllegalArgumentException.class);
        EmbeddingDrift ok = new EmbeddingDrift(D, 4, 100, 0.01, 1);
        assertThatThrownBy(() -> ok.update(ok.newState(), new float[D + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] embedding(SplittableRandom rng, double shift) {
        float[] e = new float[D];
        for (int i = 0; i < D; i++) {
            double u1 = rng.nextDouble();
            double u2 = rng.nextDouble();
            e[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2) + shift);
        }
        return e;
    }

    private static float[] mix(float[] a, float[] b, float w) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + w * b[i];
        }
        return out;
    }

    private static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }
}
