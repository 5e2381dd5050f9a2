package dev.vigil.models.optim;

/** Checks shared by the optimizers of this package. */
final class Optimizers {

    private Optimizers() {}

    /** Checks that {@code params} and {@code grad} are non-null and of one length. */
    static void checkStepArguments(double[] params, double[] grad) {
        if (params == null || grad == null) {
            throw new NullPointerException("params and grad must not be null");
        }
        if (params.length != grad.length) {
            throw new IllegalArgumentException(
                    "params and grad lengths differ: " + params.length + " vs " + grad.length);
        }
    }

    /** Checks that {@code params} and {@code grad} are non-null and of length {@code expected}. */
    static void checkStepArguments(double[] params, double[] grad, int expected) {
        if (params == null || grad == null) {
            throw new NullPointerException("params and grad must not be null");
        }
        if (params.length != grad.length) {
            throw new IllegalArgumentException(
                    "params and grad lengths differ: " + params.length + " vs " + grad.length);
        }
        if (params.length != expected) {
            throw new IllegalArgumentException(
                    "optimizer state is sized for " + expected + " parameters, got " + params.length);
        }
    }
}
