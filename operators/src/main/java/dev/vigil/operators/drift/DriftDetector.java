package dev.vigil.operators.drift;

/**
 * A concept-drift detector over a univariate stream (River's design): feed one value per {@link #update}; after each
 * update {@link #driftDetected()} and {@link #warningDetected()} describe that value. After a drift the detector
 * resets itself, so the next update starts a fresh reference. Label-based detectors take an error indicator (0/1) or a
 * loss; label-free ones take a feature, score or embedding statistic.
 *
 * <p>Implementations are plain Java (no Flink), not thread-safe, with final hyper-parameters validated in the
 * constructor and named by the paper's symbols; each class cites its paper. A Flink operator keeps one per key and
 * checkpoints it through {@link #snapshot()} / {@link #restore}.
 */
public interface DriftDetector {

    /** Adds one observation; returns {@link #driftDetected()}. */
    boolean update(double x);

    /** Whether the last update signalled a drift (the detector has reset since). */
    boolean driftDetected();

    /** Whether the last update signalled a warning (a drift may be coming); false for detectors without one. */
    boolean warningDetected();

    /** Kebab-case name as the CLI knows it, e.g. {@code adwin}, {@code page-hinkley}. */
    String name();

    /** The mutable state as plain numbers/arrays, enough to continue bit-for-bit after {@link #restore}. */
    DetectorState snapshot();

    /** Replaces the mutable state with one taken by {@link #snapshot()} of a detector with the same parameters. */
    void restore(DetectorState state);
}
