package dev.vigil.operators.drift.calibration;

import dev.vigil.operators.drift.DetectorState;
import dev.vigil.operators.drift.DriftDetector;
import java.util.Map;

/**
 * A detector that alarms on every input equal to 1: on Bernoulli(q) input its run length is geometric with mean
 * exactly {@code 1/q}, an ERT known in closed form.
 */
final class TestingGeometricDetector implements DriftDetector {

    private boolean drift;

    @Override
    public boolean update(double x) {
        drift = x == 1.0;
        return drift;
    }

    @Override
    public boolean driftDetected() {
        return drift;
    }

    @Override
    public boolean warningDetected() {
        return false;
    }

    @Override
    public String name() {
        return "testing-geometric";
    }

    @Override
    public DetectorState snapshot() {
        return new DetectorState(name(), Map.of("drift", new double[] {drift ? 1 : 0}));
    }

    @Override
    public void restore(DetectorState state) {
        drift = state.slot("drift")[0] != 0;
    }
}
