package dev.vigil.operators.retrain;

import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a {@link RetrainTrigger} remembers about one model: the open windows' counts, pending drift, the watched
 * version's baseline and when the last request was made. Mutable; the Flink operator keeps one per model name in keyed
 * state ({@link RetrainStateSerializer}).
 */
public final class RetrainState {

    /** Value of a time field that was never set. */
    public static final long NEVER = Long.MIN_VALUE;

    /** Most distinct drift signals kept per window (more are counted, not named). */
    static final int MAX_DRIFT_SIGNALS = 16;

    String pipeline = "";
    /** Open windows by start. */
    final TreeMap<Long, WindowStats> windows = new TreeMap<>();
    /** Pending drift by the start of the window it belongs to. */
    final TreeMap<Long, DriftStats> drifts = new TreeMap<>();
    /** The newest version seen scoring, whose baseline is kept; {@code null} before any. */
    String watchedVersion;
    double baseline = Double.NaN;
    long baselineWindowEnd = NEVER;
    long lastRequestWindowEnd = NEVER;
    int windowsSinceRequest;
    /** End of the last window evaluated: examples before it are late. */
    long closedUpTo = NEVER;

    /** Counts of one window's labelled examples; the metric sums cover those scored by {@link #version} only. */
    static final class WindowStats {
        long labelled;
        long positives;
        /** The newest version scoring in this window; {@code null} when none did. */
        String version;
        long scored;
        double lossSum;
        long errors;

        @Override
        public boolean equals(Object o) {
            return o instanceof WindowStats w && labelled == w.labelled && positives == w.positives
                    && Objects.equals(version, w.version) && scored == w.scored
                    && Double.compare(lossSum, w.lossSum) == 0 && errors == w.errors;
        }

        @Override
        public int hashCode() {
            return Objects.hash(labelled, positives, version, scored, lossSum, errors);
        }
    }

    /** Drift events of one window. */
    static final class DriftStats {
        int count;
        long firstTime = Long.MAX_VALUE;
        final TreeSet<String> signals = new TreeSet<>();

        void add(long eventTime, String signal) {
            count++;
            firstTime = Math.min(firstTime, eventTime);
            if (signals.size() < MAX_DRIFT_SIGNALS || signals.contains(signal)) {
                signals.add(signal);
            }
        }

        void addAll(DriftStats other) {
            count += other.count;
            firstTime = Math.min(firstTime, other.firstTime);
            for (String s : other.signals) {
                if (signals.size() < MAX_DRIFT_SIGNALS) {
                    signals.add(s);
                }
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DriftStats d && count == d.count && firstTime == d.firstTime
                    && signals.equals(d.signals);
        }

        @Override
        public int hashCode() {
            return Objects.hash(count, firstTime, signals);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetrainState s && pipeline.equals(s.pipeline) && windows.equals(s.windows)
                && drifts.equals(s.drifts) && Objects.equals(watchedVersion, s.watchedVersion)
                && Double.compare(baseline, s.baseline) == 0 && baselineWindowEnd == s.baselineWindowEnd
                && lastRequestWindowEnd == s.lastRequestWindowEnd && windowsSinceRequest == s.windowsSinceRequest
                && closedUpTo == s.closedUpTo;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pipeline, windows, drifts, watchedVersion, baseline, lastRequestWindowEnd, closedUpTo);
    }

    @Override
    public String toString() {
        return "RetrainState{windows=" + windows.keySet() + ", drifts=" + drifts.keySet() + ", watched="
                + watchedVersion + ", baseline=" + baseline + ", lastRequestWindowEnd=" + lastRequestWindowEnd + '}';
    }
}
