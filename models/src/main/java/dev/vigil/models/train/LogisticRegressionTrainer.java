package dev.vigil.models.train;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.loss.ClassWeighting;
import dev.vigil.models.loss.ClassWeights;
import dev.vigil.models.loss.Logistic;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.GradientClipping;
import dev.vigil.models.optim.Optimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Minibatch training of a {@link LogisticRegression} on a batch of rows, with a {@link Standardizer} fitted on the
 * training rows, class weights, L2 regularization, optional gradient clipping and early stopping on a validation set.
 *
 * <p>Each epoch visits the training rows in a fresh random order (Fisher–Yates shuffle from a
 * {@link SplittableRandom} seeded with {@link Builder#seed}), standardizes each minibatch into a reused buffer,
 * computes the objective's gradient ({@link LogisticRegression#batchLossAndGradient}), clips it and hands it to the
 * optimizer. Given the same data, configuration and seed, two runs return bit-identical models.
 *
 * <p>The weights start at zero and the bias at the class-weighted log-odds of the training labels (0 with balanced
 * weights), the optimum of the intercept-only model, so the first epochs are spent on the features.
 *
 * <p><b>Early stopping</b> (L. Prechelt, "Early Stopping — But When?", in Neural Networks: Tricks of the Trade,
 * 1998): with a validation set, training stops once the validation loss has not improved by more than
 * {@link Builder#minDelta} for {@link Builder#patience} epochs, and the parameters of the best epoch are returned.
 * The split is the caller's job and for clinical data must be by time (train on the past, validate on the later
 * period); the standardizer never sees the validation rows.
 *
 * <pre>{@code
 * TrainingResult result = LogisticRegressionTrainer.builder()
 *         .optimizer(() -> new Adam(0.01))
 *         .classWeighting(ClassWeighting.balanced())
 *         .l2(1e-4)
 *         .batchSize(256)
 *         .maxEpochs(50)
 *         .seed(42)
 *         .build()
 *         .fit(xTrain, yTrain, xValidation, yValidation);
 * }</pre>
 *
 * <p>A trainer holds only configuration: one instance may run {@code fit} many times (each with a fresh optimizer
 * from the supplier), but not concurrently from several threads unless the supplier is thread-safe.
 */
public final class LogisticRegressionTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(LogisticRegressionTrainer.class);

    private final Supplier<? extends Optimizer> optimizerFactory;
    private final ClassWeighting classWeighting;
    private final double l2;
    private final int batchSize;
    private final int maxEpochs;
    private final int patience;
    private final double minDelta;
    private final double clipNorm;
    private final long seed;

    private LogisticRegressionTrainer(Builder b) {
        this.optimizerFactory = b.optimizerFactory;
        this.classWeighting = b.classWeighting;
        this.l2 = b.l2;
        this.batchSize = b.batchSize;
        this.maxEpochs = b.maxEpochs;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.clipNorm = b.clipNorm;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains on all rows for {@code maxEpochs} epochs, without early stopping. */
    public TrainingResult fit(double[][] x, int[] y) {
        return fit(x, y, null, null);
    }

    /**
     * Trains on {@code (xTrain, yTrain)}, stopping early on the loss over {@code (xValidation, yValidation)}.
     *
     * @param xTrain raw training rows, all of one length {@code F}, finite
     * @param yTrain training labels, 0 or 1, with both classes present when class weights are balanced
     * @param xValidation raw validation rows of length {@code F}, or null for no early stopping
     * @param yValidation validation labels, or null exactly when {@code xValidation} is null
     */
    public TrainingResult fit(double[][] xTrain, int[] yTrain, double[][] xValidation, int[] yValidation) {
        long startNanos = System.nanoTime();
        checkNotNull(xTrain, "xTrain");
        checkNotNull(yTrain, "yTrain");
        checkArgument(xTrain.length > 0, "xTrain must not be empty");
        checkArgument(
                xTrain.length == yTrain.length,
                "xTrain has %s rows but yTrain %s labels",
                xTrain.length,
                yTrain.length);
        checkArgument(
                (xValidation == null) == (yValidation == null),
                "give both xValidation and yValidation, or neither");
        boolean validate = xValidation != null;
        int numFeatures = checkNotNull(xTrain[0], "xTrain[0]").length;
        checkArgument(numFeatures > 0, "rows must have at least one feature");
        long trainPositives = countPositives(yTrain, "yTrain");
        long validationPositives = 0;
        if (validate) {
            checkArgument(xValidation.length > 0, "xValidation must not be empty");
            checkArgument(
                    xValidation.length == yValidation.length,
                    "xValidation has %s rows but yValidation %s labels",
                    xValidation.length,
                    yValidation.length);
            checkRows(xValidation, numFeatures, "xValidation");
            validationPositives = countPositives(yValidation, "yValidation");
        }

        // Standardization is fitted on the training rows only (this also checks their length and finiteness).
        Standardizer standardizer = Standardizer.fit(xTrain);
        double[] mean = standardizer.mean();
        double[] invStd = standardizer.std();
        for (int j = 0; j < numFeatures; j++) {
            invStd[j] = 1.0 / invStd[j];
        }

        ClassWeights weights = checkNotNull(classWeighting.weightsFor(yTrain), "class weights");
        LogisticRegression model = new LogisticRegression(numFeatures);
        double[] params = model.parameters();
        double weightedPositives = weights.positive() * trainPositives;
        double weightedNegatives = weights.negative() * (yTrain.length - trainPositives);
        if (weightedPositives > 0 && weightedNegatives > 0) {
            params[model.biasIndex()] = Math.log(weightedPositives / weightedNegatives);
        }

        Optimizer optimizer = checkNotNull(optimizerFactory.get(), "optimizer from the supplier");
        Epochs epochs = new Epochs(model, optimizer, xTrain, yTrain, mean, invStd, weights);
        double[] rowBuffer = new double[numFeatures];
        SplittableRandom random = new SplittableRandom(seed);

        List<Double> trainLosses = new ArrayList<>();
        List<Double> validationLosses = new ArrayList<>();
        double[] bestParams = params.clone();
        double bestValidationLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        boolean stoppedEarly = false;

        while (epoch < maxEpochs) {
            epoch++;
            double trainLoss = epochs.run(random);
            trainLosses.add(trainLoss);
            if (validate) {
                double validationLoss =
                        weightedLoss(model, xValidation, yValidation, mean, invStd, weights, rowBuffer);
                validationLosses.add(validationLoss);
                LOG.debug("epoch {}: train loss {}, validation loss {}", epoch, trainLoss, validationLoss);
                if (validationLoss < bestValidationLoss - minDelta) {
                    bestValidationLoss = validationLoss;
                    bestEpoch = epoch;
                    System.arraycopy(params, 0, bestParams, 0, params.length);
                } else if (epoch - bestEpoch >= patience) {
                    stoppedEarly = epoch < maxEpochs;
                    break;
                }
            } else {
                bestEpoch = epoch;
                LOG.debug("epoch {}: train loss {}", epoch, trainLoss);
            }
        }
        if (validate) {
            System.arraycopy(bestParams, 0, params, 0, params.length);
        }
        if (epochs.skippedSteps > 0) {
            LOG.warn("skipped {} minibatch steps with a non-finite gradient", epochs.skippedSteps);
        }

        TrainingReport report = new TrainingReport(
                epoch,
                bestEpoch,
                stoppedEarly,
                trainLosses,
                validationLosses,
                weights,
                xTrain.length,
                trainPositives,
                validate ? xValidation.length : 0,
                validationPositives,
                Duration.ofNanos(System.nanoTime() - startNanos));
        LOG.info(
                "trained logistic regression on {} rows x {} features: {} epochs (best {}), train loss {}, "
                        + "validation loss {}, {} ms",
                xTrain.length,
                numFeatures,
                report.epochsRun(),
                report.bestEpoch(),
                report.bestTrainLoss(),
                report.bestValidationLoss(),
                report.elapsed().toMillis());
        return new TrainingResult(model, standardizer, report);
    }

    /**
     * The per-fit training loop state: shuffled row order, the minibatch buffers and the gradient, all allocated once
     * and reused for every minibatch of every epoch.
     */
    private final class Epochs {
        private final LogisticRegression model;
        private final Optimizer optimizer;
        private final double[][] x;
        private final int[] y;
        private final double[] mean;
        private final double[] invStd;
        private final ClassWeights weights;
        private final int[] order;
        private final double[][] xBatch;
        private final int[] yBatch;
        private final double[] grad;
        private long skippedSteps;

        Epochs(
                LogisticRegression model,
                Optimizer optimizer,
                double[][] x,
                int[] y,
                double[] mean,
                double[] invStd,
                ClassWeights weights) {
            this.model = model;
            this.optimizer = optimizer;
            this.x = x;
            this.y = y;
            this.mean = mean;
            this.invStd = invStd;
            this.weights = weights;
            this.order = new int[x.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            int batch = Math.min(batchSize, x.length);
            this.xBatch = new double[batch][model.numFeatures()];
            this.yBatch = new int[batch];
            this.grad = new double[model.numParameters()];
        }

        /**
         * One pass over the training rows in a fresh random order. Returns the mean class-weighted log loss of the
         * minibatches, each measured just before its step (without the L2 term), as Keras reports it: the
         * parameters move during the epoch, but it costs no extra pass over the data.
         */
        double run(SplittableRandom random) {
            shuffle(order, random);
            double[] params = model.parameters();
            int n = order.length;
            int batch = yBatch.length;
            double lossSum = 0.0;
            for (int from = 0; from < n; from += batch) {
                int count = Math.min(batch, n - from);
                for (int k = 0; k < count; k++) {
                    int row = order[from + k];
                    standardize(x[row], mean, invStd, xBatch[k]);
                    yBatch[k] = y[row];
                }
                double penalty = model.l2Penalty(l2);
                double objective = model.batchLossAndGradient(xBatch, yBatch, count, weights, l2, grad);
                lossSum += (objective - penalty) * count;
                double norm = Double.isInfinite(clipNorm)
                        ? GradientClipping.norm(grad)
                        : GradientClipping.clipByNorm(grad, clipNorm);
                if (!Double.isFinite(norm)) {
                    skippedSteps++;
                    continue;
                }
                optimizer.step(params, grad);
            }
            return lossSum / n;
        }
    }

    /** Class-weighted mean log loss of the model over raw rows, standardizing each into {@code buffer}. */
    private static double weightedLoss(
            LogisticRegression model,
            double[][] x,
            int[] y,
            double[] mean,
            double[] invStd,
            ClassWeights weights,
            double[] buffer) {
        double sum = 0.0;
        for (int i = 0; i < x.length; i++) {
            standardize(x[i], mean, invStd, buffer);
            sum += weights.of(y[i]) * Logistic.logLossFromLogit(model.logit(buffer), y[i]);
        }
        return sum / x.length;
    }

    private static void standardize(double[] row, double[] mean, double[] invStd, double[] out) {
        for (int j = 0; j < out.length; j++) {
            out[j] = (row[j] - mean[j]) * invStd[j];
        }
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    private static long countPositives(int[] y, String name) {
        long positives = 0;
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0 && y[i] != 1) {
                throw new IllegalArgumentException(name + "[" + i + "] must be 0 or 1, got " + y[i]);
            }
            positives += y[i];
        }
        return positives;
    }

    private static void checkRows(double[][] x, int numFeatures, String name) {
        for (int i = 0; i < x.length; i++) {
            double[] row = x[i];
            if (row == null || row.length != numFeatures) {
                throw new IllegalArgumentException(name + "[" + i + "] must have " + numFeatures + " features, got "
                        + (row == null ? "null" : row.length));
            }
            for (int j = 0; j < numFeatures; j++) {
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException(name + "[" + i + "][" + j + "] is not finite: " + row[j]);
                }
            }
        }
    }

    /** Configuration of a {@link LogisticRegressionTrainer}; every setting has a default. */
    public static final class Builder {
        private Supplier<? extends Optimizer> optimizerFactory = () -> new Adam(0.01);
        private ClassWeighting classWeighting = ClassWeighting.none();
        private double l2 = 1e-4;
        private int batchSize = 256;
        private int maxEpochs = 100;
        private int patience = 5;
        private double minDelta = 1e-5;
        private double clipNorm = Double.POSITIVE_INFINITY;
        private long seed = 0L;

        private Builder() {}

        /** Creates the optimizer for each {@code fit}; default {@code new Adam(0.01)}. */
        public Builder optimizer(Supplier<? extends Optimizer> optimizerFactory) {
            this.optimizerFactory = checkNotNull(optimizerFactory, "optimizerFactory");
            return this;
        }

        /** How class weights follow from the training labels; default {@link ClassWeighting#none()}. */
        public Builder classWeighting(ClassWeighting classWeighting) {
            this.classWeighting = checkNotNull(classWeighting, "classWeighting");
            return this;
        }

        /** L2 strength {@code lambda >= 0} on the weights (not the bias); default {@code 1e-4}. */
        public Builder l2(double l2) {
            this.l2 = checkNonNegative(l2, "l2");
            return this;
        }

        /** Rows per minibatch, {@code > 0}; default 256. */
        public Builder batchSize(int batchSize) {
            this.batchSize = checkPositive(batchSize, "batchSize");
            return this;
        }

        /** Upper bound on epochs, {@code > 0}; default 100. */
        public Builder maxEpochs(int maxEpochs) {
            this.maxEpochs = checkPositive(maxEpochs, "maxEpochs");
            return this;
        }

        /** Epochs without validation improvement before stopping, {@code > 0}; default 5. */
        public Builder patience(int patience) {
            this.patience = checkPositive(patience, "patience");
            return this;
        }

        /** Smallest decrease of the validation loss that counts as an improvement, {@code >= 0}; default 1e-5. */
        public Builder minDelta(double minDelta) {
            this.minDelta = checkNonNegative(minDelta, "minDelta");
            return this;
        }

        /** Clip each minibatch gradient to this L2 norm, {@code > 0}; default: no clipping. */
        public Builder clipNorm(double clipNorm) {
            checkArgument(clipNorm > 0, "clipNorm must be > 0, got %s", clipNorm);
            this.clipNorm = clipNorm;
            return this;
        }

        /** Seed of the shuffling; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public LogisticRegressionTrainer build() {
            return new LogisticRegressionTrainer(this);
        }
    }
}
