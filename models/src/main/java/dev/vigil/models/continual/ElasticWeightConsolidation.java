package dev.vigil.models.continual;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.util.Arrays;

/**
 * The quadratic penalty of elastic weight consolidation, {@code (lambda / 2) sum_i F_i (theta_i - theta*_i)^2}, and
 * its consolidation rule (see {@link OnlineLearner} for the method and the papers). Before the first consolidation
 * there is no penalty.
 */
final class ElasticWeightConsolidation {

    private final double lambda;
    private final double gamma;
    private final int numParameters;
    private final double[] anchor;
    private final double[] fisher;
    private long consolidations;

    ElasticWeightConsolidation(double lambda, double gamma, int numParameters) {
        this.lambda = lambda;
        this.gamma = gamma;
        this.numParameters = numParameters;
        this.anchor = new double[numParameters];
        this.fisher = new double[numParameters];
    }

    double lambda() {
        return lambda;
    }

    double gamma() {
        return gamma;
    }

    long consolidations() {
        return consolidations;
    }

    /**
     * Anchors the penalty at {@code params} with Fisher information {@code gamma * F_old + fisherNew} (online EWC;
     * {@code gamma = 0} keeps only the latest estimate).
     */
    void consolidate(double[] params, double[] fisherNew) {
        for (int i = 0; i < numParameters; i++) {
            fisher[i] = (consolidations == 0 ? 0.0 : gamma * fisher[i]) + fisherNew[i];
        }
        System.arraycopy(params, 0, anchor, 0, numParameters);
        consolidations++;
    }

    /** {@code (lambda / 2) sum_i F_i (params_i - anchor_i)^2}; 0 before the first consolidation. */
    double penalty(double[] params) {
        if (consolidations == 0) {
            return 0.0;
        }
        double sum = 0.0;
        for (int i = 0; i < numParameters; i++) {
            double d = params[i] - anchor[i];
            sum += fisher[i] * d * d;
        }
        return 0.5 * lambda * sum;
    }

    /** Adds the penalty's gradient {@code lambda F_i (params_i - anchor_i)} to {@code grad}. */
    void addGradient(double[] params, double[] grad) {
        if (consolidations == 0) {
            return;
        }
        for (int i = 0; i < numParameters; i++) {
            grad[i] += lambda * fisher[i] * (params[i] - anchor[i]);
        }
    }

    /** The current Fisher information (a copy). */
    double[] fisher() {
        return fisher.clone();
    }

    /** The current anchor (a copy). */
    double[] anchor() {
        return anchor.clone();
    }

    LearnerState.Ewc state() {
        if (consolidations == 0) {
            return new LearnerState.Ewc(0, new double[0], new double[0]);
        }
        return new LearnerState.Ewc(consolidations, anchor, fisher);
    }

    void restore(LearnerState.Ewc state) {
        checkNotNull(state, "ewc state");
        if (state.consolidations() == 0) {
            Arrays.fill(anchor, 0.0);
            Arrays.fill(fisher, 0.0);
        } else {
            double[] a = state.anchor();
            double[] f = state.fisher();
            checkArgument(a.length == numParameters, "ewc state has %s parameters, expected %s",
                    a.length, numParameters);
            System.arraycopy(a, 0, anchor, 0, numParameters);
            System.arraycopy(f, 0, fisher, 0, numParameters);
        }
        consolidations = state.consolidations();
    }
}
