package dev.vigil.models.optim;

import dev.vigil.models.linear.LogisticRegression;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One online update of a dense logistic regression with 32 features: the single-example loss gradient ({@link
 * LogisticRegression#lossAndGradient}) and one {@link Optimizer#step}, per optimizer. {@link
 * LogisticGradientBenchmark} measures the gradient alone, so the optimizer's share is the difference. Examples cycle
 * through 1024 pre-generated standardized rows, so the data stays in cache as a streaming learner's current record
 * would.
 *
 * <p>Run with {@code mvn -o -pl models -Pbench verify -DskipTests} (see docs/BENCHMARKS.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
@State(Scope.Thread)
public class OptimizerStepBenchmark {

    static final int FEATURES = 32;
    static final int ROWS = 1024;

    @Param({"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "ftrl"})
    public String optimizer;

    private LogisticRegression model;
    private Optimizer stepper;
    private double[][] x;
    private int[] y;
    private double[] grad;
    private int row;

    @Setup
    public void setUp() {
        x = new double[ROWS][FEATURES];
        y = new int[ROWS];
        generate(x, y);
        model = new LogisticRegression(FEATURES);
        grad = new double[model.numParameters()];
        ParameterMask weightsOnly = ParameterMask.excluding(model.numParameters(), model.biasIndex());
        stepper = Optimizers.create(spec(optimizer), weightsOnly);
        row = 0;
    }

    /** Standardized Gaussian rows; the label depends on every fourth feature plus noise. Seeded. */
    static void generate(double[][] x, int[] y) {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < x.length; i++) {
            double score = 0.0;
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = gaussian(random);
                score += (j % 4 == 0 ? 1.0 : 0.0) * x[i][j];
            }
            y[i] = score + gaussian(random) > 0 ? 1 : 0;
        }
    }

    /** Settings a fraud/CTR learner might use; FTRL with L1 and L2 so its thresholding branch runs. */
    static OptimizerSpec spec(String name) {
        return switch (name) {
            case "sgd", "momentum", "nesterov" -> OptimizerSpec.of(name, 0.01);
            case "adagrad" -> OptimizerSpec.of(name, 0.1);
            case "rmsprop", "adam" -> OptimizerSpec.of(name, 0.001);
            case "adamw" -> OptimizerSpec.builder(name).learningRate(0.001).weightDecay(1e-5).build();
            case "ftrl" -> OptimizerSpec.builder(name).learningRate(0.1).lambda1(1.0).lambda2(1.0).build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    static double gaussian(SplittableRandom random) {
        // Box-Muller; setup only.
        return Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble())) * Math.cos(2.0 * Math.PI * random.nextDouble());
    }

    /** Gradient of one example plus one optimizer step: one online update. */
    @Benchmark
    public double update() {
        int i = row;
        row = (i + 1) & (ROWS - 1);
        double loss = model.lossAndGradient(x[i], y[i], 1.0, 0.0, grad);
        stepper.step(model.parameters(), grad);
        return loss;
    }
}
