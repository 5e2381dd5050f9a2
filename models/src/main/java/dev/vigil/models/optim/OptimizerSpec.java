package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.io.Serializable;
import java.util.List;

/**
 * An optimizer by name with its typed, validated settings: what a CLI flag set or a learner's options resolve to,
 * and what {@link Optimizers#create} builds. Settings that do not apply to the named algorithm are {@code NaN} (and
 * {@code centered} is false); the {@link Builder} rejects setting them, so a misplaced flag fails loudly instead of
 * being ignored.
 *
 * <pre>{@code
 * OptimizerSpec spec = OptimizerSpec.builder("ftrl")
 *         .learningRate(0.1)   // FTRL's alpha
 *         .lambda1(1.0)
 *         .build();
 * Optimizer optimizer = Optimizers.create(spec, ParameterMask.excluding(n, biasIndex));
 * }</pre>
 *
 * <table>
 *   <caption>Settings per algorithm (defaults in brackets)</caption>
 *   <tr><th>name</th><th>settings</th></tr>
 *   <tr><td>{@code sgd}</td><td>learningRate</td></tr>
 *   <tr><td>{@code momentum}, {@code nesterov}</td><td>learningRate, momentum [0.9]</td></tr>
 *   <tr><td>{@code adagrad}</td><td>learningRate, epsilon (delta) [1e-10], initialAccumulator [0]</td></tr>
 *   <tr><td>{@code rmsprop}</td><td>learningRate, rho [0.9], epsilon [1e-8], centered [false]</td></tr>
 *   <tr><td>{@code adam}</td><td>learningRate, beta1 [0.9], beta2 [0.999], epsilon [1e-8]</td></tr>
 *   <tr><td>{@code adamw}</td><td>learningRate, weightDecay (required; the paper's lambda, see {@link AdamW}),
 *       beta1, beta2, epsilon</td></tr>
 *   <tr><td>{@code ftrl}</td><td>learningRate (alpha; constant only), ftrlBeta [1], lambda1 [0], lambda2 [0]</td></tr>
 * </table>
 *
 * @param name one of {@link Optimizers#NAMES}
 * @param learningRate the learning rate (schedule) of every algorithm; FTRL's {@code alpha} (constant)
 * @param momentum {@code mu} of momentum and nesterov, in {@code [0, 1)}
 * @param beta1 Adam's and AdamW's first-moment decay, in {@code [0, 1)}
 * @param beta2 Adam's and AdamW's second-moment decay, in {@code [0, 1)}
 * @param epsilon the stabilizer of adagrad ({@code delta}), rmsprop, adam and adamw, {@code > 0}
 * @param rho RMSprop's decay, in {@code [0, 1)}
 * @param centered whether RMSprop is centered
 * @param initialAccumulator AdaGrad's {@code G_0}, {@code >= 0}
 * @param weightDecay AdamW's {@code lambda}, in {@code [0, 1)}
 * @param ftrlBeta FTRL's {@code beta}, {@code >= 0}
 * @param lambda1 FTRL's L1 strength, {@code >= 0}
 * @param lambda2 FTRL's L2 strength, {@code >= 0}
 */
