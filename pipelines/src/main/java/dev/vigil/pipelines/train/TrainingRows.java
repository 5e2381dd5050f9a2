package dev.vigil.pipelines.train;

import java.util.ArrayList;
import java.util.List;

/**
 * A growable store of labelled feature rows for the model-training drivers (ICU, fraud): float rows as the streaming
 * features produce them, widened to {@code double} for the trainers. Keeps insertion order, so a training run that
 * adds the same rows gets the same arrays.
 */
public final class TrainingRows {

    private final List<float[]> rows = new ArrayList<>();
    private final List<Integer> labels = new ArrayList<>();
    private long positives;

    /** Adds a copy of {@code features} with its 0/1 label. */
    public void add(float[] features, int label) {
        if (label != 0 && label != 1) {
            throw new IllegalArgumentException("label must be 0 or 1, got " + label);
        }
        rows.add(features.clone());
        labels.add(label);
        positives += label;
    }

    public int size() {
        return rows.size();
    }

    /** Rows labelled 1. */
    public long positives() {
        return positives;
    }

    /** The rows as doubles, in insertion order (a fresh array). */
    public double[][] x() {
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            float[] r = rows.get(i);
            double[] d = new double[r.length];
            for (int j = 0; j < r.length; j++) {
                d[j] = r[j];
            }
            x[i] = d;
        }
        return x;
    }

    /** The labels, in insertion order (a fresh array). */
    public int[] y() {
        int[] y = new int[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels.get(i);
        }
        return y;
    }
}
