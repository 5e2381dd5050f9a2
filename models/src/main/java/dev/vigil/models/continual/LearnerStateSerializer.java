package dev.vigil.models.continual;

import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.data.Standardizer;
import dev.vigil.models.optim.OptimizerState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compact binary form of {@link LearnerState} over {@link DataOutput} / {@link DataInput} (what a Flink {@code
 * TypeSerializer} delegates to): big-endian, doubles as their raw IEEE-754 bits, so a round trip is exact. No
 * reflection, no schema library.
 *
 * <pre>
 *   int    MAGIC ("VGLS")        byte   VERSION
 *   long   examplesSeen, updates, skippedUpdates, rngState
 *   double[] parameters                                  (int length, then the values)
 *   optimizer:    UTF algorithm, long steps, int slots, then per slot (UTF name, double[] values), names sorted
 *   standardizer: long count, double[] mean, double[] m2
 *   examples pending                                     (int n, int dim, n rows, int[] labels, double[] weights)
 *   boolean hasReservoir [int capacity, long offered, long rngState, examples contents]
 *   boolean hasEwc       [long consolidations, double[] anchor, double[] fisher]
 *   evaluation:   long count, double sumLogLoss, long correct, int windowCapacity,
 *                 double[] scores, int[] predicted, int[] labels, double[] logLosses
 * </pre>
 *
 * A reader rejects a wrong magic number or an unknown version; bump {@link #VERSION} on any change to the layout and
 * keep reading the old one.
 */
public final class LearnerStateSerializer {

    /** "VGLS" in ASCII. */
    public static final int MAGIC = 0x56474c53;

    /** The layout version written. */
    public static final byte VERSION = 1;

    private LearnerStateSerializer() {}

    /** Writes {@code state} to {@code out}. */
    public static void write(LearnerState state, DataOutput out) throws IOException {
        checkNotNull(state, "state");
        checkNotNull(out, "out");
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeLong(state.examplesSeen());
        out.writeLong(state.updates());
        out.writeLong(state.skippedUpdates());
        out.writeLong(state.rngState());
        writeDoubles(state.parameters(), out);
        writeOptimizer(state.optimizer(), out);
        Standardizer.State s = state.standardizer();
        out.writeLong(s.count());
        writeDoubles(s.mean(), out);
        writeDoubles(s.m2(), out);
        writeExamples(state.pending(), out);
        LearnerState.Reservoir reservoir = state.reservoir();
        out.writeBoolean(reservoir != null);
        if (reservoir != null) {
            out.writeInt(reservoir.capacity());
            out.writeLong(reservoir.offered());
            out.writeLong(reservoir.rngState());
            writeExamples(reservoir.contents(), out);
        }
        LearnerState.Ewc ewc = state.ewc();
        out.writeBoolean(ewc != null);
        if (ewc != null) {
            out.writeLong(ewc.consolidations());
            writeDoubles(ewc.anchor(), out);
            writeDoubles(ewc.fisher(), out);
        }
        LearnerState.Evaluation e = state.evaluation();
        out.writeLong(e.count());
        out.writeLong(Double.doubleToRawLongBits(e.sumLogLoss()));
        out.writeLong(e.correct());
        out.writeInt(e.windowCapacity());
        writeDoubles(e.scores(), out);
        writeInts(e.predicted(), out);
        writeInts(e.labels(), out);
        writeDoubles(e.logLosses(), out);
    }

    /**
     * Reads a state written by {@link #write}.
     *
     * @throws IOException on a wrong magic number, an unknown version, or a truncated or inconsistent input
     */
    public static LearnerState read(DataInput in) throws IOException {
        checkNotNull(in, "in");
        int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException("not a learner state: magic " + Integer.toHexString(magic));
        }
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("unknown learner state version " + version + ", this reader knows " + VERSION);
        }
        try {
            long examplesSeen = in.readLong();
            long updates = in.readLong();
            long skippedUpdates = in.readLong();
            long rngState = in.readLong();
            double[] parameters = readDoubles(in);
            OptimizerState optimizer = readOptimizer(in);
            Standardizer.State standardizer = new Standardizer.State(in.readLong(), readDoubles(in), readDoubles(in));
            LearnerState.Examples pending = readExamples(in);
            LearnerState.Reservoir reservoir = null;
            if (in.readBoolean()) {
                reservoir = new LearnerState.Reservoir(in.readInt(), in.readLong(), in.readLong(), readExamples(in));
            }
            LearnerState.Ewc ewc = null;
            if (in.readBoolean()) {
                ewc = new LearnerState.Ewc(in.readLong(), readDoubles(in), readDoubles(in));
            }
            LearnerState.Evaluation evaluation = new LearnerState.Evaluation(
                    in.readLong(),
                    Double.longBitsToDouble(in.readLong()),
                    in.readLong(),
                    in.readInt(),
                    readDoubles(in),
                    readInts(in),
                    readInts(in),
                    readDoubles(in));
            return new LearnerState(examplesSeen, updates, skippedUpdates, rngState, parameters, optimizer,
                    standardizer, pending, reservoir, ewc, evaluation);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("inconsistent learner state: " + e.getMessage(), e);
        }
    }

    /** {@link #write} into a new byte array. */
    public static byte[] toBytes(LearnerState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(state, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@link #read} from a byte array holding exactly one state. */
    public static LearnerState fromBytes(byte[] bytes) throws IOException {
        checkNotNull(bytes, "bytes");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            LearnerState state = read(in);
            if (in.read() != -1) {
                throw new IOException("trailing bytes after the learner state");
            }
            return state;
        }
    }

    private static void writeOptimizer(OptimizerState state, DataOutput out) throws IOException {
        out.writeUTF(state.algorithm());
        out.writeLong(state.steps());
        Map<String, double[]> slots = state.slots(); // a sorted copy
        out.writeInt(slots.size());
        for (Map.Entry<String, double[]> e : slots.entrySet()) {
            out.writeUTF(e.getKey());
            writeDoubles(e.getValue(), out);
        }
    }

    private static OptimizerState readOptimizer(DataInput in) throws IOException {
        String algorithm = in.readUTF();
        long steps = in.readLong();
        int n = readLength(in);
        Map<String, double[]> slots = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            slots.put(in.readUTF(), readDoubles(in));
        }
        return new OptimizerState(algorithm, steps, slots);
    }

    private static void writeExamples(LearnerState.Examples examples, DataOutput out) throws IOException {
        int n = examples.size();
        out.writeInt(n);
        int dimension = n == 0 ? 0 : examples.rowView(0).length;
        out.writeInt(dimension);
        for (int i = 0; i < n; i++) {
            double[] row = examples.rowView(i);
            if (row.length != dimension) {
                throw new IOException("rows of different lengths: " + row.length + " vs " + dimension);
            }
            for (double v : row) {
                out.writeLong(Double.doubleToRawLongBits(v));
            }
        }
        writeInts(examples.labels(), out);
        writeDoubles(examples.weights(), out);
    }

    private static LearnerState.Examples readExamples(DataInput in) throws IOException {
        int n = readLength(in);
        int dimension = readLength(in);
        if ((long) n * dimension > (1 << 28)) {
            throw new IOException("corrupt example block: " + n + " rows of " + dimension);
        }
        double[][] rows = new double[n][dimension];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dimension; j++) {
                rows[i][j] = Double.longBitsToDouble(in.readLong());
            }
        }
        return new LearnerState.Examples(rows, readInts(in), readDoubles(in));
    }

    private static void writeDoubles(double[] values, DataOutput out) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    private static double[] readDoubles(DataInput in) throws IOException {
        double[] values = new double[readLength(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(in.readLong());
        }
        return values;
    }

    private static void writeInts(int[] values, DataOutput out) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInput in) throws IOException {
        int[] values = new int[readLength(in)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static int readLength(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 28)) {
            throw new IOException("corrupt length " + n);
        }
        return n;
    }
}