public record OptimizerSpec(
        String name,
        LearningRateSchedule learningRate,
        double momentum,
        double beta1,
        double beta2,
        double epsilon,
        double rho,
        boolean centered,
        double initialAccumulator,
        double weightDecay,
        double ftrlBeta,
        double lambda1,
        double lambda2)
        implements Serializable {

    public OptimizerSpec {
        checkNotNull(name, "name");
        checkArgument(
                Optimizers.NAMES.contains(name), "unknown optimizer %s, expected one of %s", name, Optimizers.NAMES);
        checkNotNull(learningRate, "learningRate");
        checkPositive(learningRate.learningRate(1), "learningRate");
        if (name.equals(Ftrl.NAME)) {
            checkArgument(
                    learningRate instanceof LearningRateSchedule.Constant,
                    "ftrl has per-coordinate learning rates; give a constant learningRate (alpha), got %s",
                    learningRate);
        }
        checkSetting(name, Setting.MOMENTUM, momentum);
        checkSetting(name, Setting.BETA1, beta1);
        checkSetting(name, Setting.BETA2, beta2);
        checkSetting(name, Setting.EPSILON, epsilon);
        checkSetting(name, Setting.RHO, rho);
        checkArgument(!centered || name.equals(RMSprop.NAME), "centered applies to rmsprop only, not %s", name);
        checkSetting(name, Setting.INITIAL_ACCUMULATOR, initialAccumulator);
        checkSetting(name, Setting.WEIGHT_DECAY, weightDecay);
        checkSetting(name, Setting.FTRL_BETA, ftrlBeta);
        checkSetting(name, Setting.LAMBDA1, lambda1);
        checkSetting(name, Setting.LAMBDA2, lambda2);
    }

    /** A builder for the algorithm {@code name} (one of {@link Optimizers#NAMES}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** The spec of {@code name} with a constant learning rate and every other setting at its default. */
    public static OptimizerSpec of(String name, double learningRate) {
        return builder(name).learningRate(learningRate).build();
    }

    /** The optimizer this spec describes, penalizing every parameter (see {@link Optimizers#create}). */
    public Optimizer create() {
        return Optimizers.create(this);
    }

    /** The settings that apply to {@link #name()}, as {@code key=value} pairs (e.g. for model provenance). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append("{learningRate=").append(describe(learningRate));
        for (Setting s : Setting.values()) {
            if (s.appliesTo(name)) {
                sb.append(", ").append(s.key).append('=').append(value(s));
            }
        }
        if (name.equals(RMSprop.NAME)) {
            sb.append(", centered=").append(centered);
        }
        return sb.append('}').toString();
    }

    private static String describe(LearningRateSchedule schedule) {
        return schedule instanceof LearningRateSchedule.Constant c ? Double.toString(c.eta0()) : schedule.toString();
    }

    private double value(Setting s) {
        return switch (s) {
            case MOMENTUM -> momentum;
            case BETA1 -> beta1;
            case BETA2 -> beta2;
            case EPSILON -> epsilon;
            case RHO -> rho;
            case INITIAL_ACCUMULATOR -> initialAccumulator;
            case WEIGHT_DECAY -> weightDecay;
            case FTRL_BETA -> ftrlBeta;
            case LAMBDA1 -> lambda1;
            case LAMBDA2 -> lambda2;
        };
    }

    private static void checkSetting(String name, Setting setting, double value) {
        if (!setting.appliesTo(name)) {
            checkArgument(Double.isNaN(value), "%s does not apply to %s", setting.key, name);
            return;
        }
        switch (setting) {
            case MOMENTUM, BETA1, BETA2, RHO -> checkArgument(
                    value >= 0.0 && value < 1.0, "%s must be in [0, 1), got %s", setting.key, value);
            case WEIGHT_DECAY -> checkArgument(
                    value >= 0.0 && value < 1.0,
                    "weightDecay (AdamW's lambda per step) must be in [0, 1), got %s",
                    value);
            case EPSILON -> checkPositive(value, setting.key);
            default -> checkNonNegative(value, setting.key);
        }
    }

    /** The settings besides the learning rate and the RMSprop flag, with the algorithms they apply to. */
    private enum Setting {
        MOMENTUM("momentum", Momentum.NAME, Nesterov.NAME),
        BETA1("beta1", Adam.NAME, AdamW.NAME),
        BETA2("beta2", Adam.NAME, AdamW.NAME),
        EPSILON("epsilon", AdaGrad.NAME, RMSprop.NAME, Adam.NAME, AdamW.NAME),
        RHO("rho", RMSprop.NAME),
        INITIAL_ACCUMULATOR("initialAccumulator", AdaGrad.NAME),
        WEIGHT_DECAY("weightDecay", AdamW.NAME),
        FTRL_BETA("ftrlBeta", Ftrl.NAME),
        LAMBDA1("lambda1", Ftrl.NAME),
        LAMBDA2("lambda2", Ftrl.NAME);

        final String key;
        final List<String> algorithms;

        Setting(String key, String... algorithms) {
            this.key = key;
            this.algorithms = List.of(algorithms);
        }

        boolean appliesTo(String name) {
            return algorithms.contains(name);
        }
    }

    /**
     * Collects settings; {@link #build()} fills defaults for the unset ones and rejects settings that do not apply to
     * the algorithm. The learning rate is required (there is no good default across algorithms), and so is AdamW's
     * weight decay (its scale differs between the paper and PyTorch, see {@link AdamW}).
     */
    public static final class Builder {

        private final String name;
        private LearningRateSchedule learningRate;
        private Double momentum;
        private Double beta1;
        private Double beta2;
        private Double epsilon;
        private Double rho;
        private Boolean centered;
        private Double initialAccumulator;
        private Double weightDecay;
        private Double ftrlBeta;
        private Double lambda1;
        private Double lambda2;

        private Builder(String name) {
            this.name = checkNotNull(name, "name");
        }

        /** A constant learning rate (FTRL: {@code alpha}). */
        public Builder learningRate(double learningRate) {
            this.learningRate = LearningRateSchedule.constant(learningRate);
            return this;
        }

        /** A learning-rate schedule (not for FTRL, whose rates are per coordinate). */
        public Builder learningRate(LearningRateSchedule schedule) {
            this.learningRate = checkNotNull(schedule, "schedule");
            return this;
        }

        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        public Builder beta1(double beta1) {
            this.beta1 = beta1;
            return this;
        }

        public Builder beta2(double beta2) {
            this.beta2 = beta2;
            return this;
        }

        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        public Builder rho(double rho) {
            this.rho = rho;
            return this;
        }

        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        public Builder initialAccumulator(double initialAccumulator) {
            this.initialAccumulator = initialAccumulator;
            return this;
        }

        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder ftrlBeta(double ftrlBeta) {
            this.ftrlBeta = ftrlBeta;
            return this;
        }

        public Builder lambda1(double lambda1) {
            this.lambda1 = lambda1;
            return this;
        }

        public Builder lambda2(double lambda2) {
            this.lambda2 = lambda2;
            return this;
        }

        public OptimizerSpec build() {
            checkArgument(
                    Optimizers.NAMES.contains(name),
                    "unknown optimizer %s, expected one of %s",
                    name,
                    Optimizers.NAMES);
            checkArgument(learningRate != null, "%s needs a learningRate", name);
            checkArgument(
                    centered == null || name.equals(RMSprop.NAME), "centered does not apply to %s", name);
            checkArgument(
                    weightDecay != null || !name.equals(AdamW.NAME),
                    "adamw needs a weightDecay (the paper's lambda per step; PyTorch's lr * weight_decay)");
            double defaultEpsilon = switch (name) {
                case AdaGrad.NAME -> AdaGrad.DEFAULT_DELTA;
                case RMSprop.NAME -> RMSprop.DEFAULT_EPSILON;
                default -> Adam.DEFAULT_EPSILON;
            };
            return new OptimizerSpec(
                    name,
                    learningRate,
                    resolve(Setting.MOMENTUM, momentum, Momentum.DEFAULT_MOMENTUM),
                    resolve(Setting.BETA1, beta1, Adam.DEFAULT_BETA1),
                    resolve(Setting.BETA2, beta2, Adam.DEFAULT_BETA2),
                    resolve(Setting.EPSILON, epsilon, defaultEpsilon),
                    resolve(Setting.RHO, rho, RMSprop.DEFAULT_RHO),
                    centered != null && centered,
                    resolve(Setting.INITIAL_ACCUMULATOR, initialAccumulator, AdaGrad.DEFAULT_INITIAL_ACCUMULATOR),
                    resolve(Setting.WEIGHT_DECAY, weightDecay, Double.NaN),
                    resolve(Setting.FTRL_BETA, ftrlBeta, Ftrl.DEFAULT_BETA),
                    resolve(Setting.LAMBDA1, lambda1, 0.0),
                    resolve(Setting.LAMBDA2, lambda2, 0.0));
        }

        private double resolve(Setting setting, Double value, double defaultValue) {
            if (!setting.appliesTo(name)) {
                checkArgument(value == null, "%s does not apply to %s", setting.key, applicableTo(setting));
                return Double.NaN;
            }
            return value == null ? defaultValue : value;
        }

        private String applicableTo(Setting setting) {
            return name + " (it applies to " + String.join(", ", setting.algorithms) + ")";
        }
    }
}
