package dev.vigil.models.util;

/**
 * Argument and state checks in the style of Flink's and Guava's {@code Preconditions}. Messages use {@code %s}
 * placeholders and are only formatted when a check fails. The fixed-arity overloads with primitive arguments neither
 * box nor allocate a varargs array, so they are cheap enough for per-record paths.
 */
public final class Checks {

    private Checks() {}

    /** Throws {@link IllegalArgumentException} if {@code condition} is false. */
    public static void checkArgument(boolean condition, String messageTemplate, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(format(messageTemplate, args));
        }
    }

    /** Throws {@link IllegalArgumentException} if {@code condition} is false. */
    public static void checkArgument(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Throws {@link IllegalArgumentException} if {@code condition} is false; allocation-free when it holds. */
    public static void checkArgument(boolean condition, String messageTemplate, int arg) {
        if (!condition) {
            throw new IllegalArgumentException(format(messageTemplate, arg));
        }
    }

    /** Throws {@link IllegalArgumentException} if {@code condition} is false; allocation-free when it holds. */
    public static void checkArgument(boolean condition, String messageTemplate, int arg1, int arg2) {
        if (!condition) {
            throw new IllegalArgumentException(format(messageTemplate, arg1, arg2));
        }
    }

    /** Throws {@link IllegalArgumentException} if {@code condition} is false; allocation-free when it holds. */
    public static void checkArgument(boolean condition, String messageTemplate, long arg) {
        if (!condition) {
            throw new IllegalArgumentException(format(messageTemplate, arg));
        }
    }

    /** Throws {@link IllegalArgumentException} if {@code condition} is false; allocation-free when it holds. */
    public static void checkArgument(boolean condition, String messageTemplate, Object arg) {
        if (!condition) {
            throw new IllegalArgumentException(format(messageTemplate, arg));
        }
    }

    /** Throws {@link IllegalStateException} if {@code condition} is false. */
    public static void checkState(boolean condition, String messageTemplate, Object... args) {
        if (!condition) {
            throw new IllegalStateException(format(messageTemplate, args));
        }
    }

    /** Returns {@code reference}, or throws {@link NullPointerException} naming it if it is null. */
    public static <T> T checkNotNull(T reference, String name) {
        if (reference == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return reference;
    }

    /** Returns {@code value} if it is finite and strictly positive, else throws {@link IllegalArgumentException}. */
    public static double checkPositive(double value, String name) {
        if (!(value > 0.0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
        return value;
    }

    /** Returns {@code value} if it is finite and {@code >= 0}, else throws {@link IllegalArgumentException}. */
    public static double checkNonNegative(double value, String name) {
        if (!(value >= 0.0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
        return value;
    }

    /** Returns {@code value} if {@code value > 0}, else throws {@link IllegalArgumentException}. */
    public static int checkPositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    /** Returns {@code value} if {@code value >= 0}, else throws {@link IllegalArgumentException}. */
    public static int checkNonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** Throws {@link IllegalArgumentException} unless {@code array.length == expected}. */
    public static void checkLength(double[] array, int expected, String name) {
        checkNotNull(array, name);
        if (array.length != expected) {
            throw new IllegalArgumentException(
                    name + " must have length " + expected + ", got " + array.length);
        }
    }

    /** Throws {@link IllegalArgumentException} unless every element of {@code array} is finite. */
    public static void checkFinite(double[] array, String name) {
        checkNotNull(array, name);
        for (int i = 0; i < array.length; i++) {
            if (!Double.isFinite(array[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + array[i]);
            }
        }
    }

    private static String format(String template, Object... args) {
        if (args == null || args.length == 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 16 * args.length);
        int from = 0;
        int arg = 0;
        while (arg < args.length) {
            int at = template.indexOf("%s", from);
            if (at < 0) {
                break;
            }
            out.append(template, from, at).append(args[arg++]);
            from = at + 2;
        }
        out.append(template, from, template.length());
        if (arg < args.length) {
            out.append(" [");
            for (int i = arg; i < args.length; i++) {
                out.append(i > arg ? ", " : "").append(args[i]);
            }
            out.append(']');
        }
        return out.toString();
    }
}
