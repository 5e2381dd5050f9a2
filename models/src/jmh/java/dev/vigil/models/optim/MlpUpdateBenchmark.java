package dev.vigil.models.optim;

import dev.vigil.models.nn.Mlp;
import java.util.Arrays;
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
 * One online update of a binary {@link Mlp} (sigmoid output, ReLU hidden layers, no dropout) on 32 standardized
 * features: zero the gradient, the single-example forward/backward pass ({@link Mlp#lossAndGradient}, which adds into
 * the gradient) and one {@link Optimizer#step}, as the learner does with a minibatch of 1. {@link #gradientOnly()} is
 * the same without the optimizer step, so the optimizer's share is the difference. Same rows and optimizer settings
 * as {@link OptimizerStepBenchmark} (sgd lr 0.01, adam lr 0.001).
 *
 * <p>Run with {@code mvn -o -pl models -Pbench verify -DskipTests -Djmh.args="MlpUpdateBenchmark"} (see
 * docs/BENCHMARKS.md).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
@State(Scope.Thread)
public class MlpUpdateBenchmark {

    /** Hidden layer widths, input side first, comma-separated. */
    @Param({"32", "64,32"})
    public String hidden;

    @Param({"sgd", "adam"})
    public String optimizer;

    private Mlp model;
    private Optimizer stepper;
    private double[][] x;
    private int[] y;
    private double[] grad;
    private int row;

    @Setup
    public void setUp() {
        x = new double[OptimizerStepBenchmark.ROWS][OptimizerStepBenchmark.FEATURES];
        y = new int[OptimizerStepBenchmark.ROWS];
        OptimizerStepBenchmark.generate(x, y);
        int[] sizes = Arrays.stream(hidden.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        model = Mlp.builder()
                .numFeatures(OptimizerStepBenchmark.FEATURES)
                .hiddenLayers(sizes)
                .numClasses(2)
                .seed(42)
                .build();
        grad = new double[model.numParameters()];
        stepper = Optimizers.create(OptimizerStepBenchmark.spec(optimizer));
        row = 0;
    }

    /** Gradient of one example plus one optimizer step: one online update. */
    @Benchmark
    public double update() {
        int i = row;
        row = (i + 1) & (OptimizerStepBenchmark.ROWS - 1);
        Arrays.fill(grad, 0.0);
        double loss = model.lossAndGradient(x[i], y[i], 1.0, grad, null);
        stepper.step(model.parameters(), grad);
        return loss;
    }

    /** The forward/backward pass alone (the parameters do not move). */
    @Benchmark
    public double gradientOnly() {
        int i = row;
        row = (i + 1) & (OptimizerStepBenchmark.ROWS - 1);
        Arrays.fill(grad, 0.0);
        return model.lossAndGradient(x[i], y[i], 1.0, grad, null);
    }
}
