package dev.vigil.operators.learn;

import dev.vigil.operators.drift.DetectorState;
import dev.vigil.operators.drift.DriftDetector;
import java.util.Map;
import java.util.Set;

/**
 * A scripted {@link DriftDetector}: it ignores the values and signals a warning at the update indices in {@code
 * warnings} and a drift at those in {@code drifts} (indices from 0), so the learner's policy can be tested exactly.
 */
final class TestingDriftDetector implements DriftDetector {

    private final Set<Long> warningsAt;
    private final Set<Long> driftsAt;
    private long count;
    private boolean warning;
    private boolean drift;

    TestingDriftDetector(Set<Long> warnings, Set<Long> drifts) {
        this.warningsAt = Set.copyOf(warnings);
        this.driftsAt = Set.copyOf(drifts);
    }

    @Override
    public boolean update(double x) {
        long i = count++;
        drift = driftsAt.contains(i);
        warning = !drift && warningsAt.contains(i);
        return drift;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public boolean warningDetected() {
        return warning;
    }

    @Override
    public String name() {
        return "testing";
    }

    @Override
    public DetectorState snapshot() {
        return new DetectorState(name(), Map.of("state", new double[] {count, warning ? 1 : 0, drift ? 1 : 0}));
    }

    @Override
    public void restore(DetectorState state) {
        double[] s = state.slot("state");
        count = (long) s[0];
        warning = s[1] != 0;
        drift = s[2] != 0;
    }
}
