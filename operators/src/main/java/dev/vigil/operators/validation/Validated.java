package dev.vigil.operators.validation;

import java.util.Objects;

/**
 * The outcome of validating one record: either the accepted (possibly normalized) value or a {@link Rejection}.
 *
 * <pre>{@code
 * Validated<VitalObservation> v = validator.validate(obs, now);
 * if (v.isAccepted()) {
 *     out.collect(v.value());
 * } else {
 *     ctx.output(DLQ, DeadLetters.builder("icu", "validate").rejection(v.rejection())...build());
 * }
 * }</pre>
 */
public final class Validated<T> {

    private final T value;
    private final Rejection rejection;

    private Validated(T value, Rejection rejection) {
        this.value = value;
        this.rejection = rejection;
    }

    public static <T> Validated<T> accepted(T value) {
        return new Validated<>(Objects.requireNonNull(value, "value"), null);
    }

    public static <T> Validated<T> rejected(Rejection rejection) {
        return new Validated<>(null, Objects.requireNonNull(rejection, "rejection"));
    }

    public static <T> Validated<T> rejected(String reasonCode, String detail) {
        return rejected(new Rejection(reasonCode, detail));
    }

    public boolean isAccepted() {
        return rejection == null;
    }

    /** The accepted value; throws when rejected. */
    public T value() {
        if (rejection != null) {
            throw new IllegalStateException("rejected: " + rejection.reasonCode());
        }
        return value;
    }

    /** The rejection; throws when accepted. */
    public Rejection rejection() {
        if (rejection == null) {
            throw new IllegalStateException("accepted");
        }
        return rejection;
    }

    @Override
    public String toString() {
        return rejection == null ? "Accepted" : "Rejected[" + rejection.reasonCode() + ": " + rejection.detail() + "]";
    }
}
