package dev.vigil.pipelines.eval;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded binary stream with abrupt concept changes, for benchmarks and tests: features {@code x ~ N(0, I)} (rounded
 * to 4 decimals, so the CSV written by {@link #writeCsv} reads back to the same stream), label {@code 1[w . x > 0]}
 * with a share {@code noise} of labels flipped, and {@code w ~ N(0, I)} drawn anew at each change point: the random
 * hyperplane concepts of the SEA and rotating-hyperplane generators (W. N. Street and Y. Kim, KDD 2001; G. Hulten, L.
 * Spencer and P. Domingos, KDD 2001), with sudden rather than gradual changes so that recovery after a change can be
 * measured. The best achievable accuracy is {@code 1 - noise}.
 */
public final class SyntheticStream implements ExampleStream {

    private static final double ROUNDING = 1e4;

    private final long rows;
    private final int numFeatures;
    private final double noise;
    private final long[] changes;
    private final SplittableRandom random;
    private final double[] weights;
    private final double[] x;
    private final List<String> names;
    private long index;
    private int nextChange;
    private int label;

    /**
     * @param rows examples in the stream, {@code >= 0}
     * @param numFeatures features per example, {@code >= 1}
     * @param noise share of labels flipped, in {@code [0, 0.5)}
     * @param changes the example indices (from 0) where a new concept begins, increasing
     * @param seed the seed of everything random
     */
    public SyntheticStream(long rows, int numFeatures, double noise, long[] changes, long seed) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be >= 0, got " + rows);
        }
        if (numFeatures < 1) {
            throw new IllegalArgumentException("numFeatures must be >= 1, got " + numFeatures);
        }
        if (!(noise >= 0 && noise < 0.5)) {
            throw new IllegalArgumentException("noise must be in [0, 0.5), got " + noise);
        }
        long[] c = changes.clone();
        for (int i = 0; i < c.length; i++) {
            if (c[i] < 1 || (i > 0 && c[i] <= c[i - 1])) {
                throw new IllegalArgumentException("change points must be increasing and >= 1, got "
                        + Arrays.toString(changes));
            }
        }
        this.rows = rows;
        this.numFeatures = numFeatures;
        this.noise = noise;
        this.changes = c;
        this.random = new SplittableRandom(seed);
        this.weights = new double[numFeatures];
        this.x = new double[numFeatures];
        List<String> n = new ArrayList<>(numFeatures);
        for (int j = 0; j < numFeatures; j++) {
            n.add("x" + j);
        }
        this.names = List.copyOf(n);
        drawConcept();
    }

    private void drawConcept() {
        for (int j = 0; j < numFeatures; j++) {
            weights[j] = random.nextGaussian();
        }
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public List<String> classes() {
        return List.of();
    }

    @Override
    public boolean next() {
        if (index >= rows) {
            return false;
        }
        if (nextChange < changes.length && index == changes[nextChange]) {
            drawConcept();
            nextChange++;
        }
        double s = 0.0;
        for (int j = 0; j < numFeatures; j++) {
            x[j] = Math.rint(random.nextGaussian() * ROUNDING) / ROUNDING;
            s += weights[j] * x[j];
        }
        int clean = s > 0 ? 1 : 0;
        label = random.nextDouble() < noise ? 1 - clean : clean;
        index++;
        return true;
    }

    @Override
    public double[] features() {
        return x;
    }

    @Override
    public int label() {
        return label;
    }

    @Override
    public long timeMillis() {
        return Long.MIN_VALUE;
    }

    /** Writes the rest of the stream as CSV with a header ({@code x0,...,label}); {@link ExampleEncoder} reads it. */
    public void writeCsv(Writer out) throws IOException {
        StringBuilder sb = new StringBuilder(16 * (numFeatures + 1));
        sb.append(String.join(",", names)).append(",label\n");
        out.append(sb);
        while (next()) {
            sb.setLength(0);
            for (int j = 0; j < numFeatures; j++) {
                sb.append(x[j]).append(',');
            }
            sb.append(label).append('\n');
            out.append(sb);
        }
        out.flush();
    }
}
