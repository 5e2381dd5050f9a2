package dev.vigil.models.continual;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

/**
 * A bounded uniform sample of every example offered so far, kept by Algorithm R (J. S. Vitter, "Random sampling with
 * a reservoir", ACM Trans. Math. Softw. 11(1), 1985; Vitter credits it to A. Waterman): the first {@code capacity}
 * examples fill the slots; example {@code t > capacity} replaces the example in a uniformly drawn slot with probability
 * {@code capacity / t}. After {@code t} offers every example is in the reservoir with probability
 * {@code min(1, capacity / t)}, whatever the order of the stream.
 *
 * <p>Algorithm R draws one random number per example past the first {@code capacity}; Vitter's Algorithm Z skips ahead
 * and draws far fewer, but the per-example cost here is a row copy either way, and R's state (the offer count and one
 * generator) is the simplest to checkpoint. The generator is the reservoir's own, so what is kept does not depend on
 * how many replay draws the learner makes.
 *
 * <p>Rows are copied into slots allocated while the reservoir fills and reused afterwards: offering allocates nothing
 * once it is full.
 */
final class ReplayReservoir {

    private final int capacity;
    private final int dimension;
    private final double[][] rows;
    private final int[] labels;
    private final double[] weights;
    private final SplitMix64 rng;
    private int size;
    private long offered;

    ReplayReservoir(int capacity, int dimension, long seed) {
        this.capacity = checkPositive(capacity, "capacity");
        this.dimension = checkPositive(dimension, "dimension");
        this.rows = new double[capacity][];
        this.labels = new int[capacity];
        this.weights = new double[capacity];
        this.rng = new SplitMix64(seed);
    }

    /** Offers one example (copied if kept). */
    void offer(double[] row, int label, double weight) {
        offered++;
        int slot;
        if (size < capacity) {
            slot = size++;
            rows[slot] = new double[dimension];
        } else {
            long j = rng.nextLong(offered);
            if (j >= capacity) {
                return;
            }
            slot = (int) j;
        }
        System.arraycopy(row, 0, rows[slot], 0, dimension);
        labels[slot] = label;
        weights[slot] = weight;
    }

    int capacity() {
        return capacity;
    }

    int size() {
        return size;
    }

    long offered() {
        return offered;
    }

    /** The row in slot {@code i} (live; do not modify). */
    double[] row(int i) {
        return rows[i];
    }

    int label(int i) {
        return labels[i];
    }

    double weight(int i) {
        return weights[i];
    }

    LearnerState.Reservoir state() {
        double[][] r = new double[size][];
        int[] l = new int[size];
        double[] w = new double[size];
        for (int i = 0; i < size; i++) {
            r[i] = rows[i];
            l[i] = labels[i];
            w[i] = weights[i];
        }
        return new LearnerState.Reservoir(capacity, offered, rng.state(), new LearnerState.Examples(r, l, w));
    }

    void restore(LearnerState.Reservoir state) {
        checkNotNull(state, "reservoir state");
        checkArgument(state.capacity() == capacity, "reservoir capacity is %s, the state has %s",
                capacity, state.capacity());
        LearnerState.Examples contents = state.contents();
        int n = contents.size();
        for (int i = 0; i < n; i++) {
            double[] row = contents.rowView(i);
            checkArgument(row.length == dimension, "reservoir rows have %s features, expected %s",
                    row.length, dimension);
            rows[i] = row.clone();
            labels[i] = contents.label(i);
            weights[i] = contents.weight(i);
        }
        for (int i = n; i < capacity; i++) {
            rows[i] = null;
        }
        size = n;
        offered = state.offered();
        rng.setState(state.rngState());
    }
}
