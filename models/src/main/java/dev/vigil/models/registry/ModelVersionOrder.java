package dev.vigil.models.registry;

import java.util.Comparator;

/**
 * The order of version labels ({@link ModelVersion#versionLabel()}, the {@code version} of a model-control record):
 * labels made only of digits compare as integers ({@code "9" < "10"}, any length, leading zeros ignored) and are
 * newer than every other label; other labels compare as strings. Scorers use it to ignore announcements of a version
 * older than the one they serve.
 */
public final class ModelVersionOrder {

    /** Oldest first. */
    public static final Comparator<String> OLDEST_FIRST = ModelVersionOrder::compare;

    private ModelVersionOrder() {}

    /** Negative, zero or positive as version {@code a} is older than, the same as or newer than {@code b}. */
    public static int compare(String a, String b) {
        boolean numericA = isNumeric(a);
        boolean numericB = isNumeric(b);
        if (numericA != numericB) {
            return numericA ? 1 : -1;
        }
        if (!numericA) {
            return a.compareTo(b);
        }
        String x = stripLeadingZeros(a);
        String y = stripLeadingZeros(b);
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    /** Whether {@code candidate} is strictly newer than {@code current}. */
    public static boolean isNewer(String candidate, String current) {
        return compare(candidate, current) > 0;
    }

    /** Whether {@code label} is a non-empty run of ASCII digits. */
    public static boolean isNumeric(String label) {
        if (label.isEmpty()) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }
}
