package dev.vigil.models.optim;

import dev.vigil.models.linear.LogisticRegression;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The baseline of {@link OptimizerStepBenchmark}: the single-example gradient without an optimizer step. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(2)
@State(Scope.Thread)
public class LogisticGradientBenchmark {

    private LogisticRegression model;
    private double[][] x;
    private int[] y;
    private double[] grad;
    private int row;

    @Setup
    public void setUp() {
        x = new double[OptimizerStepBenchmark.ROWS][OptimizerStepBenchmark.FEATURES];
        y = new int[OptimizerStepBenchmark.ROWS];
        OptimizerStepBenchmark.generate(x, y);
        model = new LogisticRegression(OptimizerStepBenchmark.FEATURES);
        // Non-zero weights, as after some training.
        double[] params = model.parameters();
        for (int j = 0; j < OptimizerStepBenchmark.FEATURES; j += 4) {
            params[j] = 0.5;
        }
        grad = new double[model.numParameters()];
    }

    @Benchmark
    public double gradientOnly() {
        int i = row;
        row = (i + 1) & (OptimizerStepBenchmark.ROWS - 1);
        return model.lossAndGradient(x[i], y[i], 1.0, 0.0, grad);
    }
}
