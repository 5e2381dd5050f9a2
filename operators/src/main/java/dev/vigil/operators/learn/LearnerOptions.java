package dev.vigil.operators.learn;

import dev.vigil.models.onnx.ModelType;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the online learner ({@link OnlineLearnerOperator}). Read as nested YAML in {@code config.yaml}:
 *
 * <pre>{@code
 * vigil:
 *   registry:
 *     root: s3://vigil-models/registry
 *   learner:
 *     model: logistic                # logistic | softmax | mlp
 *     model-name: icu-deterioration  # default: the bootstrap model's name
 *     optimizer: adam                # sgd | momentum | nesterov | adagrad | rmsprop | adam | adamw | ftrl
 *     learning-rate: 0.001
 *     l2: 0.0001
 *     clip-norm: 5.0
 *     minibatch: 8
 *     replay:
 *       enabled: true
 *       size: 1000
 *       per-update: 8
 *     ewc:
 *       enabled: true
 *       lambda: 20.0
 *       consolidate-every: 1000
 *     publish:
 *       every-updates: 1000
 *       interval: 60 s
 * }</pre>
 *
 * <p>Optimizer settings that do not apply to the chosen optimizer are refused (e.g. {@code beta1} with {@code sgd}), so
 * a misplaced setting fails at job submission instead of being ignored. {@link #settings(ReadableConfig)} reads and
 * validates them all into a {@link LearnerSettings}.
 *
 * <p>The optimizer's own settings are siblings of {@code vigil.learner.optimizer} (e.g. {@code vigil.learner.beta1}),
 * not children: a YAML key cannot hold both a value and nested keys.
 */
public final class LearnerOptions {

    // ---- model -----------------------------------------------------------------------------------------------------

    public static final ConfigOption<ModelType> MODEL =
            ConfigOptions.key("vigil.learner.model")
                    .enumType(ModelType.class)
                    .defaultValue(ModelType.LOGISTIC)
                    .withDescription(
                            "Model family: logistic (binary), softmax (multiclass, needs vigil.learner.classes with"
                                    + " at least 3 classes) or mlp (binary, or multiclass with vigil.learner.classes)."
                                    + " A bootstrap model (warm start) must be logistic.");

    public static final ConfigOption<List<Integer>> HIDDEN_LAYERS =
            ConfigOptions.key("vigil.learner.hidden-layers")
                    .intType()
                    .asList()
                    .defaultValues(32)
                    .withDescription(
                            "Widths of the MLP's one or two hidden layers (ReLU), input side first. mlp only.");

    public static final ConfigOption<Double> DROPOUT =
            ConfigOptions.key("vigil.learner.dropout")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription("Probability of dropping a hidden unit in training, in [0, 1). mlp only.");

    public static final ConfigOption<List<String>> CLASSES =
            ConfigOptions.key("vigil.learner.classes")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Class labels in class-index order (a label value k names class k). Unset: a binary"
                                    + " model (labels 0 and 1). Required for softmax and multiclass mlp models, and"
                                    + " written to the exported model's vigil.classes.");

    public static final ConfigOption<List<String>> FEATURE_NAMES =
            ConfigOptions.key("vigil.learner.feature-names")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "Input features in the order of LabeledExample.features; they fix the model's width."
                                    + " Default: the bootstrap model's vigil.feature.names (if both are given they"
                                    + " must be equal). Required without a bootstrap model.");

    public static final ConfigOption<String> MODEL_NAME =
            ConfigOptions.key("vigil.learner.model-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Registry name the learner publishes versions under, e.g. icu-deterioration. Default:"
                                    + " the bootstrap model's vigil.model.name (if both are given they must be"
                                    + " equal). Required without a bootstrap model.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("vigil.learner.seed")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "Seed of every random choice of the learner (MLP initialization, reservoir, replay"
                                    + " draws, dropout). Same seed, settings and stream: bit-identical versions.");

    // ---- optimizer -------------------------------------------------------------------------------------------------

    public static final ConfigOption<String> OPTIMIZER =
            ConfigOptions.key("vigil.learner.optimizer")
                    .stringType()
                    .defaultValue("adam")
                    .withDescription(
                            "Optimizer: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or ftrl"
                                    + " (dev.vigil.models.optim.Optimizers).");

    public static final ConfigOption<Double> LEARNING_RATE =
            ConfigOptions.key("vigil.learner.learning-rate")
                    .doubleType()
                    .defaultValue(0.001)
                    .withDescription(
                            "Constant learning rate (FTRL: alpha). The default suits adam fine-tuning a warm-started"
                                    + " model; sgd usually needs more (0.01 to 0.1).");

    public static final ConfigOption<Double> MOMENTUM =
            ConfigOptions.key("vigil.learner.momentum")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("Momentum mu of momentum and nesterov, in [0, 1). Default 0.9.");

    public static final ConfigOption<Double> BETA1 =
            ConfigOptions.key("vigil.learner.beta1")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("First-moment decay of adam and adamw, in [0, 1). Default 0.9.");

    public static final ConfigOption<Double> BETA2 =
            ConfigOptions.key("vigil.learner.beta2")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("Second-moment decay of adam and adamw, in [0, 1). Default 0.999.");

    public static final ConfigOption<Double> EPSILON =
            ConfigOptions.key("vigil.learner.epsilon")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "Stabilizer of adagrad (delta, default 1e-10), rmsprop (default 1e-8), adam and adamw"
                                    + " (default 1e-8); > 0.");

    public static final ConfigOption<Double> RHO =
            ConfigOptions.key("vigil.learner.rho")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("Decay of rmsprop's squared-gradient average, in [0, 1). Default 0.9.");

    public static final ConfigOption<Boolean> RMSPROP_CENTERED =
            ConfigOptions.key("vigil.learner.rmsprop-centered")
                    .booleanType()
                    .noDefaultValue()
                    .withDescription("Centered rmsprop (divides by the gradient's estimated variance). Default false.");

    public static final ConfigOption<Double> INITIAL_ACCUMULATOR =
            ConfigOptions.key("vigil.learner.initial-accumulator")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("Adagrad's initial accumulator G_0, >= 0. Default 0.");

    public static final ConfigOption<Double> WEIGHT_DECAY =
            ConfigOptions.key("vigil.learner.weight-decay")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "Adamw's decoupled weight decay per step (the paper's lambda; PyTorch's"
                                    + " lr * weight_decay), in [0, 1). Required with adamw; biases are not decayed.");

    public static final ConfigOption<Double> FTRL_BETA =
            ConfigOptions.key("vigil.learner.ftrl-beta")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("FTRL-Proximal's beta, >= 0. Default 1.");

    // ---- regularization and clipping -------------------------------------------------------------------------------

    public static final ConfigOption<Double> L1 =
            ConfigOptions.key("vigil.learner.l1")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "L1 strength on the weights (not the biases), >= 0: FTRL's lambda1 with ftrl (exact"
                                    + " zeros), otherwise a proximal step after each update.");

    public static final ConfigOption<Double> L2 =
            ConfigOptions.key("vigil.learner.l2")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "L2 strength on the weights (not the biases), >= 0: FTRL's lambda2 with ftrl, otherwise"
                                    + " added to the gradient.");

    public static final ConfigOption<Double> CLIP_NORM =
            ConfigOptions.key("vigil.learner.clip-norm")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription(
                            "Clip each update's data gradient to this L2 norm (> 0), bounding what one outlying"
                                    + " example can do. Unset: no clipping.");

    public static final ConfigOption<Integer> MINIBATCH =
            ConfigOptions.key("vigil.learner.minibatch")
                    .intType()
                    .defaultValue(1)
                    .withDescription("Examples per optimizer update, >= 1 (1: an update per example).");

    public static final ConfigOption<Integer> EVALUATION_WINDOW =
            ConfigOptions.key("vigil.learner.evaluation-window")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription(
                            "Examples in the window of the prequential (test-then-train) log loss, accuracy and"
                                    + " AUROC, >= 1.");

    public static final ConfigOption<Long> STANDARDIZER_FREEZE_AFTER =
            ConfigOptions.key("vigil.learner.standardizer.freeze-after")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Stop updating the feature means and standard deviations after this many examples (0:"
                                    + " frozen from the start, at the bootstrap model's statistics). Unset: they keep"
                                    + " following the stream. Frozen statistics keep versions comparable; updating"
                                    + " ones follow drifting feature scales.");

    // ---- forgetting guards -----------------------------------------------------------------------------------------

    public static final ConfigOption<Boolean> REPLAY_ENABLED =
            ConfigOptions.key("vigil.learner.replay.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Experience replay: mix examples drawn from a reservoir sample of the past into every"
                                    + " update (guards against catastrophic forgetting).");

    public static final ConfigOption<Integer> REPLAY_SIZE =
            ConfigOptions.key("vigil.learner.replay.size")
                    .intType()
                    .defaultValue(1_000)
                    .withDescription(
                            "Capacity of the reservoir of past examples, >= 1; used by replay and by EWC's Fisher"
                                    + " estimate. It is checkpointed: size x features x 8 bytes.");

    public static final ConfigOption<Integer> REPLAY_PER_UPDATE =
            ConfigOptions.key("vigil.learner.replay.per-update")
                    .intType()
                    .defaultValue(8)
                    .withDescription("Replayed examples per update, >= 1.");

    public static final ConfigOption<Boolean> EWC_ENABLED =
            ConfigOptions.key("vigil.learner.ewc.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Elastic weight consolidation: penalize moving parameters that mattered for the past"
                                    + " (diagonal Fisher on the reservoir, consolidated periodically).");

    public static final ConfigOption<Double> EWC_LAMBDA =
            ConfigOptions.key("vigil.learner.ewc.lambda")
                    .doubleType()
                    .defaultValue(20.0)
                    .withDescription("EWC penalty strength lambda, > 0.");

    public static final ConfigOption<Long> EWC_CONSOLIDATE_EVERY =
            ConfigOptions.key("vigil.learner.ewc.consolidate-every")
                    .longType()
                    .defaultValue(1_000L)
                    .withDescription("Consolidate EWC (new Fisher estimate and anchor) every this many updates, >= 1.");

    public static final ConfigOption<Double> EWC_DECAY =
            ConfigOptions.key("vigil.learner.ewc.decay")
                    .doubleType()
                    .defaultValue(0.0)
                    .withDescription(
                            "Online EWC: keep this share gamma of the previous Fisher at each consolidation, in"
                                    + " [0, 1] (0: only the latest consolidation counts).");

    // ---- publication -----------------------------------------------------------------------------------------------

    public static final ConfigOption<Long> PUBLISH_EVERY_UPDATES =
            ConfigOptions.key("vigil.learner.publish.every-updates")
                    .longType()
                    .defaultValue(1_000L)
                    .withDescription(
                            "Publish a new version after this many updates since the last one, >= 0 (0: only by"
                                    + " vigil.learner.publish.interval).");

    public static final ConfigOption<Duration> PUBLISH_INTERVAL =
            ConfigOptions.key("vigil.learner.publish.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Publish a new version when this much processing time has passed since the last one and"
                                    + " the model has been updated since (0: only by"
                                    + " vigil.learner.publish.every-updates).");

    public static final ConfigOption<String> CODE_VERSION =
            ConfigOptions.key("vigil.learner.code-version")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Code version written to each published model (vigil.code.version), e.g. a git commit."
                                    + " Default: the jar's Implementation-Version, else 'dev'.");

    /**
     * Root of the model registry the learner publishes to, on any Flink file system ({@code file:///}, {@code
     * s3://}, ...). Read by {@link RegistryFactory#fromConfig}.
     */
    public static final ConfigOption<String> REGISTRY_ROOT =
            ConfigOptions.key("vigil.registry.root")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Root of the model registry (dev.vigil.operators.registry.FileSystemModelRegistry) on any"
                                    + " Flink file system, e.g. s3://vigil-models/registry.");

    private LearnerOptions() {}

    /**
     * Reads and validates every learner setting.
     *
     * @throws IllegalArgumentException naming the offending key when a value is out of range, an optimizer setting
     *     does not apply to the chosen optimizer, or settings contradict each other
     */
    public static LearnerSettings settings(ReadableConfig config) {
        return LearnerSettings.fromConfig(config);
    }
}
