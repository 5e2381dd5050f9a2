package dev.vigil.models.nn;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkFinite;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;

import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.loss.Logistic;
import dev.vigil.models.loss.Softmax;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A multilayer perceptron on standardized inputs: one or two fully connected hidden layers with ReLU activations
 * (V. Nair and G. E. Hinton, "Rectified linear units improve restricted Boltzmann machines", ICML 2010), inverted
 * dropout on the hidden units during training (N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever and R.
 * Salakhutdinov, "Dropout: a simple way to prevent neural networks from overfitting", JMLR 15, 2014), and a sigmoid
 * output ({@code K = 2}: one unit, {@code P(y = 1)}) or a softmax output ({@code K >= 3}: {@code K} units), trained on
 * the (class-weighted) log loss by backpropagation (D. E. Rumelhart, G. E. Hinton and R. J. Williams, "Learning
 * representations by back-propagating errors", Nature 323, 1986).
 *
 * <pre>{@code
 * Mlp mlp = Mlp.builder()
 *         .numFeatures(24)
 *         .hiddenLayers(32, 16)   // one or two hidden layers
 *         .numClasses(2)          // 2: sigmoid output; K >= 3: softmax output
 *         .dropout(0.1)           // drop probability of each hidden unit while training
 *         .seed(42)               // He initialization
 *         .build();
 * }</pre>
 *
 * <p><b>Layers.</b> Dense layer {@code l} ({@code 0 <= l < }{@link #numLayers()}) maps {@link #layerInputSize(int)
 * n_l} inputs to {@link #layerOutputSize(int) m_l} outputs; the sizes chain {@code F -> h_1 [-> h_2] -> O} with
 * {@code O = 1} for a binary model and {@code O = K} otherwise. Every layer but the last is followed by ReLU and, in
 * training, dropout.
 *
 * <p><b>Parameters.</b> One vector {@link #parameters()}; layer {@code l}'s weight matrix ({@code m_l x n_l}, row by
 * row, so {@code W_l[o][i]} is at {@code weightOffset(l) + o n_l + i}) is followed by its {@code m_l} biases (at
 * {@code biasOffset(l) + o}), layer after layer from the input. Gradients use the same layout. To restore a
 * checkpoint, build the same architecture with {@link Builder#parameters(double[])} (or copy into the live vector).
 *
 * <p><b>Initialization</b> from {@link Builder#seed(long)}: hidden-layer weights are drawn from {@code N(0, 2 /
 * n_l)} (K. He, X. Zhang, S. Ren and J. Sun, "Delving deep into rectifiers: surpassing human-level performance on
 * ImageNet classification", ICCV 2015), which keeps the variance of ReLU activations constant across layers; the
 * output layer, which feeds a sigmoid or softmax rather than a ReLU, from {@code N(0, 2 / (n_l + m_l))} (X. Glorot and
 * Y. Bengio, "Understanding the difficulty of training deep feedforward neural networks", AISTATS 2010). Biases start
 * at zero. The same seed gives the same parameters.
 *
 * <p><b>Dropout.</b> With rate {@code p}, {@link #lossAndGradient} keeps each hidden unit with probability {@code
 * 1 - p} and scales the kept ones by {@code 1 / (1 - p)} ("inverted" dropout), so the expected activation is
 * unchanged and {@link #predict} uses the network as is, without masks or rescaling. The masks are drawn from the
 * {@code rng} the caller passes, one {@code nextDouble()} per hidden unit, first layer first: the same {@code rng}
 * state gives the same masks, and the gradient returned is the exact gradient of the network thinned by those masks.
 *
 * <p><b>Loss.</b> For one example of class {@code y} with weight {@code c}: {@code c * logloss}, computed from the
 * output logits ({@link Logistic#logLossFromLogit} for {@code K = 2}, {@link Softmax#logLossFromLogits} otherwise),
 * so it is finite for every finite logit. No regularization: the learner's optimizer or regularizer adds its own.
 *
 * <p><b>Not thread-safe.</b> An instance owns reusable buffers for activations, dropout masks and back-propagated
 * errors, so {@link #predict} and {@link #lossAndGradient} allocate nothing per example; give every thread its own
 * {@link #copy()}.
 */
public final class Mlp implements DifferentiableModel {

    private static final long serialVersionUID = 1L;

    /** Most hidden layers supported. */
    public static final int MAX_HIDDEN_LAYERS = 2;

    private final int numFeatures;
    private final int numClasses;
    private final double dropout;
    private final long seed;
    /** Layer widths {@code [F, h_1, (h_2,) O]}. */
    private final int[] sizes;
    private final int[] weightOffsets;
    private final int[] biasOffsets;
    private final double[] params;
    /** Per-example buffers; rebuilt lazily after deserialization. */
    private transient Workspace workspace;

    private Mlp(int numFeatures, int[] hidden, int numClasses, double dropout, long seed, double[] parameters) {
        this.numFeatures = numFeatures;
        this.numClasses = numClasses;
        this.dropout = dropout;
        this.seed = seed;
        int layers = hidden.length + 1;
        this.sizes = new int[layers + 1];
        sizes[0] = numFeatures;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[layers] = numClasses == 2 ? 1 : numClasses;
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

    /** He-normal hidden weights, Glorot-normal output weights, zero biases (see the class Javadoc). */
    private void initialize(SplittableRandom random) {
        int last = numLayers() - 1;
        for (int l = 0; l <= last; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double std = l < last ? Math.sqrt(2.0 / in) : Math.sqrt(2.0 / (in + out));
            int from = weightOffsets[l];
            int to = from + in * out;
            for (int i = from; i < to; i++) {
                params[i] = std * random.nextGaussian();
            }
        }
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Width of the output layer: 1 for a binary model (sigmoid), {@code K} otherwise (softmax). */
    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Widths of the hidden layers, input side first (a copy). */
    public int[] hiddenSizes() {
        return Arrays.copyOfRange(sizes, 1, sizes.length - 1);
    }

    /** Drop probability of a hidden unit during training; 0 disables dropout. */
    public double dropout() {
        return dropout;
    }

    /** The seed the initial parameters were drawn from. */
    public long seed() {
        return seed;
    }

    /** Number of dense layers: hidden layers plus the output layer. */
    public int numLayers() {
        return sizes.length - 1;
    }

    /** Inputs of dense layer {@code l}: {@code F} for the first, the previous layer's width otherwise. */
    public int layerInputSize(int l) {
        checkLayer(l);
        return sizes[l];
    }

    /** Outputs of dense layer {@code l}. */
    public int layerOutputSize(int l) {
        checkLayer(l);
        return sizes[l + 1];
    }

    /** Index of {@code W_l[0][0]} in {@link #parameters()}; {@code W_l[o][i]} is at {@code + o n_l + i}. */
    public int weightOffset(int l) {
        checkLayer(l);
        return weightOffsets[l];
    }

    /** Index of {@code b_l[0]} in {@link #parameters()}. */
    public int biasOffset(int l) {
        checkLayer(l);
        return biasOffsets[l];
    }

    /** Length of {@link #parameters()}. */
    public int numParameters() {
        return params.length;
    }

    /** The live parameter vector (see the class Javadoc for the layout); writes change the model. */
    @Override
    public double[] parameters() {
        return params;
    }

    /**
     * Inference: writes {@code P(y = 1)} into {@code out[0]} for a binary model, the {@code K} class probabilities
     * otherwise. No dropout. Allocation-free.
     */
    @Override
    public void predict(double[] xStd, double[] out) {
        checkRow(xStd);
        int outSize = outputSize();
        checkArgument(out != null && out.length >= outSize, "out must have length >= %s", outSize);
        Workspace w = workspace();
        forward(xStd, w, null);
        if (numClasses == 2) {
            out[0] = Logistic.sigmoid(w.logits[0]);
        } else {
            Softmax.softmax(w.logits, numClasses, out);
        }
    }

    /**
     * Training step on one standardized example: forward pass with dropout masks drawn from {@code rng} (which may be
     * null when {@link #dropout()} is 0), back-propagation, and {@code weight * d logloss / d params} ADDED into
     * {@code grad}. Returns {@code weight * logloss} of the thinned network. Allocation-free.
     */
    @Override
    public double lossAndGradient(double[] xStd, int label, double weight, double[] grad, SplittableRandom rng) {
        checkRow(xStd);
        checkArgument(label >= 0 && label < numClasses, "label must be in [0, K), got %s", label);
        checkNonNegative(weight, "weight");
        checkArgument(
                grad != null && grad.length == params.length, "grad must have length %s", params.length);
        if (dropout > 0.0) {
            checkNotNull(rng, "rng (needed for dropout masks)");
        }
        Workspace w = workspace();
        forward(xStd, w, dropout > 0.0 ? rng : null);

        // Output error dL/dlogit, times the example weight.
        double[] logits = w.logits;
        double[] delta = w.outputDelta;
        double loss;
        if (numClasses == 2) {
            double z = logits[0];
            loss = Logistic.logLossFromLogit(z, label);
            delta[0] = weight * (Logistic.sigmoid(z) - label);
        } else {
            loss = Softmax.logLossFromLogits(logits, numClasses, label);
            Softmax.softmax(logits, numClasses, delta);
            for (int k = 0; k < numClasses; k++) {
                delta[k] *= weight;
            }
            delta[label] -= weight;
        }

        // Backward through the dense layers: delta holds dL/d(pre-activation) of layer l's outputs.
        for (int l = numLayers() - 1; l >= 0; l--) {
            double[] input = l == 0 ? xStd : w.activations[l - 1];
            double[] inputDelta = l == 0 ? null : w.deltas[l - 1];
            backwardDense(l, input, delta, grad, inputDelta);
            if (inputDelta != null) {
                // Through dropout and ReLU: the derivative is the mask where the unit was active, else 0.
                double[] a = w.activations[l - 1];
                double[] m = w.masks[l - 1];
                for (int i = 0; i < inputDelta.length; i++) {
                    inputDelta[i] = a[i] > 0.0 ? inputDelta[i] * m[i] : 0.0;
                }
                delta = inputDelta;
            }
        }
        return weight * loss;
    }

    /** Forward pass into the workspace: hidden activations (after ReLU and dropout) and output logits. */
    private void forward(double[] x, Workspace w, SplittableRandom rng) {
        int hidden = numLayers() - 1;
        double keepScale = 1.0 / (1.0 - dropout);
        double[] input = x;
        for (int l = 0; l < hidden; l++) {
            double[] a = w.activations[l];
            double[] m = w.masks[l];
            forwardDense(l, input, a);
            for (int o = 0; o < a.length; o++) {
                double mask = rng == null ? 1.0 : (rng.nextDouble() < dropout ? 0.0 : keepScale);
                m[o] = mask;
                a[o] = a[o] > 0.0 ? a[o] * mask : 0.0;
            }
            input = a;
        }
        forwardDense(hidden, input, w.logits);
    }

    /** {@code out = W_l in + b_l}. */
    private void forwardDense(int l, double[] in, double[] out) {
        int n = sizes[l];
        int m = sizes[l + 1];
        int wOff = weightOffsets[l];
        int bOff = biasOffsets[l];
        for (int o = 0; o < m; o++) {
            int row = wOff + o * n;
            double s0 = 0.0;
            double s1 = 0.0;
            int i = 0;
            for (; i + 1 < n; i += 2) {
                s0 += params[row + i] * in[i];
                s1 += params[row + i + 1] * in[i + 1];
            }
            if (i < n) {
                s0 += params[row + i] * in[i];
            }
            out[o] = params[bOff + o] + (s0 + s1);
        }
    }

    /**
     * Given {@code delta = dL/d out} of layer {@code l}, adds {@code dL/dW_l = delta in^T} and {@code dL/db_l = delta}
     * to {@code grad} and, if {@code inDelta} is not null, writes {@code dL/d in = W_l^T delta} into it.
     */
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

    /** An independent copy: same architecture, dropout, seed and parameters; its own buffers. */
    @Override
    public Mlp copy() {
        return new Mlp(numFeatures, hiddenSizes(), numClasses, dropout, seed, params);
    }

    private Workspace workspace() {
        Workspace w = workspace;
        if (w == null) {
            w = new Workspace(sizes);
            workspace = w;
        }
        return w;
    }

    private void checkRow(double[] xStd) {
        if (xStd == null || xStd.length != numFeatures) {
            throw new IllegalArgumentException(
                    "row must have " + numFeatures + " features, got " + (xStd == null ? "null" : xStd.length));
        }
    }

    private void checkLayer(int l) {
        checkArgument(l >= 0 && l < numLayers(), "layer must be in [0, %s), got %s", numLayers(), l);
    }

    /** Reused per-example buffers. */
    private static final class Workspace {
        /** Hidden activations after ReLU and dropout, one array per hidden layer. */
        final double[][] activations;
        /** Dropout multipliers (0 or {@code 1 / (1 - p)}; 1 without dropout), one array per hidden layer. */
        final double[][] masks;
        /** dL/d(pre-activation) of each hidden layer. */
        final double[][] deltas;
        final double[] logits;
        final double[] outputDelta;

        Workspace(int[] sizes) {
            int hidden = sizes.length - 2;
            activations = new double[hidden][];
            masks = new double[hidden][];
            deltas = new double[hidden][];
            for (int l = 0; l < hidden; l++) {
                activations[l] = new double[sizes[l + 1]];
                masks[l] = new double[sizes[l + 1]];
                deltas[l] = new double[sizes[l + 1]];
            }
            logits = new double[sizes[sizes.length - 1]];
            outputDelta = new double[sizes[sizes.length - 1]];
        }
    }

    /**
     * Builds an {@link Mlp}; {@link #build()} checks every setting. {@link #numFeatures}, {@link #hiddenLayers} and
     * {@link #numClasses} are required; dropout defaults to 0 and the seed to 0.
     */
    public static final class Builder {
        private int numFeatures;
        private int[] hidden;
        private int numClasses;
        private double dropout;
        private long seed;
        private double[] parameters;

        private Builder() {}

        /** Input width {@code F}. */
        public Builder numFeatures(int numFeatures) {
            this.numFeatures = numFeatures;
            return this;
        }

        /** Widths of the one or two hidden layers, input side first. */
        public Builder hiddenLayers(int... sizes) {
            this.hidden = sizes == null ? null : sizes.clone();
            return this;
        }

        /** Number of classes: 2 for a binary model (one sigmoid output), {@code K >= 3} for a softmax output. */
        public Builder numClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Probability of dropping a hidden unit in training, in {@code [0, 1)}; 0 (the default) disables it. */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /** Seed of the He initialization. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Parameters to start from instead of the random initialization (copied), in the layout of {@link
         * Mlp#parameters()}: restores a checkpoint.
         */
        public Builder parameters(double[] parameters) {
            this.parameters = parameters == null ? null : parameters.clone();
            return this;
        }

        public Mlp build() {
            checkArgument(numFeatures > 0, "numFeatures must be > 0, got %s", numFeatures);
            checkNotNull(hidden, "hiddenLayers");
            checkArgument(
                    hidden.length >= 1 && hidden.length <= MAX_HIDDEN_LAYERS,
                    "an MLP has 1 or 2 hidden layers, got %s",
                    hidden.length);
            for (int h : hidden) {
                checkArgument(h > 0, "hidden layer sizes must be > 0, got %s", h);
            }
            checkArgument(numClasses >= 2, "numClasses must be >= 2, got %s", numClasses);
            checkArgument(
                    dropout >= 0.0 && dropout < 1.0, "dropout must be in [0, 1), got %s", Double.valueOf(dropout));
            return new Mlp(numFeatures, hidden, numClasses, dropout, seed, parameters);
        }
    }
}
