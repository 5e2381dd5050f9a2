package dev.vigil.operators.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link HotSwapScoringFunction} over record ids {@code "r<k>"} whose features are a fixed function of {@code k}
 * ({@link #features}); emits one {@link Scored} per record, stamped with the version that scored it, and remembers
 * the batches it saw.
 */
public final class TestingHotSwapFunction implements HotSwapScoringFunction<String, TestingHotSwapFunction.Scored> {

    private static final long serialVersionUID = 1L;

    /**
     * A result: the record id, the version that scored it ({@code null} when unscored) and the probability rounded to
     * {@link #round 4 decimals}, so results compare equal to ones computed in Java.
     */
    public record Scored(String id, String version, Float probability) {}

    private final int featureCount;
    private final List<Integer> batchSizes = new ArrayList<>();
    private boolean opened;
    private boolean closed;

    public TestingHotSwapFunction(int featureCount) {
        this.featureCount = featureCount;
    }

    /** The features of record {@code "r<k>"}: around the test models' means. */
    public static float[] features(String id, int featureCount) {
        int k = Integer.parseInt(id.substring(1));
        float[] row = new float[featureCount];
        for (int j = 0; j < featureCount; j++) {
            row[j] = (float) (Math.sin(k * 0.7 + j) * 8.0 + j);
        }
        return row;
    }

    /** {@code p} rounded to 4 decimals: ONNX Runtime and the Java forward pass differ by about 1e-7. */
    public static float round(float p) {
        return Math.round(p * 1e4f) / 1e4f;
    }

    @Override
    public void open(BatchFunction.Context context) {
        opened = true;
    }

    @Override
    public void extractFeatures(String record, float[] row) {
        System.arraycopy(features(record, featureCount), 0, row, 0, row.length);
    }

    @Override
    public void processBatch(List<String> batch, ScoreBatch scores, ModelRef model, BatchCollector<Scored> out) {
        batchSizes.add(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            out.collect(
                    i,
                    scores == null
                            ? new Scored(batch.get(i), null, null)
                            : new Scored(batch.get(i), model.version(), round(scores.probability(i))));
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    public List<Integer> batchSizes() {
        return batchSizes;
    }

    public boolean isOpened() {
        return opened;
    }

    public boolean isClosed() {
        return closed;
    }
}
