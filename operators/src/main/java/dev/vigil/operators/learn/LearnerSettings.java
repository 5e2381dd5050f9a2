package dev.vigil.operators.learn;

import dev.vigil.models.continual.OnlineLearner;
import dev.vigil.models.core.DifferentiableModel;
import dev.vigil.models.data.Standardizer;
import dev.vigil.models.linear.LogisticRegression;
import dev.vigil.models.linear.SoftmaxRegression;
import dev.vigil.models.nn.Mlp;
import dev.vigil.models.onnx.ModelType;
import dev.vigil.models.optim.Ftrl;
import dev.vigil.models.optim.OptimizerSpec;
import dev.vigil.models.optim.Optimizers;
import dev.vigil.models.optim.ParameterMask;
import dev.vigil.models.regularization.Regularizer;
import dev.vigil.models.registry.ModelRegistry;
import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.Preconditions;

/**
 * The learner's settings ({@link LearnerOptions}), read and validated: what {@link OnlineLearnerOperator} carries in
 * the job graph and builds its {@link OnlineLearner} from. Create with {@link LearnerOptions#settings}.
 *
 * @param model the model family
 * @param hiddenLayers the MLP's hidden widths (ignored by the linear models)
 * @param dropout the MLP's dropout probability
 * @param classLabels class labels in class-index order; empty for a binary model without names
 * @param featureNames input feature names; empty when they come from a bootstrap model
 * @param optimizer the optimizer and its settings (FTRL: with {@code l1}/{@code l2} as its lambdas)
 * @param l1 L1 strength on the weights
 * @param l2 L2 strength on the weights
 * @param clipNorm the clipping norm; {@code +infinity} for none
 * @param minibatch examples per update
 * @param evaluationWindow length of the prequential metrics window
 * @param freezeStandardizerAfter examples after which the standardizer stops updating; {@code Long.MAX_VALUE}: never
 * @param replay whether experience replay is on
 * @param reservoirSize capacity of the reservoir (replay and EWC)
 * @param replayPerUpdate replayed examples per update
 * @param ewc whether EWC is on
 * @param ewcLambda EWC's lambda
 * @param ewcConsolidateEvery updates between EWC consolidations
 * @param ewcDecay online EWC's gamma
 * @param publishEveryUpdates updates between versions; 0: by time only
 * @param publishInterval processing time between versions; zero: by count only
 * @param modelName registry name; {@code null} when it comes from a bootstrap model
 * @param seed the learner's seed
 * @param codeVersion code version written to each version's provenance
 */
