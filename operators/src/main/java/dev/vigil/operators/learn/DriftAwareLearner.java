package dev.vigil.operators.learn;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;
import static dev.vigil.models.util.Checks.checkState;

import dev.vigil.models.continual.LearnerState;
import dev.vigil.models.continual.LearnerStateSerializer;
import dev.vigil.models.continual.OnlineLearner;
import dev.vigil.models.continual.Prediction;
import dev.vigil.models.optim.OptimizerState;
import dev.vigil.operators.drift.DetectorState;
import dev.vigil.operators.drift.DriftDetector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link OnlineLearner} that watches its own prequential error stream with a label-based {@link DriftDetector} and
 * adapts when the detector signals a drift: the learner-side policy of J. Gama, P. Medas, G. Castillo and P.
 * Rodrigues, "Learning with Drift Detection", SBIA 2004 (LNCS 3171), Section 3. Plain Java (no Flink): the offline
 * {@code vigil prequential} command uses it as is, and an operator can hold one and checkpoint its {@link
 * #snapshot()}.
 *
 * <pre>{@code
 * LearnerSettings settings = LearnerOptions.settings(config);
 * DriftAwareLearner learner = DriftAwareLearner.builder(
 *                 () -> settings.newLearner(settings.newModel(numFeatures), null),
 *                 DriftDetectors.create("ddm"))
 *         .warningBufferCapacity(10_000)
 *         .build();
 * Prediction p = learner.evaluateThenTrain(rawFeatures, label, 1.0);
 * if (learner.driftDetected()) {
 *     Detection d = learner.lastDetection();   // where, since when, what was done
 * }
 * }</pre>
 *
 * <h2>The policy</h2>
 *
 * Every example is first predicted and trained on by the current learner ({@link OnlineLearner#evaluateThenTrain}:
 * prequential test-then-train), then its 0/1 error ({@code 1} when the predicted class is not the label) is fed to the
 * detector.
 *
 * <ul>
 *   <li><b>Warning</b> ({@link DriftDetector#warningDetected()}): the context may be changing. From the first warning
 *       on, the examples are stored (the current one included) in a buffer of the most recent {@link
 *       Builder#warningBufferCapacity} examples.
 *   <li><b>Back to normal</b> (neither warning nor drift) after a warning: a false alarm, the buffer is discarded.
 *   <li><b>Drift</b> with a non-empty buffer: the paper's rule, "the model induced by the learning method is reset
 *       and a new model is learnt using the examples stored since the warning level was triggered". A fresh learner
 *       of the same specification (the {@link LearnerFactory}: same model family, optimizer, hyper-parameters and
 *       seed, new parameters, optimizer state and standardizer) is trained on the buffered examples, oldest first,
 *       then steps on any partial minibatch ({@link OnlineLearner#flush()}), and replaces the old learner ({@link
 *       Adaptation#RETRAINED}).
 *   <li><b>Drift without a warning</b> (detectors without a warning level, e.g. ADWIN or Page-Hinkley, or a drift
 *       signalled at the first warning): there is nothing to learn a new model from, and a model that starts from
 *       scratch predicts at chance for a while. The parameters and the standardizer are kept and the optimizer's state
 *       is reset ({@link Adaptation#OPTIMIZER_RESET}): step counts, moments and accumulators go back to their initial
 *       values, which restores the full step size of decaying methods (AdaGrad's accumulators, Adam's bias correction)
 *       so the learner moves away from the old concept as fast as it first learnt it. FTRL's weights are a function of
 *       its state, so for {@code ftrl} this amounts to starting from zero weights; EWC's anchor, if any, is kept.
 * </ul>
 *
 * After a drift the detector resets itself (its contract), the buffer is emptied and the next example starts a new
 * reference. DDM, EDDM and HDDM (one-sided, their default) signal rising error only; ADWIN and Page-Hinkley in mode
 * {@code both} also signal a fall, e.g. along a young learner's learning curve, which here costs an optimizer reset
 * (use Page-Hinkley with {@code mode=up} to watch rises only). A retrained learner's own {@link OnlineLearner#metrics() prequential metrics} start with the buffered
 * examples; callers that report stream-level metrics should accumulate the returned {@link Prediction}s instead.
 *
 * <h2>State and determinism</h2>
 *
 * Given the same factory, detector parameters and stream, the predictions and detections are identical from run to
 * run. {@link #restore} of a {@link #snapshot()} into a learner built with the same factory, detector type and
 * parameters and buffer capacity continues bit for bit; {@link State#toBytes()} and {@link State#fromBytes} write it
 * for operator state. The buffer is part of the state: at most {@code capacity x numFeatures x 8} bytes. Not
 * thread-safe. While no warning is active, evaluating and training allocate only what the wrapped learner does.
 */
public final class DriftAwareLearner {

    /** Default {@link Builder#warningBufferCapacity}. */
    public static final int DEFAULT_WARNING_BUFFER_CAPACITY = 10_000;

    /** What the learner did on a drift. */
    public enum Adaptation {
        /** A fresh learner was trained on the examples buffered since the warning and replaced the old one. */
        RETRAINED,
        /** No example was buffered: the parameters were kept and the optimizer's state was reset. */
        OPTIMIZER_RESET
    }

    /**
     * A drift the learner adapted to.
     *
     * @param index the example (stream position from 0) whose error made the detector signal the drift
     * @param warningIndex the example at which the warning that preceded it began, or {@code -1} for none
     * @param adaptation what was done
     * @param retrainedOn examples the new learner was trained on ({@code 0} for {@link Adaptation#OPTIMIZER_RESET});
     *     fewer than {@code index - warningIndex + 1} when the warning outlasted the buffer
     */
    public record Detection(long index, long warningIndex, Adaptation adaptation, int retrainedOn) {
        public Detection {
            checkArgument(index >= 0, "index must be >= 0, got %s", index);
            checkArgument(warningIndex >= -1 && warningIndex <= index, "warningIndex must be in [-1, %s], got %s",
                    index, warningIndex);
            checkNotNull(adaptation, "adaptation");
            checkArgument(retrainedOn >= 0, "retrainedOn must be >= 0, got %s", retrainedOn);
            checkArgument((adaptation == Adaptation.RETRAINED) == (retrainedOn > 0),
                    "a retraining needs examples, an optimizer reset has none: %s on %s", adaptation, retrainedOn);
        }
    }

    /** Makes fresh learners of one specification: the initial one and every replacement after a drift. */
    @FunctionalInterface
    public interface LearnerFactory {
        /** A new learner with fresh parameters; every call must build the same configuration. */
        OnlineLearner newLearner();
    }

    private final LearnerFactory factory;
    private final DriftDetector detector;
    private final int bufferCapacity;
    private final int numFeatures;
    private final int numClasses;

    private OnlineLearner learner;

    // Ring buffer of the examples since the warning began; oldest at (head - size) mod capacity. Allocated lazily.
    private double[][] bufferRows;
    private int[] bufferLabels;
    private double[] bufferWeights;
    private int bufferHead;
    private int bufferSize;

    private long examplesSeen;
    private long warningIndex = -1;
    private long warnings;
    private long drifts;
    private Detection lastDetection;
    private boolean driftOnLast;

    private DriftAwareLearner(Builder b) {
        this.factory = b.factory;
        this.detector = b.detector;
        this.bufferCapacity = b.bufferCapacity;
        this.learner = newLearner();
        this.numFeatures = learner.numFeatures();
        this.numClasses = learner.numClasses();
    }

    /** A builder for a learner made by {@code factory} and watched by {@code detector} (a label-based one). */
    public static Builder builder(LearnerFactory factory, DriftDetector detector) {
        return new Builder(factory, detector);
    }

    /**
     * Prequential test-then-train on one example with the current learner, then the drift policy (class Javadoc).
     *
     * @param rawX the raw features, finite, of length {@link #numFeatures()}
     * @param label the class index
     * @param weight the example's weight, finite and {@code >= 0}
     * @return the current learner's prediction, made before it trained on the example
     */
    public Prediction evaluateThenTrain(double[] rawX, int label, double weight) {
        Prediction p = learner.evaluateThenTrain(rawX, label, weight); // validates the example
        long index = examplesSeen++;
        detector.update(p.correct(label) ? 0.0 : 1.0);
        driftOnLast = detector.driftDetected();
        if (driftOnLast) {
            if (warningIndex >= 0) {
                buffer(rawX, label, weight);
            }
            adapt(index);
        } else if (detector.warningDetected()) {
            if (warningIndex < 0) {
                warningIndex = index;
                warnings++;
            }
            buffer(rawX, label, weight);
        } else if (warningIndex >= 0) {
            clearBuffer(); // a false alarm
        }
        return p;
    }

    private void adapt(long index) {
        Detection detection;
        if (bufferSize > 0) {
            OnlineLearner fresh = newLearner();
            int start = bufferStart();
            for (int k = 0; k < bufferSize; k++) {
                int i = (start + k) % bufferCapacity;
                fresh.evaluateThenTrain(bufferRows[i], bufferLabels[i], bufferWeights[i]);
            }
            fresh.flush();
            learner = fresh;
            detection = new Detection(index, warningIndex, Adaptation.RETRAINED, bufferSize);
        } else {
            resetOptimizer();
            detection = new Detection(index, warningIndex, Adaptation.OPTIMIZER_RESET, 0);
        }
        drifts++;
        lastDetection = detection;
        clearBuffer();
    }

    private void resetOptimizer() {
        OptimizerState initial = newLearner().snapshot().optimizer();
        LearnerState s = learner.snapshot();
        learner.restore(new LearnerState(s.examplesSeen(), s.updates(), s.skippedUpdates(), s.rngState(),
                s.parameters(), initial, s.standardizer(), s.pending(), s.reservoir(), s.ewc(), s.evaluation()));
    }

    private OnlineLearner newLearner() {
        OnlineLearner l = checkNotNull(factory.newLearner(), "the learner factory returned null");
        if (learner != null) {
            checkState(l.numFeatures() == numFeatures && l.numClasses() == numClasses,
                    "the learner factory built a learner with %s features and %s classes, expected %s and %s",
                    l.numFeatures(), l.numClasses(), numFeatures, numClasses);
        }
        return l;
    }

    private void buffer(double[] rawX, int label, double weight) {
        if (bufferRows == null) {
            bufferRows = new double[bufferCapacity][];
            bufferLabels = new int[bufferCapacity];
            bufferWeights = new double[bufferCapacity];
        }
        double[] row = bufferRows[bufferHead];
        if (row == null) {
            row = new double[numFeatures];
            bufferRows[bufferHead] = row;
        }
        System.arraycopy(rawX, 0, row, 0, numFeatures);
        bufferLabels[bufferHead] = label;
        bufferWeights[bufferHead] = weight;
        bufferHead = bufferHead + 1 == bufferCapacity ? 0 : bufferHead + 1;
        if (bufferSize < bufferCapacity) {
            bufferSize++;
        }
    }

    private int bufferStart() {
        int start = bufferHead - bufferSize;
        return start < 0 ? start + bufferCapacity : start;
    }

    private void clearBuffer() {
        bufferSize = 0;
        bufferHead = 0;
        warningIndex = -1;
    }

    /** The learner making predictions now (replaced on a drift with {@link Adaptation#RETRAINED}). */
    public OnlineLearner learner() {
        return learner;
    }

    /** Whether the last example's error made the detector signal a drift (and the learner adapted). */
    public boolean driftDetected() {
        return driftOnLast;
    }

    /** Whether a warning is active: examples are being buffered. */
    public boolean warningActive() {
        return warningIndex >= 0;
    }

    /** The latest drift adapted to, or {@code null} before the first. */
    public Detection lastDetection() {
        return lastDetection;
    }

    /** Drifts adapted to so far. */
    public long drifts() {
        return drifts;
    }

    /** Warning periods begun so far (false alarms included). */
    public long warnings() {
        return warnings;
    }

    /** Examples buffered since the current warning began (0 without one). */
    public int bufferedExamples() {
        return bufferSize;
    }

    /** Examples of the stream passed to {@link #evaluateThenTrain} (not counting retraining on the buffer). */
    public long examplesSeen() {
        return examplesSeen;
    }

    public int numFeatures() {
        return numFeatures;
    }

    public int numClasses() {
        return numClasses;
    }

    /** The detector's name, e.g. {@code ddm}. */
    public String detectorName() {
        return detector.name();
    }

    /** Everything mutable: the current learner, the detector, the buffer and the counters. */
    public State snapshot() {
        double[][] rows = new double[bufferSize][];
        int[] labels = new int[bufferSize];
        double[] weights = new double[bufferSize];
        int start = bufferStart();
        for (int k = 0; k < bufferSize; k++) {
            int i = (start + k) % bufferCapacity;
            rows[k] = bufferRows[i];
            labels[k] = bufferLabels[i];
            weights[k] = bufferWeights[i];
        }
        return new State(learner.snapshot(), detector.snapshot(), new LearnerState.Examples(rows, labels, weights),
                examplesSeen, warningIndex, warnings, drifts, lastDetection, driftOnLast);
    }

    /**
     * Replaces everything mutable with {@code state}, taken by {@link #snapshot()} of a learner built with the same
     * factory, detector type and parameters and a buffer capacity at least the state's buffer.
     *
     * @throws IllegalArgumentException if the state does not fit this learner
     */
    public void restore(State state) {
        checkNotNull(state, "state");
        LearnerState.Examples buffered = state.buffer();
        checkArgument(buffered.size() <= bufferCapacity, "the state buffers %s examples, the capacity is %s",
                buffered.size(), bufferCapacity);
        double[][] rows = buffered.rows();
        int[] labels = buffered.labels();
        for (int i = 0; i < rows.length; i++) {
            checkArgument(rows[i].length == numFeatures, "buffered rows must have %s features", numFeatures);
            checkArgument(labels[i] >= 0 && labels[i] < numClasses, "buffered label %s is not a class", labels[i]);
        }
        OnlineLearner restored = newLearner();
        restored.restore(state.learner());
        detector.restore(state.detector());
        learner = restored;
        clearBuffer();
        double[] weights = buffered.weights();
        for (int i = 0; i < rows.length; i++) {
            buffer(rows[i], labels[i], weights[i]);
        }
        examplesSeen = state.examplesSeen();
        warningIndex = state.warningIndex();
        warnings = state.warnings();
        drifts = state.drifts();
        lastDetection = state.lastDetection();
        driftOnLast = state.driftOnLast();
    }

    /**
     * Everything mutable in a {@link DriftAwareLearner}, as plain values.
     *
     * @param learner the current learner's state
     * @param detector the detector's state
     * @param buffer the examples buffered since the warning, oldest first
     * @param examplesSeen stream examples seen
     * @param warningIndex the start of the active warning, or {@code -1}
     * @param warnings warning periods begun
     * @param drifts drifts adapted to
     * @param lastDetection the latest drift, or {@code null}
     * @param driftOnLast whether the last example signalled a drift
     */
    public record State(
            LearnerState learner,
            DetectorState detector,
            LearnerState.Examples buffer,
            long examplesSeen,
            long warningIndex,
            long warnings,
            long drifts,
            Detection lastDetection,
            boolean driftOnLast) {

        /** "VGDA" in ASCII. */
        private static final int MAGIC = 0x56474441;

        private static final byte VERSION = 1;

        public State {
            checkNotNull(learner, "learner");
            checkNotNull(detector, "detector");
            checkNotNull(buffer, "buffer");
            checkArgument(examplesSeen >= 0 && warnings >= 0 && drifts >= 0, "counters must be >= 0");
            checkArgument(warningIndex >= -1 && warningIndex < Math.max(examplesSeen, 1),
                    "warningIndex must be -1 or an example seen, got %s", warningIndex);
            checkArgument(warningIndex >= 0 || buffer.size() == 0, "examples are buffered only during a warning");
        }

        /**
         * The state as bytes: magic, version, the learner ({@link LearnerStateSerializer}), the detector's name and
         * named slots, the buffer, the counters and the last detection.
         */
        public byte[] toBytes() {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeByte(VERSION);
                LearnerStateSerializer.write(learner, out);
                out.writeUTF(detector.detector());
                out.writeInt(detector.slots().size());
                for (Map.Entry<String, double[]> e : detector.slots().entrySet()) {
                    out.writeUTF(e.getKey());
                    writeDoubles(e.getValue(), out);
                }
                double[][] rows = buffer.rows();
                int[] labels = buffer.labels();
                double[] weights = buffer.weights();
                out.writeInt(rows.length);
                for (int i = 0; i < rows.length; i++) {
                    writeDoubles(rows[i], out);
                    out.writeInt(labels[i]);
                    out.writeDouble(weights[i]);
                }
                out.writeLong(examplesSeen);
                out.writeLong(warningIndex);
                out.writeLong(warnings);
                out.writeLong(drifts);
                out.writeBoolean(lastDetection != null);
                if (lastDetection != null) {
                    out.writeLong(lastDetection.index());
                    out.writeLong(lastDetection.warningIndex());
                    out.writeUTF(lastDetection.adaptation().name());
                    out.writeInt(lastDetection.retrainedOn());
                }
                out.writeBoolean(driftOnLast);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        /** Reads a state written by {@link #toBytes()}. */
        public static State fromBytes(byte[] bytes) throws IOException {
            checkNotNull(bytes, "bytes");
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                if (in.readInt() != MAGIC) {
                    throw new IOException("not a drift-aware learner state (bad magic number)");
                }
                byte version = in.readByte();
                if (version != VERSION) {
                    throw new IOException("unknown drift-aware learner state version " + version);
                }
                LearnerState learner = LearnerStateSerializer.read(in);
                String detectorName = in.readUTF();
                int slots = in.readInt();
                checkLength(slots, "detector slots");
                Map<String, double[]> values = new LinkedHashMap<>();
                for (int i = 0; i < slots; i++) {
                    values.put(in.readUTF(), readDoubles(in));
                }
                int n = in.readInt();
                checkLength(n, "buffered examples");
                double[][] rows = new double[n][];
                int[] labels = new int[n];
                double[] weights = new double[n];
                for (int i = 0; i < n; i++) {
                    rows[i] = readDoubles(in);
                    labels[i] = in.readInt();
                    weights[i] = in.readDouble();
                }
                long examplesSeen = in.readLong();
                long warningIndex = in.readLong();
                long warnings = in.readLong();
                long drifts = in.readLong();
                Detection last = null;
                if (in.readBoolean()) {
                    last = new Detection(in.readLong(), in.readLong(), Adaptation.valueOf(in.readUTF()), in.readInt());
                }
                boolean driftOnLast = in.readBoolean();
                if (in.read() != -1) {
                    throw new IOException("trailing bytes after the drift-aware learner state");
                }
                return new State(learner, new DetectorState(detectorName, values),
                        new LearnerState.Examples(rows, labels, weights), examplesSeen, warningIndex, warnings,
                        drifts, last, driftOnLast);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IOException("inconsistent drift-aware learner state: " + e.getMessage(), e);
            }
        }

        private static void writeDoubles(double[] values, DataOutput out) throws IOException {
            out.writeInt(values.length);
            for (double v : values) {
                out.writeDouble(v);
            }
        }

        private static double[] readDoubles(DataInput in) throws IOException {
            int n = in.readInt();
            checkLength(n, "array");
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = in.readDouble();
            }
            return values;
        }

        private static void checkLength(int n, String what) throws IOException {
            if (n < 0) {
                throw new IOException("negative length of " + what + ": " + n);
            }
        }
    }

    /** Collects the parts; {@link #build()} makes the first learner. */
    public static final class Builder {
        private final LearnerFactory factory;
        private final DriftDetector detector;
        private int bufferCapacity = DEFAULT_WARNING_BUFFER_CAPACITY;

        private Builder(LearnerFactory factory, DriftDetector detector) {
            this.factory = checkNotNull(factory, "factory");
            this.detector = checkNotNull(detector, "detector");
        }

        /**
         * The most examples kept from a warning to the drift, {@code >= 1} (default {@value
         * #DEFAULT_WARNING_BUFFER_CAPACITY}); a longer warning keeps the most recent ones.
         */
        public Builder warningBufferCapacity(int capacity) {
            this.bufferCapacity = checkPositive(capacity, "warningBufferCapacity");
            return this;
        }

        public DriftAwareLearner build() {
            return new DriftAwareLearner(this);
        }
    }
}
