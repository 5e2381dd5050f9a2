package dev.vigil.operators.monitor;

/**
 * What a {@link MonitorSignal} measures. A signal's name is {@code <prefix>/<subject>}: the model name for the
 * label-based kinds and for {@link #SCORE}, the feature name for {@link #FEATURE}. Each kind has its own detector
 * ({@link MonitorOptions}).
 */
public enum SignalKind {
    /** 0/1: whether the decision at the threshold ({@code score >= threshold}) disagreed with the label. */
    ERROR("error", true),
    /** Brier score {@code (score - label)²}, in [0, 1]. */
    BRIER("brier", true),
    /** Log loss {@code -ln p(label)} with the score clipped to [1e-4, 1 - 1e-4], in [0, 9.22]. */
    LOG_LOSS("log-loss", true),
    /** The model's score of each prediction (label-free). */
    SCORE("score", false),
    /** One input feature of each prediction, by name (label-free). */
    FEATURE("feature", false);

    private static final SignalKind[] VALUES = values();

    private final String prefix;
    private final boolean labelBased;

    SignalKind(String prefix, boolean labelBased) {
        this.prefix = prefix;
        this.labelBased = labelBased;
    }

    /** The name's first segment, e.g. {@code error}. */
    public String prefix() {
        return prefix;
    }

    /** Whether the signal needs labels (it comes from labelled examples, not from predictions). */
    public boolean labelBased() {
        return labelBased;
    }

    /** The signal name {@code <prefix>/<subject>}. */
    public String signal(String subject) {
        return prefix + "/" + subject;
    }

    /**
     * The kind of a signal name {@code <prefix>/<subject>}.
     *
     * @throws IllegalArgumentException when {@code signal} is not such a name
     */
    public static SignalKind of(String signal) {
        SignalKind kind = lookup(signal);
        if (kind == null) {
            throw new IllegalArgumentException("not a monitor signal name (<kind>/<subject>): '" + signal + "'");
        }
        return kind;
    }

    /** The kind of a signal name {@code <prefix>/<subject>}, or null when it is not such a name. */
    public static SignalKind lookup(String signal) {
        int slash = signal == null ? -1 : signal.indexOf('/');
        if (slash <= 0 || slash == signal.length() - 1) {
            return null;
        }
        for (SignalKind k : VALUES) {
            if (k.prefix.length() == slash && signal.startsWith(k.prefix)) {
                return k;
            }
        }
        return null;
    }
}
