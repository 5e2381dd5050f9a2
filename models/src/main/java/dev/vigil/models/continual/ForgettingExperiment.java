package dev.vigil.models.continual;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.optim.Adam;
import dev.vigil.models.optim.Optimizer;
import dev.vigil.models.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measures catastrophic forgetting on recurring concepts, A then B then A again, and how much experience replay and
 * EWC reduce it (see {@link OnlineLearner} for the methods). The results are recorded in {@code
 * docs/CONTINUAL_LEARNING.md}; rerun with {@code mvn -o -q -pl models exec:java
 * -Dexec.mainClass=dev.vigil.models.continual.ForgettingExperiment} or from the IDE.
 *
 * <h2>The stream</h2>
 *
 * Eight features; {@code x2, x3, x4} are shared evidence with the same weight in both concepts and {@code x5, x6, x7}
 * are noise. Under concept A the label is driven by {@code x0}, and {@code x1} barely varies; under concept B the label
 * is driven by {@code x1}, and {@code x0} turns into a weak proxy of the label <em>with the opposite sign</em> (a
 * sensor whose meaning flips between two regimes):
 *
 * <pre>
 *   shared s = 0.5 (x2 + x3 + x4),  x2..x7 ~ N(0, 1)
 *   A: x0 ~ N(0, 1), x1 ~ N(0, 0.15^2);       t = 1.5 x0 + s
 *   B: x1 ~ N(0, 1);  t = 1.5 x1 + s;         x0 = -0.3 t / sqrt(3) + N(0, 0.15^2)
 *   y = 1[t + N(0, 0.3^2) > 0]
 * </pre>
 *
 * A linear model that does well on both exists (a positive weight on both {@code x0} and {@code x1} and on the shared
 * features), but a learner that sees only B learns a negative weight on {@code x0}, which ruins it on A.
 *
 * <h2>Protocol</h2>
 *
 * For each model and optimizer, and each guard ({@link Guard}), with fresh seeds per repeat: train prequentially on
 * {@code n} examples of A, measure accuracy on a held-out A set; train on {@code n} examples of B, measure accuracy on
 * held-out A and B sets; train on {@code n / 3} examples of A again and measure held-out A accuracy and the prequential
 * accuracy during the return. EWC consolidates at the two concept boundaries (they are known here, as in Kirkpatrick
 * et al.'s experiments); {@link Guard#EWC_PERIODIC} consolidates every 50 updates instead, as a learner that does not
 * know the boundaries would. Standardization is frozen at the identity (the features are generated at unit scale), so
 * the drop measures the guards, not drifting statistics.
 */
public final class ForgettingExperiment {

    /** Features of the synthetic stream. */
    public static final int FEATURES = 8;

    /** The two recurring concepts. */
    public enum Concept {
        A,
        B
    }

    /** The forgetting guards compared. */
    public enum Guard {
        PLAIN("plain"),
        REPLAY("replay"),
        EWC("EWC"),
        REPLAY_EWC("replay + EWC"),
        EWC_PERIODIC("EWC, periodic online");

        private final String label;

        Guard(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        boolean replay() {
            return this == REPLAY || this == REPLAY_EWC;
        }

        boolean ewc() {
            return this == EWC || this == REPLAY_EWC || this == EWC_PERIODIC;
        }
    }

    /** The learners compared: a model with an optimizer. */
    public enum Setup {
        LOGISTIC_SGD("logistic regression", "SGD 0.05"),
        LOGISTIC_ADAM("logistic regression", "Adam 0.01"),
        MLP_ADAM("MLP 8-16-1", "Adam 0.005");

        private final String model;
        private final String optimizer;

        Setup(String model, String optimizer) {
            this.model = model;
            this.optimizer = optimizer;
        }

        public String model() {
            return model;
        }

        public String optimizer() {
            return optimizer;
        }

        DifferentiableModel newModel(long seed) {
            return switch (this) {
                case LOGISTIC_SGD, LOGISTIC_ADAM -> new LogisticRegression(FEATURES);
                case MLP_ADAM -> Mlp.builder().numFeatures(FEATURES).hiddenLayers(16).numClasses(2).seed(seed).build();
            };
        }

        Optimizer newOptimizer() {
            return switch (this) {
                case LOGISTIC_SGD -> new Sgd(0.05);
                case LOGISTIC_ADAM -> new Adam(0.01);
                case MLP_ADAM -> new Adam(0.005);
            };
        }
    }

    /**
     * The experiment's settings.
     *
     * @param seed the base seed; repeat {@code r} uses seeds derived from {@code seed} and {@code r}
     * @param repeats independent repetitions averaged
     * @param examplesPerConcept examples of A, then of B; the return to A has a third as many
     * @param holdoutSize examples in each held-out set
     * @param minibatchSize examples per step
     * @param reservoirCapacity the reservoir's size (replay and the Fisher sample)
     * @param replayPerStep replayed examples per step
     * @param ewcLambda EWC's {@code lambda}
     */
    public record Settings(
            long seed,
            int repeats,
            int examplesPerConcept,
            int holdoutSize,
            int minibatchSize,
            int reservoirCapacity,
            int replayPerStep,
            double ewcLambda) {

        /** The settings of the table in docs/CONTINUAL_LEARNING.md. */
        public static final Settings DEFAULT = new Settings(20261125L, 5, 3_000, 2_000, 8, 500, 8, 20.0);

        public Settings {
            checkArgument(repeats > 0, "repeats must be > 0");
            checkArgument(examplesPerConcept >= 3, "examplesPerConcept must be >= 3");
            checkArgument(holdoutSize > 0, "holdoutSize must be > 0");
            checkArgument(minibatchSize > 0 && reservoirCapacity > 0 && replayPerStep > 0, "sizes must be > 0");
            checkArgument(ewcLambda > 0, "ewcLambda must be > 0");
        }
    }

    /**
     * Mean results of one setup and guard over the repeats; accuracies in [0, 1].
     *
     * @param setup the model and optimizer
     * @param guard the forgetting guard
     * @param accuracyAAfterA held-out A accuracy after learning A
     * @param accuracyAAfterB held-out A accuracy after then learning B
     * @param accuracyBAfterB held-out B accuracy after learning B
     * @param accuracyAAfterReturn held-out A accuracy after the return to A
     * @param prequentialAccuracyOnReturn prequential accuracy over the return to A (how fast A comes back)
     * @param dropStd the standard deviation of the drop over the repeats
     */
    public record Result(
            Setup setup,
            Guard guard,
            double accuracyAAfterA,
            double accuracyAAfterB,
            double accuracyBAfterB,
            double accuracyAAfterReturn,
            double prequentialAccuracyOnReturn,
            double dropStd) {

        /** The forgetting: accuracy on A after A minus accuracy on A after B. */
        public double drop() {
            return accuracyAAfterA - accuracyAAfterB;
        }
    }

    private ForgettingExperiment() {}

    /** Runs every setup with every guard. */
    public static List<Result> run(Settings settings) {
        List<Result> results = new ArrayList<>();
        for (Setup setup : Setup.values()) {
            for (Guard guard : Guard.values()) {
                results.add(run(settings, setup, guard));
            }
        }
        return results;
    }

    /** Runs one setup with one guard, averaging over the repeats. */
    public static Result run(Settings settings, Setup setup, Guard guard) {
        checkNotNull(settings, "settings");
        checkNotNull(setup, "setup");
        checkNotNull(guard, "guard");
        double[][] sums = new double[5][settings.repeats()];
        for (int r = 0; r < settings.repeats(); r++) {
            double[] one = runOnce(settings, setup, guard, SplitMix64.mix64(settings.seed() + 0x9e3779b97f4a7c15L * r));
            for (int k = 0; k < one.length; k++) {
                sums[k][r] = one[k];
            }
        }
        double[] drops = new double[settings.repeats()];
        for (int r = 0; r < drops.length; r++) {
            drops[r] = sums[0][r] - sums[1][r];
        }
        return new Result(setup, guard, mean(sums[0]), mean(sums[1]), mean(sums[2]), mean(sums[3]), mean(sums[4]),
                std(drops));
    }

    /** {@code [accAAfterA, accAAfterB, accBAfterB, accAAfterReturn, prequentialAccuracyOnReturn]} of one run. */
    private static double[] runOnce(Settings s, Setup setup, Guard guard, long seed) {
        OnlineLearner.Builder builder = OnlineLearner.builder(setup.newModel(seed), setup.newOptimizer())
                .seed(seed)
                .minibatchSize(s.minibatchSize())
                .freezeStandardizerAfter(0)
                .reservoir(s.reservoirCapacity());
        if (guard.replay()) {
            builder.replay(s.replayPerStep());
        }
        if (guard.ewc()) {
            builder.ewc(s.ewcLambda());
        }
        if (guard == Guard.EWC_PERIODIC) {
            builder.ewcConsolidateEvery(50).ewcDecay(0.9);
        }
        OnlineLearner learner = builder.build();
        boolean boundaries = guard.ewc() && guard != Guard.EWC_PERIODIC;

        SplittableRandom stream = new SplittableRandom(seed ^ 0x53545245414dL);
        double[][] holdA = new double[s.holdoutSize()][];
        int[] holdAy = new int[s.holdoutSize()];
        double[][] holdB = new double[s.holdoutSize()][];
        int[] holdBy = new int[s.holdoutSize()];
        SplittableRandom holdout = new SplittableRandom(seed ^ 0x484f4c444f5554L);
        for (int i = 0; i < s.holdoutSize(); i++) {
            holdA[i] = new double[FEATURES];
            holdAy[i] = sample(Concept.A, holdout, holdA[i]);
            holdB[i] = new double[FEATURES];
            holdBy[i] = sample(Concept.B, holdout, holdB[i]);
        }

        double[] x = new double[FEATURES];
        train(learner, Concept.A, s.examplesPerConcept(), stream, x);
        if (boundaries) {
            learner.consolidate();
        }
        double accAA = accuracy(learner, holdA, holdAy);
        train(learner, Concept.B, s.examplesPerConcept(), stream, x);
        double accAB = accuracy(learner, holdA, holdAy);
        double accBB = accuracy(learner, holdB, holdBy);
        if (boundaries) {
            learner.consolidate();
        }
        int correctOnReturn = train(learner, Concept.A, s.examplesPerConcept() / 3, stream, x);
        double accAR = accuracy(learner, holdA, holdAy);
        return new double[] {accAA, accAB, accBB, accAR, correctOnReturn / (double) (s.examplesPerConcept() / 3)};
    }

    /**
     * The reference a continual learner aims for: the same learner trained on A and B interleaved at random ({@code
     * 2 n} examples, no guard), averaged over the repeats. Returns {@code [accuracy on A, accuracy on B]}.
     */
    public static double[] jointReference(Settings s, Setup setup) {
        double accA = 0.0;
        double accB = 0.0;
        for (int r = 0; r < s.repeats(); r++) {
            long seed = SplitMix64.mix64(s.seed() + 0x9e3779b97f4a7c15L * r);
            OnlineLearner learner = OnlineLearner.builder(setup.newModel(seed), setup.newOptimizer())
                    .seed(seed)
                    .minibatchSize(s.minibatchSize())
                    .freezeStandardizerAfter(0)
                    .build();
            SplittableRandom stream = new SplittableRandom(seed ^ 0x4a4f494e54L);
            double[] x = new double[FEATURES];
            for (int i = 0; i < 2 * s.examplesPerConcept(); i++) {
                int y = sample(stream.nextBoolean() ? Concept.A : Concept.B, stream, x);
                learner.evaluateThenTrain(x, y, 1.0);
            }
            learner.flush();
            accA += heldOutAccuracy(learner, Concept.A, s.holdoutSize(), seed);
            accB += heldOutAccuracy(learner, Concept.B, s.holdoutSize(), seed);
        }
        return new double[] {accA / s.repeats(), accB / s.repeats()};
    }

    private static double heldOutAccuracy(OnlineLearner learner, Concept concept, int n, long seed) {
        SplittableRandom holdout = new SplittableRandom(seed ^ 0x484f4c444f5554L ^ concept.ordinal());
        double[] x = new double[FEATURES];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int y = sample(concept, holdout, x);
            correct += (learner.predictProbability(x) >= 0.5 ? 1 : 0) == y ? 1 : 0;
        }
        return (double) correct / n;
    }

    /** Trains prequentially on {@code n} examples of {@code concept}; returns how many were predicted correctly. */
    private static int train(OnlineLearner learner, Concept concept, int n, SplittableRandom stream, double[] x) {
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int y = sample(concept, stream, x);
            if (learner.evaluateThenTrain(x, y, 1.0).correct(y)) {
                correct++;
            }
        }
        learner.flush();
        return correct;
    }

    /** Fills {@code x} with one example of {@code concept} and returns its label (see the class Javadoc). */
    public static int sample(Concept concept, SplittableRandom random, double[] x) {
        checkArgument(x.length == FEATURES, "x must have %s features", FEATURES);
        for (int i = 2; i < FEATURES; i++) {
            x[i] = random.nextGaussian();
        }
        double shared = 0.5 * (x[2] + x[3] + x[4]);
        double t;
        if (concept == Concept.A) {
            x[0] = random.nextGaussian();
            x[1] = 0.15 * random.nextGaussian();
            t = 1.5 * x[0] + shared;
        } else {
            x[1] = random.nextGaussian();
            t = 1.5 * x[1] + shared;
            x[0] = -0.3 * t / Math.sqrt(3.0) + 0.15 * random.nextGaussian();
        }
        return t + 0.3 * random.nextGaussian() > 0.0 ? 1 : 0;
    }

    private static double accuracy(OnlineLearner learner, double[][] x, int[] y) {
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            int predicted = learner.predictProbability(x[i]) >= 0.5 ? 1 : 0;
            correct += predicted == y[i] ? 1 : 0;
        }
        return (double) correct / x.length;
    }

    private static double mean(double[] v) {
        double s = 0.0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        if (v.length < 2) {
            return 0.0;
        }
        double m = mean(v);
        double s = 0.0;
        for (double d : v) {
            s += (d - m) * (d - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** The results as a Markdown table (accuracies in percent). */
    public static String toMarkdown(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | optimizer | guard | A after A | A after B | drop (± sd) | B after B | A after return | ")
                .append("prequential acc. on return |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            sb.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %.1f | %.1f | %.1f (± %.1f) | %.1f | %.1f | %.1f |%n",
                    r.setup().model(), r.setup().optimizer(), r.guard().label(),
                    100 * r.accuracyAAfterA(), 100 * r.accuracyAAfterB(), 100 * r.drop(), 100 * r.dropStd(),
                    100 * r.accuracyBAfterB(), 100 * r.accuracyAAfterReturn(), 100 * r.prequentialAccuracyOnReturn()));
        }
        return sb.toString();
    }

    /**
     * EWC (at the boundaries) with each {@code lambda} in {@code lambdas}, for every setup: the trade-off between
     * remembering A and learning B, as a Markdown table.
     */
    public static String lambdaSweep(Settings settings, double... lambdas) {
        StringBuilder sb = new StringBuilder();
        sb.append("| lambda | model | optimizer | A after B | drop | B after B |\n");
        sb.append("|---:|---|---|---:|---:|---:|\n");
        for (double lambda : lambdas) {
            Settings s = new Settings(settings.seed(), settings.repeats(), settings.examplesPerConcept(),
                    settings.holdoutSize(), settings.minibatchSize(), settings.reservoirCapacity(),
                    settings.replayPerStep(), lambda);
            for (Setup setup : Setup.values()) {
                Result r = run(s, setup, Guard.EWC);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f |%n",
                        lambda, setup.model(), setup.optimizer(), 100 * r.accuracyAAfterB(), 100 * r.drop(),
                        100 * r.accuracyBAfterB()));
            }
        }
        return sb.toString();
    }

    /**
     * Prints the table for {@link Settings#DEFAULT} and the EWC {@code lambda} sweep, or for {@code [seed [repeats]]}
     * given as arguments.
     */
    public static void main(String[] args) {
        Settings d = Settings.DEFAULT;
        long seed = args.length > 0 ? Long.parseLong(args[0]) : d.seed();
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : d.repeats();
        Settings settings = new Settings(seed, repeats, d.examplesPerConcept(), d.holdoutSize(), d.minibatchSize(),
                d.reservoirCapacity(), d.replayPerStep(), d.ewcLambda());
        long start = System.nanoTime();
        System.out.println(settings);
        System.out.println();
        System.out.print(toMarkdown(run(settings)));
        System.out.println();
        System.out.println("| model | optimizer | joint training: A | joint training: B |");
        System.out.println("|---|---|---:|---:|");
        for (Setup setup : Setup.values()) {
            double[] joint = jointReference(settings, setup);
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f |%n", setup.model(), setup.optimizer(),
                    100 * joint[0], 100 * joint[1]);
        }
        System.out.println();
        System.out.print(lambdaSweep(settings, 1.0, 5.0, 20.0, 100.0));
        System.out.printf(Locale.ROOT, "%n(%.1f s)%n", (System.nanoTime() - start) / 1e9);
    }
}
