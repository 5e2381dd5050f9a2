package dev.vigil.models.nn;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkFinite;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense, symmetric autoencoder on standardized inputs, {@code F -> h_1 [-> h_2] -> h_1 -> F} (the encoder's widths
 * mirrored by the decoder), with tanh or ReLU hidden units and a linear output layer, trained to reproduce its input
 * under the mean squared reconstruction error (G. E. Hinton and R. R. Salakhutdinov, "Reducing the dimensionality of
 * data with neural networks", Science 313(5786), 2006). The narrow middle layer forces it to learn the structure of
 * the bulk of the data, so a row unlike the training data is reconstructed badly: its reconstruction error is an
 * anomaly score (M. Sakurada and T. Yairi, "Anomaly detection using autoencoders with nonlinear dimensionality
 * reduction", MLSDA 2014), and each feature's share of the error says why the row is unusual.
 *
 * <pre>{@code
 * Autoencoder ae = Autoencoder.builder()
 *         .numFeatures(20)
 *         .encoderLayers(12, 6)              // F -> 12 -> 6 -> 12 -> F
 *         .activation(Autoencoder.Activation.TANH)
 *         .seed(7)
 *         .build();
 * double score = ae.anomalyScore(standardizedRow);
 * }</pre>
 *
 * <p><b>Score.</b> For a standardized row {@code z} and its reconstruction {@code r}: {@code score(z) = (1/F) sum_j
 * (r_j - z_j)^2}, and the contribution of feature {@code j} is {@code (r_j - z_j)^2 / F}, so the contributions of a
 * row sum to its score. {@link #lossAndGradient} trains on exactly this quantity.
 *
 * <p><b>Parameters.</b> One vector {@link #parameters()}; layer {@code l}'s weight matrix ({@code m_l x n_l}, row by
 * row, {@code W_l[o][i]} at {@code weightOffset(l) + o n_l + i}) followed by its {@code m_l} biases, layer after layer
 * from the input, as in {@link Mlp}.
 *
 * <p><b>Initialization</b> from {@link Builder#seed(long)}: weights of layers followed by tanh, and of the linear
 * output layer, from {@code N(0, 2 / (n_l + m_l))} (X. Glorot and Y. Bengio, AISTATS 2010); of layers followed by
 * ReLU from {@code N(0, 2 / n_l)} (K. He et al., ICCV 2015). Biases start at zero. The same seed gives the same
 * parameters.
 *
 * <p><b>Not thread-safe.</b> An instance owns reusable activation buffers, so scoring and training allocate nothing
 * per row; give every thread its own {@link #copy()}.
 */
public final class Autoencoder implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Most encoder layers (the decoder mirrors them). */
    public static final int MAX_ENCODER_LAYERS = 2;

    /** The nonlinearity of the hidden layers; the output layer is linear. */
    public enum Activation {
        /** {@code tanh(a)}, ONNX {@code Tanh}. */
        TANH,
        /** {@code max(a, 0)}, ONNX {@code Relu}. */
        RELU;

        double apply(double a) {
            return this == TANH ? Math.tanh(a) : (a > 0.0 ? a : 0.0);
        }

        /** The derivative at the pre-activation whose activation is {@code y}. */
        double derivativeFromOutput(double y) {
            return this == TANH ? 1.0 - y * y : (y > 0.0 ? 1.0 : 0.0);
        }
    }

    private final int numFeatures;
    private final Activation activation;
    private final long seed;
    /** Layer widths {@code [F, h_1, (h_2, h_1,) F]} or {@code [F, h_1, F]}. */
    private final int[] sizes;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final double[] params;
    private transient Workspace workspace;

    private Autoencoder(int numFeatures, int[] encoder, Activation activation, long seed, double[] parameters) {
        this.numFeatures = numFeatures;
        this.activation = activation;
        this.seed = seed;
        int e = encoder.length;
        this.sizes = new int[2 * e + 1];
        sizes[0] = numFeatures;
        sizes[2 * e] = numFeatures;
        for (int k = 0; k < e; k++) {
            sizes[1 + k] = encoder[k];
            sizes[2 * e - 1 - k] = encoder[k];
        }
        int layers = sizes.length - 1;
        this.weightOffsets = new int[layers];
        this.biasOffsets = new int[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = (int) offset;
            offset += (long) sizes[l] * sizes[l + 1];
            biasOffsets[l] = (int) offset;
            offset += sizes[l + 1];
            checkArgument(offset <= Integer.MAX_VALUE - 8, "too many parameters: %s", offset);
        }
        this.params = new double[(int) offset];
        if (parameters != null) {
            checkArgument(
                    parameters.length == params.length,
                    "parameters must have length %s for this architecture, got %s",
                    params.length,
                    parameters.length);
            checkFinite(parameters, "parameters");
            System.arraycopy(parameters, 0, params, 0, params.length);
        } else {
            initialize(new SplittableRandom(seed));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private void initialize(SplittableRandom random) {
        int last = numLayers() - 1;
        for (int l = 0; l <= last; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            boolean relu = l < last && activation == Activation.RELU;
            double std = relu ? Math.sqrt(2.0 / in) : Math.sqrt(2.0 / (in + out));
            int from = weightOffsets[l];
            int to = from + in * out;
            for (int i = from; i < to; i++) {
                params[i] = std * random.nextGaussian();
            }
        }
    }

    /** Input and output width {@code F}. */
    public int numFeatures() {
        return numFeatures;
    }

    /** Widths of the encoder's layers, input side first; the last is the bottleneck (a copy). */
    public int[] encoderLayers() {
        return Arrays.copyOfRange(sizes, 1, (sizes.length + 1) / 2);
    }

    /** Width of the narrowest (middle) layer. */
    public int bottleneck() {
        return sizes[sizes.length / 2];
    }

    public Activation activation() {
        return activation;
    }

    /** The seed the initial parameters were drawn from. */
    public long seed() {
        return seed;
    }

    /** Number of dense layers: twice the encoder layers. */
    public int numLayers() {
        return sizes.length - 1;
    }

    /** Inputs of dense layer {@code l}. */
    public int layerInputSize(int l) {
        checkLayer(l);
        return sizes[l];
    }

    /** Outputs of dense layer {@code l}. */
    public int layerOutputSize(int l) {
        checkLayer(l);
        return sizes[l + 1];
    }

    /** Index of {@code W_l[0][0]} in {@link #parameters()}. */
    public int weightOffset(int l) {
        checkLayer(l);
        return weightOffsets[l];
    }

    /** Index of {@code b_l[0]} in {@link #parameters()}. */
    public int biasOffset(int l) {
        checkLayer(l);
        return biasOffsets[l];
    }

    public int numParameters() {
        return params.length;
    }

    /** The live parameter vector; writes change the model. */
    public double[] parameters() {
        return params;
    }

    /**
     * Whether parameter {@code k} is a weight (as opposed to a bias): what L2 regularization applies to.
     */
    public boolean isWeight(int k) {
        checkArgument(k >= 0 && k < params.length, "parameter index must be in [0, %s), got %s", params.length, k);
        for (int l = numLayers() - 1; l >= 0; l--) {
            if (k >= weightOffsets[l]) {
                return k < biasOffsets[l];
            }
        }
        return false;
    }

    /** Writes the reconstruction of the standardized row {@code z} into {@code out} (length {@code >= F}). */
    public void reconstruct(double[] z, double[] out) {
        checkRow(z);
        checkArgument(out != null && out.length >= numFeatures, "out must have length >= %s", numFeatures);
        Workspace w = workspace();
        forward(z, w);
        System.arraycopy(w.output, 0, out, 0, numFeatures);
    }

    /** The anomaly score of the standardized row {@code z}: the mean squared reconstruction error. */
    public double anomalyScore(double[] z) {
        checkRow(z);
        Workspace w = workspace();
        forward(z, w);
        double sum = 0.0;
        double[] r = w.output;
        for (int j = 0; j < numFeatures; j++) {
            double d = r[j] - z[j];
            sum += d * d;
        }
        return sum / numFeatures;
    }

    /**
     * Writes each feature's share of the anomaly score of {@code z}, {@code (r_j - z_j)^2 / F}, into {@code out}, and
     * returns the score (their sum).
     */
    public double contributions(double[] z, double[] out) {
        checkRow(z);
        checkArgument(out != null && out.length >= numFeatures, "out must have length >= %s", numFeatures);
        Workspace w = workspace();
        forward(z, w);
        double sum = 0.0;
        double[] r = w.output;
        for (int j = 0; j < numFeatures; j++) {
            double d = r[j] - z[j];
            out[j] = d * d / numFeatures;
            sum += d * d;
        }
        return sum / numFeatures;
    }

    /**
     * Training step on one standardized row: ADDS {@code weight * d score(z) / d params} into {@code grad} and returns
     * {@code weight * score(z)}. Allocation-free.
     */
    public double lossAndGradient(double[] z, double weight, double[] grad) {
        checkRow(z);
        checkNonNegative(weight, "weight");
        checkArgument(grad != null && grad.length == params.length, "grad must have length %s", params.length);
        Workspace w = workspace();
        forward(z, w);
        double[] delta = w.outputDelta;
        double sum = 0.0;
        double scale = 2.0 * weight / numFeatures;
        for (int j = 0; j < numFeatures; j++) {
            double d = w.output[j] - z[j];
            sum += d * d;
            delta[j] = scale * d;
        }
        for (int l = numLayers() - 1; l >= 0; l--) {
            double[] input = l == 0 ? z : w.activations[l - 1];
            double[] inputDelta = l == 0 ? null : w.deltas[l - 1];
            backwardDense(l, input, delta, grad, inputDelta);
            if (inputDelta != null) {
                double[] a = w.activations[l - 1];
                for (int i = 0; i < inputDelta.length; i++) {
                    inputDelta[i] *= activation.derivativeFromOutput(a[i]);
                }
                delta = inputDelta;
            }
        }
        return weight * sum / numFeatures;
    }

    private void forward(double[] z, Workspace w) {
        int last = numLayers() - 1;
        double[] input = z;
        for (int l = 0; l < last; l++) {
            double[] a = w.activations[l];
            forwardDense(l, input, a);
            for (int o = 0; o < a.length; o++) {
                a[o] = activation.apply(a[o]);
            }
            input = a;
        }
        forwardDense(last, input, w.output);
    }

    /** {@code out = W_l in + b_l}. */
    private void forwardDense(int l, double[] in, double[] out) {
        int n = sizes[l];
        int m = sizes[l + 1];
        int wOff = weightOffsets[l];
        int bOff = biasOffsets[l];
        for (int o = 0; o < m; o++) {
            int row = wOff + o * n;
            double s = 0.0;
            for (int i = 0; i < n; i++) {
                s += params[row + i] * in[i];
            }
            out[o] = params[bOff + o] + s;
        }
    }

    /** Adds {@code delta in^T} and {@code delta} to layer {@code l}'s gradient; writes {@code W_l^T delta} to inDelta. */
    private void backwardDense(int l, double[] in, double[] delta, double[] grad, double[] inDelta) {
        int n = sizes[l];
        int m = sizes[l + 1];
        int wOff = weightOffsets[l];
        int bOff = biasOffsets[l];
        if (inDelta != null) {
            Arrays.fill(inDelta, 0.0);
        }
        for (int o = 0; o < m; o++) {
            double d = delta[o];
            if (d == 0.0) {
                continue;
            }
            int row = wOff + o * n;
            for (int i = 0; i < n; i++) {
                grad[row + i] += d * in[i];
            }
            grad[bOff + o] += d;
            if (inDelta != null) {
                for (int i = 0; i < n; i++) {
                    inDelta[i] += params[row + i] * d;
                }
            }
        }
    }

    /** An independent copy: same architecture, activation, seed and parameters; its own buffers. */
    public Autoencoder copy() {
        return new Autoencoder(numFeatures, encoderLayers(), activation, seed, params);
    }

    private Workspace workspace() {
        Workspace w = workspace;
        if (w == null) {
            w = new Workspace(sizes);
            workspace = w;
        }
        return w;
    }

    private void checkRow(double[] z) {
        if (z == null || z.length != numFeatures) {
            throw new IllegalArgumentException(
                    "row must have " + numFeatures + " features, got " + (z == null ? "null" : z.length));
        }
    }

    private void checkLayer(int l) {
        checkArgument(l >= 0 && l < numLayers(), "layer must be in [0, %s), got %s", numLayers(), l);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Autoencoder{").append(sizes[0]);
        for (int l = 1; l < sizes.length; l++) {
            s.append(" -> ").append(sizes[l]);
        }
        return s.append(", ").append(activation).append('}').toString();
    }

    private static final class Workspace {
        /** Hidden activations, one array per hidden layer. */
        final double[][] activations;
        /** d loss / d pre-activation of each hidden layer. */
        final double[][] deltas;
        final double[] output;
        final double[] outputDelta;

        Workspace(int[] sizes) {
            int hidden = sizes.length - 2;
            activations = new double[hidden][];
            deltas = new double[hidden][];
            for (int l = 0; l < hidden; l++) {
                activations[l] = new double[sizes[l + 1]];
                deltas[l] = new double[sizes[l + 1]];
            }
            output = new double[sizes[sizes.length - 1]];
            outputDelta = new double[sizes[sizes.length - 1]];
        }
    }

    /**
     * Builds an {@link Autoencoder}; {@link #build()} checks every setting. {@link #numFeatures} and {@link
     * #encoderLayers} are required; the activation defaults to {@link Activation#TANH} and the seed to 0.
     */
    public static final class Builder {
        private int numFeatures;
        private int[] encoder;
        private Activation activation = Activation.TANH;
        private long seed;
        private double[] parameters;

        private Builder() {}

        /** Input (and output) width {@code F}. */
        public Builder numFeatures(int numFeatures) {
            this.numFeatures = numFeatures;
            return this;
        }

        /**
         * Widths of the one or two encoder layers, input side first, each narrower than the one before; the last is
         * the bottleneck, narrower than {@code F}. The decoder mirrors them.
         */
        public Builder encoderLayers(int... widths) {
            this.encoder = widths == null ? null : widths.clone();
            return this;
        }

        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /** Seed of the initialization. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Parameters to start from instead of the random initialization (copied): restores a checkpoint. */
        public Builder parameters(double[] parameters) {
            this.parameters = parameters == null ? null : parameters.clone();
            return this;
        }

        public Autoencoder build() {
            checkArgument(numFeatures > 0, "numFeatures must be > 0, got %s", numFeatures);
            checkNotNull(encoder, "encoderLayers");
            checkArgument(
                    encoder.length >= 1 && encoder.length <= MAX_ENCODER_LAYERS,
                    "an autoencoder has 1 or 2 encoder layers, got %s",
                    encoder.length);
            int previous = numFeatures;
            for (int h : encoder) {
                checkArgument(h > 0, "encoder layer widths must be > 0, got %s", h);
                checkArgument(
                        h < previous,
                        "each encoder layer must be narrower than the one before (%s), got %s",
                        previous,
                        h);
                previous = h;
            }
            checkNotNull(activation, "activation");
            return new Autoencoder(numFeatures, encoder, activation, seed, parameters);
        }
    }
}