public record LearnerSettings(
        ModelType model,
        List<Integer> hiddenLayers,
        double dropout,
        List<String> classLabels,
        List<String> featureNames,
        OptimizerSpec optimizer,
        double l1,
        double l2,
        double clipNorm,
        int minibatch,
        int evaluationWindow,
        long freezeStandardizerAfter,
        boolean replay,
        int reservoirSize,
        int replayPerUpdate,
        boolean ewc,
        double ewcLambda,
        long ewcConsolidateEvery,
        double ewcDecay,
        long publishEveryUpdates,
        Duration publishInterval,
        String modelName,
        long seed,
        String codeVersion)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public LearnerSettings {
        Preconditions.checkNotNull(model, "model");
        hiddenLayers = List.copyOf(hiddenLayers);
        classLabels = List.copyOf(classLabels);
        featureNames = List.copyOf(featureNames);
        Preconditions.checkNotNull(optimizer, "optimizer");
        Preconditions.checkNotNull(publishInterval, "publishInterval");
        Preconditions.checkNotNull(codeVersion, "codeVersion");
    }

    /** Number of classes: the class labels' count, or 2 without labels. */
    public int numClasses() {
        return classLabels.isEmpty() ? 2 : classLabels.size();
    }

    /** A freshly initialized model of {@code numFeatures} inputs (the MLP's initialization drawn from the seed). */
    public DifferentiableModel newModel(int numFeatures) {
        return switch (model) {
            case LOGISTIC -> new LogisticRegression(numFeatures);
            case SOFTMAX -> new SoftmaxRegression(numFeatures, numClasses());
            case MLP -> Mlp.builder()
                    .numFeatures(numFeatures)
                    .hiddenLayers(hiddenLayers.stream().mapToInt(Integer::intValue).toArray())
                    .numClasses(numClasses())
                    .dropout(dropout)
                    .seed(seed)
                    .build();
            case AUTOENCODER -> throw new IllegalArgumentException("the online learner trains classifiers only");
        };
    }

    /**
     * A learner that trains {@code model} (in place) with these settings.
     *
     * @param initialStandardizer the feature statistics to start from (a bootstrap model's), or {@code null} for
     *     empty ones
     */
    public OnlineLearner newLearner(DifferentiableModel model, Standardizer.State initialStandardizer) {
        ParameterMask weights = weightsOnly(model);
        OnlineLearner.Builder b = OnlineLearner.builder(model, Optimizers.create(optimizer, weights))
                .seed(seed)
                .minibatchSize(minibatch)
                .evaluationWindow(evaluationWindow);
        boolean ftrl = optimizer.name().equals(Ftrl.NAME);
        if (!ftrl && (l1 > 0 || l2 > 0)) {
            b.regularizer(Regularizer.elasticNet(l1, l2, weights));
            if (l1 > 0) {
                b.proximalStepSize(optimizer.learningRate());
            }
        }
        if (clipNorm < Double.POSITIVE_INFINITY) {
            b.clipNorm(clipNorm);
        }
        if (replay || ewc) {
            b.reservoir(reservoirSize);
        }
        if (replay) {
            b.replay(replayPerUpdate);
        }
        if (ewc) {
            b.ewc(ewcLambda).ewcConsolidateEvery(ewcConsolidateEvery);
            if (ewcDecay > 0) {
                b.ewcDecay(ewcDecay);
            }
        }
        if (initialStandardizer != null) {
            b.initialStandardizer(initialStandardizer);
        }
        if (freezeStandardizerAfter != Long.MAX_VALUE) {
            b.freezeStandardizerAfter(freezeStandardizerAfter);
        }
        return b.build();
    }

    /** The parameters that are weights (penalized, decayed), not biases. */
    static ParameterMask weightsOnly(DifferentiableModel model) {
        int n = model.parameters().length;
        boolean[] weights = new boolean[n];
        Arrays.fill(weights, true);
        if (model instanceof LogisticRegression m) {
            weights[m.biasIndex()] = false;
        } else if (model instanceof SoftmaxRegression m) {
            for (int k = 0; k < m.numClasses(); k++) {
                weights[m.biasIndex(k)] = false;
            }
        } else if (model instanceof Mlp m) {
            for (int l = 0; l < m.numLayers(); l++) {
                for (int o = 0; o < m.layerOutputSize(l); o++) {
                    weights[m.biasOffset(l) + o] = false;
                }
            }
        } else {
            throw new IllegalArgumentException("unknown model " + model.getClass().getName());
        }
        return ParameterMask.of(weights);
    }

    /** Reads and validates the settings; see {@link LearnerOptions#settings}. */
    static LearnerSettings fromConfig(ReadableConfig config) {
        Preconditions.checkNotNull(config, "config");
        ModelType model = config.get(LearnerOptions.MODEL);
        check(model != ModelType.AUTOENCODER, LearnerOptions.MODEL, "the online learner trains classifiers only", model);

        List<Integer> hidden = config.get(LearnerOptions.HIDDEN_LAYERS);
        check(!hidden.isEmpty() && hidden.size() <= Mlp.MAX_HIDDEN_LAYERS, LearnerOptions.HIDDEN_LAYERS,
                "must name 1 or 2 hidden layers", hidden);
        for (int h : hidden) {
            check(h > 0, LearnerOptions.HIDDEN_LAYERS, "widths must be > 0", hidden);
        }
        double dropout = config.get(LearnerOptions.DROPOUT);
        check(dropout >= 0 && dropout < 1, LearnerOptions.DROPOUT, "must be in [0, 1)", dropout);
        check(model == ModelType.MLP || dropout == 0.0, LearnerOptions.DROPOUT, "applies to mlp only", dropout);

        List<String> classes = config.getOptional(LearnerOptions.CLASSES).orElse(List.of());
        checkNames(classes, LearnerOptions.CLASSES);
        check(classes.size() != 1, LearnerOptions.CLASSES, "must name at least 2 classes", classes);
        check(model != ModelType.SOFTMAX || classes.size() >= 3, LearnerOptions.CLASSES,
                "softmax needs at least 3 classes (use logistic for 2)", classes);
        check(model != ModelType.LOGISTIC || classes.size() <= 2, LearnerOptions.CLASSES,
                "logistic is binary: name 2 classes or none", classes);

        List<String> features = config.getOptional(LearnerOptions.FEATURE_NAMES).orElse(List.of());
        checkNames(features, LearnerOptions.FEATURE_NAMES);

        String modelName = config.getOptional(LearnerOptions.MODEL_NAME).orElse(null);
        if (modelName != null) {
            check(ModelRegistry.NAME_PATTERN.matcher(modelName).matches(), LearnerOptions.MODEL_NAME,
                    "must match " + ModelRegistry.NAME_PATTERN.pattern(), modelName);
        }

        double l1 = config.get(LearnerOptions.L1);
        double l2 = config.get(LearnerOptions.L2);
        check(l1 >= 0 && Double.isFinite(l1), LearnerOptions.L1, "must be finite and >= 0", l1);
        check(l2 >= 0 && Double.isFinite(l2), LearnerOptions.L2, "must be finite and >= 0", l2);
        OptimizerSpec optimizer = optimizer(config, l1, l2);

        double clipNorm = config.getOptional(LearnerOptions.CLIP_NORM).orElse(Double.POSITIVE_INFINITY);
        check(clipNorm > 0 && !Double.isNaN(clipNorm), LearnerOptions.CLIP_NORM, "must be > 0", clipNorm);
        int minibatch = config.get(LearnerOptions.MINIBATCH);
        check(minibatch >= 1, LearnerOptions.MINIBATCH, "must be >= 1", minibatch);
        int window = config.get(LearnerOptions.EVALUATION_WINDOW);
        check(window >= 1, LearnerOptions.EVALUATION_WINDOW, "must be >= 1", window);
        long freezeAfter = config.getOptional(LearnerOptions.STANDARDIZER_FREEZE_AFTER).orElse(Long.MAX_VALUE);
        check(freezeAfter >= 0, LearnerOptions.STANDARDIZER_FREEZE_AFTER, "must be >= 0", freezeAfter);

        boolean replay = config.get(LearnerOptions.REPLAY_ENABLED);
        int reservoir = config.get(LearnerOptions.REPLAY_SIZE);
        check(reservoir >= 1, LearnerOptions.REPLAY_SIZE, "must be >= 1", reservoir);
        int perUpdate = config.get(LearnerOptions.REPLAY_PER_UPDATE);
        check(perUpdate >= 1, LearnerOptions.REPLAY_PER_UPDATE, "must be >= 1", perUpdate);
        boolean ewc = config.get(LearnerOptions.EWC_ENABLED);
        double lambda = config.get(LearnerOptions.EWC_LAMBDA);
        check(lambda > 0 && Double.isFinite(lambda), LearnerOptions.EWC_LAMBDA, "must be finite and > 0", lambda);
        long consolidateEvery = config.get(LearnerOptions.EWC_CONSOLIDATE_EVERY);
        check(consolidateEvery >= 1, LearnerOptions.EWC_CONSOLIDATE_EVERY, "must be >= 1", consolidateEvery);
        double decay = config.get(LearnerOptions.EWC_DECAY);
        check(decay >= 0 && decay <= 1, LearnerOptions.EWC_DECAY, "must be in [0, 1]", decay);

        long everyUpdates = config.get(LearnerOptions.PUBLISH_EVERY_UPDATES);
        check(everyUpdates >= 0, LearnerOptions.PUBLISH_EVERY_UPDATES, "must be >= 0", everyUpdates);
        Duration interval = config.get(LearnerOptions.PUBLISH_INTERVAL);
        check(!interval.isNegative(), LearnerOptions.PUBLISH_INTERVAL, "must not be negative", interval);
        check(everyUpdates > 0 || !interval.isZero(), LearnerOptions.PUBLISH_INTERVAL,
                "and " + LearnerOptions.PUBLISH_EVERY_UPDATES.key() + " cannot both be 0 (nothing would be"
                        + " published)", interval);

        String codeVersion = config.getOptional(LearnerOptions.CODE_VERSION).orElseGet(LearnerSettings::jarVersion);
        check(!codeVersion.isBlank(), LearnerOptions.CODE_VERSION, "must not be blank", codeVersion);

        return new LearnerSettings(model, hidden, dropout, classes, features, optimizer, l1, l2, clipNorm, minibatch,
                window, freezeAfter, replay, reservoir, perUpdate, ewc, lambda, consolidateEvery, decay, everyUpdates,
                interval, modelName, config.get(LearnerOptions.SEED), codeVersion);
    }

    private static OptimizerSpec optimizer(ReadableConfig config, double l1, double l2) {
        String name = config.get(LearnerOptions.OPTIMIZER);
        check(Optimizers.NAMES.contains(name), LearnerOptions.OPTIMIZER, "must be one of " + Optimizers.NAMES,
                name);
        double learningRate = config.get(LearnerOptions.LEARNING_RATE);
        check(learningRate > 0 && Double.isFinite(learningRate), LearnerOptions.LEARNING_RATE,
                "must be finite and > 0", learningRate);
        try {
            OptimizerSpec.Builder b = OptimizerSpec.builder(name).learningRate(learningRate);
            config.getOptional(LearnerOptions.MOMENTUM).ifPresent(b::momentum);
            config.getOptional(LearnerOptions.BETA1).ifPresent(b::beta1);
            config.getOptional(LearnerOptions.BETA2).ifPresent(b::beta2);
            config.getOptional(LearnerOptions.EPSILON).ifPresent(b::epsilon);
            config.getOptional(LearnerOptions.RHO).ifPresent(b::rho);
            config.getOptional(LearnerOptions.RMSPROP_CENTERED).ifPresent(b::centered);
            config.getOptional(LearnerOptions.INITIAL_ACCUMULATOR).ifPresent(b::initialAccumulator);
            config.getOptional(LearnerOptions.WEIGHT_DECAY).ifPresent(b::weightDecay);
            config.getOptional(LearnerOptions.FTRL_BETA).ifPresent(b::ftrlBeta);
            if (name.equals(Ftrl.NAME)) {
                b.lambda1(l1).lambda2(l2);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid optimizer settings for " + LearnerOptions.OPTIMIZER.key() + " = " + name
                            + " (vigil.learner.*): " + e.getMessage(),
                    e);
        }
    }

    private static String jarVersion() {
        String version = LearnerSettings.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }

    private static void checkNames(List<String> names, ConfigOption<?> option) {
        for (String name : names) {
            check(name != null && !name.isBlank() && name.strip().equals(name) && name.indexOf(',') < 0,
                    option, "names must be non-blank, without commas or surrounding whitespace", names);
        }
        check(new HashSet<>(names).size() == names.size(), option, "names must be unique", names);
    }

    private static void check(boolean condition, ConfigOption<?> option, String message, Object value) {
        if (!condition) {
            throw invalid(option, message, value);
        }
    }

    private static IllegalArgumentException invalid(ConfigOption<?> option, String message, Object value) {
        return new IllegalArgumentException(option.key() + " " + message + ", got " + value);
    }
}
