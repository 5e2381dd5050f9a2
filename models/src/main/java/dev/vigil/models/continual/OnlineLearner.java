package dev.vigil.models.continual;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;
import static dev.vigil.models.util.Checks.checkState;

import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.loss.LabelWeights;
import dev.vigil.models.metrics.BinaryClassificationMetrics;
import dev.vigil.models.optim.Ftrl;
import dev.vigil.models.optim.GradientClipping;
import dev.vigil.models.optim.LearningRateSchedule;
import dev.vigil.models.optim.Optimizer;
import dev.vigil.models.regularization.RegularizedOptimizer;
import dev.vigil.models.regularization.Regularizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains a {@link DifferentiableModel} on a stream, one labelled example at a time, evaluating each example before
 * training on it, with optional guards against catastrophic forgetting. This is the framework-free core of Vigil's
 * learner operator: the operator holds one, feeds it joined examples, checkpoints its {@link #snapshot()} and exports
 * {@link #modelCopy()} with {@link #standardizerCopy()} as a new version.
 *
 * <pre>{@code
 * OnlineLearner learner = OnlineLearner.builder(new LogisticRegression(numFeatures), new Adam(0.01))
 *         .seed(42)
 *         .minibatchSize(8)
 *         .classWeights(new ClassWeights(1.0, 20.0))
 *         .clipNorm(5.0)
 *         .reservoir(1_000)   // memory of past examples (replay and EWC's Fisher sample)
 *         .replay(8)          // replayed examples mixed into every step
 *         .ewc(50.0)          // EWC penalty strength lambda
 *         .build();
 * Prediction p = learner.evaluateThenTrain(rawFeatures, label, 1.0);
 * }</pre>
 *
 * <h2>Prequential test-then-train</h2>
 *
 * {@link #evaluateThenTrain} first predicts the example with the current standardizer and model (the returned {@link
 * Prediction} is what the model said before it saw the label) and records it in the running metrics ({@link
 * #metrics()}: cumulative log loss and accuracy, and log loss, accuracy and AUROC over the last {@code N} examples; A.
 * P. Dawid, JRSS A 147(2), 1984; J. Gama, R. Sebastião and P. P. Rodrigues, Machine Learning 90(3), 2013). Then it
 * folds the raw features into the standardizer (unless frozen) and adds the example to the pending minibatch; when
 * {@code k} examples are pending ({@link Builder#minibatchSize}), it takes one optimizer step.
 *
 * <h2>One step</h2>
 *
 * <ol>
 *   <li>The {@code k} pending examples and {@code r} examples drawn uniformly (with replacement) from the reservoir
 *       ({@link Builder#replay}) are standardized with the current statistics and their weighted loss gradients
 *       averaged: the objective is {@code (1 / (k + r)) sum_j w_j c_{y_j} loss_j}, with {@code w_j} the weight
 *       passed in and {@code c_y} the class weight.
 *   <li>If the gradient has a NaN or infinite component, or its norm overflows, the step is skipped ({@link
 *       #skippedUpdates()}): one bad example cannot poison the parameters and the optimizer's moments.
 *   <li>The gradient is clipped by value, then by norm (optional; {@link GradientClipping}). Clipping sees only the
 *       data gradient, so it bounds what one outlying example can do without weakening the penalties.
 *   <li>EWC adds {@code lambda F (theta - theta*)}; the {@link Regularizer} adds its smooth part; the {@link
 *       Optimizer} steps the parameters in place; the regularizer's proximal (L1) step follows ({@link
 *       RegularizedOptimizer}).
 *   <li>The {@code k} examples just trained on are offered to the reservoir, and EWC consolidates if it is due.
 * </ol>
 *
 * <h2>Standardization: updating or frozen</h2>
 *
 * The {@link Standardizer} learns feature means and standard deviations online (Welford). By default it keeps updating
 * on every example; {@link Builder#freezeStandardizerAfter(long)} stops it after a number of examples (0: frozen from
 * the start, at {@link Builder#initialStandardizer the given statistics}). The trade-off:
 *
 * <ul>
 *   <li><b>Updating</b> follows drifting feature scales, but the model's coordinates move under it: a weight learned
 *       against {@code z = (x - mean) / std} means something else once {@code mean} and {@code std} change, so the
 *       standardization itself causes some forgetting, and EWC's anchor and replayed rows are re-standardized with the
 *       new statistics. Every exported version carries its own mean and std: the ONNX graph of version {@code v} is
 *       the pair (statistics, weights) at {@code v}, and two versions with the same weights score differently.
 *   <li><b>Frozen</b> (after a warm-up, or fitted offline) keeps the coordinates fixed: exported versions differ only
 *       in their weights, EWC and replay compare like with like, but a feature whose scale drifts far from the
 *       warm-up's is fed to the model unnormalized.
 * </ul>
 *
 * <h2>Forgetting guards</h2>
 *
 * An online learner trained on concept B after concept A overwrites what it knew about A (M. McCloskey and N. J.
 * Cohen, "Catastrophic interference in connectionist networks", Psychology of Learning and Motivation 24, 1989); when
 * A recurs it must be learned again. Two guards, each switchable:
 *
 * <ul>
 *   <li><b>Experience replay.</b> A reservoir ({@link Builder#reservoir}) keeps a uniform sample of all examples seen
 *       (J. S. Vitter, "Random sampling with a reservoir", ACM TOMS 11(1), 1985, Algorithm R), and every step mixes
 *       {@code r} of them into the minibatch (D. Rolnick, A. Ahuja, J. Schwarz, T. Lillicrap and G. Wayne, "Experience
 *       replay for continual learning", NeurIPS 2019; A. Chaudhry et al., "On tiny episodic memories in continual
 *       learning", arXiv:1902.10486, 2019, whose ER with a reservoir memory this is).
 *   <li><b>Elastic weight consolidation</b> (J. Kirkpatrick et al., "Overcoming catastrophic forgetting in neural
 *       networks", PNAS 114(13), 2017). At a consolidation ({@link #consolidate()}, or every {@code M} updates with
 *       {@link Builder#ewcConsolidateEvery}) the learner estimates the diagonal empirical Fisher information
 *       {@code F_i = mean_j (d log p(y_j | x_j) / d theta_i)^2} on the reservoir (unweighted, at the observed labels),
 *       stores the anchor {@code theta* = theta}, and from then on adds {@code (lambda / 2) sum_i F_i (theta_i -
 *       theta*_i)^2} to the objective of every step: parameters that mattered for the past move less. With {@link
 *       Builder#ewcDecay gamma > 0} the Fisher accumulates across consolidations, {@code F <- gamma F + F_new} (online
 *       EWC: J. Schwarz et al., "Progress &amp; compress: a scalable framework for continual learning", ICML 2018; F.
 *       Huszár, "Note on the quadratic penalties in elastic weight consolidation", PNAS 115(11), 2018); with {@code
 *       gamma = 0} (the default) only the latest consolidation counts. The empirical Fisher (squared gradients at the
 *       observed labels) is the common stand-in for the true Fisher; F. Kunstner, L. Balles and P. Hennig
 *       ("Limitations of the empirical Fisher approximation", NeurIPS 2019) explain where it differs.
 * </ul>
 *
 * <h2>State and determinism</h2>
 *
 * All randomness (reservoir replacement, replay draws, the seeds of the model's dropout masks) comes from generators
 * seeded by {@link Builder#seed} whose state is part of {@link LearnerState}: the same seed, configuration and stream
 * give bit-identical parameters, and {@link #restore} of a {@link #snapshot()} into a learner built with the same
 * configuration continues bit-for-bit. The learner trains the model it is given in place and owns it and the optimizer
 * from then on. Not thread-safe. Once the reservoir is full, evaluating and training allocate only the returned {@link
 * Prediction} and one {@link SplittableRandom} per step (consolidation allocates the new Fisher estimate).
 */
public final class OnlineLearner {

    /** Default length of the prequential metrics window. */
    public static final int DEFAULT_EVALUATION_WINDOW = 1_000;

    private final DifferentiableModel model;
    private final double[] params;
    private final Optimizer optimizer;
    /** Replaced (not mutated) by {@link #restore}. */
    private Standardizer standardizer;

    private final long freezeStandardizerAfter;
    private final LabelWeights classWeights;
    private final int minibatchSize;
    private final double clipNorm;
    private final double clipValue;
    private final ReplayReservoir reservoir;
    private final int replayPerStep;
    private final ElasticWeightConsolidation ewc;
    private final long consolidateEvery;
    private final PrequentialEvaluator evaluator;
    private final SplitMix64 rng;

    private final int numFeatures;
    private final int numClasses;

    private final double[][] pendingRows;
    private final int[] pendingLabels;
    private final double[] pendingWeights;
    private int pendingCount;

    private long examplesSeen;
    private long updates;
    private long skippedUpdates;

    private final double[] z;
    private final double[] probabilities;
    private final double[] grad;
    private final double[] exampleGrad;

    private OnlineLearner(Builder b) {
        this.model = b.model;
        this.params = model.parameters();
        this.numFeatures = model.numFeatures();
        this.numClasses = model.numClasses();
        this.optimizer = b.regularizer == null ? b.optimizer : regularized(b);
        this.standardizer = b.initialStandardizer == null
                ? new Standardizer(numFeatures)
                : Standardizer.fromState(b.initialStandardizer);
        this.freezeStandardizerAfter = b.freezeStandardizerAfter;
        this.classWeights = b.classWeights;
        this.minibatchSize = b.minibatchSize;
        this.clipNorm = b.clipNorm;
        this.clipValue = b.clipValue;
        this.rng = new SplitMix64(b.seed);
        this.reservoir = b.reservoirCapacity == 0
                ? null
                : new ReplayReservoir(b.reservoirCapacity, numFeatures, SplitMix64.mix64(b.seed ^ 0x5265736572766f69L));
        this.replayPerStep = b.replayPerStep;
        this.ewc = b.ewcLambda == 0.0 ? null : new ElasticWeightConsolidation(b.ewcLambda, b.ewcDecay, params.length);
        this.consolidateEvery = b.consolidateEvery;
        this.evaluator = new PrequentialEvaluator(b.evaluationWindow, numClasses == 2);
        this.pendingRows = new double[minibatchSize][numFeatures];
        this.pendingLabels = new int[minibatchSize];
        this.pendingWeights = new double[minibatchSize];
        this.z = new double[numFeatures];
        this.probabilities = new double[numClasses == 2 ? 1 : numClasses];
        this.grad = new double[params.length];
        this.exampleGrad = new double[params.length];
    }

    /**
     * A builder for a learner that trains {@code model} (in place) with {@code optimizer}. Both are owned by the
     * learner from then on; pass copies to keep the originals.
     */
    public static Builder builder(DifferentiableModel model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /**
     * Prequential test-then-train on one example: predicts it with the current model and standardizer, records the
     * prediction in the metrics, then learns from it (standardizer update, and an optimizer step if the minibatch is
     * now full).
     *
     * @param rawX the raw (not standardized) features, finite, of length {@link #numFeatures()}; copied
     * @param label the class index, {@code 0 .. numClasses() - 1}
     * @param weight the example's weight, finite and {@code >= 0}; multiplied by the class weight in the loss
     * @return the prediction made before training on the example
     */
    public Prediction evaluateThenTrain(double[] rawX, int label, double weight) {
        checkExample(rawX, label, weight);
        long index = examplesSeen;
        predictInto(rawX);
        int predictedClass;
        double probability;
        double labelProbability;
        if (numClasses == 2) {
            double p1 = probabilities[0];
            predictedClass = p1 >= 0.5 ? 1 : 0;
            probability = p1;
            labelProbability = label == 1 ? p1 : 1.0 - p1;
        } else {
            predictedClass = argmax(probabilities, numClasses);
            probability = probabilities[predictedClass];
            labelProbability = probabilities[label];
        }
        double logLoss = -Math.log(Math.max(labelProbability, BinaryClassificationMetrics.LOG_LOSS_EPSILON));
        evaluator.record(probability, predictedClass, label, logLoss);

        if (index < freezeStandardizerAfter) {
            standardizer.update(rawX);
        }
        System.arraycopy(rawX, 0, pendingRows[pendingCount], 0, numFeatures);
        pendingLabels[pendingCount] = label;
        pendingWeights[pendingCount] = weight;
        pendingCount++;
        examplesSeen++;
        boolean stepped = false;
        if (pendingCount == minibatchSize) {
            step();
            stepped = true;
        }
        return new Prediction(index, predictedClass, probability, labelProbability, logLoss, stepped);
    }

    /**
     * Inference only: writes the class probabilities of {@code rawX} under the current standardizer and model into
     * {@code out} (binary: {@code out[0] = P(y = 1)}, length {@code >= 1}; multiclass: {@code out[k] = P(k)}, length
     * {@code >= K}). Changes nothing.
     */
    public void predict(double[] rawX, double[] out) {
        checkArgument(rawX != null && rawX.length == numFeatures, "rawX must have length %s", numFeatures);
        checkArgument(out != null && out.length >= probabilities.length, "out must have length >= %s",
                probabilities.length);
        predictInto(rawX);
        System.arraycopy(probabilities, 0, out, 0, probabilities.length);
    }

    /** Binary models: {@code P(y = 1)} of {@code rawX}; see {@link #predict(double[], double[])}. */
    public double predictProbability(double[] rawX) {
        checkState(numClasses == 2, "predictProbability is for binary models; use predict(rawX, out)");
        checkArgument(rawX != null && rawX.length == numFeatures, "rawX must have length %s", numFeatures);
        predictInto(rawX);
        return probabilities[0];
    }

    /**
     * Steps on the pending examples now, even if fewer than the minibatch size (e.g. before exporting a version at the
     * end of a window). Returns whether there was anything to step on.
     */
    public boolean flush() {
        if (pendingCount == 0) {
            return false;
        }
        step();
        return true;
    }

    /**
     * Consolidates EWC now: estimates the diagonal empirical Fisher information on the reservoir at the current
     * parameters (in training mode: a model with dropout draws its masks from the learner's generator), folds it into the stored one ({@code F <- gamma F + F_new}) and anchors the penalty at the current
     * parameters. Call at a known task or regime boundary; {@link Builder#ewcConsolidateEvery} does it periodically.
     *
     * @throws IllegalStateException if EWC is off or the reservoir is still empty
     */
    public void consolidate() {
        checkState(ewc != null, "EWC is off: set Builder.ewc(lambda) to consolidate");
        checkState(reservoir.size() > 0, "the reservoir is empty: there is nothing to estimate the Fisher on yet");
        int n = reservoir.size();
        double[] fisherNew = new double[params.length];
        SplittableRandom dropout = new SplittableRandom(rng.nextLong());
        for (int j = 0; j < n; j++) {
            standardizer.transform(reservoir.row(j), z);
            Arrays.fill(exampleGrad, 0.0);
            model.lossAndGradient(z, reservoir.label(j), 1.0, exampleGrad, dropout);
            for (int i = 0; i < fisherNew.length; i++) {
                fisherNew[i] += exampleGrad[i] * exampleGrad[i];
            }
        }
        for (int i = 0; i < fisherNew.length; i++) {
            fisherNew[i] /= n;
        }
        ewc.consolidate(params, fisherNew);
    }

    /** The EWC penalty {@code (lambda / 2) sum_i F_i (theta_i - theta*_i)^2} at the current parameters; 0 when off. */
    public double ewcPenalty() {
        return ewc == null ? 0.0 : ewc.penalty(params);
    }

    /** The diagonal Fisher information EWC currently uses (a copy); empty when EWC is off. */
    public double[] ewcFisher() {
        return ewc == null ? new double[0] : ewc.fisher();
    }

    /** The current prequential metrics. Allocates (AUROC sorts a copy of the window). */
    public PrequentialMetrics metrics() {
        return evaluator.metrics();
    }

    /** Everything mutable, as plain values: the checkpoint of this learner. */
    public LearnerState snapshot() {
        double[][] rows = new double[pendingCount][];
        for (int i = 0; i < pendingCount; i++) {
            rows[i] = pendingRows[i];
        }
        LearnerState.Examples pending = new LearnerState.Examples(
                rows, Arrays.copyOf(pendingLabels, pendingCount), Arrays.copyOf(pendingWeights, pendingCount));
        return new LearnerState(
                examplesSeen,
                updates,
                skippedUpdates,
                rng.state(),
                params,
                optimizer.snapshot(),
                standardizer.state(),
                pending,
                reservoir == null ? null : reservoir.state(),
                ewc == null ? null : ewc.state(),
                evaluator.state());
    }

    /**
     * Replaces everything mutable with {@code state}, taken by {@link #snapshot()} of a learner with the same
     * configuration; training then continues exactly where that learner was.
     *
     * @throws IllegalArgumentException if the state does not fit this learner's configuration
     */
    public void restore(LearnerState state) {
        checkNotNull(state, "state");
        double[] p = state.parameters();
        checkArgument(p.length == params.length, "the state has %s parameters, the model %s", p.length,
                params.length);
        int slots = state.optimizer().slotLength();
        checkArgument(slots == 0 || slots == params.length, "the optimizer state is sized for %s parameters, not %s",
                slots, params.length);
        LearnerState.Reservoir savedReservoir = state.reservoir();
        checkArgument((savedReservoir == null) == (reservoir == null),
                "the state %s a reservoir but this learner %s", savedReservoir == null ? "has no" : "has",
                reservoir == null ? "keeps none" : "keeps one");
        if (reservoir != null) {
            checkArgument(savedReservoir.capacity() == reservoir.capacity(),
                    "the state's reservoir holds %s examples, this learner's %s", savedReservoir.capacity(),
                    reservoir.capacity());
            checkRows(savedReservoir.contents(), "reservoir");
        }
        checkArgument((state.ewc() == null) == (ewc == null), "the state's EWC and this learner's differ (on/off)");
        LearnerState.Examples pending = state.pending();
        checkArgument(pending.size() < minibatchSize, "the state has %s pending examples, the minibatch size is %s",
                pending.size(), minibatchSize);
        checkRows(pending, "pending");
        Standardizer.State s = state.standardizer();
        checkArgument(s.mean().length == numFeatures, "the standardizer state has %s features, expected %s",
                s.mean().length, numFeatures);
        checkArgument(state.evaluation().windowCapacity() == evaluator.windowCapacity(),
                "the state's metrics window is %s, this learner's %s", state.evaluation().windowCapacity(),
                evaluator.windowCapacity());

        optimizer.restore(state.optimizer()); // the last check: throws if the algorithm differs
        if (reservoir != null) {
            reservoir.restore(savedReservoir);
        }
        if (ewc != null) {
            ewc.restore(state.ewc());
        }
        evaluator.restore(state.evaluation());
        System.arraycopy(p, 0, params, 0, params.length);
        standardizer = Standardizer.fromState(s);
        for (int i = 0; i < pending.size(); i++) {
            System.arraycopy(pending.rowView(i), 0, pendingRows[i], 0, numFeatures);
            pendingLabels[i] = pending.label(i);
            pendingWeights[i] = pending.weight(i);
        }
        pendingCount = pending.size();
        examplesSeen = state.examplesSeen();
        updates = state.updates();
        skippedUpdates = state.skippedUpdates();
        rng.setState(state.rngState());
    }

    private void checkRows(LearnerState.Examples examples, String what) {
        for (int i = 0; i < examples.size(); i++) {
            checkArgument(examples.rowView(i).length == numFeatures, "%s rows must have %s features", what,
                    numFeatures);
            int label = examples.label(i);
            checkArgument(label >= 0 && label < numClasses, "%s label %s is not a class of this model", what, label);
        }
    }

    /** A copy of the model as it is now (e.g. to export a version). */
    public DifferentiableModel modelCopy() {
        return model.copy();
    }

    /** A copy of the standardizer as it is now: the mean and std an exported version must bake in. */
    public Standardizer standardizerCopy() {
        return standardizer.copy();
    }

    public int numFeatures() {
        return numFeatures;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Examples passed to {@link #evaluateThenTrain}. */
    public long examplesSeen() {
        return examplesSeen;
    }

    /** Optimizer steps taken. */
    public long updates() {
        return updates;
    }

    /** Steps skipped because the gradient was not finite. */
    public long skippedUpdates() {
        return skippedUpdates;
    }

    /** Examples waiting for the minibatch to fill. */
    public int pendingExamples() {
        return pendingCount;
    }

    /** Examples in the reservoir (0 without one). */
    public int reservoirSize() {
        return reservoir == null ? 0 : reservoir.size();
    }

    /** EWC consolidations so far (0 when off). */
    public long consolidations() {
        return ewc == null ? 0 : ewc.consolidations();
    }

    /** Whether the standardizer still learns from new examples. */
    public boolean standardizerUpdating() {
        return examplesSeen < freezeStandardizerAfter;
    }

    private void step() {
        Arrays.fill(grad, 0.0);
        SplittableRandom dropout = new SplittableRandom(rng.nextLong());
        int n = 0;
        for (int i = 0; i < pendingCount; i++) {
            accumulate(pendingRows[i], pendingLabels[i], pendingWeights[i], dropout);
            n++;
        }
        if (replayPerStep > 0 && reservoir.size() > 0) {
            int size = reservoir.size();
            for (int j = 0; j < replayPerStep; j++) {
                int k = rng.nextInt(size);
                accumulate(reservoir.row(k), reservoir.label(k), reservoir.weight(k), dropout);
                n++;
            }
        }
        double inv = 1.0 / n;
        double sumSq = 0.0;
        for (int i = 0; i < grad.length; i++) {
            double g = grad[i] * inv;
            grad[i] = g;
            sumSq += g * g;
        }
        boolean finite = Double.isFinite(sumSq);
        if (finite) {
            if (clipValue < Double.POSITIVE_INFINITY) {
                GradientClipping.clipByValue(grad, clipValue);
            }
            if (clipNorm < Double.POSITIVE_INFINITY) {
                GradientClipping.clipByNorm(grad, clipNorm);
            }
            if (ewc != null) {
                ewc.addGradient(params, grad);
            }
            optimizer.step(params, grad);
            updates++;
        } else {
            skippedUpdates++;
        }
        if (reservoir != null) {
            for (int i = 0; i < pendingCount; i++) {
                reservoir.offer(pendingRows[i], pendingLabels[i], pendingWeights[i]);
            }
        }
        pendingCount = 0;
        if (finite && consolidateEvery > 0 && updates % consolidateEvery == 0) {
            consolidate();
        }
    }

    private void accumulate(double[] rawX, int label, double weight, SplittableRandom dropout) {
        standardizer.transform(rawX, z);
        double w = classWeights == null ? weight : weight * classWeights.of(label);
        model.lossAndGradient(z, label, w, grad, dropout);
    }

    private void predictInto(double[] rawX) {
        standardizer.transform(rawX, z);
        model.predict(z, probabilities);
    }

    private static Optimizer regularized(Builder b) {
        RegularizedOptimizer.Builder wrapped = RegularizedOptimizer.builder(b.optimizer).regularizer(b.regularizer);
        if (b.proximalStepSize != null) {
            wrapped.proximalStepSize(b.proximalStepSize);
        }
        return wrapped.build();
    }

    private static int argmax(double[] values, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    private void checkExample(double[] rawX, int label, double weight) {
        if (rawX == null || rawX.length != numFeatures) {
            throw new IllegalArgumentException(
                    "rawX must have " + numFeatures + " features, got " + (rawX == null ? "null" : rawX.length));
        }
        for (int i = 0; i < numFeatures; i++) {
            if (!Double.isFinite(rawX[i])) {
                throw new IllegalArgumentException("rawX[" + i + "] is not finite: " + rawX[i]);
            }
        }
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException("label must be in [0, " + numClasses + "), got " + label);
        }
        if (!(weight >= 0.0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
        }
    }

    /**
     * Collects a learner's configuration; {@link #build()} validates it. Only the model and the optimizer are
     * required; by default the learner steps on every example, updates its standardizer forever, keeps no reservoir,
     * and has no replay, no EWC, no regularizer and no clipping.
     */
    public static final class Builder {

        private final DifferentiableModel model;
        private final Optimizer optimizer;
        private long seed;
        private int minibatchSize = 1;
        private LabelWeights classWeights;
        private Regularizer regularizer;
        private LearningRateSchedule proximalStepSize;
        private double clipNorm = Double.POSITIVE_INFINITY;
        private double clipValue = Double.POSITIVE_INFINITY;
        private Standardizer.State initialStandardizer;
        private long freezeStandardizerAfter = Long.MAX_VALUE;
        private int reservoirCapacity;
        private int replayPerStep;
        private double ewcLambda;
        private long consolidateEvery;
        private double ewcDecay;
        private int evaluationWindow = DEFAULT_EVALUATION_WINDOW;

        private Builder(DifferentiableModel model, Optimizer optimizer) {
            this.model = checkNotNull(model, "model");
            this.optimizer = checkNotNull(optimizer, "optimizer");
        }

        /** Seed of every random choice the learner makes (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Examples per optimizer step, {@code k >= 1} (default 1: a step per example). */
        public Builder minibatchSize(int k) {
            this.minibatchSize = checkPositive(k, "minibatchSize");
            return this;
        }

        /** Per-class loss multipliers (e.g. {@link dev.vigil.models.loss.ClassWeights}); default: every class 1. */
        public Builder classWeights(LabelWeights classWeights) {
            this.classWeights = checkNotNull(classWeights, "classWeights");
            return this;
        }

        /** A penalty on the parameters (e.g. {@link Regularizer#elasticNet}); see {@link RegularizedOptimizer}. */
        public Builder regularizer(Regularizer regularizer) {
            this.regularizer = checkNotNull(regularizer, "regularizer");
            return this;
        }

        /** Step size of the regularizer's proximal (L1) step: required with an L1 part (the optimizer's rate). */
        public Builder proximalStepSize(LearningRateSchedule proximalStepSize) {
            this.proximalStepSize = checkNotNull(proximalStepSize, "proximalStepSize");
            return this;
        }

        /** Clip the data gradient of each step to L2 norm {@code maxNorm > 0}. */
        public Builder clipNorm(double maxNorm) {
            this.clipNorm = checkPositive(maxNorm, "clipNorm");
            return this;
        }

        /** Clip each component of the data gradient to {@code [-limit, limit]}, {@code limit > 0}. */
        public Builder clipValue(double limit) {
            this.clipValue = checkPositive(limit, "clipValue");
            return this;
        }

        /** Start the standardizer from these statistics (e.g. fitted offline) instead of empty ones. */
        public Builder initialStandardizer(Standardizer.State state) {
            this.initialStandardizer = checkNotNull(state, "initialStandardizer");
            return this;
        }

        /**
         * Update the standardizer on the first {@code examples} examples only, then freeze it; 0 freezes it from the
         * start (at {@link #initialStandardizer}, or the identity without one). Default: never freeze. See the class
         * Javadoc for the trade-off.
         */
        public Builder freezeStandardizerAfter(long examples) {
            checkArgument(examples >= 0, "freezeStandardizerAfter must be >= 0, got %s", examples);
            this.freezeStandardizerAfter = examples;
            return this;
        }

        /** Keep a reservoir sample of up to {@code capacity} past examples (for replay and EWC's Fisher). */
        public Builder reservoir(int capacity) {
            this.reservoirCapacity = checkPositive(capacity, "reservoir capacity");
            return this;
        }

        /** Mix {@code examplesPerStep} examples drawn from the reservoir into every step (needs a reservoir). */
        public Builder replay(int examplesPerStep) {
            this.replayPerStep = checkPositive(examplesPerStep, "replay examplesPerStep");
            return this;
        }

        /**
         * Turn EWC on with penalty strength {@code lambda > 0} (needs a reservoir for the Fisher sample). The penalty
         * adds curvature {@code lambda F_i} to each coordinate: plain SGD with learning rate {@code eta} oscillates and
         * diverges once {@code eta lambda F_i > 2}, which accumulating online EWC ({@link #ewcDecay}) reaches sooner
         * (the Fisher grows up to {@code 1 / (1 - gamma)} times one estimate). Adam and the other adaptive methods
         * normalize it away.
         */
        public Builder ewc(double lambda) {
            this.ewcLambda = checkPositive(lambda, "ewc lambda");
            return this;
        }

        /** Consolidate EWC automatically every {@code updates} optimizer steps (default: only on explicit calls). */
        public Builder ewcConsolidateEvery(long updates) {
            checkArgument(updates > 0, "ewcConsolidateEvery must be > 0, got %s", updates);
            this.consolidateEvery = updates;
            return this;
        }

        /** Online EWC: keep {@code gamma} of the previous Fisher at each consolidation, {@code 0 <= gamma <= 1}. */
        public Builder ewcDecay(double gamma) {
            checkArgument(gamma >= 0.0 && gamma <= 1.0, "ewcDecay must be in [0, 1], got %s", gamma);
            this.ewcDecay = gamma;
            return this;
        }

        /** Length {@code N} of the prequential metrics window (default {@value #DEFAULT_EVALUATION_WINDOW}). */
        public Builder evaluationWindow(int n) {
            this.evaluationWindow = checkPositive(n, "evaluationWindow");
            return this;
        }

        public OnlineLearner build() {
            checkArgument(
                    replayPerStep == 0 || reservoirCapacity > 0, "replay needs a reservoir: set reservoir(capacity)");
            checkArgument(ewcLambda == 0.0 || reservoirCapacity > 0,
                    "EWC estimates the Fisher on the reservoir: set reservoir(capacity)");
            checkArgument(consolidateEvery == 0 || ewcLambda > 0.0, "ewcConsolidateEvery needs ewc(lambda)");
            checkArgument(ewcDecay == 0.0 || ewcLambda > 0.0, "ewcDecay needs ewc(lambda)");
            checkArgument(model.numClasses() >= 2, "the model must have at least 2 classes");
            checkArgument(classWeights == null || classWeights.numClasses() == model.numClasses(),
                    "class weights cover %s classes, the model has %s",
                    classWeights == null ? 0 : classWeights.numClasses(), model.numClasses());
            checkArgument(initialStandardizer == null || initialStandardizer.mean().length == model.numFeatures(),
                    "the initial standardizer has %s features, the model %s",
                    initialStandardizer == null ? 0 : initialStandardizer.mean().length, model.numFeatures());
            checkArgument(proximalStepSize == null || regularizer != null, "proximalStepSize needs a regularizer");
            if (regularizer != null && regularizer.hasProximalStep()) {
                checkArgument(!(optimizer instanceof Ftrl), "ftrl has its own lambda1; do not add an L1 regularizer");
                checkArgument(proximalStepSize != null,
                        "a regularizer with an L1 part needs proximalStepSize (the optimizer's learning rate)");
            }
            return new OnlineLearner(this);
        }
    }
}
