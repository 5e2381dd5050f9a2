package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNonNegative;
import static dev.vigil.models.util.Checks.checkPositive;

import java.io.Serializable;

/**
 * The learning rate as a function of the step number {@code t = 1, 2, ...} (the step being taken). Every schedule
 * here starts at its base rate: {@code learningRate(1) == eta0}.
 *
 * <p>Decaying schedules satisfy, or approximate over a finite run, the Robbins–Monro conditions
 * ({@code sum eta_t = inf}, {@code sum eta_t^2 < inf}; H. Robbins and S. Monro, "A stochastic approximation method",
 * Ann. Math. Statist. 22(3), 1951) under which plain SGD converges.
 */
@FunctionalInterface
public interface LearningRateSchedule extends Serializable {

    /** The learning rate for step {@code t >= 1}. */
    double learningRate(long t);

    /** {@code eta0} at every step. */
    static LearningRateSchedule constant(double eta0) {
        return new Constant(eta0);
    }

    /** {@code eta0 / t^power}, scikit-learn's {@code "invscaling"} (e.g. {@code power = 0.5}). */
    static LearningRateSchedule inverseScaling(double eta0, double power) {
        return new InverseScaling(eta0, power);
    }

    /** {@code eta0 / (1 + decay * (t - 1))}. */
    static LearningRateSchedule inverseTimeDecay(double eta0, double decay) {
        return new InverseTimeDecay(eta0, decay);
    }

    /** {@code eta0 * rate^((t - 1) / decaySteps)}, with {@code 0 < rate <= 1}. */
    static LearningRateSchedule exponentialDecay(double eta0, double rate, long decaySteps) {
        return new ExponentialDecay(eta0, rate, decaySteps);
    }

    /** See {@link #constant(double)}. */
    record Constant(double eta0) implements LearningRateSchedule {
        public Constant {
            checkPositive(eta0, "eta0");
        }

        @Override
        public double learningRate(long t) {
            return eta0;
        }
    }

    /** See {@link #inverseScaling(double, double)}. */
    record InverseScaling(double eta0, double power) implements LearningRateSchedule {
        public InverseScaling {
            checkPositive(eta0, "eta0");
            checkNonNegative(power, "power");
        }

        @Override
        public double learningRate(long t) {
            return eta0 / Math.pow(t, power);
        }
    }

    /** See {@link #inverseTimeDecay(double, double)}. */
    record InverseTimeDecay(double eta0, double decay) implements LearningRateSchedule {
        public InverseTimeDecay {
            checkPositive(eta0, "eta0");
            checkNonNegative(decay, "decay");
        }

        @Override
        public double learningRate(long t) {
            return eta0 / (1.0 + decay * (t - 1));
        }
    }

    /** See {@link #exponentialDecay(double, double, long)}. */
    record ExponentialDecay(double eta0, double rate, long decaySteps) implements LearningRateSchedule {
        public ExponentialDecay {
            checkPositive(eta0, "eta0");
            checkArgument(rate > 0.0 && rate <= 1.0, "rate must be in (0, 1], got %s", rate);
            checkArgument(decaySteps > 0, "decaySteps must be > 0, got %s", decaySteps);
        }

        @Override
        public double learningRate(long t) {
            return eta0 * Math.pow(rate, (double) (t - 1) / decaySteps);
        }
    }
}
