package dev.vigil.models.nn;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.GradientClipping;
import dev.vigil.models.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Minibatch training of an {@link Autoencoder} on unlabelled rows: a {@link Standardizer} fitted on the training rows,
 * the mean reconstruction error of each minibatch plus an optional L2 penalty on the weights, optional gradient
 * clipping by norm, any {@link Optimizer} ({@link Adam} with learning rate {@value #DEFAULT_LEARNING_RATE} by default)
 * and, with validation rows, early stopping on their mean reconstruction error, returning the best epoch's parameters
 * (L. Prechelt, "Early Stopping — But When?", 1998).
 *
 * <p>Each epoch visits the rows in a fresh random order (Fisher–Yates from a {@link SplittableRandom} seeded with
 * {@link Builder#seed}); given the same rows, model and configuration, two runs give bit-identical parameters.
 *
 * <pre>{@code
 * AutoencoderTrainer.Result result = AutoencoderTrainer.builder()
 *         .batchSize(256)
 *         .maxEpochs(30)
 *         .l2(1e-5)
 *         .clipNorm(5.0)
 *         .seed(42)
 *         .build()
 *         .fit(autoencoder, trainRows, validationRows);   // trains autoencoder in place
 * double score = result.anomalyScore(rawRow);
 * }</pre>
 */
public final class AutoencoderTrainer {

    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    private final Supplier<? extends Optimizer> optimizerFactory;
    private final int batchSize;
    private final int maxEpochs;
    private final int patience;
    private final double minDelta;
    private final double l2;
    private final double clipNorm;
    private final long seed;

    private AutoencoderTrainer(Builder b) {
        this.optimizerFactory = b.optimizerFactory;
        this.batchSize = b.batchSize;
        this.maxEpochs = b.maxEpochs;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.l2 = b.l2;
        this.clipNorm = b.clipNorm;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A trained autoencoder, the standardization of its inputs and the loss curves. */
    public record Result(
            Autoencoder model,
            Standardizer standardizer,
            List<Double> trainLoss,
            List<Double> validationLoss,
            int bestEpoch) {

        public Result {
            checkNotNull(model, "model");
            checkNotNull(standardizer, "standardizer");
            trainLoss = List.copyOf(trainLoss);
            validationLoss = List.copyOf(validationLoss);
        }

        /** Epochs run (including those after the best one). */
        public int epochsRun() {
            return trainLoss.size();
        }

        /** The anomaly score of a raw (unstandardized) row. */
        public double anomalyScore(double[] raw) {
            return model.anomalyScore(standardizer.transform(raw));
        }

        /** The anomaly scores of raw rows. */
        public double[] anomalyScores(double[][] raw) {
            double[] z = new double[model.numFeatures()];
            double[] scores = new double[raw.length];
            for (int i = 0; i < raw.length; i++) {
                standardizer.transform(raw[i], z);
                scores[i] = model.anomalyScore(z);
            }
            return scores;
        }
    }

    /** Trains {@code model} in place on {@code train} (raw rows), without early stopping. */
    public Result fit(Autoencoder model, double[][] train) {
        return fit(model, train, null);
    }

    /**
     * Trains {@code model} in place on {@code train} (raw rows); with {@code validation} rows (may be null or empty),
     * stops early and leaves the parameters of the epoch with the lowest validation loss in the model.
     */
    public Result fit(Autoencoder model, double[][] train, double[][] validation) {
        checkNotNull(model, "model");
        checkNotNull(train, "train");
        checkArgument(train.length > 0, "no training rows");
        int f = model.numFeatures();
        for (double[] row : train) {
            checkArgument(row != null && row.length == f, "every row must have %s features", f);
        }
        Standardizer standardizer = Standardizer.fit(train);
        double[][] z = standardize(standardizer, train);
        double[][] zValidation =
                validation == null || validation.length == 0 ? null : standardize(standardizer, validation);

        Optimizer optimizer = checkNotNull(optimizerFactory.get(), "optimizer");
        double[] params = model.parameters();
        double[] grad = new double[params.length];
        boolean[] weight = new boolean[params.length];
        for (int k = 0; k < params.length; k++) {
            weight[k] = model.isWeight(k);
        }
        int[] order = new int[z.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Double> trainLoss = new ArrayList<>();
        List<Double> validationLoss = new ArrayList<>();
        double[] best = params.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        for (int epoch = 1; epoch <= maxEpochs; epoch++) {
            shuffle(order, random);
            double epochLoss = 0.0;
            for (int from = 0; from < order.length; from += batchSize) {
                int to = Math.min(order.length, from + batchSize);
                Arrays.fill(grad, 0.0);
                double inverse = 1.0 / (to - from);
                for (int b = from; b < to; b++) {
                    epochLoss += model.lossAndGradient(z[order[b]], inverse, grad) / inverse;
                }
                if (l2 > 0.0) {
                    for (int k = 0; k < params.length; k++) {
                        if (weight[k]) {
                            grad[k] += l2 * params[k];
                        }
                    }
                }
                if (clipNorm > 0.0) {
                    double norm = GradientClipping.clipByNorm(grad, clipNorm);
                    if (!Double.isFinite(norm)) {
                        continue;
                    }
                }
                optimizer.step(params, grad);
            }
            trainLoss.add(epochLoss / order.length);
            if (zValidation == null) {
                bestEpoch = epoch;
                continue;
            }
            double loss = meanScore(model, zValidation);
            validationLoss.add(loss);
            if (loss < bestLoss - minDelta) {
                bestLoss = loss;
                bestEpoch = epoch;
                System.arraycopy(params, 0, best, 0, params.length);
            } else if (epoch - bestEpoch >= patience) {
                break;
            }
        }
        if (zValidation != null) {
            System.arraycopy(best, 0, params, 0, params.length);
        }
        return new Result(model, standardizer, trainLoss, validationLoss, bestEpoch);
    }

    private static double meanScore(Autoencoder model, double[][] z) {
        double sum = 0.0;
        for (double[] row : z) {
            sum += model.anomalyScore(row);
        }
        return sum / z.length;
    }

    private static double[][] standardize(Standardizer standardizer, double[][] rows) {
        double[][] z = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            z[i] = standardizer.transform(rows[i]);
        }
        return z;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Builds an {@link AutoencoderTrainer}; every setter validates its argument. */
    public static final class Builder {
        private Supplier<? extends Optimizer> optimizerFactory = () -> new Adam(DEFAULT_LEARNING_RATE);
        private int batchSize = 256;
        private int maxEpochs = 30;
        private int patience = 3;
        private double minDelta = 0.0;
        private double l2 = 0.0;
        private double clipNorm = 0.0;
        private long seed;

        private Builder() {}

        /** A fresh optimizer per {@code fit}; default Adam with learning rate {@value #DEFAULT_LEARNING_RATE}. */
        public Builder optimizer(Supplier<? extends Optimizer> optimizerFactory) {
            this.optimizerFactory = checkNotNull(optimizerFactory, "optimizerFactory");
            return this;
        }

        /** Rows per gradient step (default 256). */
        public Builder batchSize(int batchSize) {
            this.batchSize = checkPositive(batchSize, "batchSize");
            return this;
        }

        /** Most passes over the training rows (default 30). */
        public Builder maxEpochs(int maxEpochs) {
            this.maxEpochs = checkPositive(maxEpochs, "maxEpochs");
            return this;
        }

        /** Epochs without validation improvement before stopping (default 3). */
        public Builder patience(int patience) {
            this.patience = checkPositive(patience, "patience");
            return this;
        }

        /** Smallest decrease of the validation loss that counts as an improvement (default 0). */
        public Builder minDelta(double minDelta) {
            this.minDelta = checkNonNegative(minDelta, "minDelta");
            return this;
        }

        /** Coefficient {@code lambda} of the penalty {@code lambda/2 ||W||^2} on the weights, not the biases. */
        public Builder l2(double l2) {
            this.l2 = checkNonNegative(l2, "l2");
            return this;
        }

        /** Largest L2 norm of a minibatch gradient (rescaled above it); 0 (the default) disables clipping. */
        public Builder clipNorm(double clipNorm) {
            this.clipNorm = checkNonNegative(clipNorm, "clipNorm");
            return this;
        }

        /** Seed of the shuffling. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public AutoencoderTrainer build() {
            return new AutoencoderTrainer(this);
        }
    }
}
