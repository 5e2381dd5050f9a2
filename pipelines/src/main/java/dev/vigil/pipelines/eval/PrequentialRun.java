package dev.vigil.pipelines.eval;

import dev.vigil.models.continual.OnlineLearner;
import dev.vigil.models.continual.Prediction;
import dev.vigil.operators.learn.DriftAwareLearner;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Prequential (test-then-train) evaluation of an online learner over a recorded stream, as MOA's {@code
 * EvaluatePrequential} and River's {@code progressive_val_score} do (J. Gama, R. Sebastião and P. P. Rodrigues, "On
 * evaluating stream learning algorithms", Machine Learning 90(3), 2013): each example is first predicted by the
 * learner as it is, then learnt from. The learner is Vigil's own {@link OnlineLearner} (or a {@link DriftAwareLearner}
 * around it), the very code the learner operator runs.
 *
 * <p>Every {@code every} examples (or every period of event time) and at the end, a {@link Line} reports the metrics
 * of all examples so far: accuracy, mean log loss (the learner's, with probabilities clipped to {@code [1e-15, 1]}),
 * AUROC for a binary label ({@link StreamingAuroc}), and examples per second since the start. The last line covers
 * the whole stream. Every number but the rate is a function of the stream and the learner's configuration only.
 *
 * <pre>{@code
 * PrequentialRun.Line total = PrequentialRun.builder(stream, learner)
 *         .every(10_000)
 *         .listener(line -> out.println(line.format()))
 *         .build()
 *         .run();
 * }</pre>
 */
public final class PrequentialRun {

    /** Columns of a {@link Line} as {@link Line#format()} writes them. */
    public static final String COLUMNS = "examples\taccuracy\tlog_loss\tauroc\texamples_per_s";

    /**
     * Metrics of the examples seen so far.
     *
     * @param examples examples evaluated
     * @param accuracy fraction predicted correctly, in {@code [0, 1]}
     * @param logLoss mean log loss
     * @param auroc AUROC ({@code NaN} for a multiclass label or while one class is missing)
     * @param examplesPerSecond examples per second of wall-clock time since the run began
     */
    public record Line(long examples, double accuracy, double logLoss, double auroc, double examplesPerSecond) {

        /** Tab-separated: examples, accuracy, log loss, AUROC (6 decimals; {@code NaN} if undefined), rate. */
        public String format() {
            return String.format(Locale.ROOT, "%d\t%.6f\t%.6f\t%s\t%.0f", examples, accuracy, logLoss,
                    Double.isNaN(auroc) ? "NaN" : String.format(Locale.ROOT, "%.6f", auroc), examplesPerSecond);
        }
    }

    /** Receives the lines and the detections as they happen. */
    public interface Listener {
        void line(Line line);

        /** A drift the learner adapted to (only with a {@link DriftAwareLearner}). */
        default void drift(DriftAwareLearner.Detection detection) {}
    }

    private final ExampleStream stream;
    private final OnlineLearner plain;
    private final DriftAwareLearner aware;
    private final long every;
    private final long periodMillis;
    private final Listener listener;
    private final LongSupplier nanoClock;
    private final long limit;

    private PrequentialRun(Builder b) {
        this.stream = b.stream;
        this.plain = b.plain;
        this.aware = b.aware;
        this.every = b.every;
        this.periodMillis = b.period == null ? 0 : b.period.toMillis();
        this.listener = b.listener;
        this.nanoClock = b.nanoClock;
        this.limit = b.limit;
    }

    /** A run of {@code learner} over {@code stream}. */
    public static Builder builder(ExampleStream stream, OnlineLearner learner) {
        Builder b = new Builder(stream);
        b.plain = Objects.requireNonNull(learner, "learner");
        return b;
    }

    /** A run of a drift-aware {@code learner} over {@code stream}; detections go to the listener. */
    public static Builder builder(ExampleStream stream, DriftAwareLearner learner) {
        Builder b = new Builder(stream);
        b.aware = Objects.requireNonNull(learner, "learner");
        return b;
    }

    /**
     * Reads the stream to its end (or the limit), evaluating then training on each example.
     *
     * @return the whole-stream line (also given to the listener last)
     * @throws InputFormatException from the stream, with the line of the bad record
     */
    public Line run() throws IOException {
        int numClasses = plain != null ? plain.numClasses() : aware.numClasses();
        boolean binary = numClasses == 2;
        StreamingAuroc auroc = binary ? new StreamingAuroc() : null;
        long start = nanoClock.getAsLong();
        long n = 0;
        long correct = 0;
        double sumLogLoss = 0.0;
        long nextBoundary = Long.MIN_VALUE;
        long lastReported = -1;
        while (n < limit && stream.next()) {
            if (periodMillis > 0) {
                long t = stream.timeMillis();
                if (t == Long.MIN_VALUE) {
                    throw new IllegalStateException("reporting by event time needs a stream with a time column");
                }
                if (nextBoundary == Long.MIN_VALUE) {
                    nextBoundary = Math.floorDiv(t, periodMillis) * periodMillis + periodMillis;
                } else if (t >= nextBoundary) {
                    listener.line(line(n, correct, sumLogLoss, auroc, start));
                    lastReported = n;
                    nextBoundary = Math.floorDiv(t, periodMillis) * periodMillis + periodMillis;
                }
            }
            double[] x = stream.features();
            int y = stream.label();
            Prediction p;
            if (plain != null) {
                p = plain.evaluateThenTrain(x, y, 1.0);
            } else {
                p = aware.evaluateThenTrain(x, y, 1.0);
                if (aware.driftDetected()) {
                    listener.drift(aware.lastDetection());
                }
            }
            n++;
            if (p.correct(y)) {
                correct++;
            }
            sumLogLoss += p.logLoss();
            if (binary) {
                auroc.add(p.probability(), y);
            }
            if (every > 0 && n % every == 0) {
                listener.line(line(n, correct, sumLogLoss, auroc, start));
                lastReported = n;
            }
        }
        Line total = line(n, correct, sumLogLoss, auroc, start);
        if (lastReported != n) {
            listener.line(total);
        }
        return total;
    }

    private Line line(long n, long correct, double sumLogLoss, StreamingAuroc auroc, long start) {
        double seconds = (nanoClock.getAsLong() - start) / 1e9;
        return new Line(n,
                n == 0 ? Double.NaN : (double) correct / n,
                n == 0 ? Double.NaN : sumLogLoss / n,
                auroc == null ? Double.NaN : auroc.auroc(),
                seconds > 0 ? n / seconds : Double.NaN);
    }

    /** Settings of a run; only the stream and the learner are required. */
    public static final class Builder {
        private final ExampleStream stream;
        private OnlineLearner plain;
        private DriftAwareLearner aware;
        private long every;
        private Duration period;
        private Listener listener = line -> {};
        private LongSupplier nanoClock = System::nanoTime;
        private long limit = Long.MAX_VALUE;

        private Builder(ExampleStream stream) {
            this.stream = Objects.requireNonNull(stream, "stream");
        }

        /** Report every {@code n >= 1} examples (default: only at the end). */
        public Builder every(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("every must be >= 1, got " + n);
            }
            this.every = n;
            return this;
        }

        /**
         * Also report whenever an example's event time enters a new period of this length, aligned to the epoch
         * (the line covers the examples before it); needs a stream with a time column.
         */
        public Builder everyPeriod(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.toMillis() < 1) {
                throw new IllegalArgumentException("the period must be at least 1 ms, got " + period);
            }
            this.period = period;
            return this;
        }

        public Builder listener(Listener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The clock of the examples-per-second rate (default {@link System#nanoTime}); a fake one in tests. */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** Stop after {@code n >= 1} examples. */
        public Builder limit(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("limit must be >= 1, got " + n);
            }
            this.limit = n;
            return this;
        }

        public PrequentialRun build() {
            int numFeatures = plain != null ? plain.numFeatures() : aware.numFeatures();
            int numClasses = plain != null ? plain.numClasses() : aware.numClasses();
            if (numFeatures != stream.numFeatures() || numClasses != stream.numClasses()) {
                throw new IllegalArgumentException("the learner takes " + numFeatures + " features and " + numClasses
                        + " classes, the stream has " + stream.numFeatures() + " and " + stream.numClasses());
            }
            return new PrequentialRun(this);
        }
    }
}
