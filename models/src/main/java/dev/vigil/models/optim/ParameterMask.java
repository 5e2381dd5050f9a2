package dev.vigil.models.optim;

import static dev.vigil.models.util.Checks.checkArgument;
import static dev.vigil.models.util.Checks.checkNotNull;
import static dev.vigil.models.util.Checks.checkPositive;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Which entries of a flat parameter vector a penalty applies to: AdamW's decoupled weight decay, FTRL's L1/L2, or a
 * {@link dev.vigil.models.regularization.Regularizer}. The usual use is to leave biases out, since shrinking a bias
 * towards zero shrinks the predicted base rate (for a logistic regression with {@code F} features, the bias is at
 * {@code F}):
 *
 * <pre>{@code
 * ParameterMask weightsOnly = ParameterMask.excluding(model.numParameters(), model.biasIndex());
 * }</pre>
 *
 * <p>{@link #all()} covers every entry of a vector of any length; the other masks have a fixed length, checked
 * against the parameters on every use. Immutable.
 */
public final class ParameterMask implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final ParameterMask ALL = new ParameterMask(null);

    /** Null for "every entry"; otherwise {@code included[i]} says whether entry {@code i} is covered. */
    private final boolean[] included;

    private ParameterMask(boolean[] included) {
        this.included = included;
    }

    /** Every entry, whatever the length of the parameters. */
    public static ParameterMask all() {
        return ALL;
    }

    /** The entries {@code i} where {@code included[i]} is true (copied); the mask's length is the array's. */
    public static ParameterMask of(boolean[] included) {
        checkNotNull(included, "included");
        checkArgument(included.length > 0, "a mask needs at least one entry");
        return new ParameterMask(included.clone());
    }

    /** Every entry of a vector of length {@code size} except {@code excludedIndices}. */
    public static ParameterMask excluding(int size, int... excludedIndices) {
        checkPositive(size, "size");
        checkNotNull(excludedIndices, "excludedIndices");
        boolean[] included = new boolean[size];
        Arrays.fill(included, true);
        for (int i : excludedIndices) {
            checkArgument(i >= 0 && i < size, "excluded index %s is outside [0, %s)", i, size);
            included[i] = false;
        }
        return new ParameterMask(included);
    }

    /** Whether this mask covers every entry of any vector. */
    public boolean isAll() {
        return included == null;
    }

    /** Whether entry {@code i} is covered. */
    public boolean includes(int i) {
        return included == null || included[i];
    }

    /** The length this mask is for, or {@code -1} for {@link #all()}. */
    public int size() {
        return included == null ? -1 : included.length;
    }

    /** Throws {@link IllegalArgumentException} unless this mask fits a parameter vector of length {@code n}. */
    public void checkSize(int n) {
        if (included != null && included.length != n) {
            throw new IllegalArgumentException(
                    "parameter mask has length " + included.length + " but the parameters have " + n);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterMask m && Arrays.equals(included, m.included);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(included);
    }

    @Override
    public String toString() {
        if (included == null) {
            return "ParameterMask[all]";
        }
        StringBuilder excluded = new StringBuilder();
        for (int i = 0; i < included.length; i++) {
            if (!included[i]) {
                excluded.append(excluded.length() == 0 ? "" : ", ").append(i);
            }
        }
        return "ParameterMask[size=" + included.length + ", excluded={" + excluded + "}]";
    }
}
